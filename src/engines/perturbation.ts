/**
 * What the perturbation kernel needs of a render, computed once in the main thread: the reference orbit at a point
 * of the grid (its centre, or the one src/engines/reference.ts chooses; in a SharedArrayBuffer, so every task of the
 * render shares it without a copy), for a Julia set followed by the critical orbit that rebasing goes to, the sample
 * steps in the kernel's scaled form, and where samples start (assembly/perturb.ts).
 */
import type { PerturbJob } from '../model/task.js';
import { realSegment } from '../plane/axis.js';
import type { BlaBuilder } from '../plane/bla.js';
import { blaTable, MIN_LEVEL } from '../plane/bla.js';
import { decimalOfNumber, dyadicOfNumber, toFixedPoint } from '../plane/decimal.js';
import type { SampleGrid } from '../plane/grid.js';
import { pointAt, STEP_BITS } from '../plane/grid.js';
import type { FixedOrbit, OrbitSoFar, Scaled } from '../plane/orbit.js';
import { extendOrbit, ORBIT_GUARD_BITS, powerOfTwo, referencePeriod, stepDerivative } from '../plane/orbit.js';

/**
 * Below this power of two, a sample's first offset starts scaled (an extended exponent): the kernel's plain loop
 * squares |dz|, which must stay above f64's subnormal range (2^-1022). The kernel's PLAIN_K (500) is where a
 * scaled offset comes back.
 */
const SCALED_BELOW = -480;

/**
 * Below this power of two a half step leaves the double-double path (a sample's first delta times 2^-106 would
 * leave f64's normal range): its doubtful samples go to BigInt instead (src/engines/exact.ts).
 */
const LOWEST_PLAIN_STEP = -880;

/**
 * How far below |Z| a delta must stay for dz^2 to vanish beside 2 Z dz in f64: then dz grows linearly.
 */
const LINEAR_MARGIN = 2 ** -64;
const LINEAR_MARGIN_SQUARED = 2 ** -128;

/** Squares that differ by this share or more compare as their roots' logarithms do (see skipLinear). */
const CLEARLY = 2 ** -20;

/** Squares at least this large keep f64's full precision in skipLinear's products. */
const NORMAL = 2 ** -1000;

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
 * maxIter, and where a BLA run may start (1 + a multiple of 2^MIN_LEVEL: the runs take samples on from there). At
 * 1e100 that skips about 200 of the 280 steps of a sample near c = i; at 1e1000, about 2290 of 2660.
 * For a Julia set (`julia`) dz has no dc term: dz_n = A_n dz_1 with A_{n+1} = 2 Z_n A_n, and dc is dropped.
 *
 * @example skipLinear(orbit, 1000, 3300, 2 ** 40).jumpTo // about 2000 at c = i, 1e1000
 */
