/**
 * Deep zoom: the perturbation kernel in real workers against the arbitrary-precision reference (test/support),
 * every sample's escape count, at magnifications from 1e14 to 1e1000, for the Mandelbrot set and Julia sets; and deep
 * views through the spec and the CLI.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { GLITCHED, INEXACT, withExactFallback } from '../dist/src/engines/exact.js';
import { perturbSetup } from '../dist/src/engines/perturbation.js';
import { chooseReference } from '../dist/src/engines/reference.js';
import { compileWasmModule, instantiateWasm } from '../dist/src/engines/wasm.js';
import type { DeepView, RenderSpec } from '../dist/src/index.js';
import {
  asciiText,
  createSpec,
  pixelData,
  planTiles,
  Renderer,
  specFromJson,
  specToJson,
  validateSpec,
} from '../dist/src/index.js';
import { pixelAspect } from '../dist/src/model/spec.js';
import { samplePoint } from '../dist/src/plane/grid.js';
import { sampleGrid } from '../dist/src/plane/view.js';
import { closeSharedRenderer, runMain } from './helpers.js';
import { P1212 } from './support/deep-views.js';
import { exactCount, exactCounts, exactSamples } from './support/exact-escape.js';
import { juliaPoint } from './support/julia-point.js';

afterAll(closeSharedRenderer);

const renderer = await Renderer.create({ threads: 2 });
afterAll(() => renderer.close());

/** Seahorse valley as the first-minute issue tried it, and c = i, a Misiurewicz point (exact digits). */
const SEAHORSE: [string, string] = ['-0.743643887037151', '0.131825904205330'];
const TIP_I: [string, string] = ['0', '1'];
/** The needle's tip, c = -2, whose orbit runs along |z| = 2: there f64 cannot decide |Z + dz|^2 >= 4. */
const NEEDLE: [string, string] = ['-2', '0'];

interface DeepCase {
  magnification: string;
  center: [string, string];
  width: number;
  height: number;
  maxIter: number;
}

/** Views 3 / magnification wide; sizes and max-iter kept small, for the reference is slow (BigInt at every step). */
const CASES: DeepCase[] = [
  { magnification: '1e14', center: SEAHORSE, width: 32, height: 20, maxIter: 4000 },
  { magnification: '1e16', center: SEAHORSE, width: 24, height: 16, maxIter: 4000 },
  { magnification: '1e20', center: SEAHORSE, width: 24, height: 16, maxIter: 4000 },
  { magnification: '1e50', center: TIP_I, width: 32, height: 20, maxIter: 2000 },
  { magnification: '1e100', center: TIP_I, width: 32, height: 20, maxIter: 2000 },
  { magnification: '1e300', center: TIP_I, width: 24, height: 16, maxIter: 2000 },
  { magnification: '1e1000', center: TIP_I, width: 12, height: 8, maxIter: 3000 },
  { magnification: '1e50', center: NEEDLE, width: 24, height: 16, maxIter: 2000 },
  { magnification: '1e300', center: NEEDLE, width: 12, height: 8, maxIter: 3000 },
];

const view = (c: DeepCase): DeepView => ({ center: c.center, width: `3e-${c.magnification.slice(2)}` });

/** Every sample's escape count by the renderer (NumPy data: int32 count, then float32, per pixel). */
async function renderCounts(spec: RenderSpec, plan?: ReturnType<typeof planTiles>): Promise<Int32Array> {
  const destination = pixelData(spec.width, spec.height);
  await renderer.render(spec, { destination, plan });
  const counts = new Int32Array(spec.width * spec.height);
  for (let p = 0; p < counts.length; p++) counts[p] = destination.pixels.readInt32LE(p * 8);
  return counts;
}

const identical = (a: Int32Array, b: Int32Array) => a.filter((v, p) => v === b[p]).length / a.length;

