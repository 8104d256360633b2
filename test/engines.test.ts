/**
 * The kernels themselves, in this thread: every engine, with and without shortcuts, against the plain TS loop
 * without shortcuts (the brute-force oracle), counts and |z|^2 at escape compared bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { createJsEngine, escapeCount, escapeOf, insideCardioidOrBulb } from '../dist/src/engines/js.js';
import { compileWasmModule, instantiateWasm } from '../dist/src/engines/wasm.js';
import { PALETTES } from '../dist/src/model/palettes.js';
import type { DirectJob, Engine, SamplePixels } from '../dist/src/model/task.js';
import type { Region } from '../dist/src/plane/viewport.js';
import { pixelToPoint, planeMapping } from '../dist/src/plane/viewport.js';
import type { TestView } from './helpers.js';
import { TEST_VIEWS } from './helpers.js';

describe('escapeCount', () => {
  it.each([
    // cx, cy, maxIter, count: worked by hand from the original loop (z starts at c, the count at 1)
    [0, 0, 100, -1], // z stays 0
    [2, 0, 100, 1], // |c|^2 = 4 is not < 4: no step taken
    [1, 0, 100, 2], // z: 1 -> 2, |z|^2 = 4
    [-2, 0, 100, 1],
    [0.5, 0, 100, 5], // z: 0.5, 0.75, 1.0625, 1.62890625, 3.15...
    [-1, 0, 100, -1], // period 2: -1, 0, -1, ...
    [0, 1, 100, -1], // period 2 after one step: i, -1+i, -i, -1+i, ...
    [1, 0, 3, 2], // escapes on the last allowed step
    [1, 0, 2, -1], // reaching max counts as inside, even if that last step escaped
    [1, 0, 1, -1], // maxIter 1: no step allowed, everything counts as inside
  ])('c = %f%+fi, max %i -> %i', (cx, cy, maxIter, count) => {
    expect(escapeCount(cx, cy, maxIter)).toBe(count);
  });

  it('reports |z|^2 three steps past the escape: c = 0.5 escapes at z_5 = 3.1533355712890625, z_8 = 12005.475507550294', () => {
    expect(escapeOf(0.5, 0, 100)).toEqual({ count: 5, norm: 12005.475507550294 ** 2 });
  });
});

describe('insideCardioidOrBulb', () => {
  it.each([
    [0, 0, true],
    [-0.5, 0.3, true], // deep in the cardioid
    [-1, 0, true], // centre of the period-2 bulb
    [-1.2, 0.1, true],
    [0.2, 0, true], // near the cusp, inside
    [0.25, 0, false], // the cusp itself: on the boundary
    [-0.75, 0, false], // where cardioid and bulb touch
    [-0.75 + 2e-7, 0, false], // inside, but within the margin
    [-1.25, 0, false], // bulb boundary
    [0.3, 0, false],
    [-0.1, 0.9, false],
    [-1.5, 0, false], // inside the set, in neither shape
  ])('c = %f%+fi -> %s', (cx, cy, inside) => {
    expect(insideCardioidOrBulb(cx, cy)).toBe(inside);
  });
});

const kernels = await instantiateWasm(await compileWasmModule());
const ENGINES: [string, () => Engine][] = [
  ['js', createJsEngine],
  ['wasm', () => kernels.engine('renderRect')],
  ['wasm-simd', () => kernels.engine('renderRectSimd')],
];

/** Views that straddle the boundaries where shortcuts could go wrong, and edge cases of the SIMD lanes. */
const BOUNDARY_VIEWS: TestView[] = [
  view('cardioid-bulb junction (-0.75)', { xMin: -0.752, xMax: -0.748, yMin: -0.002, yMax: 0.002 }, 60, 40, 20000),
  view('cardioid cusp (0.25)', { xMin: 0.248, xMax: 0.252, yMin: -0.002, yMax: 0.002 }, 60, 40, 20000),
  view(
    'period-4 bulb on the cardioid (0.25+0.5i)',
    { xMin: 0.245, xMax: 0.255, yMin: 0.495, yMax: 0.505 },
    60,
    40,
    5000,
  ),
  view('period-2 bulb tip (-1.25)', { xMin: -1.252, xMax: -1.248, yMin: -0.002, yMax: 0.002 }, 60, 40, 20000),
  view('period-2 bulb top (-1+0.25i)', { xMin: -1.004, xMax: -0.996, yMin: 0.246, yMax: 0.254 }, 60, 40, 5000),
  // Around the cardioid boundary point c(1) = e^i/2 - e^2i/4: points inside but within the shortcut's margin.
  view(
    'margin shell of the cardioid',
    { xMin: 0.374183862, xMax: 0.374191862, yMin: 0.193409136, yMax: 0.193413136 },
    40,
    20,
    20000,
  ),
  view(
    'antenna tip (-2): orbits hover at |z| = 2',
    { xMin: -2.0001, xMax: -1.9999, yMin: -1e-4, yMax: 1e-4 },
    50,
    30,
    3000,
  ),
  view(
    'a minibrot (periodic inside, no shortcut shape)',
    { xMin: -1.7712, xMax: -1.7402, yMin: -0.0155, yMax: 0.0155 },
    60,
    40,
    5000,
  ),
];

