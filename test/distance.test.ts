/**
 * Shading by the derivative (`--colour distance | slope | blend`): the real kernels' derivatives (assembly/
 * derivative.ts) against finite differences of the smooth escape time they imply (the distance estimate
 * d = |z| ln |z| / |dz/dc| is 1 / (ln 2 |grad mu|), and grad mu points against u = z / (dz/dc)), shallow and deep, for
 * the Mandelbrot set and Julia sets, through the extended exponent and the BigInt fallback; then the pictures: the
 * same bytes for any threads, plan and direct engine, only ever darker than the palette's colour, and the options.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exactDerivative, fillExactDerivatives, GLITCHED, withExactFallback } from '../dist/src/engines/exact.js';
import { perturbSetup } from '../dist/src/engines/perturbation.js';
import { chooseReference } from '../dist/src/engines/reference.js';
import { compileWasmModule, instantiateWasm } from '../dist/src/engines/wasm.js';
import type { DeepView, RenderSpec } from '../dist/src/index.js';
import {
  createSpec,
  estimateMemory,
  pixelData,
  planTiles,
  Renderer,
  rgbImage,
  specFromJson,
  specToJson,
} from '../dist/src/index.js';
import { distanceEstimate, smoothIteration } from '../dist/src/model/colouring.js';
import type { DirectJob } from '../dist/src/model/task.js';
import { sampleGrid } from '../dist/src/plane/view.js';
import { closeSharedRenderer, runMain } from './helpers.js';
import { juliaPoint } from './support/julia-point.js';

afterAll(closeSharedRenderer);

const wasm = await instantiateWasm(await compileWasmModule());

interface Agreement {
  /** Samples compared: escaped, with four escaped neighbours, at least 2 samples from the boundary. */
  compared: number;
  /** Escaped samples left without a derivative. */
  missing: number;
  /** Quantiles of the estimate over the finite differences' (1 is agreement). */
  ratio: { low: number; median: number; high: number };
  /** The 90th percentile of the angle between u and -grad mu, in radians. */
  angle: number;
}

/** The derivatives of a rectangle of samples against central differences of their smooth escape time. */
function agreement(counts: Int32Array, norms: Float64Array, derivs: Float64Array, w: number, h: number): Agreement {
  const mu = (p: number) => (counts[p] < 0 ? Number.NaN : smoothIteration(counts[p], norms[p]));
  const ratios: number[] = [];
  const angles: number[] = [];
  let missing = 0;
  for (let p = 0; p < counts.length; p++) if (counts[p] >= 0 && Number.isNaN(derivs[2 * p])) missing++;
  for (let r = 1; r < h - 1; r++) {
    for (let c = 1; c < w - 1; c++) {
      const p = r * w + c;
      // Rows go down the image, the imaginary axis up.
      const gx = (mu(p + 1) - mu(p - 1)) / 2;
      const gy = (mu(p - w) - mu(p + w)) / 2;
      if (!(Number.isFinite(gx) && Number.isFinite(gy))) continue;
      const [ux, uy] = [derivs[2 * p], derivs[2 * p + 1]];
      const distance = Math.hypot(ux, uy) * 0.5 * Math.log(norms[p]);
      if (!(distance >= 2)) continue;
      ratios.push((distance * Math.LN2 * Math.hypot(gx, gy)) / 1);
      angles.push(Math.acos(Math.min(1, -(gx * ux + gy * uy) / (Math.hypot(gx, gy) * Math.hypot(ux, uy)))));
    }
  }
  const at = (values: number[], q: number) => values.sort((a, b) => a - b)[Math.floor(q * (values.length - 1))];
  return {
    compared: ratios.length,
    missing,
    ratio: { low: at(ratios, 0.1), median: at(ratios, 0.5), high: at(ratios, 0.9) },
    angle: at(angles, 0.9),
  };
}

/** A direct job over w x h samples from (xMin, yMax), `step` apart. */
function directJob(xMin: number, yMax: number, step: number, w: number, h: number, maxIter: number): DirectJob {
  const mapping = { xMin, stepX: step, yMax, stepY: step };
  return { mapping, colStart: 0, width: w, rowStart: 0, rowCount: h, maxIter, shortcuts: true };
}

