// The Computer Language Benchmarks Game "mandelbrot" workload (N x N P4 bitmap, 50 iterations, region
// [-1.5, 0.5] x [-1, 1]; the rules are in bench/native/bg-rules.c), timed as whole processes:
//   C        bench/native/bg-avx2.c  AVX2, pthreads, dynamic rows
//   JS       bench/bg-js.mjs         plain JavaScript, worker_threads, two pixels per loop
//   mandel-par --out pbm, with and without --no-shortcuts
// Programs are run interleaved round by round and the median of the rounds is reported. Every output is checked
// byte for byte: against bg-rules.c's output when N <= 4000, otherwise against each other (bg-rules.c is scalar
// and single-threaded, slow at N = 16000).
//
// Usage: node bench/benchmarks-game.mjs [--n 16000] [--repeat 3] [--threads 2]
// Needs `npm run build` for the mandel-par rows and a C compiler (`cc`) for the C rows; without either the rows
// are skipped with a note. Temporary files live in os.tmpdir() and are removed at the end.
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REFERENCE_MAX_N = 4000;

function option(name, fallback) {
  const args = process.argv.slice(2);
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}` && i + 1 < args.length) return args[i + 1];
    if (args[i].startsWith(`--${name}=`)) return args[i].slice(name.length + 3);
  }
  return fallback;
}

function positiveInt(name, fallback) {
  const value = Number(option(name, fallback));
  if (!Number.isInteger(value) || value <= 0) {
    console.error(`--${name} must be a positive integer`);
    process.exit(2);
  }
  return value;
}

const n = positiveInt('n', 16000);
const repeat = positiveInt('repeat', 3);
const threads = positiveInt('threads', 2);

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const tmp = mkdtempSync(join(os.tmpdir(), 'mandel-bg-'));
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const tail = (text) =>
  String(text ?? '')
    .trim()
    .split('\n')
    .slice(-6)
    .join('\n');

/** Builds one C program into the temp folder; returns its path, or null (with a note) when that fails. */
function buildC(name, flags) {
  const out = join(tmp, name);
  const args = [...flags, '-o', out, here(`native/${name}.c`)];
  const built = spawnSync('cc', args, { encoding: 'utf8' });
  const command = `cc ${args.join(' ')}`;
  if (built.error || built.status !== 0) {
    console.log(`note: skipping ${name}: \`${command}\` failed: ${built.error?.message ?? tail(built.stderr)}`);
    return null;
  }
  console.log(`built: ${command}`);
  return out;
}