function view(name: string, region: Region, width: number, height: number, maxIter: number): TestView {
  return { name, region, width, height, maxIter };
}

function jobOf(
  v: TestView,
  shortcuts: boolean,
  rowStart = 0,
  rowCount = v.height,
  colStart = 0,
  width = v.width,
): DirectJob {
  return {
    mapping: planeMapping(v.region, v.width, v.height),
    colStart,
    width,
    rowStart,
    rowCount,
    maxIter: v.maxIter,
    shortcuts,
  };
}

/** Copies an engine's result (its views are reused by the next call). */
function copy({ counts, norms }: SamplePixels): { counts: number[]; norms: Buffer } {
  return { counts: Array.from(counts), norms: Buffer.from(new Float64Array(norms).buffer) };
}

describe.each([...TEST_VIEWS, ...BOUNDARY_VIEWS])('$name', (v) => {
  const oracle = copy(createJsEngine()(jobOf(v, false)));

  it('is a real test: its pixels escape at varied counts and some never do', () => {
    expect(new Set(oracle.counts).size).toBeGreaterThan(5);
    expect(oracle.counts).toContain(-1);
  });

  it.each(ENGINES)('%s gives the brute-force counts and |z|^2, bit for bit, with and without shortcuts', (_, make) => {
    const engine = make();
    for (const shortcuts of [false, true]) {
      const result = copy(engine(jobOf(v, shortcuts)));
      expect(result.counts).toEqual(oracle.counts);
      expect(result.norms.equals(oracle.norms), `norms, shortcuts ${shortcuts}`).toBe(true);
    }
  });
});

it('the margin view has inside points on both sides of the margin: decided by the shortcut, and left to the loop', () => {
  const v = BOUNDARY_VIEWS.find((b) => b.name.startsWith('margin'));
  if (!v) throw new Error('no margin view');
  const m = planeMapping(v.region, v.width, v.height);
  const pixels = Array.from({ length: v.width * v.height }, (_, p) =>
    pixelToPoint(m, p % v.width, Math.floor(p / v.width)),
  );
  const byShortcut = pixels.filter(([cx, cy]) => insideCardioidOrBulb(cx, cy));
  const leftToLoop = pixels.filter(
    ([cx, cy]) => !insideCardioidOrBulb(cx, cy) && escapeCount(cx, cy, v.maxIter) === -1,
  );
  expect(byShortcut.length).toBeGreaterThan(50);
  expect(leftToLoop.length).toBeGreaterThan(50);
});