function expectAgreement(a: Agreement, minimum: number): void {
  expect(a.missing).toBe(0);
  expect(a.compared).toBeGreaterThan(minimum);
  expect(a.ratio.median).toBeGreaterThan(0.98);
  expect(a.ratio.median).toBeLessThan(1.02);
  expect(a.ratio.low).toBeGreaterThan(0.9);
  expect(a.ratio.high).toBeLessThan(1.1);
  expect(a.angle).toBeLessThan(0.05);
}

describe('derivatives against finite differences of the escape time', () => {
  it.each([
    ['the Mandelbrot set, seahorse valley', 'renderRectSimd', directJob(-0.85, 0.2, 0.001, 200, 150, 2000)],
    ['the Mandelbrot set, the scalar kernel', 'renderRect', directJob(-2, 1.2, 0.015, 200, 160, 500)],
    ['a Julia set', 'renderRect', { ...directJob(-1.5, 1.1, 0.015, 200, 150, 2000), julia: [-0.8, 0.156] as const }],
  ] as const)('direct: %s', (_, kernel, job) => {
    const pixels = wasm.engine(kernel)(job);
    const counts = Int32Array.from(pixels.counts);
    const norms = Float64Array.from(pixels.norms);
    const derivs = Float64Array.from(wasm.derivatives(job, counts));
    expectAgreement(agreement(counts, norms, derivs, job.width, job.rowCount), 2000);
  });

  it.each([
    ['seahorse valley at 1e16', ['-0.743643887037151', '0.131825904205330'], '3e-16', 4000],
    ['c = i at 1e100', ['0', '1'], '3e-100', 3000],
    ['c = i at 1e400 (the extended exponent)', ['0', '1'], '3e-400', 4000],
  ] as const)(
    'perturbation: %s',
    (_, center, width, maxIter) => {
      const [w, h] = [96, 64];
      const grid = sampleGrid({ view: { center: [...center], width } }, w, h, 1);
      const kernel = wasm.engine('renderPerturb');
      const perturb = chooseReference(grid, maxIter, kernel);
      const job = { colStart: 0, width: w, rowStart: 0, rowCount: h, maxIter, perturb };
      const pixels = withExactFallback(kernel)(job);
      const counts = Int32Array.from(pixels.counts);
      const norms = Float64Array.from(pixels.norms);
      const derivs = Float64Array.from(wasm.derivatives(job, counts));
      // As the workers do: the samples the pass cannot follow, by BigInt.
      fillExactDerivatives(job, counts, derivs);
      expectAgreement(agreement(counts, norms, derivs, w, h), 500);
    },
    60_000,
  );

  it('perturbation: a Julia set at 1e30 (c = i, a dendrite), at a point of the set', () => {
    const [w, h] = [96, 64];
    const julia = [0, 1] as const;
    const point = juliaPoint(julia, 40, 300, 600);
    const view: DeepView = { center: [point[0].slice(0, 36), point[1].slice(0, 36)], width: '3e-30' };
    const grid = sampleGrid({ view }, w, h, 1);
    const kernel = wasm.engine('renderPerturb');
    const perturb = chooseReference(grid, 3000, kernel, julia);
    const job = { colStart: 0, width: w, rowStart: 0, rowCount: h, maxIter: 3000, perturb, julia };
    const pixels = withExactFallback(kernel)(job);
    const counts = Int32Array.from(pixels.counts);
    const derivs = Float64Array.from(wasm.derivatives(job, counts));
    expectAgreement(agreement(counts, Float64Array.from(pixels.norms), derivs, w, h), 500);
  }, 60_000);

  it('the BigInt path agrees with the perturbation pass, and serves the samples that outlive the reference', () => {
    // Just off c = i with the centre as reference: samples nearer i outlive it (test/deep.test.ts).
    const view: DeepView = { center: ['0.00000000000000000000123', '1'], width: '3e-20' };
    const [w, h] = [32, 20];
    const grid = sampleGrid({ view }, w, h, 1);
    const kernel = wasm.engine('renderPerturb');
    const perturb = perturbSetup(grid, 2000);
    const job = { colStart: 0, width: w, rowStart: 0, rowCount: h, maxIter: 2000, perturb };
    const glitched = Int32Array.from(kernel(job).counts).reduce((n, c) => n + (c === GLITCHED ? 1 : 0), 0);
    expect(glitched).toBeGreaterThan(0);
    const counts = Int32Array.from(withExactFallback(kernel)(job).counts);
    const derivs = Float64Array.from(wasm.derivatives(job, counts));
    const left = counts.reduce((n, c, p) => n + (c >= 0 && Number.isNaN(derivs[2 * p]) ? 1 : 0), 0);
    expect(left).toBe(glitched);
    for (let p = 0; p < counts.length; p += 7) {
      if (counts[p] < 0 || Number.isNaN(derivs[2 * p])) continue;
      const [ux, uy] = exactDerivative(grid, p % w, Math.floor(p / w), counts[p]);
      const size = Math.hypot(derivs[2 * p], derivs[2 * p + 1]);
      expect(Math.hypot(ux - derivs[2 * p], uy - derivs[2 * p + 1]) / size).toBeLessThan(1e-6);
    }
    fillExactDerivatives(job, counts, derivs);
    expect(counts.every((c, p) => c < 0 || Number.isFinite(derivs[2 * p]))).toBe(true);
  }, 60_000);
});