describe('perturbation against the arbitrary-precision reference', () => {
  it.each(CASES)(
    'magnification $magnification at $center.0, $center.1: every count identical',
    async (c) => {
      const spec = createSpec({
        view: view(c),
        width: c.width,
        height: c.height,
        maxIter: c.maxIter,
        output: { format: 'npy' },
      });
      expect(spec.engine).toBe('perturb');
      const counts = await renderCounts(spec);
      const exact = exactCounts(view(c), c.width, c.height, c.maxIter);
      // The acceptance is 99.9%; at these sizes that is every sample, and every sample is what we measured.
      expect(identical(counts, exact)).toBe(1);
      // A real picture, not a flat one: the counts vary (except at 1e20, where this centre's neighbourhood is flat).
      if (c.magnification !== '1e20') expect(new Set(exact).size).toBeGreaterThan(5);
    },
    60_000,
  );

  it('gives the reference ASCII picture at 1e16, where the direct kernel draws flat rectangles', async () => {
    const spec = createSpec({ view: view(CASES[1]), width: 48, height: 16, maxIter: 3300 });
    const chunks: Uint8Array[] = [];
    await renderer.render(spec, { destination: asciiText(48, 16, (b) => chunks.push(b)) });
    const exact = exactCounts(view(CASES[1]), 48, 16, 3300, { pixelAspect: pixelAspect('ascii') });
    const rows = Array.from({ length: 16 }, (_, r) =>
      Array.from(exact.subarray(r * 48, (r + 1) * 48), (n) => (n < 0 ? '*' : '-')).join(''),
    );
    const text = Buffer.concat(chunks).toString('latin1');
    expect(text).toBe(rows.map((r) => `${r}\n`).join(''));
    expect(text).toContain('*');
    expect(text).toContain('-');
  }, 60_000);
});

/**
 * Views where the fast loop used to pay every step or send samples to BigInt: a minibrot at its nucleus (period 44,
 * found by Newton in 1000-bit arithmetic; its inside proven, assembly/perturb-interior.ts), the period-3 minibrot's
 * nucleus and the cusp at 1e100 (every sample inside), and the needle inside the set near c = -2 (its orbit along
 * |Z| = 2, decided by the orbit's margins: assembly/perturb-lanes.ts, nearFour).
 */