/** Runs one program; it writes its image to stdout or, with a {file} argument, to that file. */
function run(program, file) {
  const args = program.args.map((a) => (a === '{file}' ? file : a));
  let fd = 'ignore';
  if (!program.args.includes('{file}')) fd = openSync(file, 'w');
  const started = performance.now();
  const done = spawnSync(program.cmd, args, { stdio: ['ignore', fd, 'pipe'], encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = (performance.now() - started) / 1000;
  if (typeof fd === 'number') closeSync(fd);
  if (done.error) return { error: done.error.message };
  if (done.status !== 0) return { error: `exit ${done.status ?? done.signal}: ${tail(done.stderr)}` };
  if (!existsSync(file)) return { error: 'no output file written' };
  return { seconds };
}

/** Where two P4 images differ: null when identical, else a description. */
function difference(bytes, expected) {
  if (bytes.equals(expected)) return null;
  const header = `P4\n${n} ${n}\n`;
  if (bytes.length !== expected.length || bytes.subarray(0, header.length).toString('latin1') !== header) {
    return `${bytes.length} bytes, expected ${expected.length}; starts ${JSON.stringify(bytes.subarray(0, 20).toString('latin1'))}`;
  }
  const rowBytes = (n + 7) >> 3;
  let pixels = 0;
  let first = -1;
  for (let i = header.length; i < bytes.length; i++) {
    let x = bytes[i] ^ expected[i];
    if (x === 0) continue;
    if (first < 0) first = i - header.length;
    for (; x; x &= x - 1) pixels++;
  }
  const row = Math.floor(first / rowBytes);
  return `${pixels} pixels differ, the first in row ${row}, byte ${first - row * rowBytes} of the row`;
}

const mandelPar = here('../dist/src/bin/mandel-par.js');
const mpArgs = (extra) => [
  mandelPar,
  '--out',
  'pbm',
  '--width',
  String(n),
  '--height',
  String(n),
  '--max-iter',
  '51',
  '--region=-1.5,0.5,-1,1',
  '--threads',
  String(threads),
  '--quiet',
  ...extra,
  '-o',
  '{file}',
];

const programs = [];
const avx2 = buildC('bg-avx2', ['-O3', '-mavx2', '-ffp-contract=off', '-pthread']);
if (avx2)
  programs.push({ key: 'c', name: 'C bg-avx2 (AVX2, pthreads)', cmd: avx2, args: [String(n), String(threads)] });
programs.push({
  key: 'js',
  name: 'JS bg-js.mjs (plain, worker_threads)',
  cmd: process.execPath,
  args: [here('bg-js.mjs'), String(n), String(threads)],
});
if (existsSync(mandelPar)) {
  programs.push({ key: 'mp', name: 'mandel-par --out pbm', cmd: process.execPath, args: mpArgs([]) });
  programs.push({
    key: 'mpNo',
    name: 'mandel-par --out pbm --no-shortcuts',
    cmd: process.execPath,
    args: mpArgs(['--no-shortcuts']),
  });
} else {
  console.log(`note: skipping mandel-par: ${mandelPar} not found (npm run build)`);
}

console.log(
  `machine: ${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ` +
    `Node ${process.version}, ${process.platform}-${process.arch}`,
);
console.log(`workload: N = ${n}, ${threads} threads, ${repeat} round(s), programs interleaved, median per program`);

// The bytes every output must equal.
let expected = null;
let expectedFrom = null;
if (n <= REFERENCE_MAX_N) {
  const rules = buildC('bg-rules', ['-O2', '-std=c99', '-ffp-contract=off']);
  if (rules) {
    const file = join(tmp, 'reference.pbm');
    const r = run({ cmd: rules, args: [String(n)] }, file);
    if (r.error) console.log(`note: bg-rules failed (${r.error}); comparing the outputs with each other`);
    else {
      expected = readFileSync(file);
      expectedFrom = 'bg-rules.c (the published rules, scalar)';
      console.log(`reference: bg-rules ${n} in ${r.seconds.toFixed(3)} s (one thread, not part of the comparison)`);
    }
    rmSync(file, { force: true });
  }
} else {
  console.log(`note: N > ${REFERENCE_MAX_N}: bg-rules.c is not run; the outputs are compared with each other`);
}

const times = new Map(programs.map((p) => [p.key, []]));
const failed = new Map();
const mismatched = new Map();
for (let round = 0; round < repeat; round++) {
  for (const p of programs) {
    if (failed.has(p.key)) continue;
    const file = join(tmp, `${p.key}-${round}.pbm`);
    const r = run(p, file);
    if (r.error) {
      failed.set(p.key, r.error);
      console.log(`FAILED ${p.name}: ${r.error}`);
      rmSync(file, { force: true });
      continue;
    }
    times.get(p.key).push(r.seconds);
    const bytes = readFileSync(file);
    rmSync(file, { force: true });
    if (!expected) {
      expected = bytes;
      expectedFrom = `${p.name} (the first output made, as bg-rules.c was not run)`;
    }
    const diff = difference(bytes, expected);
    if (diff && !mismatched.has(p.key)) {
      mismatched.set(p.key, diff);
      console.log(`MISMATCH ${p.name} (round ${round + 1}): ${diff}`);
    }
  }
}
rmSync(tmp, { recursive: true, force: true });

console.log(`\noutputs compared byte for byte with ${expectedFrom ?? 'nothing (no program ran)'}`);
const medians = new Map();
for (const p of programs) {
  const ts = times.get(p.key);
  let status = 'identical';
  if (failed.has(p.key)) status = 'failed';
  if (mismatched.has(p.key)) status = `DIFFERENT: ${mismatched.get(p.key)}`;
  if (ts.length === 0) {
    console.log(`${p.name.padEnd(40)}        -  (${status})`);
    continue;
  }
  const m = median(ts);
  medians.set(p.key, m);
  const all = ts.length > 1 ? `  [${ts.map((t) => t.toFixed(3)).join(', ')}]` : '';
  console.log(`${p.name.padEnd(40)} ${m.toFixed(3).padStart(8)} s  (${status})${all}`);
}

const ratio = (a, b) => (medians.has(a) && medians.has(b) ? (medians.get(a) / medians.get(b)).toFixed(2) : 'n/a');
console.log('\nratios of medians (> 1: the first is slower)');
for (const [mp, label] of [
  ['mp', 'mandel-par'],
  ['mpNo', 'mandel-par --no-shortcuts'],
]) {
  console.log(`  JS / ${label}: ${ratio('js', mp)}`);
  console.log(`  ${label} / C: ${ratio(mp, 'c')}`);
}
if (failed.size || mismatched.size) process.exitCode = 1;
