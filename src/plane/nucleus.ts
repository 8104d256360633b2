/**
 * Finding a minibrot: its period by the ball method (the first n at which the disk of the view, iterated, holds 0:
 * |z_n| < r |dz_n/dc|), its nucleus (z_p(c) = 0) by Newton's method in fixed point, and its size by the usual
 * estimate 1 / (beta lambda^2) with lambda = prod 2 z_i and beta = sum 1 / prod (i = 1 .. p - 1). Plain BigInt
 * arithmetic with `bits` fraction bits; derivatives, which outgrow f64, as Scaled mantissas with powers of two.
 */
import type { Scaled } from './orbit.js';
import { fixedToNumber, floorLog2, nextDerivative } from './orbit.js';

/** A complex number in fixed point: re / 2^bits, im / 2^bits. */
export interface FixedComplex {
  re: bigint;
  im: bigint;
}

const log2Of = (re: number, im: number) => Math.log2(Math.hypot(re, im));
const abs = (v: bigint) => (v < 0n ? -v : v);
const log2Scaled = (a: Scaled) => a.exponent + log2Of(a.re, a.im);

function square(z: FixedComplex, c: FixedComplex, bits: bigint): FixedComplex {
  return { re: ((z.re * z.re - z.im * z.im) >> bits) + c.re, im: ((2n * z.re * z.im) >> bits) + c.im };
}

/**
 * The period of the minibrot nearest `c`, and the radius (log2) of the disk around `c` found to hold it: the first n
 * <= maxPeriod at which the disk of radius 2^log2r, iterated, holds 0 (the ball method); where none does and the orbit stays bounded to maxPeriod
 * (c lies inside a minibrot, or near one), the disk grown to the smallest that does, a bit over, and its first n.
 * Undefined when the orbit escapes first.
 */
export function nearestPeriod(
  c: FixedComplex,
  bits: number,
  log2r: number,
  maxPeriod: number,
): { period: number; log2r: number } | undefined {
  const ratios: number[] = [];
  let least = Number.POSITIVE_INFINITY;
  for (const { n, x, y, dz } of orbitWithSlope(c, bits, maxPeriod)) {
    // |z_n| / |dz_n/dc|: about how far c is from a root of z_n.
    const ratio = log2Of(x, y) - log2Scaled(dz);
    if (ratio < log2r) return { period: n, log2r };
    ratios.push(ratio);
    least = Math.min(least, ratio);
  }
  if (ratios.length < maxPeriod) return undefined;
  const grown = least + GROWN_SLACK;
  return { period: ratios.findIndex((ratio) => ratio < grown) + 1, log2r: grown };
}

/** Whether `a` lies within 2^log2r of `b` (both with `bits` fraction bits) in each part. */
export function withinDisk(a: FixedComplex, b: FixedComplex, bits: number, log2r: number): boolean {
  const most = 1n << BigInt(Math.max(0, Math.floor(bits + log2r)));
  return abs(a.re - b.re) <= most && abs(a.im - b.im) <= most;
}

/** Bits a grown search disk (nearestPeriod) is made larger than the nearest root it found needs. */
const GROWN_SLACK = 1;

/**
 * The lowest period of the nucleus `c` of period `period` (Newton's method finds a nucleus of a divisor of it as
 * readily): the first n at which z_n(c) vanishes to the precision Newton's method reached, |z_n| < 2^-(bits - 16)
 * |dz_n/dc|.
 */
export function lowestPeriod(c: FixedComplex, bits: number, period: number): number {
  for (const { n, x, y, dz } of orbitWithSlope(c, bits, period)) {
    if (log2Of(x, y) - log2Scaled(dz) < 16 - bits) return n;
  }
  return period;
}

/** z_n(c) as f64 and dz_n/dc (Scaled) for n = 1 .. maxSteps, while |z_n| <= 2. */
function* orbitWithSlope(c: FixedComplex, bits: number, maxSteps: number) {
  const shift = BigInt(bits);
  let z: FixedComplex = { re: 0n, im: 0n };
  let dz: Scaled = { re: 0, im: 0, exponent: 0 };
  for (let n = 1; n <= maxSteps; n++) {
    dz = nextDerivative(dz, fixedToNumber(z.re, bits), fixedToNumber(z.im, bits));
    z = square(z, c, shift);
    const [x, y] = [fixedToNumber(z.re, bits), fixedToNumber(z.im, bits)];
    if (x * x + y * y > 4) return;
    yield { n, x, y, dz };
  }
}

/**
 * z_n(c) and dz_n/dc in fixed point at each n of `marks` (ascending), from the orbit z_1 = c, z_{n+1} = z_n^2 + c.
 */
function orbitMarks(c: FixedComplex, bits: number, marks: number[]): [FixedComplex, FixedComplex][] {
  const shift = BigInt(bits);
  const one = 1n << shift;
  let z: FixedComplex = { re: 0n, im: 0n };
  let dz: FixedComplex = { re: 0n, im: 0n };
  const found: [FixedComplex, FixedComplex][] = [];
  for (let n = 1; n <= marks[marks.length - 1]; n++) {
    dz = {
      re: ((2n * (z.re * dz.re - z.im * dz.im)) >> shift) + one,
      im: (2n * (z.re * dz.im + z.im * dz.re)) >> shift,
    };
    z = square(z, c, shift);
    if (marks.includes(n)) found.push([z, dz]);
  }
  return found;
}

/**
 * Newton's method on g(c) = 0 from `c` in fixed point (`g` gives g and dg/dc), until a step is under 2^-(bits - 8)
 * or 64 steps, each at most 2^log2MaxStep long (|re| + |im|); undefined if it does not settle.
 */
