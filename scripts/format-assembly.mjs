#!/usr/bin/env node
/**
 * Biome, the project's one formatter, over assembly/ too. AssemblyScript puts decorators on functions (`@inline`),
 * which TypeScript's grammar refuses and so Biome's parser cannot read (AssemblyScript/assemblyscript#1738): each
 * decorator on a line of its own (`@inline`, `@external("env", "log2")`) is masked as a comment while Biome formats
 * the file, then put back.
 *
 * `node scripts/format-assembly.mjs --check` (in `npm run lint`) names the files that are not formatted and fails;
 * without `--check` it rewrites them (`npm run format`).
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FOLDER = new URL('../assembly/', import.meta.url).pathname;
const BIOME = new URL('../node_modules/.bin/biome', import.meta.url).pathname;
const MASK = '// @decorator: ';
const check = process.argv.includes('--check');

/** The file as Biome formats it, its decorator lines kept as they were. */
function formatted(text, name) {
  const masked = text.replace(/^([ \t]*)@(\w+(?:\([^)\n]*\))?)[ \t]*$/gm, `$1${MASK}$2`);
  // Formatted under another name: assembly/ is outside Biome's own files (see biome.json).
  const run = spawnSync(BIOME, ['format', `--stdin-file-path=${name}`], { input: masked, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`biome could not format assembly/${name}:\n${run.stderr}`);
  return run.stdout.replaceAll(new RegExp(`^([ \\t]*)${MASK}(\\w+(?:\\([^)\\n]*\\))?)$`, 'gm'), '$1@$2');
}

const unformatted = [];
for (const name of readdirSync(FOLDER).filter((f) => f.endsWith('.ts'))) {
  const path = join(FOLDER, name);
  const text = readFileSync(path, 'utf8');
  const result = formatted(text, name);
  if (result === text) continue;
  unformatted.push(`assembly/${name}`);
  if (!check) writeFileSync(path, result);
}
if (check && unformatted.length > 0) {
  process.stderr.write(`not formatted (run npm run format): ${unformatted.join(', ')}\n`);
  process.exit(1);
}
