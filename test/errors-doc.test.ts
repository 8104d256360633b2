/**
 * docs/errors.md against the code: every command in its checked table gives exactly the documented result.
 * `UPDATE_ERRORS_DOC=1 npx vitest run test/errors-doc.test.ts` writes what the commands print now into the table
 * instead (then `npx biome check --write docs` aligns it, and the diff shows what changed).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { closeSharedRenderer, runCli, runMain } from './helpers.js';

const DOC = new URL('../docs/errors.md', import.meta.url);
const doc = await readFile(DOC, 'utf8');
const update = process.env.UPDATE_ERRORS_DOC === '1';
const table = doc.slice(doc.indexOf('<!-- checked:'), doc.indexOf('<!-- end checked -->'));
// A message may be empty (``): the command prints nothing on stderr.
const rows = [...table.matchAll(/^\| `([^`]+)` *\| (\d+) *\| `([^`]*)` *\|$/gm)].map((m) => ({
  line: m[0],
  command: m[1],
  status: Number(m[2]),
  message: m[3],
}));

/** Each row's line as the command's run would write it (for UPDATE_ERRORS_DOC). */
const observed = new Map<string, string>();

/** "VAR=value mandel-par a b" -> environment and arguments; quotes group words, as a shell would. */
function parse(command: string): { env: Record<string, string>; args: string[] } {
  const words = [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]);
  const env: Record<string, string> = {};
  while (/^[A-Z_]+=/.test(words[0])) {
    const [name, value] = (words.shift() as string).split('=');
    env[name] = value;
  }
  expect(words.shift()).toBe('mandel-par');
  return { env, args: words };
}

describe('docs/errors.md', () => {
  it('has a checked table with every kind of error, and the warning, in it', () => {
    expect(rows.length).toBeGreaterThan(30);
    expect(new Set(rows.map((r) => r.status))).toEqual(new Set([0, 1, 2]));
  });

  it.each(rows)('`$command` exits $status with the documented line', async ({ line, command, status, message }) => {
    const { env, args } = parse(command);
    // In this process unless the command sets the environment (which the workers of a process read).
    const run = Object.keys(env).length > 0 ? await runCli(args, { env }) : await runMain(args);
    if (update) {
      observed.set(line, `| \`${command}\` | ${run.status} | \`${run.stderr.replace(/\n$/, '')}\` |`);
      return;
    }
    expect(run.stderr).toBe(message === '' ? '' : `${message}\n`);
    expect(run.status).toBe(status);
  });

  afterAll(async () => {
    await closeSharedRenderer();
    if (update)
      await writeFile(
        DOC,
        doc.replace(
          table,
          table.replace(/^\|.*\|$/gm, (l) => observed.get(l) ?? l),
        ),
      );
  });
});
