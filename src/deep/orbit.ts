/**
 * The reference orbit of perturbation: z -> z^2 + c from z = c at one point, in BigInt fixed point (no
 * dependency; about 1.6 us a step at 240 bits, 26 us at 3460), kept as f64 pairs. Every |Z| up to the escape is at
 * most a little over 2, so f64 holds each point to its last bit; what f64 cannot hold, the tiny offsets of the
 * pixels from this point, the kernel carries apart (assembly/perturb.ts).
 */

/** Fraction bits computed beyond the sample grid's, so that rounding along the orbit stays far below a sample. */
export const ORBIT_GUARD_BITS = 64;

/**
 * `value` / 2^bits as the nearest f64 (or close to it: the low bits are cut first), including values far below
 * f64's normal range, which come out as 0 or subnormal rather than wrong.
 *
 * @example fixedToNumber(3n << 100n, 101) // 1.5
 */
export function fixedToNumber(value: bigint, bits: number): number {
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
 * The orbit of c = (re, im) / 2^bits: Z_0 = 0, Z_1 = c, Z_{n+1} = Z_n^2 + c, as f64 pairs [re0, im0, re1, im1, ...],
 * up to and including the first point with |Z|^2 >= 4, or up to Z_{maxIter} when it never escapes.
 *
 * @example referenceOrbit(-1n << 64n, 0n, 64, 10) // [0, 0, -1, 0, 0, 0, -1, 0, ...]
 */
export function referenceOrbit(re: bigint, im: bigint, bits: number, maxIter: number): Float64Array {
  const shift = BigInt(bits);
  const four = 4n << (2n * shift);
  const points: number[] = [0, 0];
  let x = re;
  let y = im;
  for (let n = 1; n <= maxIter; n++) {
    points.push(fixedToNumber(x, bits), fixedToNumber(y, bits));
    const x2 = x * x;
    const y2 = y * y;
    if (x2 + y2 >= four) break;
    const xy = x * y;
    x = ((x2 - y2) >> shift) + re;
    y = ((xy + xy) >> shift) + im;
  }
  return Float64Array.from(points);
}
