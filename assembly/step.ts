/**
 * One step of z -> z^2 + c for two lanes of f64x2, with the original loop's operations in its order (so every lane
 * gets the scalar loop's bits), and its escape test. Shared by the SIMD kernels (simd.ts, membership.ts).
 */
import { norm2 } from './lanes';

/** x2 - y2 + cx, from the lanes' z. */
// @ts-ignore: decorator
@inline
export function nextZx(zx: v128, zy: v128, cx: v128): v128 {
  return f64x2.add(f64x2.sub(f64x2.mul(zx, zx), f64x2.mul(zy, zy)), cx);
}

/** zx*zy*2 + cy, with the doubling as t + t (exactly 2t). */
// @ts-ignore: decorator
@inline
export function nextZy(zx: v128, zy: v128, cy: v128): v128 {
  const t = f64x2.mul(zx, zy);
  return f64x2.add(f64x2.add(t, t), cy);
}

/** Lanes escaped: |z|^2 >= 4, the loop's own test. */
// @ts-ignore: decorator
@inline
export function escaped(zx: v128, zy: v128): v128 {
  return f64x2.ge(norm2(zx, zy), f64x2.splat(4.0));
}