/** A renderer of 2 threads and one of 1, for a describe block, closed after it. */
function renderers(): [Promise<Renderer>, Promise<Renderer>] {
  const made = [Renderer.create({ threads: 2 }), Renderer.create({ threads: 1 })] as [
    Promise<Renderer>,
    Promise<Renderer>,
  ];
  afterAll(async () => {
    for (const r of made) await (await r).close();
  });
  return made;
}

describe('shaded pictures', () => {
  const [renderer, one] = renderers();
  const render = async (spec: RenderSpec, r: Promise<Renderer> = renderer, plan?: ReturnType<typeof planTiles>) => {
    const image = rgbImage(spec.width, spec.height);
    await (await r).render(spec, { destination: image, plan });
    return image.pixels;
  };
  const shallow = (shading: 'smooth' | 'distance' | 'slope' | 'blend', extra = {}) =>
    createSpec({
      width: 160,
      height: 120,
      maxIter: 500,
      region: { xMin: -0.9, xMax: -0.6, yMin: 0, yMax: 0.225 },
      colouring: { shading },
      output: { format: 'png' },
      ...extra,
    });

  it.each(['distance', 'slope', 'blend'] as const)(
    '%s: the same bytes for 1 and 2 threads, tiles and bands, and every direct engine',
    async (shading) => {
      const spec = shallow(shading, { aa: 2 });
      const first = await render(spec);
      expect(await render(spec, one)).toEqual(first);
      expect(await render(spec, renderer, planTiles(spec.width, spec.height, 48))).toEqual(first);
      expect(await render({ ...spec, engine: 'wasm' })).toEqual(first);
      expect(await render({ ...spec, engine: 'js' })).toEqual(first);
    },
    60_000,
  );

  it('the js engine first on fresh workers: its derivatives survive the colouring (a detached buffer failed it)', async () => {
    // Its counts come from outside the WASM memory, which the derivative pass then grew too little: colouring grew it
    // again and the derivatives' view was detached ("Cannot perform %TypedArray%.prototype.set on a detached ...").
    const fresh = Renderer.create({ threads: 2 });
    try {
      // The trial's view: bands of 13 rows of 320 samples, more than a fresh instance's memory holds beside them.
      const region = { xMin: -0.7528, xMax: -0.7378, yMin: 0.1080125, yMax: 0.1173875 };
      const spec = shallow('distance', { width: 320, height: 200, maxIter: 2000, region });
      expect(await render({ ...spec, engine: 'js' }, fresh)).toEqual(await render(spec));
    } finally {
      await (await fresh).close();
    }
  });

  it('shading only darkens: every pixel at most its smooth colour, most of them less', async () => {
    const smooth = await render(shallow('smooth'));
    for (const shading of ['distance', 'slope', 'blend'] as const) {
      const shaded = await render(shallow(shading));
      expect(shaded.every((v, i) => v <= smooth[i])).toBe(true);
      expect(shaded.filter((v, i) => v < smooth[i]).length).toBeGreaterThan(smooth.length / 20);
    }
  });

  it('a deep view shades too (the perturbation pass in the workers)', async () => {
    const view: DeepView = { center: ['0', '1'], width: '3e-100' };
    const spec = (shading: 'smooth' | 'blend') =>
      createSpec({ view, width: 96, height: 64, maxIter: 3000, colouring: { shading }, output: { format: 'png' } });
    const smooth = await render(spec('smooth'));
    const blend = await render(spec('blend'));
    expect(blend.every((v, i) => v <= smooth[i])).toBe(true);
    expect(blend.filter((v, i) => v < smooth[i]).length).toBeGreaterThan(smooth.length / 10);
  }, 60_000);

  it('the spec keeps shading and light through JSON, and leaves them out for smooth', () => {
    const spec = shallow('slope', {});
    const lit = { ...spec, colouring: { ...spec.colouring, light: [30, 60] as [number, number] } };
    expect(specFromJson(specToJson(lit))).toEqual(lit);
    expect(specToJson(shallow('smooth'))).not.toMatch(/shading|light/);
    expect(() => specFromJson(specToJson({ ...spec, colouring: { ...spec.colouring, light: [0, 95] } }))).toThrow(
      /colouring\.light/,
    );
  });
});

