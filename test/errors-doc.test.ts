/** docs/errors.md against the code: every command in its checked table gives exactly the documented result. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

const doc = await readFile(new URL('../docs/errors.md', import.meta.url), 'utf8');
const table = doc.slice(doc.indexOf('<!-- checked:'), doc.indexOf('<!-- end checked -->'));
const rows = [...table.matchAll(/^\| `([^`]+)` *\| (\d+) *\| `([^`]+)` *\|$/gm)].map((m) => ({
  command: m[1],
  status: Number(m[2]),
  message: m[3],
}));

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

  it.each(rows)('`$command` exits $status with the documented line', async ({ command, status, message }) => {
    const { env, args } = parse(command);
    const run = await runCli(args, { env });
    expect(run.stderr).toBe(`${message}\n`);
    expect(run.status).toBe(status);
  });
});
