/**
 * Kernel speed, one thread, in this process: every engine with and without shortcuts on three cases, run
 * interleaved (round by round) so background load hits all alike; medians of --repeat rounds (default 5).
 * Speed counts the iterations the brute-force loop would do (count - 1 per pixel, maxIter - 1 inside), so engines
 * with shortcuts are credited with the work they avoided and the figures compare. Bands of 16 rows, as the pool
 * would hand them out. A native C reference is built and timed when a C compiler is present.
 *
 *   npm run bench [-- --repeat N] [--deep] [--against BASE_DIR]   (--deep: the deep-zoom section alone; --against:
 *   then issue 18's deep views, whole renders, this checkout against another built one: bench/against.ts)
 */

import { withExactFallback } from '../src/engines/exact.js';
import { createJsEngine } from '../src/engines/js.js';
import { chooseReference } from '../src/engines/reference.js';
import { compileWasmModule, instantiateWasm } from '../src/engines/wasm.js';
import { machineLine } from '../src/machine.js';
import { planBands } from '../src/model/plan.js';
import type { DirectJob, Engine, KernelJob } from '../src/model/task.js';
import { workSince } from '../src/model/work.js';
import { writeBits } from '../src/outputs/ascii.js';
import { sampleGrid } from '../src/plane/view.js';
import type { Region } from '../src/plane/viewport.js';
import { CLASSIC_REGION, planeMapping } from '../src/plane/viewport.js';
import { median } from '../src/scale/median.js';
import { againstBuild } from './against.js';
import { nativeReference } from './native.js';

interface Case {
  name: string;
  region: Region;
  width: number;
  height: number;
  maxIter: number;
}

const CASES: Case[] = [
  { name: 'classic ASCII 140x50, 100000 iter', region: CLASSIC_REGION, width: 140, height: 50, maxIter: 100000 },
  { name: '1920x1080, 1000 iter', region: CLASSIC_REGION, width: 1920, height: 1080, maxIter: 1000 },
  {
    name: 'seahorse valley, width 4e-6, 640x360, 5000 iter',
    region: { xMin: -0.743645887, xMax: -0.743641887, yMin: 0.131824779, yMax: 0.131827029 },
    width: 640,
    height: 360,
    maxIter: 5000,
  },
];

const repeatAt = process.argv.indexOf('--repeat');
const repeat = repeatAt > 0 ? Number(process.argv[repeatAt + 1]) : 5;
const deepOnly = process.argv.includes('--deep');
const againstAt = process.argv.indexOf('--against');

const wasm = await instantiateWasm(await compileWasmModule());
const ENGINES: [string, Engine][] = [
  ['js', createJsEngine()],
  ['wasm', wasm.engine('renderRect')],
  ['wasm-simd', wasm.engine('renderRectSimd')],
];
const VARIANTS = ENGINES.flatMap(([name, engine]) => [
  { name: `${name} --no-shortcuts`, engine, shortcuts: false },
  { name, engine, shortcuts: true },
]);

/** Renders the case band by band; returns the engine's seconds (checksums are taken outside the timing). */
function run(c: Case, engine: Engine, shortcuts: boolean): { seconds: number; iterations: number; digest: number } {
  const mapping = planeMapping(c.region, c.width, c.height);
  let iterations = 0;
  let digest = 0;
  let seconds = 0;
  for (const [{ x, y, w, h }] of planBands(c.width, c.height, 16)) {
    const started = performance.now();
    const job = { mapping, colStart: x, width: w, rowStart: y, rowCount: h, maxIter: c.maxIter, shortcuts };
    const { counts } = engine(job);
    seconds += (performance.now() - started) / 1000;
    for (const count of counts) {
      iterations += count < 0 ? c.maxIter - 1 : count - 1;
      digest = (digest * 31 + count) | 0;
    }
  }
  return { seconds, iterations, digest };
}

console.log(`Kernel speed, one thread, medians of ${repeat} interleaved rounds`);
console.log(`Machine: ${machineLine()}\n`);
for (const c of deepOnly ? [] : CASES) {
  for (const v of VARIANTS) run(c, v.engine, v.shortcuts); // warm-up: every kernel on its optimised tier
  const times = VARIANTS.map(() => [] as number[]);
  let iterations = 0;
  const digests = new Set<number>();
  for (let k = 0; k < repeat; k++) {
    for (const [i, v] of VARIANTS.entries()) {
      const r = run(c, v.engine, v.shortcuts);
      times[i].push(r.seconds);
      iterations = r.iterations;
      digests.add(r.digest);
    }
  }
  if (digests.size !== 1) throw new Error(`${c.name}: engines disagree`);
  console.log(`${c.name}: ${(iterations / 1e9).toFixed(3)} G brute-force iterations, identical output`);
  const jsTime = median(times[0]);
  const rows = VARIANTS.map((v, i) => ({ name: v.name, seconds: median(times[i]) }));
  if (c === CASES[1]) {
    const native = nativeReference(c, repeat);
    if (native) rows.push(native);
  }
  for (const { name, seconds } of rows) {
    const rate = (iterations / seconds / 1e9).toFixed(2);
    console.log(
      `  ${name.padEnd(26)} ${seconds.toFixed(4)} s  ${rate.padStart(6)} G it/s  x${(jsTime / seconds).toFixed(2)} vs js`,
    );
  }
  console.log();
}