describe('minibrots, the cusp and the needle at depth', () => {
  const P44 =
    '-1.99500000000003321820860947216733713147259218682561978752770152011167987737134359132451613562828050206572977333749313525130601572545202941493961031769907482257803341856292266641046840603447607238602274';
  const P3 =
    '-1.754877666246692760049508896358528691894606617772793143989283970646080655128081090738227092842250303648377367912813';
  const render = async (v: DeepView, width: number, height: number, maxIter: number) => {
    const spec = createSpec({ view: v, width, height, maxIter, output: { format: 'npy' } });
    expect(spec.engine).toBe('perturb');
    const destination = pixelData(width, height);
    const stats = await renderer.render(spec, { destination });
    const counts = new Int32Array(width * height).map((_, p) => destination.pixels.readInt32LE(p * 8));
    return { counts, work: stats.perturbWork, exact: exactCounts(v, width, height, maxIter) };
  };

  it('a period-44 minibrot at 1e27, seen whole: every count identical, its inside proven', async () => {
    const { counts, work, exact } = await render({ center: [P44, '0'], width: '1.2e-27' }, 24, 16, 3000);
    expect(identical(counts, exact)).toBe(1);
    const inside = exact.filter((n) => n < 0).length;
    expect(inside).toBeGreaterThan(20);
    expect(inside).toBeLessThan(24 * 16 - 20);
    // The ones well inside: their map over 1, 12 or 60 periods contracts enough (40 of 92), or they lie on the real
    // axis (src/plane/axis.ts: row 8, all 24); those nearest the edge run to maxIter.
    expect((work?.inside ?? 0) + (work?.axis ?? 0)).toBeGreaterThan(inside / 2);
    expect(work?.inside).toBeGreaterThan(30);
  }, 60_000);

  it.each([
    ['the period-3 nucleus', P3, 4],
    ['the cusp', '0.25', 0],
  ])(
    '%s at 1e100: every sample inside, as the reference says, without iterating them all',
    async (_, re, proofs) => {
      const { counts, work, exact } = await render({ center: [re, '0'], width: '3e-100' }, 16, 10, 2000);
      expect(identical(counts, exact)).toBe(1);
      expect(exact.every((n) => n === -1)).toBe(true);
      // Far fewer steps than 160 samples times 2000.
      expect((work?.steps ?? 0) + (work?.runSteps ?? 0)).toBeLessThan(160 * 2000 * 0.1);
      // All but the reference's own sample (dz = 0 has no digits to prove with), by the proof or on the real axis.
      if (proofs > 0) expect((work?.inside ?? 0) + (work?.axis ?? 0)).toBeGreaterThanOrEqual(159);
    },
    60_000,
  );

  it('at the edge of the period-44 minibrot, 100000 iterations: samples 0.3.0 or BLA miscounted, each as BigInt', async () => {
    const grid = sampleGrid({ view: { center: [P44, '0'], width: '1.2e-27' } }, 640, 360, 1);
    const kernel = (await instantiateWasm(await compileWasmModule())).engine('renderPerturb');
    const perturb = chooseReference(grid, 100000, kernel);
    // [col, row]: 0.3.0 said 12272, 24612, 73602 (the last is inside); one escapes after 87390 steps, which BLA had
    // computed inside, the error estimate collapsing where z passes near 0 (assembly/perturb-lanes.ts, LOST).
    for (const [col, row] of [
      [276, 56],
      [233, 73],
      [188, 129],
      [346, 64],
    ]) {
      const job = { colStart: col, width: 1, rowStart: row, rowCount: 1, maxIter: 100000 };
      expect(withExactFallback(kernel)({ ...job, perturb }).counts[0]).toBe(exactCount(grid, col, row, 100000));
    }
  }, 60_000);

  it('the needle inside the set at 1e18: every count identical, few samples left to BigInt', async () => {
    const { counts, work, exact } = await render(
      { center: ['-1.99999999999999999999', '0'], width: '3e-18' },
      24,
      16,
      2000,
    );
    expect(identical(counts, exact)).toBe(1);
    expect(new Set(exact).size).toBeGreaterThan(5);
    expect(work?.exact).toBeLessThan((24 * 16) / 10);
  }, 60_000);

  it('the real axis by the needle, 20000 iterations: its chaotic samples written inside without a step', async () => {
    const v: DeepView = { center: ['-1.99999999999999999999', '0'], width: '3e-18' };
    const { counts, work, exact } = await render(v, 32, 2, 20000);
    expect(identical(counts, exact)).toBe(1);
    // Row 1 lies on the axis; its samples right of -2 are inside (src/plane/axis.ts), the others escape soon.
    const axis = exact.subarray(32).filter((n) => n === -1).length;
    expect(axis).toBe(16);
    expect(work?.axis).toBe(axis);
    expect(work?.inside).toBe(0);
    expect(work?.precise).toBe(0);
    expect(work?.exact).toBe(0);
    expect((work?.steps ?? 0) + (work?.runSteps ?? 0)).toBeLessThan(64 * 200);
  }, 60_000);

  // A period-1212 nucleus seen from 1e256 and 1e290 (test/support/deep-views.ts): where its orbit returned near 0,
  // dZ/dC fell, and the point after it was made at the precision of the large dZ/dC before (src/plane/orbit.ts): the
  // reference escaped after 2563 and 3135 steps, and every sample with it (a user's trial found the flat pictures).
  it.each(['1e256', '1e290'])(
    'by a period-1212 minibrot 2e-300 across, at %s: every count identical',
    async (z) => {
      const { counts, exact } = await render({ center: P1212, width: `3e-${z.slice(2)}` }, 12, 8, 8000);
      expect(identical(counts, exact)).toBe(1);
      expect(new Set(exact).size).toBeGreaterThan(5);
    },
    60_000,
  );
});

