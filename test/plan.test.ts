import { describe, expect, it } from 'vitest';
import type { Plan } from '../dist/src/index.js';
import { planBands, planTiles } from '../dist/src/index.js';
import {
  BANDS_PER_THREAD,
  defaultBandRows,
  MAX_BAND_PIXELS,
  planInterleaved,
  planSchedule,
  planTaperedBands,
  SCHEDULES,
} from '../dist/src/model/plan.js';

/** Every pixel of the plan, as "x,y", in plan order. */
function pixelsOf(plan: Plan): string[] {
  return plan
    .flat()
    .flatMap((r) => Array.from({ length: r.w * r.h }, (_, k) => `${r.x + (k % r.w)},${r.y + Math.floor(k / r.w)}`));
}

function allPixels(width: number, height: number): string[] {
  return Array.from({ length: width * height }, (_, k) => `${k % width},${Math.floor(k / width)}`);
}

describe('planTaperedBands', () => {
  it('covers every pixel once, in order, bands of at most bandRows narrowing to one row at the bottom', () => {
    for (const [width, height, rows, threads] of [
      [640, 360, 8, 2],
      [7, 100, 3, 16],
      [5, 1, 4, 2],
      [3, 1000, 64, 12],
    ]) {
      const plan = planTaperedBands(width, height, rows, threads);
      expect(pixelsOf(plan)).toEqual(allPixels(width, height));
      const heights = plan.map(([r]) => r.h);
      expect(Math.max(...heights)).toBeLessThanOrEqual(rows);
      for (let k = 1; k < heights.length; k++) expect(heights[k]).toBeLessThanOrEqual(heights[k - 1]);
      expect(heights[heights.length - 1]).toBe(1);
    }
    // The seahorse frame on 2 threads: 42 bands of 8 rows, then 6, 5, 4, 3, 2 and four of 1.
    expect(
      planTaperedBands(640, 360, 8, 2)
        .map(([r]) => r.h)
        .slice(40),
    ).toEqual([8, 8, 6, 5, 4, 3, 2, 1, 1, 1, 1]);
  });
});

describe('planBands', () => {
  it('splits rows into consecutive full-width bands, the last one shorter', () => {
    expect(planBands(4, 5, 2)).toEqual([
      [{ x: 0, y: 0, w: 4, h: 2 }],
      [{ x: 0, y: 2, w: 4, h: 2 }],
      [{ x: 0, y: 4, w: 4, h: 1 }],
    ]);
    expect(planBands(7, 3, 50)).toEqual([[{ x: 0, y: 0, w: 7, h: 3 }]]);
  });
});

describe('every plan covers each pixel exactly once', () => {
  it.each([
    [1, 1],
    [50, 1],
    [13, 7],
    [140, 50],
    [97, 61],
  ])('%i x %i: bands, tiles, interleaved rows and every schedule', (width, height) => {
    const expected = allPixels(width, height).sort();
    const plans = [
      ...[1, 7, 64].map((rows) => planBands(width, height, rows)),
      ...[1, 5, 16, 200].map((size) => planTiles(width, height, size)),
      ...[1, 3, 64].map((tasks) => planInterleaved(width, height, tasks)),
      ...SCHEDULES.flatMap((s) => [1, 2, 7].map((threads) => planSchedule(s, width, height, threads, 4))),
    ];
    for (const plan of plans) expect(pixelsOf(plan).sort()).toEqual(expected);
  });
});

describe('planTiles and planInterleaved', () => {
  it('tiles row by row, narrower at the right edge and shorter at the bottom', () => {
    expect(planTiles(5, 3, 4)).toEqual([[{ x: 0, y: 0, w: 4, h: 3 }], [{ x: 4, y: 0, w: 1, h: 3 }]]);
  });

  it('refuses more than 2^22 tiles, naming the least side that fits (2^20 squared in 16s exhausted the heap)', () => {
    expect(() => planTiles(2 ** 20, 2 ** 20, 16)).toThrow(
      'planTiles size: expected a tile side of at least 512 for 1048576 x 1048576 (at most 4194304 tiles), but received 16',
    );
    expect(planTiles(2 ** 20, 2 ** 20, 512)).toHaveLength(2 ** 22);
  });

  it('deals rows round-robin, one task per share', () => {
    expect(planInterleaved(4, 5, 2).map((task) => task.map((r) => r.y))).toEqual([
      [0, 2, 4],
      [1, 3],
    ]);
  });
});

describe('planSchedule', () => {
  it('static: one contiguous band per thread; interleaved: every threads-th row; dynamic: bands of band-rows', () => {
    expect(planSchedule('static', 4, 10, 3, 1).map(([r]) => [r.y, r.h])).toEqual([
      [0, 4],
      [4, 4],
      [8, 2],
    ]);
    expect(planSchedule('interleaved', 4, 5, 2, 1)).toEqual(planInterleaved(4, 5, 2));
    expect(planSchedule('dynamic', 4, 10, 3, 4).map(([r]) => r.h)).toEqual([4, 4, 2]);
  });
});

describe('defaultBandRows', () => {
  it('plans several bands per thread so the queue can balance the load', () => {
    for (const threads of [1, 2, 12, 64]) {
      const rows = defaultBandRows(2000, 3000, threads);
      // Rounding band heights up may cost a few bands, never half of them.
      expect(planBands(3000, 2000, rows).length).toBeGreaterThanOrEqual((threads * BANDS_PER_THREAD) / 2);
    }
    expect(planBands(140, 50, defaultBandRows(50, 140, 2)).length).toBeGreaterThanOrEqual(BANDS_PER_THREAD);
  });

  it('keeps a band under MAX_BAND_PIXELS however wide the image, and at least one row', () => {
    expect(defaultBandRows(16384, 16384, 1) * 16384).toBeLessThanOrEqual(MAX_BAND_PIXELS);
    expect(defaultBandRows(10, 4_000_000, 1)).toBe(1);
    expect(defaultBandRows(1, 10, 64)).toBe(1);
  });
});
