/**
 * NumPy's .npy format for `--out npy`: one structured array of shape (height, width) with the fields
 * `count` (int32: the escape count, -1 inside) and `mu` (float32: the smooth value, NaN inside), row-major, and with
 * `--distance` a third, `distance` (float32: the distance estimate to the set's boundary in pixels, NaN inside).
 * Read it with `numpy.load(path)`; `a['count']` and `a['mu']` are then (height, width) arrays.
 */

import { writeFile } from 'node:fs/promises';
import type { PixelFormat } from '../model/task.js';
import { writeAtomically } from './files.js';

/** The array's fields for each kind of pixel numbers, as NumPy's dtype descriptor. */
const FIELDS: Readonly<Record<'data' | 'data-distance', string>> = {
  data: "[('count', '<i4'), ('mu', '<f4')]",
  'data-distance': "[('count', '<i4'), ('mu', '<f4'), ('distance', '<f4')]",
};

/**
 * The .npy header (format version 1.0) for the array: magic, version, header length, then the header dictionary
 * padded with spaces and a newline so that the data starts on a multiple of 64 bytes.
 *
 * @example npyHeader(640, 480, 'data').length % 64 // 0
 */
export function npyHeader(width: number, height: number, format: 'data' | 'data-distance'): Buffer {
  const dict = `{'descr': ${FIELDS[format]}, 'fortran_order': False, 'shape': (${height}, ${width}), }`;
  const unpadded = 10 + dict.length + 1;
  const padded = `${dict}${' '.repeat((64 - (unpadded % 64)) % 64)}\n`;
  const header = Buffer.alloc(10 + padded.length);
  header.write('\x93NUMPY', 0, 'latin1');
  header[6] = 1;
  header[7] = 0;
  header.writeUInt16LE(padded.length, 8);
  header.write(padded, 10, 'latin1');
  return header;
}

/** Writes the pixels' numbers (in `format`, see PixelFormat) as a .npy file at `path`, atomically. */
export async function writeNpy(
  path: string,
  data: Buffer,
  format: Extract<PixelFormat, 'data' | 'data-distance'>,
  size: { width: number; height: number },
  signal?: AbortSignal,
) {
  const header = npyHeader(size.width, size.height, format);
  await writeAtomically(path, (temp) => writeFile(temp, [header, data]), signal);
}
