/**
 * The arbitrary-precision reference for deep views: the direct loop of src/engines/js.ts (count from 1, stop at
 * maxIter or |z|^2 >= 4; -1 for never) on BigInt fixed point, with no f64 and no perturbation: z_1 = c for the
 * Mandelbrot set, z_1 = the sample's point with c fixed for a Julia set. Slow and simple on purpose, and apart from
 * the fast path: it places the samples itself, from the view's decimal strings and the image size, by the documented
 * definition of a deep view's samples (src/plane/grid.ts, README's deep-zoom section), in its own rational arithmetic:
 *   step = view width / image width, rounded (half up) to 29 significant bits: m 2^e;
 *   the row step likewise from view width * pixel aspect / image width;
 *   F = 31 - min(e_x, e_y) fraction bits, and the centre rounded to them (to nearest, ties away from zero);
 *   sample (col, row) = centre + ((col - W/2) step_x, (H/2 - row) step_y), exactly.
 */
import type { SampleGrid } from '../../dist/src/plane/grid.js';
import { samplePoint } from '../../dist/src/plane/grid.js';

/** Bits kept beyond the grid's own fraction bits: twice the fast path's reference orbit's guard. */
export const EXACT_GUARD_BITS = 128;

/** A deep view as the spec gives it: decimal strings. */
export interface ExactView {
  center: readonly [string, string];
  width: string;
}

/** A non-negative rational num / den, den > 0 (signs are kept apart). */
interface Ratio {
  num: bigint;
  den: bigint;
}

/** A decimal string as sign and magnitude. */
function parseRatio(text: string): { negative: boolean; value: Ratio } {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!m || `${m[2]}${m[3] ?? ''}` === '') throw new Error(`not a decimal: ${text}`);
  const digits = BigInt(`${m[2]}${m[3] ?? ''}`);
  const power = Number(m[4] ?? 0) - (m[3] ?? '').length;
  const value =
    power >= 0 ? { num: digits * 10n ** BigInt(power), den: 1n } : { num: digits, den: 10n ** BigInt(-power) };
  return { negative: m[1] === '-', value };
}

/** A finite f64 as sign and magnitude, exactly (it is an integer over a power of two). */
function ratioOfNumber(v: number): { negative: boolean; value: Ratio } {
  let k = 0;
  while (!Number.isInteger(Math.abs(v) * 2 ** k)) k++;
  return { negative: v < 0, value: { num: BigInt(Math.abs(v) * 2 ** k), den: 1n << BigInt(k) } };
}

/** x * 2^k, exactly. */
const times2 = ({ num, den }: Ratio, k: number): Ratio =>
  k >= 0 ? { num: num << BigInt(k), den } : { num, den: den << BigInt(-k) };

/** x rounded to 29 significant bits, half up, as m 2^e with 2^28 <= m < 2^29. */
function roundTo29Bits(x: Ratio): { m: bigint; e: number } {
  let e = x.num.toString(2).length - x.den.toString(2).length - 29;
  // Bring x / 2^e into [2^28, 2^29).
  while (times2(x, -e).num >= (1n << 29n) * times2(x, -e).den) e++;
  while (times2(x, -e).num < (1n << 28n) * times2(x, -e).den) e--;
  const y = times2(x, -e);
  let m = (2n * y.num + y.den) / (2n * y.den);
  if (m === 1n << 29n) {
    m = 1n << 28n;
    e++;
  }
  return { m, e };
}

/** Sign and magnitude times 2^bits, rounded to the nearest integer, ties away from zero. */
function toFixed({ negative, value }: { negative: boolean; value: Ratio }, bits: number): bigint {
  const x = times2(value, bits);
  const rounded = (2n * x.num + x.den) / (2n * x.den);
  return negative ? -rounded : rounded;
}

/**
 * The exact points of a view's W x H samples, as fixed point with `bits` fraction bits: point(col, row).
 *
 * @example exactSamples({ center: ['0', '1'], width: '3e-50' }, 32, 20).point(16, 10) // the centre, 2^bits scaled
 */
export function exactSamples(view: ExactView, width: number, height: number, pixelAspect = 1) {
  const w = parseRatio(view.width).value;
  const aspect = ratioOfNumber(pixelAspect).value;
  const x = roundTo29Bits({ num: w.num, den: w.den * BigInt(width) });
  const y = roundTo29Bits({ num: w.num * aspect.num, den: w.den * aspect.den * BigInt(width) });
  const bits = 31 - Math.min(x.e, y.e);
  const cx = toFixed(parseRatio(view.center[0]), bits);
  const cy = toFixed(parseRatio(view.center[1]), bits);
  // (col - W/2) m 2^e = (2 col - W) m 2^(e - 1), times 2^bits.
  const point = (col: number, row: number): [bigint, bigint] => [
    cx + ((BigInt(2 * col - width) * x.m) << BigInt(x.e - 1 + bits)),
    cy + ((BigInt(height - 2 * row) * y.m) << BigInt(y.e - 1 + bits)),
  ];
  return { bits, point };
}

/**
 * Escape count from z_1 = (zx, zy) with the fixed c = (cx, cy), all times 2^bits, by the original loop, every
 * product rounded down to `bits` fraction bits.
 */
export function exactEscapeCount(
  zx: bigint,
  zy: bigint,
  cx: bigint,
  cy: bigint,
  bits: number,
  maxIter: number,
): number {
  const shift = BigInt(bits);
  const four = 4n << (2n * shift);
  let x = zx;
  let y = zy;
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

/** Sample (col, row)'s count, of the Mandelbrot set, at the fast path's own sample point (src/plane/grid.ts). */
export function exactCount(grid: SampleGrid, col: number, row: number, maxIter: number): number {
  const guard = BigInt(EXACT_GUARD_BITS);
  const [cx, cy] = samplePoint(grid, col, row).map((v) => v << guard);
  return exactEscapeCount(cx, cy, cx, cy, grid.fractionBits + EXACT_GUARD_BITS, maxIter);
}

/**
 * Every sample's count, row-major: of the Mandelbrot set, or of the Julia set of the f64 c `julia` (exactly that
 * binary number).
 */
export function exactCounts(
  view: ExactView,
  width: number,
  height: number,
  maxIter: number,
  options: { pixelAspect?: number; julia?: readonly [number, number] } = {},
): Int32Array {
  const { bits: gridBits, point } = exactSamples(view, width, height, options.pixelAspect);
  const bits = gridBits + EXACT_GUARD_BITS;
  const guard = BigInt(EXACT_GUARD_BITS);
  const c = options.julia?.map((v) => {
    const exact = ratioOfNumber(v);
    if (exact.value.den > 1n << BigInt(bits)) throw new Error(`c = ${v} needs more than ${bits} bits`);
    return toFixed(exact, bits);
  });
  const counts = new Int32Array(width * height);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const [px, py] = point(col, row).map((v) => v << guard);
      const [cx, cy] = c ?? [px, py];
      counts[row * width + col] = exactEscapeCount(px, py, cx, cy, bits, maxIter);
    }
  }
  return counts;
}