describe('the SIMD kernel at the edges of its lanes', () => {
  const simd = kernels.engine('renderRectSimd');
  const js = createJsEngine();
  const wide = TEST_VIEWS[3];

  it.each([
    [1, 1],
    [1, 7],
    [3, 1],
    [7, 3],
    [9, 2],
    [17, 1],
  ])('a %i x %i band (fewer or not a multiple of 8 pixels)', (width, height) => {
    const v = { ...wide, width, height };
    for (const shortcuts of [false, true]) {
      expect(copy(simd(jobOf(v, shortcuts)))).toEqual(copy(js(jobOf(v, false))));
    }
  });

  it.each([1, 2, 3, 4, 5, 9])('maxIter %i', (maxIter) => {
    const v = { ...TEST_VIEWS[0], maxIter };
    expect(copy(simd(jobOf(v, true)))).toEqual(copy(js(jobOf(v, false))));
    expect(copy(simd(jobOf(v, false)))).toEqual(copy(js(jobOf(v, false))));
  });

  it('renders a band in the middle of the image as the same rows of the whole image', () => {
    const v = TEST_VIEWS[1];
    const whole = copy(simd(jobOf(v, true))).counts;
    const band = copy(simd(jobOf(v, true, 17, 5))).counts;
    expect(band).toEqual(whole.slice(17 * v.width, 22 * v.width));
  });

  it('renders a rectangle off the left edge as the same pixels of the whole image', () => {
    const v = TEST_VIEWS[1];
    const whole = copy(simd(jobOf(v, true))).counts;
    const rect = copy(simd(jobOf(v, true, 17, 5, 31, 11))).counts;
    const expected = Array.from({ length: 5 }, (_, r) => whole.slice((17 + r) * v.width + 31, (17 + r) * v.width + 42));
    expect(rect).toEqual(expected.flat());
  });

  it('grows its memory for a band larger than the last one', () => {
    const v = { ...wide, width: 2000, height: 1000, maxIter: 50 };
    expect(simd(jobOf(v, true, 0, 2)).counts.length).toBe(4000);
    const big = simd(jobOf(v, true));
    expect(big.counts.length).toBe(2_000_000);
    expect(big.counts[999 * 2000 + 500]).toBe(escapeCount(...pixelToPoint(jobOf(v, true).mapping, 500, 999), 50));
  });
});

describe('Julia sets: every engine gives the brute-force counts and |z|^2, bit for bit', () => {
  const views: [string, [number, number], number][] = [
    ['basilica (c = -1)', [-1, 0], 2000],
    ['dendrite-like (c = -0.8 + 0.156i)', [-0.8, 0.156], 3000],
    ['rabbit (c = -0.12 + 0.75i)', [-0.12, 0.75], 3000],
    ['dust (c = 0.5 + 0.5i)', [0.5, 0.5], 500],
    ['|c| > 2, where the SIMD kernel hands over to the scalar one', [2.1, 0.3], 50],
  ];
  it.each(views)('%s', (_, julia, maxIter) => {
    const job = (shortcuts: boolean): DirectJob => ({
      mapping: planeMapping({ xMin: -1.8, xMax: 1.8, yMin: -1.2, yMax: 1.2 }, 73, 41),
      colStart: 0,
      width: 73,
      rowStart: 0,
      rowCount: 41,
      maxIter,
      shortcuts,
      julia,
    });
    const oracle = copy(createJsEngine()(job(false)));
    expect(new Set(oracle.counts).size).toBeGreaterThan(2);
    for (const [name, make] of ENGINES) {
      for (const shortcuts of [false, true]) {
        const result = copy(make()(job(shortcuts)));
        expect(result.counts, `${name}, shortcuts ${shortcuts}`).toEqual(oracle.counts);
        expect(result.norms.equals(oracle.norms), `${name} norms, shortcuts ${shortcuts}`).toBe(true);
      }
    }
  });
});

