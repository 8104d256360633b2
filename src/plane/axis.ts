/**
 * Samples inside the Mandelbrot set by a theorem rather than by iteration: every real c with -2 < c <= 1/4. There
 * the interval [-b, b], b = (1 + sqrt(1 - 4c)) / 2, holds z_1 = c and is mapped into itself (z^2 + c lies in
 * [c, b^2 + c] = [c, b], and c >= -b because b <= 2), and b < 2: |z| stays under 2 forever, so the count is "never"
 * at any maxIter. (c = -2 itself escapes at once under the count rule |z|^2 >= 4.)
 *
 * Deep views along the real axis (the needle toward -2, minibrots of the period-doubling cascade) have a row of such
 * samples, many of them chaotic: nothing else certifies them, and the exact loop took every one to maxIter (at the
 * period-44 minibrot, 324 samples took 4.1 s of 10.5 s of worker time).
 */
import type { SampleGrid } from './grid.js';

/** Columns [from, to) of grid row `row` lie on the real axis inside the set. */
export interface RealSegment {
  row: number;
  from: number;
  to: number;
}

/** a / b rounded down, for b > 0. */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return q * b > a ? q - 1n : q;
}

/**
 * The grid's samples that lie exactly on the real axis, with -2 < re <= 1/4: those are inside the Mandelbrot set
 * (see above). Undefined when no row lies on the axis or none of its samples in that interval.
 *
 * @example realSegment(deepGrid([parseDecimal('-1.99999999999999999999'), parseDecimal('0')], parseDecimal('3e-18'), 960, 540))
 * // { row: 270, from: 480, to: 960 }
 */
export function realSegment(grid: SampleGrid): RealSegment | undefined {
  const unitY = grid.halfStepY.mantissa << BigInt(grid.fractionBits + grid.halfStepY.exponent);
  // im of row r is centre.im + (height - 2r) unitY: 0 where height - 2r = -centre.im / unitY.
  const [re, im] = grid.centre;
  if (im % unitY !== 0n) return undefined;
  const twice = BigInt(grid.height) + im / unitY;
  if (twice % 2n !== 0n || twice < 0n || twice >= 2n * BigInt(grid.height)) return undefined;
  const row = Number(twice / 2n);
  // re of column c is re + (2c - width) unitX: above -2 from `from` on, at most 1/4 before `to`.
  const unitX = grid.halfStepX.mantissa << BigInt(grid.fractionBits + grid.halfStepX.exponent);
  const one = 1n << BigInt(grid.fractionBits);
  const shifted = BigInt(grid.width) * unitX - re;
  const from = floorDiv(shifted - 2n * one, 2n * unitX) + 1n;
  const to = floorDiv(4n * shifted + one, 8n * unitX) + 1n;
  const clamp = (c: bigint) => Number(c < 0n ? 0n : c > BigInt(grid.width) ? BigInt(grid.width) : c);
  const segment = { row, from: clamp(from), to: clamp(to) };
  return segment.from < segment.to ? segment : undefined;
}
