/** Cuts an image into row bands: the unit of work a worker takes from the pool's queue. */

/** A set of rows a worker renders as one task: rows rowStart + k * rowStride for k < rowCount. */
export interface Band {
  /** Position in the plan: contiguous bands are stitched in this order. */
  index: number;
  rowStart: number;
  rowCount: number;
  /** 1 for a contiguous band. */
  rowStride: number;
}

/** Bands per thread when the user does not choose: enough that the queue evens out uneven bands. */
export const BANDS_PER_THREAD = 8;

/** A band's pixels stay under this, so one band's buffers stay small however wide the image. */
export const MAX_BAND_PIXELS = 1 << 20;

/**
 * Splits `height` rows into consecutive bands of `bandRows` rows (the last one may be shorter).
 *
 * @example planBands(5, 2) // [{index 0, rows 0-1}, {index 1, rows 2-3}, {index 2, row 4}]
 */
export function planBands(height: number, bandRows: number): Band[] {
  const bands: Band[] = [];
  for (let rowStart = 0, index = 0; rowStart < height; rowStart += bandRows, index++) {
    bands.push({ index, rowStart, rowCount: Math.min(bandRows, height - rowStart), rowStride: 1 });
  }
  return bands;
}

/** How the rows are shared out among the threads, for scaling experiments (see docs/scaling.md). */
export const SCHEDULES = ['static', 'interleaved', 'dynamic'] as const;
export type Schedule = (typeof SCHEDULES)[number];

/**
 * The tasks of a schedule: `static`, one contiguous band per thread (the naive design); `interleaved`, one task
 * per thread with every threads-th row; `dynamic`, bands of `bandRows` rows taken from the pool's queue.
 *
 * @example planSchedule('interleaved', 5, 2, 1) // rows 0, 2, 4 and rows 1, 3
 */
export function planSchedule(schedule: Schedule, height: number, threads: number, bandRows: number): Band[] {
  if (schedule === 'static') return planBands(height, Math.ceil(height / threads));
  if (schedule === 'dynamic') return planBands(height, bandRows);
  return Array.from({ length: Math.min(threads, height) }, (_, k) => ({
    index: k,
    rowStart: k,
    rowCount: Math.ceil((height - k) / threads),
    rowStride: threads,
  }));
}

/**
 * Band height when the user gives none: about BANDS_PER_THREAD bands per thread, so that a thread that drew
 * cheap bands takes more from the queue, and no band over MAX_BAND_PIXELS.
 *
 * @example defaultBandRows(50, 140, 2) // 4: 13 bands for 2 threads
 */
export function defaultBandRows(height: number, width: number, threads: number): number {
  const forBalance = Math.ceil(height / (threads * BANDS_PER_THREAD));
  const forMemory = Math.floor(MAX_BAND_PIXELS / width);
  return Math.max(1, Math.min(forBalance, forMemory));
}
