/**
 * Helpers of the SIMD kernels' lanes (simd.ts, membership.ts, the perturbation kernel): where lane l's value lies in
 * a lane array (f64 or i32 per lane), for the kernels that keep lanes in memory, and a norm of two lanes.
 */

// @ts-ignore: decorator
@inline
export function f64At(array: usize, l: i32): usize {
  return array + ((<usize>l) << 3);
}

// @ts-ignore: decorator
@inline
export function i32At(array: usize, l: i32): usize {
  return array + ((<usize>l) << 2);
}

/** |x + iy|^2 of two lanes (x^2 + y^2, in that order). */
// @ts-ignore: decorator
@inline
export function norm2(x: v128, y: v128): v128 {
  return f64x2.add(f64x2.mul(x, x), f64x2.mul(y, y));
}
