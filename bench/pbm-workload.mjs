/**
 * The Benchmarks Game's mandelbrot workload, whole process, interleaved round by round, medians: mandel-par
 * `--out pbm` (with and without shortcuts) against a C program with AVX2 and 8 pixels in flight
 * (bench/native/pbm-avx2.c) and a plain JavaScript worker_threads program (bench/pbm-js.mjs). Every output is
 * checked to be the same bytes (and, for N <= 4000, the bytes of bench/native/pbm-rules.c, the published rules).
 *
 *   npm run build && node bench/pbm-workload.mjs [--n 16000] [--threads 2] [--repeat 3]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const arg = (name, fallback) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const n = arg('n', 16000);
const threads = arg('threads', 2);
const repeat = arg('repeat', 3);
const dir = mkdtempSync(join(tmpdir(), 'mandel-par-pbm-'));
const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const build = (name, flags) => {
  const binary = join(dir, name);
  execFileSync('cc', [...flags, '-o', binary, here(`native/${name}.c`)]);
  return binary;
};
const rules = build('pbm-rules', ['-O2', '-std=c99', '-ffp-contract=off']);
const avx2 = build('pbm-avx2', ['-O3', '-mavx2', '-ffp-contract=off', '-pthread']);
const out = (name) => join(dir, `${name}.pbm`);
const cli = here('../dist/src/bin/mandel-par.js');
const pbmArgs = ['--out', 'pbm', '--width', `${n}`, '--height', `${n}`, '--max-iter', '51', '--region=-1.5,0.5,-1,1'];
const cases = [
  { name: `C, AVX2, 8 pixels in flight, ${threads} threads`, command: [avx2, `${n}`, `${threads}`], stdout: true },
  {
    name: `plain JS, worker_threads, ${threads} threads`,
    command: [process.execPath, here('pbm-js.mjs'), `${n}`, `${threads}`],
    stdout: true,
  },
  {
    name: `mandel-par --out pbm --threads ${threads}`,
    command: [process.execPath, cli, ...pbmArgs, '--threads', `${threads}`],
  },
  {
    name: `mandel-par --out pbm --threads ${threads} --no-shortcuts`,
    command: [process.execPath, cli, ...pbmArgs, '--threads', `${threads}`, '--no-shortcuts'],
  },
];

const digest = (path) => createHash('sha256').update(readFileSync(path)).digest('hex');
function run(c, k) {
  const file = out(`case${k}`);
  const started = performance.now();
  const result = c.stdout
    ? spawnSync('sh', ['-c', `"$0" "$@" > ${file}`, ...c.command])
    : spawnSync(c.command[0], [...c.command.slice(1), '-o', file, '--quiet']);
  const seconds = (performance.now() - started) / 1000;
  if (result.status !== 0) throw new Error(`${c.name} failed: ${result.stderr}`);
  return { seconds, digest: digest(file) };
}

console.log(`Benchmarks Game mandelbrot, N = ${n}, whole process, median of ${repeat} interleaved rounds`);
console.log(`Machine: ${cpus()[0]?.model.trim()}, ${cpus().length} cores, Node ${process.version}`);
const times = cases.map(() => []);
const digests = new Set();
for (let r = 0; r < repeat; r++) {
  for (const [k, c] of cases.entries()) {
    const { seconds, digest: d } = run(c, k);
    times[k].push(seconds);
    digests.add(d);
  }
}
if (n <= 4000) {
  execFileSync('sh', ['-c', `"$0" ${n} > ${out('rules')}`, rules]);
  digests.add(digest(out('rules')));
}
if (digests.size !== 1) throw new Error(`outputs differ: ${[...digests].join(', ')}`);
const median = (a) => [...a].sort((x, y) => x - y)[a.length >> 1];
const m = times.map(median);
for (const [k, c] of cases.entries()) console.log(`  ${c.name.padEnd(52)} ${m[k].toFixed(3)} s`);
console.log(`  every output identical${n <= 4000 ? ', and to the published rules (pbm-rules.c)' : ''}`);
console.log(`  plain JS / mandel-par: ${(m[1] / m[2]).toFixed(2)}x (no shortcuts: ${(m[1] / m[3]).toFixed(2)}x)`);
console.log(`  mandel-par / C AVX2: ${(m[2] / m[0]).toFixed(2)}x (no shortcuts: ${(m[3] / m[0]).toFixed(2)}x)`);
