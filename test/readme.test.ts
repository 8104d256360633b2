/**
 * Every render example in the README runs: each `mandel-par` command of its shell blocks, at a smaller size (the
 * width at most 160, the aspect kept) and writing into a temporary folder, exits 0 without a warning (a uniform
 * picture, a precision warning). `scale` examples are left to scale.test.ts (they take minutes by design), and
 * `serve` and `video` to serve.test.ts and video.test.ts (one runs until stopped, the other for minutes at full
 * size).
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { closeSharedRenderer, runMain } from './helpers.js';

afterAll(closeSharedRenderer);

const README = await import('node:fs/promises').then((fs) =>
  fs.readFile(new URL('../README.md', import.meta.url), 'utf8'),
);

/** The commands of the README's shell blocks (fenced or indented), continuation lines joined, comments dropped. */
function readmeCommands(text: string): string[] {
  const fenced = [...text.matchAll(/```(?:sh|bash)?\n([\s\S]*?)```/g)].map((m) => m[1]);
  const indented = text.split('\n').filter((line) => /^ {4}mandel-par /.test(line));
  return [...fenced, ...indented]
    .join('\n')
    .replace(/\\\n\s*/g, '')
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => /^mandel-par (?!scale\b|serve\b|video\b|\[)/.test(line) || /^mandel-par$/.test(line));
}

/** A README command's arguments, at most 160 pixels wide, with its output in `dir`. */
function smaller(command: string, dir: string): string[] {
  const words = command
    .replace(/\s*>\s*\S+$/, '')
    .split(/\s+/)
    .slice(1);
  const at = (option: string) => words.indexOf(option);
  const width = at('--width') >= 0 ? Number(words[at('--width') + 1]) : undefined;
  if (width !== undefined && width > 160) {
    const height = Number(words[at('--height') + 1]);
    words[at('--width') + 1] = '160';
    words[at('--height') + 1] = String(Math.max(1, Math.round((height * 160) / width)));
  }
  const output = at('-o');
  if (output >= 0) words[output + 1] = join(dir, basename(words[output + 1]));
  return words;
}

describe('the README examples', () => {
  const commands = readmeCommands(README);

  it('are found: every shell block command that renders', () => {
    expect(commands.length).toBeGreaterThanOrEqual(12);
    expect(commands).toContain('mandel-par');
  });

  it.each(commands)('%s', async (command) => {
    const dir = await mkdtemp(join(tmpdir(), 'mandel-par-readme-'));
    const run = await runMain(smaller(command, dir), { cwd: dir });
    expect(run.stderr).not.toMatch(/warning/);
    expect(run.status).toBe(0);
  });
});