/**
 * Inside or outside only (ASCII, PBM): the Benchmarks Game's region and size at its 50 iterations (our 51), one
 * thread, bands of 16 rows. The membership kernel (PBM bits) against the counting kernels (kernel calls timed; their
 * counts packed into bits outside the timing); outputs checked equal.
 */
function membershipCase(shortcuts: boolean): void {
  const n = 4000;
  const maxIter = 51;
  const mapping = planeMapping({ xMin: -1.5, xMax: 0.5, yMin: -1, yMax: 1 }, n, n);
  // Each kernel times its own call and hands back PBM bits; the counting kernels' counts are packed untimed.
  const packed =
    (engine: Engine) =>
    (job: KernelJob): [number, Uint8Array] => {
      const started = performance.now();
      const { counts } = engine(job);
      const seconds = (performance.now() - started) / 1000;
      const bits = new Uint8Array(Math.ceil(job.width / 8) * job.rowCount);
      writeBits(counts, job.width, job.rowCount, bits, 0);
      return [seconds, bits];
    };
  const kernels: [string, (job: DirectJob) => [number, Uint8Array]][] = [
    ['wasm (scalar, counting)', packed(wasm.engine('renderRect'))],
    ['wasm-simd (counting)', packed(wasm.engine('renderRectSimd'))],
    [
      'wasm-simd (membership)',
      (job) => {
        const started = performance.now();
        const bits = wasm.membership(job);
        return [(performance.now() - started) / 1000, bits];
      },
    ],
  ];
  const times = kernels.map(() => [] as number[]);
  const masks = new Set<number>();
  for (let k = 0; k <= repeat; k++) {
    for (const [i, [, kernel]] of kernels.entries()) {
      let seconds = 0;
      let mask = 0;
      for (let y = 0; y < n; y += 16) {
        const [took, bits] = kernel({ mapping, colStart: 0, width: n, rowStart: y, rowCount: 16, maxIter, shortcuts });
        seconds += took;
        for (const byte of bits) mask = (mask * 31 + byte) | 0;
      }
      if (k > 0) times[i].push(seconds); // round 0 warms every kernel up
      masks.add(mask);
    }
  }
  if (masks.size !== 1) throw new Error('membership: kernels disagree');
  const scalar = median(times[0]);
  console.log(`4000 x 4000, 51 iter, Benchmarks Game region, ${shortcuts ? 'shortcuts' : 'no shortcuts'}: same pixels`);
  for (const [i, [name]] of kernels.entries()) {
    const seconds = median(times[i]);
    console.log(`  ${name.padEnd(26)} ${seconds.toFixed(4)} s  x${(scalar / seconds).toFixed(2)} vs scalar wasm`);
  }
  console.log();
}

if (!deepOnly) {
  membershipCase(false);
  membershipCase(true);
}
deepCases();
if (againstAt > 0) await againstBuild(process.argv[againstAt + 1], repeat);

/**
 * Deep zoom: the perturbation kernel, one thread, bands of 16 rows, at four depths, beside the direct SIMD kernel
 * on 1920 x 1080 at 1000 iterations (no shortcuts) in the same run; and the share of each render that choosing and
 * computing the reference orbit takes (once per render, in the main thread: the orbit's fixed-point loop in WASM, and
 * the survey's kernel calls, the BLA table), beside the same with the orbit's loop in BigInt and the table built in
 * TypeScript;
 * then the deep views of issue 18: a minibrot seen whole, a nucleus with every sample inside, the needle. Iterations
 * are counted as the brute-force loop would do them (those skipped by the linear start, BLA runs and interior proofs
 * are credited, as shortcuts are above); the kernel's own counters say how they were taken.
 */
