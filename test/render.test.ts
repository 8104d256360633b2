/** The real pool: real worker threads, each with its own WASM instance, stitched output against the oracle. */
import { afterAll, describe, expect, it } from 'vitest';
import { ENGINES } from '../dist/src/band-job.js';
import { compileKernel } from '../dist/src/engine-wasm.js';
import type { RenderPool } from '../dist/src/pool.js';
import { createRenderPool } from '../dist/src/pool.js';
import { render } from '../dist/src/render.js';
import { InOrderStitcher } from '../dist/src/stitch.js';
import type { TestView } from './helpers.js';
import { referenceAscii, TEST_VIEWS } from './helpers.js';

const kernel = await compileKernel();
const pools = new Map<number, RenderPool>();
function poolOf(threads: number): RenderPool {
  const pool = pools.get(threads) ?? createRenderPool(threads, kernel);
  pools.set(threads, pool);
  return pool;
}
afterAll(async () => {
  await Promise.all([...pools.values()].map((pool) => pool.destroy()));
});

async function renderAscii(
  view: TestView,
  threads: number,
  bandRows: number,
  engine: (typeof ENGINES)[number],
  shortcuts = true,
) {
  const chunks: Uint8Array[] = [];
  const stitcher = new InOrderStitcher((bytes) => chunks.push(bytes));
  const request = { ...view, bandRows, aa: 1, engine, shortcuts, output: { kind: 'ascii' as const } };
  const stats = await render(poolOf(threads), request, (band, bytes) => stitcher.add(band.index, bytes));
  return { text: Buffer.concat(chunks).toString('latin1'), stats };
}

describe.each(TEST_VIEWS)('$name: byte-identical output', (view) => {
  const expected = referenceAscii(view);

  it.each([1, 2, 3, 8, 16])('for --threads %i, --band-rows 1, 7, 50 and every engine', async (threads) => {
    for (const bandRows of [1, 7, 50]) {
      for (const engine of ENGINES) {
        const { text } = await renderAscii(view, threads, bandRows, engine);
        expect(text, `band-rows ${bandRows}, engine ${engine}`).toBe(expected);
      }
    }
    // And without shortcuts, brute force all the way (one band size: the kernels are compared in engines.test).
    const { text } = await renderAscii(view, threads, 7, 'wasm-simd', false);
    expect(text, 'wasm-simd --no-shortcuts').toBe(expected);
  });
});

describe('the pool', () => {
  it('gives each worker thread its own WASM instance, made once and used for all its bands', async () => {
    const { stats } = await renderAscii(TEST_VIEWS[0], 3, 1, 'wasm');
    expect(stats.bands).toBe(50);
    const threads = [...stats.instancesByThread.keys()];
    const instances = [...stats.instancesByThread.values()];
    expect(threads.length).toBeGreaterThan(1); // the work really was spread over threads
    expect(threads).not.toContain(0); // and none of it ran on the main thread
    expect(instances.every((set) => set.size === 1)).toBe(true);
    expect(new Set(instances.map((set) => [...set][0])).size).toBe(threads.length);
    expect(pools.get(3)?.threads.length).toBe(3);
  });
});
