import { describe, expect, it } from 'vitest';
import { BANDS_PER_THREAD, defaultBandRows, MAX_BAND_PIXELS, planBands } from '../dist/src/planner.js';

describe('planBands', () => {
  it('splits rows into consecutive bands, the last one shorter', () => {
    expect(planBands(5, 2)).toEqual([
      { index: 0, rowStart: 0, rowCount: 2 },
      { index: 1, rowStart: 2, rowCount: 2 },
      { index: 2, rowStart: 4, rowCount: 1 },
    ]);
    expect(planBands(3, 50)).toEqual([{ index: 0, rowStart: 0, rowCount: 3 }]);
  });

  it.each([
    [1, 1],
    [50, 1],
    [50, 7],
    [50, 50],
    [50, 64],
    [1080, 13],
    [997, 100],
  ])('covers each of %i rows exactly once, in order, with bands of %i rows', (height, bandRows) => {
    const bands = planBands(height, bandRows);
    const rows = bands.flatMap((b) => Array.from({ length: b.rowCount }, (_, k) => b.rowStart + k));
    expect(rows).toEqual(Array.from({ length: height }, (_, k) => k));
    expect(bands.map((b) => b.index)).toEqual(bands.map((_, k) => k));
    expect(bands.every((b) => b.rowCount >= 1 && b.rowCount <= bandRows)).toBe(true);
  });
});

describe('defaultBandRows', () => {
  it('plans several bands per thread so the queue can balance the load', () => {
    for (const threads of [1, 2, 12, 64]) {
      const rows = defaultBandRows(2000, 3000, threads);
      // Rounding band heights up may cost a few bands, never half of them.
      expect(planBands(2000, rows).length).toBeGreaterThanOrEqual((threads * BANDS_PER_THREAD) / 2);
    }
    expect(planBands(50, defaultBandRows(50, 140, 2)).length).toBeGreaterThanOrEqual(BANDS_PER_THREAD);
  });

  it('keeps a band under MAX_BAND_PIXELS however wide the image, and at least one row', () => {
    expect(defaultBandRows(16384, 16384, 1) * 16384).toBeLessThanOrEqual(MAX_BAND_PIXELS);
    expect(defaultBandRows(10, 4_000_000, 1)).toBe(1);
    expect(defaultBandRows(1, 10, 64)).toBe(1);
  });
});