describe('the reference places the samples by itself', () => {
  it.each([
    [view(CASES[6]), 12, 8, 1],
    [view(CASES[1]), 48, 16, pixelAspect('ascii')],
    [{ center: ['-0.75', '0.1'], width: '0.003' } as DeepView, 33, 17, 1],
  ])('as src/plane/grid.ts does: %j, %i x %i', (v, w, h, aspect) => {
    const grid = sampleGrid({ view: v }, w, h, aspect);
    const exact = exactSamples(v, w, h, aspect);
    expect(exact.bits).toBe(grid.fractionBits);
    for (const [col, row] of [
      [0, 0],
      [w - 1, h - 1],
      [Math.floor(w / 2), Math.floor(h / 2)],
      [3, h - 2],
    ]) {
      expect(exact.point(col, row)).toEqual(samplePoint(grid, col, row));
    }
  });
});

/**
 * c = i: a dendrite (connected, no interior). c = 0.285 + 0.01i lies outside the Mandelbrot set (its critical orbit
 * escapes after 19 steps), so its Julia set is dust, and samples that outlive an orbit are rebased where it escapes.
 * The centres are points of the sets (inverse iteration in BigInt, test/support/julia-point.ts), where counts vary.
 */
describe('Julia sets at depth', () => {
  const DENDRITE: [number, number] = [0, 1];
  const DUST: [number, number] = [0.285, 0.01];
  const points = new Map([DENDRITE, DUST].map((c) => [c, juliaPoint(c, 330, 1300, 2500)]));
  // A few digits past the view's, as one would type them: no sample lies unusually near the set, so every count is
  // within f64's reach from any reference point (the survey may choose another).
  const juliaView = (c: [number, number], magnification: number): DeepView => ({
    center: points.get(c)?.map((d) => d.slice(0, magnification + 6)) as [string, string],
    width: `3e-${magnification}`,
  });
  const juliaSpec = (c: [number, number], magnification: number, width: number, height: number, maxIter: number) =>
    createSpec({
      formula: 'julia',
      julia: c,
      view: juliaView(c, magnification),
      width,
      height,
      maxIter,
      output: { format: 'npy' },
    });

  it.each([
    [DENDRITE, 20],
    [DENDRITE, 100],
    [DENDRITE, 300],
    [DUST, 100],
    [DUST, 300],
  ])(
    'c = %j at magnification 1e%i: every count identical to the reference',
    async (c, magnification) => {
      const spec = juliaSpec(c, magnification, 16, 12, 3000);
      expect(spec.engine).toBe('perturb');
      const exact = exactCounts(juliaView(c, magnification), 16, 12, 3000, { julia: c });
      expect(identical(await renderCounts(spec), exact)).toBe(1);
      expect(new Set(exact).size).toBeGreaterThan(5);
    },
    60_000,
  );

  it("renders inside an attracting cycle's basin, where dZ/dZ_1 shrinks past f64's range", async () => {
    // c = -1: a 2-cycle; the reference's derivative passes 2^-1074 within a few thousand steps (its setup failed on it).
    const c: [number, number] = [-1, 0];
    const view = { center: ['0.1', '0.1'], width: '3e-60' } as DeepView;
    const spec = createSpec({ formula: 'julia', julia: c, view, width: 16, height: 12, maxIter: 3000 });
    expect(spec.engine).toBe('perturb');
    const counts = await renderCounts(spec);
    expect(identical(counts, exactCounts(view, 16, 12, 3000, { julia: c }))).toBe(1);
    expect(counts.every((count) => count === -1)).toBe(true);
  }, 60_000);

  it('leaves no sample to the exact fallback where its orbits escape', async () => {
    const kernel = (await instantiateWasm(await compileWasmModule())).engine('renderPerturb');
    const grid = sampleGrid(juliaSpec(DUST, 100, 32, 24, 3000), 32, 24, 1);
    const perturb = chooseReference(grid, 3000, kernel, DUST);
    expect(perturb.restart).toBeGreaterThan(0);
    const job = { colStart: 0, width: 32, rowStart: 0, rowCount: 24, maxIter: 3000 };
    expect(kernel({ ...job, julia: DUST, perturb }).counts.filter((c) => c === GLITCHED)).toHaveLength(0);
  });

  it('gives the same counts for any plan and thread count', async () => {
    const spec = juliaSpec(DUST, 100, 40, 24, 2000);
    const bands = await renderCounts(spec);
    const single = await Renderer.create({ threads: 1 });
    const destination = pixelData(40, 24);
    await single.render(spec, { destination, plan: planTiles(40, 24, 7) });
    await single.close();
    expect(await renderCounts(spec, planTiles(40, 24, 16))).toEqual(bands);
    expect(new Int32Array(40 * 24).map((_, p) => destination.pixels.readInt32LE(p * 8))).toEqual(bands);
  }, 60_000);

  // c = -0.75 + 0.2i: its critical orbit escapes after 16 steps, so most samples rebase where it ends.
  it.each([[DENDRITE], [[-0.75, 0.2]]])(
    'c = %j with perturb forced on a shallow view: as the direct kernel draws it',
    async (c) => {
      const region = { xMin: -1.61, xMax: 1.53, yMin: -1.17, yMax: 1.19 };
      const base = {
        formula: 'julia',
        julia: c,
        region,
        width: 64,
        height: 48,
        maxIter: 1000,
        output: { format: 'npy' },
      };
      const forced = createSpec({ ...base, engine: 'perturb' } as never);
      const direct = await renderCounts(createSpec(base as never));
      expect(identical(await renderCounts(forced), direct)).toBeGreaterThanOrEqual(0.999);
      expect(new Set(direct).size).toBeGreaterThan(20);
    },
    60_000,
  );

  it('through the CLI: shards assembled give the bytes of one process', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mandel-par-deep-julia-'));
    const [re, im] = juliaView(DENDRITE, 50).center;
    const args = ['--julia', '0,1', `--center=${re},${im}`, '--zoom', '1e50', '--width', '48', '--height', '32'];
    const one = await runMain([...args, '--max-iter', '1000', '-o', join(dir, 'one.npy'), '--quiet']);
    expect(one.stderr).toBe('');
    const path = join(dir, 'sharded.npy');
    for (const shard of ['1/2', '2/2']) {
      expect((await runMain([...args, '--max-iter', '1000', '-o', path, '--shard', shard])).status).toBe(0);
    }
    expect((await runMain(['assemble', `${path}.parts`])).status).toBe(0);
    expect((await readFile(path)).equals(await readFile(join(dir, 'one.npy')))).toBe(true);
  }, 60_000);
});

