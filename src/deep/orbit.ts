/**
 * The reference orbit of perturbation: z -> z^2 + c from z = c at one point, in BigInt fixed point (no
 * dependency; about 2 us a step at 465 bits, 8.7 us at 3455), kept as f64 pairs. Every |Z| up to the escape is at
 * most a little over 2, so f64 holds each point to its last bit; what f64 cannot hold, the tiny offsets of the
 * pixels from this point, the kernel carries apart (assembly/perturb.ts). Each point's next 53 bits are kept too
 * (its low part), for the double-double path of the samples whose rounding the kernel flags (src/deep/precise.ts).
 */

import { dyadicOfNumber } from './decimal.js';

/** Fraction bits computed beyond the sample grid's, so that rounding along the orbit stays far below a sample. */
export const ORBIT_GUARD_BITS = 64;

/**
 * `value` / 2^bits as the nearest f64 (or close to it: the low bits are cut first), including values far below
 * f64's normal range, which come out as 0 or subnormal rather than wrong.
 *
 * @example fixedToNumber(3n << 100n, 101) // 1.5
 */
export function fixedToNumber(value: bigint, bits: number): number {
  // The common case, |value| >= 2^(bits - 11): its top 64 bits by one shift. (Finding the bit length of a BigInt
  // by its binary text cost a 3400-bit orbit more than its three products.)
  if (bits >= 64) {
    const top = value >> BigInt(bits - 64);
    if (top >= 1n << 53n || top <= -(1n << 53n)) return Number(top) * 2 ** -64;
  }
  const length = (value < 0n ? -value : value).toString(2).length;
  const cut = Math.max(0, length - 64);
  let result = Number(value >> BigInt(cut));
  // Scale in steps that stay within f64's exponent range.
  let exponent = cut - bits;
  while (exponent < -1000) {
    result *= 2 ** -1000;
    exponent += 1000;
  }
  return result * 2 ** exponent;
}

/**
 * What `value` / 2^bits exceeds `high` by (its fixedToNumber), as the nearest f64 or close: high + low holds the
 * value to about 106 bits (the bits of a value of at least 2^-11 beyond 2^-128 of it are dropped).
 *
 * @example lowPart((1n << 200n) + (1n << 80n), 200, 1) // 2 ** -120
 */
export function lowPart(value: bigint, bits: number, high: number): number {
  // The common case, as in fixedToNumber: high came from the top 64 bits, a whole number once scaled by 2^64.
  if (bits >= 128) {
    const top = value >> BigInt(bits - 128);
    if (top >= 1n << 117n || top <= -(1n << 117n)) return Number(top - (BigInt(high * 2 ** 64) << 64n)) * 2 ** -128;
  }
  const { mantissa, exponent } = dyadicOfNumber(high);
  const shift = exponent + bits;
  return fixedToNumber(value - (shift >= 0 ? mantissa << BigInt(shift) : mantissa >> BigInt(-shift)), bits);
}

/** An orbit computed so far, with what it takes to go on. */
export interface OrbitSoFar {
  /** Z_0 = 0, Z_1 = c, ... as f64 pairs [re0, im0, re1, im1, ...]. */
  points: Float64Array;
  /** Each point's low part (see lowPart), in the same layout; empty when not kept. */
  lows: Float64Array;
  /** True when the last point has |Z|^2 >= 4: the orbit ends there. */
  escaped: boolean;
  /** The last point, exactly. */
  x: bigint;
  y: bigint;
}

/**
 * The orbit of c = (re, im) / 2^bits, Z_0 = 0, Z_1 = c, Z_{n+1} = Z_n^2 + c, up to and including the first point
 * with |Z|^2 >= 4, or up to Z_length; from `previous` on when given (the same c), so that a longer orbit costs only
 * its new points. The low parts are kept when `withLows` (they cost a 200-bit orbit about half as much again).
 *
 * @example extendOrbit(-1n << 64n, 0n, 64, 2).points // [0, 0, -1, 0, 0, 0]
 */
export function extendOrbit(
  re: bigint,
  im: bigint,
  bits: number,
  length: number,
  previous?: OrbitSoFar,
  withLows = true,
): OrbitSoFar {
  const shift = BigInt(bits);
  const four = 4n << (2n * shift);
  const points: number[] = previous ? Array.from(previous.points) : [0, 0];
  const lows: number[] = previous ? Array.from(previous.lows) : withLows ? [0, 0] : [];
  const push = (vx: bigint, vy: bigint) => {
    const hx = fixedToNumber(vx, bits);
    const hy = fixedToNumber(vy, bits);
    points.push(hx, hy);
    if (withLows) lows.push(lowPart(vx, bits, hx), lowPart(vy, bits, hy));
  };
  if (!previous) push(re, im);
  let x = previous?.x ?? re;
  let y = previous?.y ?? im;
  let escaped = previous?.escaped ?? false;
  while (!escaped && points.length / 2 - 1 < length) {
    const x2 = x * x;
    const y2 = y * y;
    escaped = x2 + y2 >= four;
    if (escaped) break;
    const xy = x * y;
    x = ((x2 - y2) >> shift) + re;
    y = ((xy + xy) >> shift) + im;
    push(x, y);
  }
  // The last point may escape: then the orbit ends at it.
  escaped ||= x * x + y * y >= four;
  return { points: Float64Array.from(points), lows: Float64Array.from(lows), escaped, x, y };
}

/**
 * The orbit of c = (re, im) / 2^bits up to Z_maxIter (see extendOrbit), as f64 pairs.
 *
 * @example referenceOrbit(-1n << 64n, 0n, 64, 10) // [0, 0, -1, 0, 0, 0, -1, 0, ...]
 */
export function referenceOrbit(re: bigint, im: bigint, bits: number, maxIter: number): Float64Array {
  return extendOrbit(re, im, bits, maxIter).points;
}