/** The fields of a `data-distance` picture (12 bytes a pixel: int32 count, float32 mu, float32 distance). */
function dataFields(bytes: Uint8Array) {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length / 12;
  const count = Int32Array.from({ length: n }, (_, p) => view.getInt32(p * 12, true));
  const mu = Float32Array.from({ length: n }, (_, p) => view.getFloat32(p * 12 + 4, true));
  const distance = Float32Array.from({ length: n }, (_, p) => view.getFloat32(p * 12 + 8, true));
  return { count, mu, distance };
}

/** The distance field against central differences of the mu field beside it: quantiles of their ratio. */
function fieldAgreement(mu: Float32Array, distance: Float32Array, w: number, h: number) {
  const ratios: number[] = [];
  for (let r = 1; r < h - 1; r++) {
    for (let c = 1; c < w - 1; c++) {
      const p = r * w + c;
      const gradient = Math.hypot((mu[p + 1] - mu[p - 1]) / 2, (mu[p - w] - mu[p + w]) / 2);
      if (Number.isFinite(gradient) && distance[p] >= 2) ratios.push(distance[p] * Math.LN2 * gradient);
    }
  }
  ratios.sort((a, b) => a - b);
  return { compared: ratios.length, median: ratios[ratios.length >> 1] };
}

describe('npy with the distance field', () => {
  const [renderer, one] = renderers();
  const render = async (spec: RenderSpec, r: Promise<Renderer> = renderer, plan?: ReturnType<typeof planTiles>) => {
    const data = pixelData(
      spec.width,
      spec.height,
      spec.output.format === 'npy' && spec.output.distance ? 'data-distance' : 'data',
    );
    await (await r).render(spec, { destination: data, plan });
    return data.pixels;
  };
  const [w, h] = [200, 150];
  const seahorse = (distance: boolean) =>
    createSpec({
      width: w,
      height: h,
      maxIter: 2000,
      region: { xMin: -0.85, xMax: -0.85 + w * 0.001, yMin: 0.2 - h * 0.001, yMax: 0.2 },
      output: { format: 'npy', distance },
    });

  it("adds the derivative pass's estimate to the same counts and smooth values, NaN exactly inside", async () => {
    const fields = dataFields(await render(seahorse(true)));
    const plain = new DataView((await render(seahorse(false))).buffer);
    for (let p = 0; p < w * h; p++) {
      expect(fields.count[p]).toBe(plain.getInt32(p * 8, true));
      expect(Object.is(fields.mu[p], plain.getFloat32(p * 8 + 4, true))).toBe(true);
      expect(Number.isNaN(fields.distance[p])).toBe(fields.count[p] === -1);
    }
    // The estimate of the very kernel pass that shading uses, in pixels, as float32.
    const job = directJob(-0.85, 0.2, 0.001, w, h, 2000);
    const pixels = wasm.engine('renderRectSimd')(job);
    const derivs = wasm.derivatives(job, pixels.counts);
    for (let p = 0; p < w * h; p += 97) {
      if (fields.count[p] === -1) continue;
      expect(fields.distance[p]).toBe(Math.fround(distanceEstimate(pixels.norms[p], derivs[2 * p], derivs[2 * p + 1])));
    }
    const agree = fieldAgreement(fields.mu, fields.distance, w, h);
    expect(agree.compared).toBeGreaterThan(2000);
    expect(agree.median).toBeGreaterThan(0.97);
    expect(agree.median).toBeLessThan(1.03);
  }, 60_000);

  it('at 1e100 (perturbation), the same bytes for 1 and 2 threads and for tiles, and it agrees with mu', async () => {
    const spec = createSpec({
      view: { center: ['0', '1'], width: '3e-100' },
      width: 96,
      height: 64,
      maxIter: 3000,
      output: { format: 'npy', distance: true },
    });
    const first = await render(spec);
    expect(await render(spec, one)).toEqual(first);
    expect(await render(spec, renderer, planTiles(spec.width, spec.height, 40))).toEqual(first);
    const { mu, distance } = dataFields(first);
    const agree = fieldAgreement(mu, distance, spec.width, spec.height);
    expect(agree.compared).toBeGreaterThan(500);
    expect(agree.median).toBeGreaterThan(0.97);
    expect(agree.median).toBeLessThan(1.03);
  }, 60_000);

  it('memory is estimated at 12 bytes a pixel with the field, 8 without', () => {
    const plan = planTiles(w, h, 64);
    expect(estimateMemory(seahorse(true), 2, plan).image).toBe(w * h * 12);
    expect(estimateMemory(seahorse(false), 2, plan).image).toBe(w * h * 8);
  });

  it('the spec keeps output.distance through JSON and refuses a value that is not true or false', () => {
    const spec = seahorse(true);
    expect(specFromJson(specToJson(spec))).toEqual(spec);
    expect(specToJson(seahorse(false))).not.toMatch(/distance/);
    expect(() => specFromJson(specToJson({ ...spec, output: { format: 'npy', distance: 'yes' as never } }))).toThrow(
      /output\.distance/,
    );
    expect(() => createSpec({ output: { format: 'png', distance: true } as never })).toThrow(/output\.distance/);
  });
});

