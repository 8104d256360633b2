/**
 * The sample grid of a deep view, exactly: which point of the plane each sample stands for. The steps are dyadic
 * (a 29-bit integer times a power of two) and the centre is a binary fixed-point number, so every sample point is
 * exact in fixed point, and its offset from the centre is exact in f64 (an integer of at most 53 bits times a power
 * of two): the perturbation kernel and the arbitrary-precision reference in the tests see the very same points.
 *
 * Sample (col, row) of a W x H sample grid lies at
 *   re = centre.re + (2 col - W) * stepX / 2,   im = centre.im + (H - 2 row) * stepY / 2,
 * so, as in the direct kernels' grid, sample (W/2, H/2) is the centre and the top row has the largest im.
 */
import type { Decimal } from './decimal.js';
import { dyadicOfNumber, toFixedPoint } from './decimal.js';

/** Bits of a step's mantissa: with up to 2^24 samples a side, (2 col - W) * mantissa stays within f64's 53 bits. */
export const STEP_BITS = 29;

/** Fraction bits of the centre below half a step: a shift of the picture by 2^-31 of a sample at most. */
const CENTRE_GUARD_BITS = 30;

/** A power-of-two multiple of a whole number: mantissa * 2^exponent. */
export interface Dyadic {
  mantissa: bigint;
  exponent: number;
}

export interface SampleGrid {
  /** The centre, times 2^fractionBits. */
  centre: [re: bigint, im: bigint];
  fractionBits: number;
  /** Half the distance between neighbouring samples, along each axis. */
  halfStepX: Dyadic;
  halfStepY: Dyadic;
  /** Samples a row and a column of the whole grid. */
  width: number;
  height: number;
}

const bitLength = (n: bigint) => (n === 0n ? 0 : n.toString(2).length);

/** num / den (both positive) rounded to STEP_BITS significant bits, then halved. */
function halfStep(num: bigint, den: bigint): Dyadic {
  // Shift so that num * 2^s / den has STEP_BITS bits: it lies in [2^(STEP_BITS-1), 2^STEP_BITS].
  let s = STEP_BITS - (bitLength(num) - bitLength(den));
  const scaled = (a: number) => (a >= 0 ? num << BigInt(a) : num >> BigInt(-a));
  let q = (scaled(s + 1) / den + 1n) >> 1n;
  while (q >= 1n << BigInt(STEP_BITS)) {
    s--;
    q = (scaled(s + 1) / den + 1n) >> 1n;
  }
  while (q < 1n << BigInt(STEP_BITS - 1)) {
    s++;
    q = (scaled(s + 1) / den + 1n) >> 1n;
  }
  return { mantissa: q, exponent: -s - 1 };
}

/** |d| as a fraction num / den of positive integers. */
function fraction({ mantissa, exponent }: Decimal): [bigint, bigint] {
  const m = mantissa < 0n ? -mantissa : mantissa;
  return exponent >= 0 ? [m * 10n ** BigInt(exponent), 1n] : [m, 10n ** BigInt(-exponent)];
}

/**
 * The grid of `width` x `height` samples over a view `viewWidth` wide around `centre`, with samples `pixelAspect`
 * times as tall as wide (`viewHeight` instead, when given, sets the height of the view).
 *
 * @example deepGrid([parseDecimal('-0.5'), parseDecimal('0')], parseDecimal('3'), 140, 50, ASCII_CELL_ASPECT)
 */
export function deepGrid(
  centre: readonly [Decimal, Decimal],
  viewWidth: Decimal,
  width: number,
  height: number,
  pixelAspect = 1,
  viewHeight?: Decimal,
): SampleGrid {
  const [wNum, wDen] = fraction(viewWidth);
  const halfStepX = halfStep(wNum, wDen * BigInt(width));
  let halfStepY: Dyadic;
  if (viewHeight) {
    const [hNum, hDen] = fraction(viewHeight);
    halfStepY = halfStep(hNum, hDen * BigInt(height));
  } else {
    const aspect = dyadicOfNumber(pixelAspect);
    const num = wNum * aspect.mantissa;
    const den = wDen * BigInt(width);
    halfStepY = halfStep(
      aspect.exponent >= 0 ? num << BigInt(aspect.exponent) : num,
      aspect.exponent >= 0 ? den : den << BigInt(-aspect.exponent),
    );
  }
  const fractionBits = CENTRE_GUARD_BITS - Math.min(halfStepX.exponent, halfStepY.exponent);
  return {
    centre: [toFixedPoint(centre[0], fractionBits), toFixedPoint(centre[1], fractionBits)],
    fractionBits,
    halfStepX,
    halfStepY,
    width,
    height,
  };
}

/**
 * The point at twice a column and twice a row of the grid, exactly, times 2^grid.fractionBits: a sample's point
 * for even arguments, and the grid's centre at (width, height), a sample or not.
 *
 * @example pointAt(grid, grid.width, grid.height) // grid.centre
 */
export function pointAt(grid: SampleGrid, twiceCol: number, twiceRow: number): [bigint, bigint] {
  const at = (half: Dyadic, k: number) => (BigInt(k) * half.mantissa) << BigInt(grid.fractionBits + half.exponent);
  return [
    grid.centre[0] + at(grid.halfStepX, twiceCol - grid.width),
    grid.centre[1] + at(grid.halfStepY, grid.height - twiceRow),
  ];
}

/**
 * A sample's point, exactly, times 2^grid.fractionBits.
 *
 * @example samplePoint(grid, grid.width / 2, grid.height / 2) // grid.centre (for even sizes)
 */
export function samplePoint(grid: SampleGrid, col: number, row: number): [bigint, bigint] {
  return pointAt(grid, 2 * col, 2 * row);
}
