/**
 * vitest's global setup: the tests import the built package (dist/, build/), so a run after an edit would test the
 * old code. When any source is newer than the oldest of the build's outputs, this builds again (`npm run build`)
 * before the first test; after `npm test`, which has just built, it finds nothing to do.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = new URL('../..', import.meta.url).pathname;
const SOURCES = ['src', 'workers', 'assembly', 'bench', 'package.json', 'tsconfig.json', 'asconfig.json'];
const OUTPUTS = [
  'build/mandel.wasm',
  'dist/src/bin/mandel-par.js',
  'dist/workers/render-worker.js',
  'dist/src/index.js',
];

/**
 * The newest modification time of a file, or of a folder and anything under it (a folder's own time moves when a
 * file in it is removed or renamed, which leaves its old compiled module in dist/); 0 where there is none.
 */
function newest(path: string): number {
  const info = statSync(path, { throwIfNoEntry: false });
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

export default function setup(): void {
  const source = Math.max(...SOURCES.map((p) => newest(join(ROOT, p))));
  const built = Math.min(...OUTPUTS.map((p) => statSync(join(ROOT, p), { throwIfNoEntry: false })?.mtimeMs ?? 0));
  if (built > source) return;
  process.stderr.write('mandel-par tests: the sources are newer than the build: npm run build\n');
  execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: ['ignore', 'ignore', 'inherit'] });
}