export function skipLinear(
  orbit: Float64Array,
  maxIter: number,
  scale: number,
  largestDc: number,
  julia = false,
): Jump {
  const end = Math.min(orbit.length / 2 - 1, maxIter - 1);
  // One A, stepped in place: no object a step.
  const a: Scaled = { re: 1, im: 0, exponent: 0 };
  let n = 1;
  // The last step where a BLA run may start (src/plane/bla.ts), and A there.
  let aligned = { n, re: a.re, im: a.im, exponent: a.exponent };
  const largestDc2 = largestDc * largestDc;
  // (Each factor of the squares' products normal, so that each product is within a few roundings of its value.)
  const plainDc = largestDc2 > NORMAL && largestDc2 < Infinity;
  while (n < end) {
    const zx = orbit[2 * n];
    const zy = orbit[2 * n + 1];
    // |dz| of the largest sample in true units is |A| 2^(exponent - scale) largestDc; it must stay below
    // |Z| LINEAR_MARGIN. Their squares, where f64 holds them: a clear answer there is the logarithms' answer below
    // (each within 1e-12 of the true value, far inside CLEARLY), which decide near the line, and took most of this
    // loop's time.
    const dz2 = (a.re * a.re + a.im * a.im) * largestDc2 * powerOfTwo(2 * (a.exponent - scale));
    const bound2 = (zx * zx + zy * zy) * LINEAR_MARGIN_SQUARED;
    const plain = plainDc && dz2 > NORMAL && bound2 > NORMAL && dz2 < Infinity && bound2 < Infinity;
    if (plain && dz2 > bound2 * (1 + CLEARLY)) break;
    if (!(plain && dz2 < bound2 * (1 - CLEARLY))) {
      // log2 of each, kept finite.
      const log2Dz = Math.log2(Math.hypot(a.re, a.im) * largestDc) + a.exponent - scale;
      if (log2Dz > Math.log2(Math.hypot(zx, zy) * LINEAR_MARGIN)) break;
    }
    // A -> 2 Z A + 1 (no 1 for a Julia set).
    stepDerivative(a, zx, zy, julia ? 0 : 1);
    n++;
    if ((n - 1) % 2 ** MIN_LEVEL === 0) aligned = { n, re: a.re, im: a.im, exponent: a.exponent };
  }
  const { exponent } = aligned;
  const jumpDc = julia || exponent > 1022 ? 0 : 2 ** -exponent;
  return { jumpTo: aligned.n, jumpX: aligned.re, jumpY: aligned.im, jumpDc, scale: scale - exponent };
}

/**
 * Fraction bits of the orbits: the grid's and ORBIT_GUARD_BITS more, and for a Julia set at least as many as hold
 * its c (an f64) exactly, since the set drawn is that of this binary c.
 *
 * @example orbitBits(grid, [-0.8, 0.156]) // grid.fractionBits + 64 (0.156's last bit is 2^-55)
 */
export function orbitBits(grid: SampleGrid, julia?: readonly [number, number]): number {
  const cBits = (julia ?? []).map((v) => -dyadicOfNumber(v).exponent);
  return Math.max(grid.fractionBits + ORBIT_GUARD_BITS, ...cBits);
}

/** A Julia set's c in fixed point with `bits` fraction bits (exact with orbitBits' bits). */
export function fixedJulia(julia: readonly [number, number], bits: number): [bigint, bigint] {
  return [toFixedPoint(decimalOfNumber(julia[0]), bits), toFixedPoint(decimalOfNumber(julia[1]), bits)];
}

/**
 * A Julia set's critical orbit W_0 = 0, W_1 = c, ... (where its samples rebase), up to W_length or its escape.
 *
 * @example criticalOrbit(grid, [0, 1], 1000).points // [0, 0, 0, 1, -1, 1, 0, -1, -1, 1, ...]
 */