describe('samples that outlive the reference', async () => {
  const kernel = (await instantiateWasm(await compileWasmModule())).engine('renderPerturb');
  const glitched = (spec: RenderSpec, perturb: ReturnType<typeof perturbSetup>) => {
    const job = { colStart: 0, width: spec.width, rowStart: 0, rowCount: spec.height };
    return kernel({ ...job, maxIter: spec.maxIter, perturb }).counts.filter((c) => c === GLITCHED).length;
  };
  // Just off c = i: the centre escapes after 57 steps, samples nearer i later.
  const nearTip = { center: ['0.00000000000000000000123', '1'], width: '3e-20' } as DeepView;

  it.each([
    ['a reference nearer the long-lived samples, found by the survey', CASES[1].center, '3e-16', 24, 16, 4000, 0],
    ['the exact fallback, for one the survey rows miss', nearTip.center, nearTip.width, 32, 20, 2000, 1],
  ])(
    'get %s',
    async (_, center, width, w, h, maxIter, left) => {
      const spec = createSpec({ view: { center, width }, width: w, height: h, maxIter, output: { format: 'npy' } });
      const grid = sampleGrid(spec, w, h, 1);
      expect(glitched(spec, perturbSetup(grid, maxIter))).toBeGreaterThan(0);
      expect(glitched(spec, chooseReference(grid, maxIter, kernel))).toBe(left);
      expect(identical(await renderCounts(spec), exactCounts({ center, width }, w, h, maxIter))).toBe(1);
    },
    60_000,
  );

  it('cannot outlive an orbit that reaches maxIter without escaping: no survey then, and none left', async () => {
    let calls = 0;
    const counted: typeof kernel = (job) => {
      calls++;
      return kernel(job);
    };
    // The seahorse point's orbit does not escape; the one just off c = i escapes after 57 steps.
    const seahorse = createSpec({ view: { center: SEAHORSE, width: '3e-30' }, width: 24, height: 16 });
    const whole = chooseReference(sampleGrid(seahorse, 24, 16, 1), 3000, counted);
    expect([calls, whole.orbit.length / 2]).toEqual([0, 3001]);
    expect(glitched({ ...seahorse, maxIter: 3000 }, whole)).toBe(0);
    const short = createSpec({ view: nearTip, width: 32, height: 20 });
    chooseReference(sampleGrid(short, 32, 20, 1), 2000, counted);
    expect(calls).toBeGreaterThan(0);
  }, 60_000);
});