describe('the command line', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mandel-par-distance-'));
  });

  it('--colour blend --light writes a picture that --from makes again, byte for byte', async () => {
    const first = join(dir, 'a.png');
    const again = join(dir, 'b.png');
    const args = ['--width', '120', '--height', '90', '--colour', 'blend', '--light', '30,60', '--quiet'];
    expect((await runMain([...args, '-o', first])).status).toBe(0);
    expect((await runMain(['--from', first, '-o', again, '--quiet'])).status).toBe(0);
    expect(await readFile(again)).toEqual(await readFile(first));
    const { data } = await sharp(first).raw().toBuffer({ resolveWithObject: true });
    expect(data.length).toBe(120 * 90 * 3);
  }, 60_000);

  it("--out npy --distance: NumPy's three fields, the same bytes in memory and in a canvas on disk", async () => {
    const [memory, disk] = [join(dir, 'm.npy'), join(dir, 'd.npy')];
    const args = ['--out', 'npy', '--distance', '--width', '64', '--height', '48', '--quiet'];
    expect((await runMain([...args, '-o', memory])).status).toBe(0);
    expect((await runMain([...args, '--canvas', 'disk', '-o', disk])).status).toBe(0);
    const bytes = await readFile(memory);
    expect(bytes.toString('latin1', 10, 128)).toContain(
      "'descr': [('count', '<i4'), ('mu', '<f4'), ('distance', '<f4')], 'fortran_order': False, 'shape': (48, 64)",
    );
    expect(bytes.length).toBe(bytes.readUInt16LE(8) + 10 + 64 * 48 * 12);
    expect(await readFile(disk)).toEqual(bytes);
  }, 60_000);

  it('takes --distance=false as no --distance: a PNG without it, NumPy data without the field', async () => {
    const png = join(dir, 'off.png');
    const base = ['--width', '16', '--height', '8', '--quiet'];
    expect((await runMain([...base, '--distance=false', '-o', png])).status).toBe(0);
    expect((await sharp(png).metadata()).width).toBe(16);
    const npy = join(dir, 'off.npy');
    expect((await runMain([...base, '--out', 'npy', '--distance=false', '-o', npy])).status).toBe(0);
    expect((await readFile(npy)).toString('latin1', 10, 128)).toContain("'descr': [('count', '<i4'), ('mu', '<f4')],");
  }, 60_000);

  it.each([
    [['--colour', 'shiny'], '--colour: expected one of smooth, distance, slope, blend'],
    [['--distance'], '--distance: apply to NumPy data only (npy; pictures take --colour distance), not to --out png'],
    [['--colour', 'slope', '--light', '10,100'], '--light: expected azimuth,elevation in degrees'],
    [['--light', '10,40'], '--light: lights slopes: give --colour slope or --colour blend'],
    [['--colour', 'distance', '--out', 'ascii', '-o', '-'], '--colour: apply to colour pictures only'],
  ])('refuses %j with status 2', async (args, message) => {
    const run = await runMain(args.includes('-o') ? args : [...args, '-o', join(dir, 'x.png')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