export function criticalOrbit(grid: SampleGrid, julia: readonly [number, number], length: number): OrbitSoFar {
  const bits = orbitBits(grid, julia);
  const [cx, cy] = fixedJulia(julia, bits);
  return extendOrbit(cx, cy, bits, length);
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
 * `previous` on when given (the same origin): of the Mandelbrot set, with its low parts where the double-double
 * path can use them, or of the Julia set of c = `julia` (Z_1 the point, c fixed; no low parts: that path is for the
 * Mandelbrot set only). `fixed` runs the orbit's loop faster (see extendOrbit).
 *
 * @example referenceAt(grid, [grid.width, grid.height], 1000).points // the orbit of the grid's centre
 */
export function referenceAt(
  grid: SampleGrid,
  origin: [twiceCol: number, twiceRow: number],
  length: number,
  previous?: OrbitSoFar,
  julia?: readonly [number, number],
  fixed?: FixedOrbit,
): OrbitSoFar {
  const bits = orbitBits(grid, julia);
  const guard = BigInt(bits - grid.fractionBits);
  const [re, im] = pointAt(grid, origin[0], origin[1]);
  const point: [bigint, bigint] = [re << guard, im << guard];
  if (!julia) {
    return extendOrbit(point[0], point[1], bits, length, previous, plainSteps(grid).plainStepX !== 0, undefined, fixed);
  }
  const [cx, cy] = fixedJulia(julia, bits);
  return extendOrbit(cx, cy, bits, length, previous, false, point, fixed);
}

/** Setups made by this process (see PerturbJob's key). */
let setups = 0;

/**
 * The perturbation setup for a grid, up to maxIter: the reference orbit at `origin` (the grid's centre by default;
 * an orbit shorter than maxIter that has not escaped leaves the samples that outlive it GLITCHED, as one that
 * escaped does for the Mandelbrot set), shared in a SharedArrayBuffer, and the sample steps. A Julia set's render
 * gives its `critical` orbit (to maxIter or its escape), which goes after the reference's. `tables` builds the BLA
 * table (the same table, faster, in WASM: see BlaBuilder).
 *
 * @example perturbSetup(sampleGrid({ view }, 64, 40, 1), 1000).orbit.length // 2 * (points up to the escape)
 */
export function perturbSetup(
  grid: SampleGrid,
  maxIter: number,
  origin: [twiceCol: number, twiceRow: number] = [grid.width, grid.height],
  reference: Pick<OrbitSoFar, 'points' | 'lows' | 'margins'> = referenceAt(grid, origin, maxIter),
  critical?: Pick<OrbitSoFar, 'points' | 'margins'>,
  tables: BlaBuilder = blaTable,
): PerturbJob {
  const { points } = reference;
  const concatenated = (a: Float64Array, b: Float64Array = new Float64Array(0)) => {
    const both = new Float64Array(new SharedArrayBuffer(a.byteLength + b.byteLength));
    both.set(a);
    both.set(b, a.length);
    return both;
  };
  const orbit = concatenated(points, critical?.points);
  const margins = concatenated(reference.margins, critical?.margins);
  const low = Math.min(grid.halfStepX.exponent, grid.halfStepY.exponent);
  const scale = low + STEP_BITS < SCALED_BELOW ? -low : 0;
  // A 29-bit whole number times a power of two that stays in f64's normal range: exact.
  const step = ({ mantissa, exponent }: { mantissa: bigint; exponent: number }) =>
    Number(mantissa) * 2 ** (exponent + scale);
  const stepX = step(grid.halfStepX);
  const stepY = step(grid.halfStepY);
  // The sample farthest from the reference: a corner, up to twice the grid away.
  const largestDc = Math.hypot(2 * grid.width * stepX, 2 * grid.height * stepY);
  const jump = skipLinear(points, maxIter, scale, largestDc, critical !== undefined);
  const restart = critical ? points.length / 2 : 0;
  // The double-double path (plain steps, low parts) is the Mandelbrot set's: a Julia job has neither.
  const plain = reference.lows.length > 0 && !critical ? plainSteps(grid) : { plainStepX: 0, plainStepY: 0 };
  const origins = { originX: origin[0], originY: origin[1] };
  const orbitLow = concatenated(critical ? new Float64Array(0) : reference.lows);
  // Every sample's |dc| in true units (0 where that underflows, as the kernel's plain phase drops such a dc).
  const dc = critical ? 0 : largestDc * 2 ** -scale;
  const bla = tables(orbit, (critical ? restart : points.length / 2) - 1, restart, dc, margins);
  // Julia sets have no interior proof (assembly/perturb-interior.ts): their rebased samples follow the critical orbit.
  const period = critical ? 0 : referencePeriod(points);
  const axis = critical ? undefined : realSegment(grid);
  return {
    orbit,
    orbitLow,
    margins,
    stepX,
    stepY,
    ...plain,
    ...origins,
    grid,
    ...jump,
    restart,
    bla,
    period,
    ...(axis && { axis }),
    // Unique within the process even with two copies of this module loaded (a bundle and dist/).
    key: `${++setups}:${Math.random()}`,
  };
}
