import { describe, expect, it } from 'vitest';
import {
  BANDS_PER_THREAD,
  defaultBandRows,
  MAX_BAND_PIXELS,
  planBands,
  planSchedule,
  SCHEDULES,
} from '../dist/src/planner.js';

describe('planBands', () => {
  it('splits rows into consecutive bands, the last one shorter', () => {
    expect(planBands(5, 2)).toEqual([
      { index: 0, rowStart: 0, rowCount: 2, rowStride: 1 },
      { index: 1, rowStart: 2, rowCount: 2, rowStride: 1 },
      { index: 2, rowStart: 4, rowCount: 1, rowStride: 1 },
    ]);
    expect(planBands(3, 50)).toEqual([{ index: 0, rowStart: 0, rowCount: 3, rowStride: 1 }]);
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

function rowsOf(bands: { rowStart: number; rowCount: number; rowStride: number }[]): number[] {
  return bands.flatMap((b) => Array.from({ length: b.rowCount }, (_, k) => b.rowStart + k * b.rowStride));
}

describe('planSchedule', () => {
  it.each(SCHEDULES.flatMap((s) => [1, 2, 3, 7, 64].map((threads) => [s, threads] as const)))(
    '%s on %i threads covers each of 50 rows exactly once',
    (schedule, threads) => {
      const rows = rowsOf(planSchedule(schedule, 50, threads, 4)).sort((a, b) => a - b);
      expect(rows).toEqual(Array.from({ length: 50 }, (_, k) => k));
    },
  );

  it('static: one contiguous band per thread; interleaved: every threads-th row; dynamic: bands of band-rows', () => {
    expect(planSchedule('static', 10, 3, 1).map((b) => [b.rowStart, b.rowCount, b.rowStride])).toEqual([
      [0, 4, 1],
      [4, 4, 1],
      [8, 2, 1],
    ]);
    expect(planSchedule('interleaved', 5, 2, 1).map((b) => rowsOf([b]))).toEqual([
      [0, 2, 4],
      [1, 3],
    ]);
    expect(planSchedule('dynamic', 10, 3, 4).map((b) => b.rowCount)).toEqual([4, 4, 2]);
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