function newton(
  c: FixedComplex,
  bits: number,
  g: (at: FixedComplex) => [FixedComplex, FixedComplex],
  log2MaxStep = Number.POSITIVE_INFINITY,
): FixedComplex | undefined {
  const shift = BigInt(bits);
  // A step at most this long (|re| + |im|): far from the root, g's other roots (a nucleus of a divisor of the
  // period) pull a full step away from the disk searched.
  const most = Number.isFinite(log2MaxStep) ? 1n << BigInt(Math.max(0, Math.floor(bits + log2MaxStep))) : 0n;
  let at = c;
  for (let step = 0; step < 64; step++) {
    const [value, slope] = g(at);
    const norm = (slope.re * slope.re + slope.im * slope.im) >> shift;
    if (norm === 0n) return undefined;
    // g / dg = g conj(dg) / |dg|^2
    let re = (value.re * slope.re + value.im * slope.im) / norm;
    let im = (value.im * slope.re - value.re * slope.im) / norm;
    const length = abs(re) + abs(im);
    if (most > 0n && length > most) {
      re = (re * most) / length;
      im = (im * most) / length;
    }
    at = { re: at.re - re, im: at.im - im };
    if (abs(re) + abs(im) <= 256n) return at;
  }
  return undefined;
}

/**
 * The nucleus of period `period` nearest `c` by Newton's method on z_p(c) = 0 (dz/dc in fixed point too: its
 * integer part grows as it must), until a step is under 2^-(bits - 8) or 64 steps; undefined if it does not settle.
 * Steps are cut to 2^log2MaxStep where given.
 */
export function nucleus(c: FixedComplex, period: number, bits: number, log2MaxStep?: number): FixedComplex | undefined {
  return newton(c, bits, (at) => orbitMarks(at, bits, [period])[0], log2MaxStep);
}

/** The minibrot's size estimate |1 / (beta lambda^2)| as a power of two (log2), at its nucleus. */
export function log2Size(c: FixedComplex, period: number, bits: number): number {
  const shift = BigInt(bits);
  let z: FixedComplex = { re: 0n, im: 0n };
  let l: Scaled = { re: 1, im: 0, exponent: 0 };
  let b: Scaled = { re: 1, im: 0, exponent: 0 };
  for (let n = 1; n < period; n++) {
    z = square(z, c, shift);
    l = multiply(l, 2 * fixedToNumber(z.re, bits), 2 * fixedToNumber(z.im, bits));
    b = add(b, inverse(l));
  }
  return -(log2Scaled(b) + 2 * log2Scaled(l));
}

function normalise(re: number, im: number, exponent: number): Scaled {
  if (re === 0 && im === 0) return { re: 0, im: 0, exponent: 0 };
  const shift = floorLog2(Math.max(Math.abs(re), Math.abs(im)));
  return { re: re / 2 ** shift, im: im / 2 ** shift, exponent: exponent + shift };
}

function multiply(a: Scaled, re: number, im: number): Scaled {
  return normalise(a.re * re - a.im * im, a.re * im + a.im * re, a.exponent);
}

function inverse(a: Scaled): Scaled {
  const n = a.re * a.re + a.im * a.im;
  return normalise(a.re / n, -a.im / n, -a.exponent);
}

function add(a: Scaled, b: Scaled): Scaled {
  const e = Math.max(a.exponent, b.exponent);
  const [sa, sb] = [2 ** Math.max(-1100, a.exponent - e), 2 ** Math.max(-1100, b.exponent - e)];
  return normalise(a.re * sa + b.re * sb, a.im * sa + b.im * sb, e);
}

/**
 * The preperiod q and period p of the Misiurewicz point the disk of radius 2^log2r around `c` holds (z_{q+p}(c) =
 * z_q(c), with z_1 = c): the least q + p <= maxSteps at which some earlier z_q, iterated over the disk, meets z_{q+p}
 * (|z_{q+p} - z_q| < r |d(z_{q+p} - z_q)/dc|), and of those the least p; undefined when the orbit escapes first or
 * none is found. The points' f64 parts and derivatives suffice for the test: it is a ball test, not the answer.
 */
export function ballPreperiod(
  c: FixedComplex,
  bits: number,
  log2r: number,
  maxSteps: number,
): { preperiod: number; period: number } | undefined {
  const points: [number, number][] = [];
  const slopes: Scaled[] = [];
  for (const { n, x, y, dz } of orbitWithSlope(c, bits, maxSteps)) {
    for (let q = n - 1; q >= 1; q--) {
      const [px, py] = points[q - 1];
      const gap = log2Of(x - px, y - py);
      const slope = add(dz, { re: -slopes[q - 1].re, im: -slopes[q - 1].im, exponent: slopes[q - 1].exponent });
      if (gap < log2Scaled(slope) + log2r) return { preperiod: q, period: n - q };
    }
    points.push([x, y]);
    slopes.push(dz);
  }
  return undefined;
}

/**
 * The Misiurewicz point of preperiod q and period p nearest `c`, by Newton's method on z_{q+p}(c) - z_q(c) = 0 (in
 * fixed point, as nucleus), until a step is under 2^-(bits - 8) or 64 steps; undefined if it does not settle.
 */
export function misiurewicz(
  c: FixedComplex,
  preperiod: number,
  period: number,
  bits: number,
): FixedComplex | undefined {
  return newton(c, bits, (at) => {
    const [[zq, dzq], [z, dz]] = orbitMarks(at, bits, [preperiod, preperiod + period]);
    return [
      { re: z.re - zq.re, im: z.im - zq.im },
      { re: dz.re - dzq.re, im: dz.im - dzq.im },
    ];
  });
}
