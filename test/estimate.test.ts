/** The time estimate's pure parts: where the sample strips go, and durations in words. */
import { describe, expect, it } from 'vitest';
import { duration, estimateTile, keepFromMs, mayBeLong, sampleStrips, sampleTiles } from '../dist/src/cli/estimate.js';
import { keptWasmBytes } from '../dist/src/engines/wasm.js';
import { createSpec } from '../dist/src/model/spec.js';

describe('sampleTiles', () => {
  it.each([
    [3000, 2000],
    [640, 360],
    [100000, 100000],
    [300, 7],
    [5, 3],
  ])('%i x %i: one-pixel probes, then strips inside the picture, on at most 1/64 of it', (width, height) => {
    const plan = sampleTiles(width, height, { w: 256, h: 4 });
    const [probes, strips] = [plan.slice(0, 4), plan.slice(4)];
    expect(probes.every(([r]) => r.w === 1 && r.h === 1)).toBe(true);
    expect(strips.length).toBeGreaterThanOrEqual(1);
    expect(strips.length).toBeLessThanOrEqual(96);
    for (const [r] of strips) {
      expect(r.x).toBeGreaterThanOrEqual(0);
      expect(r.y).toBeGreaterThanOrEqual(0);
      expect(r.x + r.w).toBeLessThanOrEqual(width);
      expect(r.y + r.h).toBeLessThanOrEqual(height);
    }
    const pixels = strips.reduce((n, [r]) => n + r.w * r.h, 0);
    if (strips.length > 1) expect(pixels).toBeLessThanOrEqual((width * height) / 64 + 1024);
  });

  it('spreads the strips over the whole picture', () => {
    const strips = sampleTiles(3000, 2000, { w: 256, h: 4 }).slice(4);
    const xs = strips.map(([r]) => r.x);
    const ys = strips.map(([r]) => r.y);
    expect(Math.min(...xs)).toBeLessThan(300);
    expect(Math.max(...xs)).toBeGreaterThan(2400);
    expect(Math.min(...ys)).toBeLessThan(200);
    expect(Math.max(...ys)).toBeGreaterThan(1700);
  });
});

describe("the estimate's strips", () => {
  const deep = (width: number, height: number) =>
    createSpec({ view: { center: ['-0.75', '0.1'], width: '3e-32' }, width, height, output: { format: 'npy' } });

  it('are smaller on a small deep picture, and spread over its rows rather than bunched on its middle one', () => {
    expect(estimateTile(deep(640, 360))).toEqual({ w: 16, h: 4 });
    expect(estimateTile(createSpec({ width: 160, height: 90 }))).toEqual({ w: 256, h: 4 });
    const small = deep(160, 90);
    const rows = (plan: ReturnType<typeof sampleStrips>) => new Set(plan.map(([r]) => r.y)).size;
    expect(rows(sampleStrips(small))).toBe(1); // the 16 x 4 strips that the colour sample still takes
    expect(estimateTile(small)).toEqual({ w: 8, h: 2 });
    expect(rows(sampleStrips(small, estimateTile(small)))).toBeGreaterThanOrEqual(3);
  });
});

describe('settings from the environment', () => {
  it('take a number of 0 or more; unset, blank, not a number or negative: the default', () => {
    expect(keepFromMs({})).toBe(10_000);
    expect(keepFromMs({ MANDEL_PAR_KEEP_FROM_MS: '2500' })).toBe(2500);
    expect(keepFromMs({ MANDEL_PAR_KEEP_FROM_MS: '0' })).toBe(0);
    for (const blank of ['', ' ', 'abc', '-5']) expect(keepFromMs({ MANDEL_PAR_KEEP_FROM_MS: blank })).toBe(10_000);
    expect(keptWasmBytes({ MANDEL_PAR_WASM_KEPT_MB: '' })).toBe(64 * 2 ** 20);
    expect(keptWasmBytes({ MANDEL_PAR_WASM_KEPT_MB: '0' })).toBe(0);
  });
});

describe('duration and mayBeLong', () => {
  it.each([
    [400, '0.4 s'],
    [9_940, '9.9 s'],
    [42_000, '42 s'],
    [125_000, '2 min 5 s'],
    [3_600_000, '1 h'],
    [3_690_000, '1 h 1 min'],
    [2 * 86_400_000 + 3_600_000, '2 d 1 h'],
  ])('%i ms is "%s"', (ms, words) => {
    expect(duration(ms)).toBe(words);
  });

  it('samples only renders that could take seconds, by the engine, the iterations and the threads', () => {
    const spec = (engine: string, maxIter: number) =>
      createSpec({ width: 3000, height: 2000, maxIter, engine: engine as never, output: { format: 'png' } });
    expect(mayBeLong(spec('wasm-simd', 1000), 2)).toBe(false); // the default picture: 0.75 s at most
    expect(mayBeLong(spec('js', 1600), 1)).toBe(true);
    expect(mayBeLong(spec('wasm-simd', 100000), 2)).toBe(true);
    expect(mayBeLong(spec('wasm-simd', 100000), 1024)).toBe(false);
  });

  it('counts the second pass of a colouring shaded by the derivative', () => {
    const spec = (shading: 'smooth' | 'blend') =>
      createSpec({ width: 3000, height: 2000, maxIter: 8000, colouring: { shading }, output: { format: 'png' } });
    // 6e6 samples at 8000 iterations, 0.25 ns a step, on 2 threads: 6 s, and 12 s with the derivative's pass.
    expect(mayBeLong(spec('smooth'), 2)).toBe(false);
    expect(mayBeLong(spec('blend'), 2)).toBe(true);
  });
});
