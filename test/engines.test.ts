/** The kernels themselves, in this thread: the WASM kernel against the plain TS engine, pixel for pixel. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Engine } from '../dist/src/band-job.js';
import { createJsEngine, escapeCount } from '../dist/src/engine-js.js';
import { compileKernel, instantiateKernel } from '../dist/src/engine-wasm.js';
import { pixelToPoint, planeMapping } from '../dist/src/viewport.js';
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
});

describe('WASM kernel vs TS engine', () => {
  let wasm: Engine;
  beforeAll(async () => {
    wasm = instantiateKernel(await compileKernel());
  });

  it.each(TEST_VIEWS)('agree on every pixel count: $name', (view) => {
    const job = {
      mapping: planeMapping(view.region, view.width, view.height),
      width: view.width,
      rowStart: 0,
      rowCount: view.height,
      maxIter: view.maxIter,
    };
    const expected = Array.from(createJsEngine()(job));
    expect(Array.from(wasm(job))).toEqual(expected);
    // A real test: the view has both escaping and non-escaping pixels, and counts that vary.
    expect(new Set(expected).size).toBeGreaterThan(10);
    expect(expected).toContain(-1);
  });

  it('renders a band in the middle of the image as the same rows of the whole image', () => {
    const view = TEST_VIEWS[1];
    const mapping = planeMapping(view.region, view.width, view.height);
    const whole = Array.from(wasm({ mapping, width: view.width, rowStart: 0, rowCount: view.height, maxIter: 500 }));
    const band = Array.from(wasm({ mapping, width: view.width, rowStart: 17, rowCount: 5, maxIter: 500 }));
    expect(band).toEqual(whole.slice(17 * view.width, 22 * view.width));
  });

  it('grows its memory for a band larger than the last one', () => {
    const mapping = planeMapping(TEST_VIEWS[3].region, 2000, 1000);
    const small = wasm({ mapping, width: 20, rowStart: 0, rowCount: 2, maxIter: 50 });
    expect(small.length).toBe(40);
    const big = wasm({ mapping, width: 2000, rowStart: 0, rowCount: 1000, maxIter: 50 });
    expect(big.length).toBe(2_000_000);
    expect(big[999 * 2000 + 500]).toBe(escapeCount(...pixelToPoint(mapping, 500, 999), 50));
  });
});
