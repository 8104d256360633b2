/**
 * The arbitrary-precision reference for deep views: the direct loop of src/engines/js.ts (z starts at c, count
 * from 1, stop at maxIter or |z|^2 >= 4; -1 for never) on BigInt fixed point, with no f64 and no perturbation.
 * Slow and simple on purpose, written apart from the fast path; the points it starts from are the exact sample
 * points of the grid (src/deep/grid.ts), which define what a pixel of a deep view samples.
 */
import type { SampleGrid } from '../../dist/src/deep/grid.js';
import { samplePoint } from '../../dist/src/deep/grid.js';

/** Bits kept beyond the grid's own fraction bits: twice the fast path's reference orbit's guard. */
export const EXACT_GUARD_BITS = 128;

/** Escape count of c = (cx, cy) / 2^bits by the original loop, every product rounded down to `bits` fraction bits. */
export function exactEscapeCount(cx: bigint, cy: bigint, bits: number, maxIter: number): number {
  const shift = BigInt(bits);
  const four = 4n << (2n * shift);
  let x = cx;
  let y = cy;
  let i = 1;
  let x2 = x * x;
  let y2 = y * y;
  while (i < maxIter && x2 + y2 < four) {
    y = ((2n * x * y) >> shift) + cy;
    x = ((x2 - y2) >> shift) + cx;
    i++;
    x2 = x * x;
    y2 = y * y;
  }
  return i < maxIter ? i : -1;
}

/** Sample (col, row)'s count. */
export function exactCount(grid: SampleGrid, col: number, row: number, maxIter: number): number {
  const guard = BigInt(EXACT_GUARD_BITS);
  const [cx, cy] = samplePoint(grid, col, row);
  return exactEscapeCount(cx << guard, cy << guard, grid.fractionBits + EXACT_GUARD_BITS, maxIter);
}

/** Every sample's count, row-major. */
export function exactCounts(grid: SampleGrid, maxIter: number): Int32Array {
  const counts = new Int32Array(grid.width * grid.height);
  for (let row = 0; row < grid.height; row++) {
    for (let col = 0; col < grid.width; col++) counts[row * grid.width + col] = exactCount(grid, col, row, maxIter);
  }
  return counts;
}
