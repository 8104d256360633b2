/**
 * Plans: how an image is cut into work. A plan is a list of tasks, each a list of pixel rectangles that one worker
 * renders in one go. Full-width row bands, square tiles and interleaved rows are three plans of the same image;
 * every pixel lies in exactly one rectangle, and its value does not depend on which.
 */
import { invalidArgument } from '../errors.js';

/** A rectangle of pixels: columns x .. x + w - 1, rows y .. y + h - 1 of the whole image. */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

/** The tasks of a render, each a list of rectangles. */
export type Plan = Rect[][];

/**
 * Refuses arguments that are not whole numbers of at least 1 (the plans' loops step by them: 0 or -5 never ended,
 * "64" made rectangles at x "064"): `fn` and each argument's name for the message.
 */
function checkWhole(fn: string, args: Record<string, unknown>): void {
  for (const [name, v] of Object.entries(args)) {
    if (!(Number.isInteger(v) && (v as number) >= 1))
      throw invalidArgument(`${fn} ${name}`, v, 'a whole number of 1 or more');
  }
}

/** Most tasks planTiles makes (a task's rectangle is an object in memory, and a message to a worker). */
const MAX_TILES = 1 << 22;

/** Bands per thread when the user does not choose: enough that the queue evens out uneven bands. */
export const BANDS_PER_THREAD = 8;

/** A band's pixels stay under this, so one band's buffers stay small however wide the image. */
export const MAX_BAND_PIXELS = 1 << 20;

/**
 * Full-width bands of `bandRows` rows (the last one may be shorter), one task each.
 *
 * @example planBands(4, 5, 2) // [[{x 0, y 0, w 4, h 2}], [{y 2, h 2}], [{y 4, h 1}]]
 */
export function planBands(width: number, height: number, bandRows: number): Plan {
  checkWhole('planBands', { width, height, bandRows });
  const plan: Plan = [];
  for (let y = 0; y < height; y += bandRows) plan.push([{ x: 0, y, w: width, h: Math.min(bandRows, height - y) }]);
  return plan;
}

/**
 * Full-width bands of at most `bandRows` rows that narrow towards the bottom: each band a 2 * `threads`-th of the rows
 * left, down to one row. The queue's last tasks are then short, so that the threads finish together: with bands of
 * 8 rows the 1e30 seahorse frame (45 tasks on 2 threads) left one thread idle for 20 to 90 ms at its end.
 *
 * @example planTaperedBands(4, 12, 4, 1).map(([r]) => r.h) // [4, 4, 2, 1, 1]
 */
export function planTaperedBands(width: number, height: number, bandRows: number, threads: number): Plan {
  checkWhole('planTaperedBands', { width, height, bandRows, threads });
  const plan: Plan = [];
  for (let y = 0; y < height; ) {
    const h = Math.max(1, Math.min(bandRows, Math.ceil((height - y) / (2 * threads))));
    plan.push([{ x: 0, y, w: width, h }]);
    y += h;
  }
  return plan;
}

/**
 * Tiles of `size` x `size` pixels (narrower at the right edge, shorter at the bottom), row by row, one task each.
 *
 * @example planTiles(5, 3, 4) // [[{x 0, y 0, w 4, h 3}], [{x 4, y 0, w 1, h 3}]]
 */
export function planTiles(width: number, height: number, size: number): Plan {
  checkWhole('planTiles', { width, height, size });
  // Each tile is an object: 2^20 squared in tiles of 16 (4 G of them) exhausted the heap after half a minute.
  const tiles = Math.ceil(width / size) * Math.ceil(height / size);
  if (tiles > MAX_TILES) {
    // From the square root up: each side's rounding up may need a little more.
    let least = Math.ceil(Math.sqrt((width * height) / MAX_TILES));
    while (Math.ceil(width / least) * Math.ceil(height / least) > MAX_TILES) least++;
    throw invalidArgument(
      'planTiles size',
      size,
      `a tile side of at least ${least} for ${width} x ${height} (at most ${MAX_TILES} tiles)`,
    );
  }
  const plan: Plan = [];
  for (let y = 0; y < height; y += size) {
    for (let x = 0; x < width; x += size) {
      plan.push([{ x, y, w: Math.min(size, width - x), h: Math.min(size, height - y) }]);
    }
  }
  return plan;
}

/**
 * `tasks` tasks of whole rows dealt round-robin: task k holds rows k, k + tasks, k + 2 * tasks, ...
 *
 * @example planInterleaved(4, 5, 2) // rows 0, 2, 4 and rows 1, 3, each a 1-row rectangle
 */
export function planInterleaved(width: number, height: number, tasks: number): Plan {
  checkWhole('planInterleaved', { width, height, tasks });
  return Array.from({ length: Math.min(tasks, height) }, (_, k) =>
    Array.from({ length: Math.ceil((height - k) / tasks) }, (_, j) => ({ x: 0, y: k + j * tasks, w: width, h: 1 })),
  );
}

/**
 * How the rows are shared out among the threads, for scaling experiments (see docs/scaling.md).
 *
 * @example SCHEDULES.map((s) => planSchedule(s, 1920, 1080, 8, 16).length) // [8, 8, 68]
 */
export const SCHEDULES = ['static', 'interleaved', 'dynamic'] as const;
export type Schedule = (typeof SCHEDULES)[number];

/**
 * The plan of a schedule: `static`, one contiguous band per thread (the naive design); `interleaved`, one task per
 * thread with every threads-th row; `dynamic`, bands of `bandRows` rows taken from the pool's queue.
 *
 * @example planSchedule('static', 4, 10, 3, 1).length // 3
 */
export function planSchedule(schedule: Schedule, width: number, height: number, threads: number, bandRows: number) {
  if (schedule === 'static') return planBands(width, height, Math.ceil(height / threads));
  if (schedule === 'dynamic') return planBands(width, height, bandRows);
  return planInterleaved(width, height, threads);
}

/**
 * Band height when the user gives none: about `bandsPerThread` bands per thread, so that a thread that drew
 * cheap bands takes more from the queue, and no band over MAX_BAND_PIXELS (`samplesPerRow` counts supersamples).
 *
 * @example defaultBandRows(50, 140, 2) // 4: 13 bands for 2 threads
 */
export function defaultBandRows(
  height: number,
  samplesPerRow: number,
  threads: number,
  bandsPerThread = BANDS_PER_THREAD,
): number {
  const forBalance = Math.ceil(height / (threads * bandsPerThread));
  const forMemory = Math.floor(MAX_BAND_PIXELS / samplesPerRow);
  return Math.max(1, Math.min(forBalance, forMemory));
}
