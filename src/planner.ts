/** Cuts an image into row bands: the unit of work a worker takes from the pool's queue. */

export interface Band {
  /** Position in the image, top to bottom: bands are stitched in this order. */
  index: number;
  rowStart: number;
  rowCount: number;
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
    bands.push({ index, rowStart, rowCount: Math.min(bandRows, height - rowStart) });
  }
  return bands;
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