describe('rounding at the published 1e31 seahorse point', async () => {
  // The toolchain notes' point, 64 x 48 samples over 4e-31 at 70000 iterations: there f64's rounding along orbits of
  const center: [string, string] = ['-0.743643887037158704752191506114774', '0.131825904205311970493132056385139'];
  // 35000 steps changed 13 counts (by 1 to 256). The reference is slow at this depth, so only rectangles around those
  // 13 are compared: [col, row, width, height].
  const rects = [
    [0, 0, 3, 1],
    [34, 4, 3, 1],
    [55, 8, 3, 1],
    [12, 12, 5, 1],
    [0, 21, 2, 1],
    [61, 27, 3, 1],
    [20, 33, 3, 1],
    [9, 35, 3, 1],
    [38, 42, 3, 1],
    [26, 44, 3, 1],
    [47, 45, 3, 2],
  ];
  const wrong = '1,0 35,4 56,8 13,12 15,12 0,21 62,27 21,33 10,35 39,42 27,44 49,45 48,46'.split(' ');
  const kernel = (await instantiateWasm(await compileWasmModule())).engine('renderPerturb');

  it('gives every count of the reference, the doubtful ones by double-double', async () => {
    const spec = createSpec({ view: { center, width: '4e-31' }, width: 64, height: 48, maxIter: 70000 });
    const counts = await renderCounts({ ...spec, output: { ...spec.output, format: 'npy' } });
    const grid = sampleGrid(spec, 64, 48, 1);
    const perturb = chooseReference(grid, 70000, kernel);
    // Without its double-double path (no plain steps) the kernel leaves the samples that were wrong in doubt.
    const noPrecise = { ...perturb, plainStepX: 0, plainStepY: 0 };
    const doubtful: string[] = [];
    for (const [col, row, w, h] of rects) {
      const job = { colStart: col, width: w, rowStart: row, rowCount: h, maxIter: 70000 };
      const bare = kernel({ ...job, perturb: noPrecise }).counts;
      for (let p = 0; p < w * h; p++) {
        const [c, r] = [col + (p % w), row + Math.floor(p / w)];
        if (bare[p] === INEXACT) doubtful.push(`${c},${r}`);
        expect(counts[r * 64 + c], `${c},${r}`).toBe(exactCount(grid, c, r, 70000));
      }
    }
    expect(doubtful).toEqual(expect.arrayContaining(wrong));
  }, 60_000);
});

