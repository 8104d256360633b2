/** The real renderer: real worker threads, each with its own WASM instance, output against the oracle. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_THREADS } from '../dist/src/cli/parsers.js';
import { main } from '../dist/src/cli/run.js';
import type { EngineName, Plan, Rect, RenderSpec } from '../dist/src/index.js';
import {
  asciiText,
  createSpec,
  pixelData,
  planBands,
  planTiles,
  Renderer,
  rectBytes,
  renderAscii,
  renderPng,
  renderRect,
  rgbImage,
} from '../dist/src/index.js';
import { planInterleaved } from '../dist/src/model/plan.js';
import { DIRECT_ENGINES } from '../dist/src/model/task.js';
import type { TestView } from './helpers.js';
import { referenceAscii, TEST_VIEWS } from './helpers.js';

const renderers = new Map<number, Renderer>();
async function rendererOf(threads: number): Promise<Renderer> {
  const renderer = renderers.get(threads) ?? (await Renderer.create({ threads }));
  renderers.set(threads, renderer);
  return renderer;
}
afterAll(async () => {
  await Promise.all([...renderers.values()].map((r) => r.close()));
});

function asciiSpec(view: TestView, engine: EngineName, shortcuts = true): RenderSpec {
  const { region, width, height, maxIter } = view;
  return createSpec({ region, width, height, maxIter, engine, shortcuts });
}

async function renderText(spec: RenderSpec, threads: number, plan: Plan) {
  const chunks: Uint8Array[] = [];
  const destination = asciiText(spec.width, spec.height, (bytes) => chunks.push(bytes));
  const stats = await (await rendererOf(threads)).render(spec, { destination, plan });
  return { text: Buffer.concat(chunks).toString('latin1'), stats };
}

describe.each(TEST_VIEWS)('$name: byte-identical output', (view) => {
  const expected = referenceAscii(view);

  it.each([1, 2, 3, 8, 16])('for --threads %i, band rows 1, 7, 50 and every engine', async (threads) => {
    for (const bandRows of [1, 7, 50]) {
      for (const engine of DIRECT_ENGINES) {
        const { text } = await renderText(
          asciiSpec(view, engine),
          threads,
          planBands(view.width, view.height, bandRows),
        );
        expect(text, `band rows ${bandRows}, engine ${engine}`).toBe(expected);
      }
    }
    // And without shortcuts, brute force all the way (one band size: the kernels are compared in engines.test).
    const { text } = await renderText(
      asciiSpec(view, 'wasm-simd', false),
      threads,
      planBands(view.width, view.height, 7),
    );
    expect(text, 'wasm-simd --no-shortcuts').toBe(expected);
  });
});

/** A deterministic pseudo-random generator (mulberry32), so that a failing tiling can be replayed. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A random tiling: the image cut by random horizontal lines into strips, each strip by random vertical lines into
 * rectangles; the rectangles grouped at random into tasks of one to three.
 */
function randomTiling(width: number, height: number, next: () => number): Plan {
  const cuts = (size: number) => {
    const points = new Set([0, size]);
    for (let k = 0; k < 1 + Math.floor(next() * 6); k++) points.add(Math.floor(next() * size));
    return [...points].sort((a, b) => a - b);
  };
  const rects: Rect[] = [];
  const ys = cuts(height);
  for (let j = 0; j + 1 < ys.length; j++) {
    const xs = cuts(width);
    for (let i = 0; i + 1 < xs.length; i++)
      rects.push({ x: xs[i], y: ys[j], w: xs[i + 1] - xs[i], h: ys[j + 1] - ys[j] });
  }
  rects.sort(() => next() - 0.5);
  const plan: Plan = [];
  for (let k = 0; k < rects.length; ) {
    const n = 1 + Math.floor(next() * 3);
    plan.push(rects.slice(k, k + n));
    k += n;
  }
  return plan;
}