describe('the membership kernel (ASCII and PBM): inside or outside, as the loop says', () => {
  /** The kernel's PBM bits as '1' (inside) and '0', row by row; also checks that each row's padding bits are 0. */
  const membership = (job: DirectJob): string => {
    const bits = kernels.membership(job);
    const rowBytes = Math.ceil(job.width / 8);
    expect(bits.length).toBe(rowBytes * job.rowCount);
    let text = '';
    for (let r = 0; r < job.rowCount; r++) {
      for (let col = 0; col < rowBytes * 8; col++) {
        const bit = (bits[r * rowBytes + (col >> 3)] >> (7 - (col & 7))) & 1;
        if (col < job.width) text += bit;
        else expect(bit, 'padding').toBe(0);
      }
    }
    return text;
  };
  const insideOf = (counts: Int32Array) => Array.from(counts, (c) => (c === -1 ? 1 : 0)).join('');

  it.each([...TEST_VIEWS, ...BOUNDARY_VIEWS].map((v) => [v.name, v] as const))('%s', (_, v) => {
    for (const maxIter of [1, 2, 3, 9, 51, 200, v.maxIter]) {
      const expected = insideOf(createJsEngine()(jobOf({ ...v, maxIter }, false)).counts);
      for (const shortcuts of [false, true]) {
        const got = membership(jobOf({ ...v, maxIter }, shortcuts));
        expect(got, `maxIter ${maxIter}, shortcuts ${shortcuts}`).toBe(expected);
      }
    }
  });

  it('at the edges of its groups and of the shortcut box, off the left edge, and for Julia sets near and past |c| = 2', () => {
    const v = TEST_VIEWS[3];
    for (const [width, height, colStart] of [
      [1, 1, 0],
      [7, 3, 5],
      [9, 2, 100],
      [17, 4, 31],
    ]) {
      const job = { ...jobOf({ ...v, maxIter: 60 }, true, 10, height, colStart, width) };
      expect(membership(job)).toBe(insideOf(createJsEngine()({ ...job, shortcuts: false }).counts));
    }
    // Groups that straddle the cardioid/bulb test's bounding box (x -1.25 and 0.375, |y| 0.65), with lanes it decides
    // beside lanes that iterate, and groups reaching |c| = 2 (tested every step there).
    for (const [region, width, height] of [
      [{ xMin: -1.3, xMax: 0.4, yMin: 0.6, yMax: 0.7 }, 67, 23],
      [{ xMin: -2.05, xMax: 0.45, yMin: -0.7, yMax: 0.7 }, 203, 57],
      [{ xMin: -1.8, xMax: -1.7, yMin: 0.85, yMax: 1.0 }, 41, 19],
    ] as const) {
      for (const maxIter of [51, 200]) {
        const job: DirectJob = {
          mapping: planeMapping(region, width, height),
          colStart: 0,
          width,
          rowStart: 0,
          rowCount: height,
          maxIter,
          shortcuts: true,
        };
        const expected = insideOf(createJsEngine()({ ...job, shortcuts: false }).counts);
        expect(membership(job), `${JSON.stringify(region)}, maxIter ${maxIter}`).toBe(expected);
      }
    }
    for (const julia of [
      [-1, 0],
      [-0.12, 0.75],
      [1.9999999999, 0],
      [-2.0000000001, 0.0],
      [2.5, 0.1],
    ] as const) {
      const job: DirectJob = {
        mapping: planeMapping({ xMin: -2.2, xMax: 2.2, yMin: -1.6, yMax: 1.6 }, 61, 33),
        colStart: 0,
        width: 61,
        rowStart: 0,
        rowCount: 33,
        maxIter: 120,
        shortcuts: true,
        julia,
      };
      expect(membership(job), `c = ${julia}`).toBe(insideOf(createJsEngine()(job).counts));
    }
  });
});

describe('colouring one sample a pixel (four at a time in SIMD): the bytes of the scalar averaging path', () => {
  // With every pixel's 2 x 2 samples equal, the averaging path (aa = 2, scalar) gives each pixel its table entry
  // rounded: what the one-sample path must give. Widths leave every remainder of four; inside pixels included, alone
  // and four in a row (the classic view's cardioid).
  const cases = [
    ...[1, 2, 3, 5, 7, 9, 61].map((width) => [TEST_VIEWS[1].name, 1, width] as const),
    ...[61, 64].map((width) => [TEST_VIEWS[0].name, 0, width] as const),
  ];
  it.each(cases)('%s (view %i), width %i', (_, k, width) => {
    const v = { ...TEST_VIEWS[k], width, height: 9, maxIter: 400 };
    const { counts, norms } = copy(kernels.engine('renderRectSimd')(jobOf(v, true)));
    expect(counts).toContain(-1);
    const norm = new Float64Array(norms.buffer, norms.byteOffset, counts.length);
    const colouring = { palette: PALETTES.classic, inside: [10, 20, 30] as [number, number, number], cycle: 37 };
    const one = Buffer.from(
      kernels.colour({ counts: Int32Array.from(counts), norms: norm }, width, v.height, 1, colouring),
    );
    // Sample s of the doubled grid (2 * width a row) is pixel (row / 2, column / 2) of the original.
    const pixelOf = (s: number) => Math.floor(s / (4 * width)) * width + Math.floor((s % (2 * width)) / 2);
    const counts2 = Int32Array.from({ length: counts.length * 4 }, (_, s) => counts[pixelOf(s)]);
    const norms2 = Float64Array.from({ length: counts.length * 4 }, (_, s) => norm[pixelOf(s)]);
    const four = Buffer.from(kernels.colour({ counts: counts2, norms: norms2 }, width, v.height, 2, colouring));
    expect(one.equals(four)).toBe(true);
  });
});