function deepCases(): void {
  const cases: { depth: string; width: number; height: number; center: string[]; maxIter: number; view?: string }[] = [
    // The seahorse-valley point of the toolchain notes (published digits), and c = i, a Misiurewicz point.
    {
      depth: '1e30',
      width: 320,
      height: 180,
      center: ['-0.743643887037158704752191506114774', '0.131825904205311970493132056385139'],
      maxIter: 50000,
    },
    { depth: '1e100', width: 1920, height: 1080, center: ['0', '1'], maxIter: 10000 },
    { depth: '1e300', width: 1920, height: 1080, center: ['0', '1'], maxIter: 10000 },
    { depth: '1e1000', width: 1920, height: 1080, center: ['0', '1'], maxIter: 10000 },
    // The period-8007 minibrot that holds the seahorse point, seen whole, at its nucleus (Newton, 200 digits).
    {
      depth: 'p8007',
      width: 320,
      height: 180,
      center: [
        '-0.74364388703715870475219150611477977821525620794818128981688390181856073578379647863478782276214446187918642038936880299662817286545110520767960840151961612169600011410978855834453298496505671358565521',
        '0.13182590420531197049313205638514067897295227932891896620912767746551348173829833723473896418036763808191262395427428298644579017388714892904528969956399105812795657463829735478902461512624313210666268',
      ],
      maxIter: 100000,
      view: '3e-32',
    },
    // The period-3 minibrot's nucleus at 1e100: every sample inside.
    {
      depth: 'p3',
      width: 640,
      height: 360,
      center: [
        '-1.754877666246692760049508896358528691894606617772793143989283970646080655128081090738227092842250303648377367912813',
        '0',
      ],
      maxIter: 100000,
      view: '3e-100',
    },
    // The needle inside the set, where orbits run along |z| = 2.
    {
      depth: 'needle',
      width: 960,
      height: 540,
      center: ['-1.99999999999999999999', '0'],
      maxIter: 5000,
      view: '3e-18',
    },
  ];
  const engine = wasm.engine('renderPerturb');
  // The render as the workers do it: the samples the kernel cannot settle go to BigInt.
  const settled = withExactFallback(engine, wasm.escape);
  const direct = wasm.engine('renderRectSimd');
  const shallow = CASES[1];
  console.log('Deep zoom, one thread, perturbation (wasm) against wasm-simd at 1920 x 1080 in the same rounds:');
  for (const c of cases) {
    const { width, height } = c;
    const view = { center: c.center as [string, string], width: c.view ?? `3e-${c.depth.slice(2)}` };
    const grid = sampleGrid({ view }, width, height, 1);
    const orbitTimes: number[] = [];
    const bigintTimes: number[] = [];
    const renderTimes: number[] = [];
    const directTimes: number[] = [];
    let iterations = 0;
    let work = wasm.perturbCounters();
    for (let k = 0; k <= repeat; k++) {
      let started = performance.now();
      chooseReference(grid, c.maxIter, engine);
      const bigintMs = performance.now() - started;
      started = performance.now();
      const perturb = chooseReference(grid, c.maxIter, engine, undefined, wasm);
      const orbitMs = performance.now() - started;
      let seconds = 0;
      iterations = 0;
      const before = wasm.perturbCounters();
      for (const [{ y, h }] of planBands(width, height, 16)) {
        started = performance.now();
        const job = { ...jobBase(width, y, h, c.maxIter), perturb };
        const { counts } = settled(job);
        seconds += (performance.now() - started) / 1000;
        for (const count of counts) iterations += (count < 0 ? c.maxIter : count) - 1;
      }
      work = workSince(before, wasm.perturbCounters());
      const shallowRun = run(shallow, direct, false);
      if (k === 0) continue; // warm-up: both kernels on their optimised tier
      orbitTimes.push(orbitMs / 1000);
      bigintTimes.push(bigintMs / 1000);
      renderTimes.push(seconds);
      directTimes.push(shallowRun.iterations / shallowRun.seconds);
    }
    const orbit = median(orbitTimes);
    const bigint = median(bigintTimes);
    const render = median(renderTimes);
    const rate = iterations / render;
    const directRate = median(directTimes);
    console.log(
      `  ${c.depth.padEnd(7)} ${width}x${height} ${(iterations / 1e6).toFixed(0).padStart(5)} M it  ${render.toFixed(3)} s  ` +
        `${(rate / 1e9).toFixed(3)} G it/s (x${(rate / directRate).toFixed(2)} vs wasm-simd's ${(directRate / 1e9).toFixed(2)}); ` +
        `reference ${(orbit * 1000).toFixed(0)} ms (${((100 * orbit) / (orbit + render)).toFixed(1)}% of the render; ` +
        `with the orbit in BigInt and the BLA table in TypeScript ${(bigint * 1000).toFixed(0)} ms, x${(bigint / orbit).toFixed(1)})\n` +
        `          steps one at a time ${(work.steps / 1e6).toFixed(1)} M (${(work.steps / render / 1e9).toFixed(3)} G/s), ` +
        `${(work.runSteps / 1e6).toFixed(0)} M in ${(work.runs / 1e6).toFixed(2)} M BLA runs; ` +
        `double-double ${work.precise}, BigInt ${work.exact}, proven inside ${work.inside}, on the real axis ${work.axis}`,
    );
  }
  console.log();
}

/** The parts of a kernel job the perturbation kernel reads besides its `perturb` field. */
function jobBase(width: number, rowStart: number, rowCount: number, maxIter: number) {
  return { colStart: 0, width, rowStart, rowCount, maxIter };
}
