/**
 * What the perturbation kernel needs of a render, computed once in the main thread: the reference orbit at a point
 * of the grid (its centre, or the one src/deep/reference.ts chooses; in a SharedArrayBuffer, so every task of the
 * render shares it without a copy), the sample steps in the kernel's scaled form, and where samples start
 * (assembly/perturb.ts).
 */
import type { PerturbJob } from '../core/task.js';
import type { SampleGrid } from './grid.js';
import { pointAt, STEP_BITS } from './grid.js';
import type { OrbitSoFar, Scaled } from './orbit.js';
import { extendOrbit, nextDerivative, ORBIT_GUARD_BITS } from './orbit.js';

/**
 * Below this power of two, a sample's first offset starts scaled (an extended exponent): the kernel's plain loop
 * squares |dz|, which must stay above f64's subnormal range (2^-1022). The kernel's PLAIN_K (500) is where a
 * scaled offset comes back.
 */
const SCALED_BELOW = -480;

/**
 * Below this power of two a half step leaves the double-double path (a sample's first delta times 2^-106 would
 * leave f64's normal range): its doubtful samples go to BigInt instead (src/deep/exact.ts).
 */
const LOWEST_PLAIN_STEP = -880;

/**
 * How far below |Z| a delta must stay for dz^2 to vanish beside 2 Z dz in f64: then dz grows linearly.
 */
const LINEAR_MARGIN = 2 ** -64;

/** Where every sample may start (see PerturbJob): the linear growth of dz = A dc, followed while it holds. */
export interface Jump {
  jumpTo: number;
  jumpX: number;
  jumpY: number;
  jumpDc: number;
  /** The samples' scale there: k less A's exponent. */
  scale: number;
}

/**
 * The step at which every sample can start, with A (dz = A dc) as mantissa and exponent: the last step at which
 * the largest sample's dz is still far below |Z| (so that the linear growth holds), before the reference ends or
 * maxIter. At 1e100 that skips about 200 of the 280 steps of a sample near c = i; at 1e1000, about 2290 of 2660.
 *
 * @example skipLinear(orbit, 1000, 3300, 2 ** 40).jumpTo // about 2000 at c = i, 1e1000
 */
export function skipLinear(orbit: Float64Array, maxIter: number, scale: number, largestDc: number): Jump {
  const end = Math.min(orbit.length / 2 - 1, maxIter - 1);
  let a: Scaled = { re: 1, im: 0, exponent: 0 };
  let n = 1;
  // |dz| of the largest sample in true units is |A| 2^(exponent - scale) largestDc; log2 of it, kept finite.
  const log2Dz = () => Math.log2(Math.hypot(a.re, a.im) * largestDc) + a.exponent - scale;
  while (n < end) {
    const zx = orbit[2 * n];
    const zy = orbit[2 * n + 1];
    if (log2Dz() > Math.log2(Math.hypot(zx, zy) * LINEAR_MARGIN)) break;
    a = nextDerivative(a, zx, zy);
    n++;
  }
  const exponent = a.exponent;
  return { jumpTo: n, jumpX: a.re, jumpY: a.im, jumpDc: exponent > 1022 ? 0 : 2 ** -exponent, scale: scale - exponent };
}

/**
 * Half a sample step along each axis, unscaled, for the double-double path (assembly/precise.ts); 0 where the grid
 * is too deep for it (see LOWEST_PLAIN_STEP).
 */
function plainSteps(grid: SampleGrid): { plainStepX: number; plainStepY: number } {
  const low = Math.min(grid.halfStepX.exponent, grid.halfStepY.exponent);
  // A 29-bit whole number times a power of two in f64's normal range: exact.
  const plain = ({ mantissa, exponent }: { mantissa: bigint; exponent: number }) =>
    low < LOWEST_PLAIN_STEP ? 0 : Number(mantissa) * 2 ** exponent;
  return { plainStepX: plain(grid.halfStepX), plainStepY: plain(grid.halfStepY) };
}

/**
 * The reference orbit at twice-column and twice-row `origin` of the grid (see pointAt), up to Z_length, from
 * `previous` on when given (the same origin); with its low parts where the double-double path can use them.
 *
 * @example referenceAt(grid, [grid.width, grid.height], 1000).points // the orbit of the grid's centre
 */
export function referenceAt(
  grid: SampleGrid,
  origin: [twiceCol: number, twiceRow: number],
  length: number,
  previous?: OrbitSoFar,
): OrbitSoFar {
  const guard = BigInt(ORBIT_GUARD_BITS);
  const [re, im] = pointAt(grid, origin[0], origin[1]);
  const bits = grid.fractionBits + ORBIT_GUARD_BITS;
  return extendOrbit(re << guard, im << guard, bits, length, previous, plainSteps(grid).plainStepX !== 0);
}

/**
 * The perturbation setup for a grid, up to maxIter: the reference orbit at `origin` (the grid's centre by default;
 * an orbit shorter than maxIter that has not escaped leaves the samples that outlive it GLITCHED, as one that
 * escaped does), shared in a SharedArrayBuffer, and the sample steps.
 *
 * @example perturbSetup(sampleGrid({ view }, 64, 40, 1), 1000).orbit.length // 2 * (points up to the escape)
 */
export function perturbSetup(
  grid: SampleGrid,
  maxIter: number,
  origin: [twiceCol: number, twiceRow: number] = [grid.width, grid.height],
  reference: Pick<OrbitSoFar, 'points' | 'lows'> = referenceAt(grid, origin, maxIter),
): PerturbJob {
  const shared = (values: Float64Array) => {
    const copy = new Float64Array(new SharedArrayBuffer(values.byteLength));
    copy.set(values);
    return copy;
  };
  const orbit = shared(reference.points);
  const low = Math.min(grid.halfStepX.exponent, grid.halfStepY.exponent);
  const scale = low + STEP_BITS < SCALED_BELOW ? -low : 0;
  // A 29-bit whole number times a power of two that stays in f64's normal range: exact.
  const step = ({ mantissa, exponent }: { mantissa: bigint; exponent: number }) =>
    Number(mantissa) * 2 ** (exponent + scale);
  const stepX = step(grid.halfStepX);
  const stepY = step(grid.halfStepY);
  // The sample farthest from the reference: a corner, up to twice the grid away.
  const largestDc = Math.hypot(2 * grid.width * stepX, 2 * grid.height * stepY);
  const jump = skipLinear(orbit, maxIter, scale, largestDc);
  const plain = reference.lows.length > 0 ? plainSteps(grid) : { plainStepX: 0, plainStepY: 0 };
  const origins = { originX: origin[0], originY: origin[1] };
  return { orbit, orbitLow: shared(reference.lows), stepX, stepY, ...plain, ...origins, grid, ...jump };
}