describe('perturbation forced at 1e9', () => {
  it('gives every count of the reference in the seahorse valley (one was 1859 against 1972 before)', async () => {
    const spec = createSpec({
      view: { center: SEAHORSE, width: '3e-9' },
      width: 40,
      height: 24,
      maxIter: 5000,
      engine: 'perturb',
      output: { format: 'npy' },
    });
    expect(identical(await renderCounts(spec), exactCounts(spec.view as DeepView, 40, 24, 5000))).toBe(1);
  }, 60_000);
});

describe("a worker keeps a deep view's orbit and tables in its memory", () => {
  it('and copies them in again after a shallow call has written over them', async () => {
    const wasm = await instantiateWasm(await compileWasmModule());
    const kernel = wasm.engine('renderPerturb');
    const grid = sampleGrid({ view: view(CASES[4]) }, 64, 8, 1);
    const perturb = chooseReference(grid, 3000, kernel);
    const job = { colStart: 0, width: 64, rowStart: 3, rowCount: 1, maxIter: 3000, perturb };
    const before = Int32Array.from(kernel(job).counts);
    const shallow = { xMin: -2, stepX: 0.0015, yMax: 1, stepY: 0.01 };
    const big = {
      mapping: shallow,
      colStart: 0,
      width: 2000,
      rowStart: 0,
      rowCount: 200,
      maxIter: 50,
      shortcuts: false,
    };
    wasm.engine('renderRectSimd')(big);
    // Reading the kept orbit's place after that call had made the kernel loop for ever.
    expect(Int32Array.from(kernel(job).counts)).toEqual(before);
  }, 30_000);
});

describe('deep views are deterministic', () => {
  it('gives the same counts for any plan and thread count', async () => {
    const c = CASES[4];
    const spec = createSpec({ view: view(c), width: 40, height: 24, maxIter: c.maxIter, output: { format: 'npy' } });
    const bands = await renderCounts(spec);
    const tiles = await renderCounts(spec, planTiles(40, 24, 16));
    const single = await Renderer.create({ threads: 1 });
    const destination = pixelData(40, 24);
    await single.render(spec, { destination, plan: planTiles(40, 24, 7) });
    await single.close();
    expect(tiles).toEqual(bands);
    const again = new Int32Array(40 * 24).map((_, p) => destination.pixels.readInt32LE(p * 8));
    expect(again).toEqual(bands);
  }, 60_000);
});

describe('deep views in the spec', () => {
  const deep = { center: ['-1.99999911758766165543259', '0.0000000000000000000000000000001'], width: '1e-1000' };

  it('take the perturbation engine past f64, the direct one where f64 places the pixels exactly', () => {
    expect(createSpec({ view: deep as DeepView }).engine).toBe('perturb');
    expect(createSpec({ view: { center: ['-0.5', '0'], width: '3' } }).engine).toBe('wasm-simd');
  });

  it('take perturbation for a Julia set too, automatically past f64 or when asked; its default view stays', () => {
    const julia = { formula: 'julia' as const, julia: [0, 1] as [number, number] };
    const spec = createSpec({ ...julia, view: deep as DeepView, output: { format: 'png' } });
    expect(spec.engine).toBe('perturb');
    expect(specFromJson(specToJson(spec))).toEqual(spec);
    const forced = createSpec({ ...julia, engine: 'perturb', width: 300, height: 200, output: { format: 'png' } });
    expect(forced.region).toEqual({ xMin: -3, xMax: 3, yMin: -2, yMax: 2 });
  });

  it('survive a JSON round trip, digit for digit; old specs with a region still validate', () => {
    const spec = createSpec({ view: deep as DeepView, output: { format: 'png' } });
    expect(specFromJson(specToJson(spec))).toEqual(spec);
    expect(validateSpec(JSON.parse(specToJson(createSpec()))).region).toEqual({ xMin: -2, xMax: 1, yMin: -1, yMax: 1 });
  });

  it.each([
    [{ view: { center: ['1x', '0'], width: '1e-20' } }, /^spec\.view: expected \{ center: \[re, im\], width \}/],
    [{ view: { center: ['0', '0'], width: '-1' } }, /^spec\.view: /],
    [{ view: { center: ['0', '0'], width: '1e-10001' } }, /^spec\.view: /],
    [
      { view: { center: ['0.5', '0'], width: '1e-20' }, engine: 'wasm' },
      /^spec\.engine: expected perturb for a view too deep/,
    ],
    [
      { view: { center: ['0', '0'], width: '1e-20' }, region: { xMin: 0, xMax: 1, yMin: 0, yMax: 1 } },
      /^spec\.region: /,
    ],
  ])('refuses %j, naming the field', (input, message) => {
    expect(() => createSpec(input as never)).toThrow(message);
  });
});