describe('any tiling renders the whole image, bit for bit', () => {
  const view = TEST_VIEWS[1];
  const expected = referenceAscii(view);
  const next = random(20261130);
  const tilings = Array.from({ length: 6 }, () => randomTiling(view.width, view.height, next));

  it.each(DIRECT_ENGINES)(
    'ASCII, engine %s, with and without shortcuts, 6 random tilings (fixed seed)',
    async (engine) => {
      for (const [k, plan] of tilings.entries()) {
        for (const shortcuts of [true, false]) {
          const { text } = await renderText(asciiSpec(view, engine, shortcuts), 3, plan);
          expect(text, `tiling ${k}, shortcuts ${shortcuts}`).toBe(expected);
        }
      }
    },
  );

  it.each(DIRECT_ENGINES)(
    'RGB with supersampling, engine %s: tiles and interleaved rows equal the whole image',
    async (engine) => {
      const spec = createSpec({
        output: { format: 'png' },
        region: view.region,
        width: 60,
        height: 40,
        maxIter: 400,
        aa: 2,
        engine,
      });
      const renderer = await rendererOf(3);
      const whole = rgbImage(60, 40);
      await renderer.render(spec, { destination: whole, plan: [[{ x: 0, y: 0, w: 60, h: 40 }]] });
      const plans = [planTiles(60, 40, 7), planInterleaved(60, 40, 5), randomTiling(60, 40, next)];
      for (const [k, plan] of plans.entries()) {
        const image = rgbImage(60, 40);
        await renderer.render(spec, { destination: image, plan });
        expect(image.pixels.equals(whole.pixels), `plan ${k}, shared image`).toBe(true);
        // And handed back as bytes, rectangle by rectangle, placed by the test.
        const placed = Buffer.alloc(60 * 40 * 3);
        const destination = rectBytes('rgb', (r, bytes) => {
          for (let y = 0; y < r.h; y++)
            placed.set(bytes.subarray(y * r.w * 3, (y + 1) * r.w * 3), ((r.y + y) * 60 + r.x) * 3);
        });
        await renderer.render(spec, { destination, plan });
        expect(placed.equals(whole.pixels), `plan ${k}, bytes handed back`).toBe(true);
      }
    },
  );
});

describe('one long-lived renderer', () => {
  it('renders several pictures in a row, of different sizes and outputs', async () => {
    const renderer = await Renderer.create({ threads: 2 });
    try {
      const classic = await renderAscii({}, { renderer });
      expect(classic).toBe(referenceAscii(TEST_VIEWS[0]));
      const small = await renderPng({ width: 64, height: 48, maxIter: 200 }, { renderer });
      expect(small.subarray(1, 4).toString('latin1')).toBe('PNG');
      const wide = TEST_VIEWS[3];
      expect(
        await renderAscii(
          { region: wide.region, width: wide.width, height: wide.height, maxIter: wide.maxIter },
          { renderer },
        ),
      ).toBe(referenceAscii(wide));
      const rect = await renderRect(
        { width: 140, height: 50 },
        { x: 20, y: 10, w: 30, h: 5 },
        { renderer, format: 'ascii' },
      );
      const lines = classic.split('\n');
      const expected = lines
        .slice(10, 15)
        .map((line) => line.slice(20, 50))
        .join('');
      expect(Buffer.from(rect).toString('latin1')).toBe(expected);
      expect(renderer.liveThreads).toBe(2);
    } finally {
      await renderer.close();
    }
  });

  it('starts workers as the work needs them, never more than the render may use', async () => {
    const renderer = await Renderer.create({ threads: 64, minThreads: 1 });
    try {
      expect(renderer.liveThreads).toBe(1);
      // Every pixel inside the cardioid, iterated to the end (no shortcuts): about 0.3 s of work on one thread, in
      // bands of equal cost, so the queue outlasts a worker's start from the first band on; the pool grows, to 2.
      const region = { xMin: -0.5, xMax: 0, yMin: -0.2, yMax: 0.2 };
      const spec = createSpec({
        output: { format: 'png' },
        region,
        width: 400,
        height: 300,
        maxIter: 3000,
        shortcuts: false,
      });
      const stats = await renderer.render(spec, { destination: rgbImage(400, 300), maxThreads: 2 });
      // Two workers started; on a busy machine the second may start too late to take a task.
      expect(renderer.liveThreads).toBe(2);
      expect(stats.iterateMsByThread.size).toBeLessThanOrEqual(2);
    } finally {
      await renderer.close();
    }
  });

  it("starts a long deep render's workers before its reference orbit, and no more than it may use", async () => {
    const renderer = await Renderer.create({ threads: 64, minThreads: 1 });
    try {
      const spec = createSpec({
        view: { center: ['-0.743643887037151', '0.131825904205330'], width: '3e-20' },
        width: 400,
        height: 300,
        maxIter: 3000,
        output: { format: 'npy' },
      });
      expect(spec.engine).toBe('perturb');
      const rendering = renderer.render(spec, { destination: pixelData(400, 300), maxThreads: 3 });
      // Started at once, while the render computes its reference in this thread.
      expect(renderer.liveThreads).toBe(3);
      await rendering;
      expect(renderer.liveThreads).toBe(3);
      // A one-thread render that a render on more threads follows (a time estimate's sample) starts theirs too.
      const other = { ...spec, maxIter: 2000 };
      const sample = renderer.render(other, { destination: pixelData(400, 300), maxThreads: 1, startThreads: 5 });
      expect(renderer.liveThreads).toBe(5);
      await sample;
    } finally {
      await renderer.close();
    }
  });

  it('starts no more workers than --threads for a deep colour picture (its cycle is sampled first)', async () => {
    // The command line's renderer may run up to MAX_THREADS: every render of a command must hold to --threads.
    const renderer = await Renderer.create({ threads: MAX_THREADS, minThreads: 1 });
    const renderers = { get: async () => renderer, close: async () => {} };
    const dir = await mkdtemp(join(tmpdir(), 'mandel-par-threads-'));
    try {
      const args = ['--center=0,1', '--zoom', '1e1000', '--width', '480', '--height', '270', '--max-iter', '3000'];
      expect(await main([...args, '--threads', '1', '--quiet', '-o', join(dir, 'deep.png')], renderers)).toBe(0);
      expect(renderer.liveThreads).toBe(1);
    } finally {
      await renderer.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a plan with a rectangle outside the image, naming it', async () => {
    const renderer = await rendererOf(1);
    const destination = rectBytes('ascii', () => {});
    await expect(
      renderer.render(createSpec({ width: 10, height: 10 }), { destination, plan: [[{ x: 5, y: 0, w: 6, h: 1 }]] }),
    ).rejects.toThrow(
      'plan: rectangle {"x":5,"y":0,"w":6,"h":1} is not a non-empty whole-pixel part of the 10 x 10 image',
    );
  });

  it('refuses a shared image too small for the render, naming it, and renders into the right one after', async () => {
    const renderer = await rendererOf(1);
    const spec = createSpec({ width: 10, height: 10, output: { format: 'npy' } });
    await expect(renderer.render(spec, { destination: pixelData(10, 9) })).rejects.toThrow(
      'destination: its image (10 pixels a row, 720 bytes) does not hold rectangle {"x":0,"y":8,"w":10,"h":2} at 8 bytes a pixel (data)',
    );
    await expect(renderer.render(spec, { destination: rgbImage(8, 10) })).rejects.toThrow(/does not hold rectangle/);
    const right = pixelData(10, 10);
    await renderer.render(spec, { destination: right });
    expect(right.pixels.readInt32LE(0)).toBeGreaterThan(0);
  });

  it('gives a thread a fresh WASM instance for another deep job where the last grew large, with the same pixels', async () => {
    const center: [string, string] = ['-0.743643887037158704752191506114774', '0.131825904205311970493132056385139'];
    const spec = (width: string) =>
      createSpec({ view: { center, width }, width: 32, height: 16, maxIter: 3000, output: { format: 'npy' } });
    const run = async (renderer: Renderer, s: RenderSpec) => {
      const destination = pixelData(32, 16);
      const stats = await renderer.render(s, { destination });
      return { ids: [...stats.instancesByThread.values()].flatMap((set) => [...set]), bytes: destination.pixels };
    };
    // Every instance counts as large with a limit of 0 MB (the workers read it as they start).
    process.env.MANDEL_PAR_WASM_KEPT_MB = '0';
    const renewing = await Renderer.create({ threads: 1 });
    delete process.env.MANDEL_PAR_WASM_KEPT_MB;
    const keeping = await Renderer.create({ threads: 1 });
    try {
      const [a, b] = [await run(renewing, spec('3e-20')), await run(renewing, spec('3e-24'))];
      const [c, d] = [await run(keeping, spec('3e-20')), await run(keeping, spec('3e-24'))];
      expect([a.ids.length, b.ids.length]).toEqual([1, 1]);
      expect(a.ids).not.toEqual(b.ids);
      expect(c.ids).toEqual(d.ids);
      expect(a.bytes).toEqual(c.bytes);
      expect(b.bytes).toEqual(d.bytes);
    } finally {
      await Promise.all([renewing.close(), keeping.close()]);
    }
  }, 60_000);

  it('lets workers with no task for idleMs exit, with all they hold, and starts them again for the next render', async () => {
    const center: [string, string] = ['-0.743643887037158704752191506114774', '0.131825904205311970493132056385139'];
    const spec = createSpec({
      view: { center, width: '3e-24' },
      width: 32,
      height: 16,
      maxIter: 3000,
      output: { format: 'npy' },
    });
    const renderer = await Renderer.create({ threads: 1, minThreads: 0, idleMs: 300 });
    try {
      const run = async () => {
        const destination = pixelData(32, 16);
        await renderer.render(spec, { destination });
        return destination.pixels;
      };
      const first = await run();
      expect(renderer.liveThreads).toBe(1);
      await new Promise((resolve) => setTimeout(resolve, 2000));
      expect(renderer.liveThreads).toBe(0);
      expect(await run()).toEqual(first);
    } finally {
      await renderer.close();
    }
  }, 60_000);

  it("keeps a deep job's one-time setup apart from its samples' time: on its first render, not on a second", async () => {
    const center: [string, string] = ['-0.743643887037158704752191506114774', '0.131825904205311970493132056385139'];
    const spec = createSpec({ view: { center, width: '3e-24' }, width: 32, height: 16, maxIter: 3000 });
    const renderer = await Renderer.create({ threads: 1 });
    try {
      const first = await renderer.render({ ...spec, output: { format: 'npy' } }, { destination: pixelData(32, 16) });
      const second = await renderer.render({ ...spec, output: { format: 'npy' } }, { destination: pixelData(32, 16) });
      // The first copies the orbit and tables into the worker's instance; the second finds them there.
      expect(first.setupMs).toBeGreaterThan(0);
      expect(second.setupMs).toBe(0);
    } finally {
      await renderer.close();
    }
  }, 60_000);

  it('gives each worker thread its own WASM instance, made once and used for all its tasks', async () => {
    const { stats } = await renderText(asciiSpec(TEST_VIEWS[0], 'wasm'), 3, planBands(140, 50, 1));
    expect(stats.tasks).toBe(50);
    const threads = [...stats.instancesByThread.keys()];
    const instances = [...stats.instancesByThread.values()];
    expect(threads.length).toBeGreaterThan(1); // the work really was spread over threads
    expect(threads).not.toContain(0); // and none of it ran on the main thread
    expect(instances.every((set) => set.size === 1)).toBe(true);
    expect(new Set(instances.map((set) => [...set][0])).size).toBe(threads.length);
    expect((await rendererOf(3)).liveThreads).toBe(3);
  });
});