describe('deep zoom through the CLI', () => {
  const seahorse = `--center=${SEAHORSE.join(',')}`;

  it('draws the 1e20 seahorse view as the reference does, with no warning, where it used to be refused', async () => {
    const run = await runMain([seahorse, '--zoom', '1e20', '--max-iter', '3100', '--width', '40', '--height', '12']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const spec = createSpec({ view: { center: SEAHORSE, width: '3e-20' }, width: 40, height: 12, maxIter: 3100 });
    const exact = exactCounts(spec.view as DeepView, 40, 12, 3100, { pixelAspect: pixelAspect('ascii') });
    const rows = Array.from({ length: 12 }, (_, r) =>
      Array.from(exact.subarray(r * 40, (r + 1) * 40), (n) => (n < 0 ? '*' : '-')).join(''),
    );
    expect(run.stdout).toBe(rows.map((r) => `${r}\n`).join(''));
  }, 60_000);

  it('takes a centre of 2000 digits and writes a PNG at 1e1000 with supersampling', async () => {
    const digits = `0.${'0'.repeat(1998)}1`;
    const path = join(await mkdtemp(join(tmpdir(), 'mandel-par-deep-')), 'deep.png');
    const args = [`--center=${digits},1`, '--zoom', '1e1000', '--max-iter', '3000', '--aa', '2'];
    const run = await runMain([...args, '--width', '24', '--height', '16', '-o', path, '--quiet']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const { info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([24, 16]);
  }, 60_000);

  it('refuses a centre of more than 10000 digits, naming the option, with exit status 2', async () => {
    const run = await runMain([`--center=0.${'1'.repeat(10000)},0`, '--zoom', '1e100']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      /^mandel-par: --center: expected two decimal numbers re,im of at most 10000 digits each/,
    );
    expect(run.stderr.split('\n')).toHaveLength(2);
  });

  it('refuses a centre part of 1e300 or more (at 1e400,0 the set was drawn as if centred at 0,0), CLI and spec', async () => {
    for (const center of ['1e400,0', '0,-1e300']) {
      const run = await runMain([`--center=${center}`]);
      expect(run.status).toBe(2);
      expect(run.stderr).toBe(
        `mandel-par: --center: expected two decimal numbers re,im of at most 10000 digits each, each under 1e300 in size (e.g. --center -0.745,0.11), but received "${center}"\n`,
      );
    }
    expect(() => createSpec({ view: { center: ['1e400', '0'], width: '3' } })).toThrow(
      /each part of the centre under 1e300/,
    );
    const edge = await runMain(['--center=-9.9e299,0', '--width', '20', '--height', '4', '--max-iter', '50']);
    expect(edge.status).toBe(0);
    expect(edge.stdout).toBe(`${'-'.repeat(20)}\n`.repeat(4));
  });
});
