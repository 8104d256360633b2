/**
 * What the kernels keep of an escaped orbit for smooth colouring: |z|^2 not at the escape (radius 2) but EXTRA_STEPS
 * steps later. The continuous count mu = n + 1 + EXTRA_STEPS - log2(log2 |z_n+EXTRA_STEPS|) is continuous across
 * escape counts only when |z| is large against |c| (then |z^2 + c| ~ |z|^2); at radius 2 it is not, which drew
 * seams in the halo. From an escape at |z| <= 6 three steps stay far from overflow (about 6^8); for |c| beyond
 * about 1e19, where a first step already escapes far out, |z|^2 may reach infinity and mu is then meaningless (such
 * points are outside any picture of these sets); in the halo they leave mu's jumps where the count changes no larger than elsewhere (two do not quite,
 * and each step costs the kernels about 4 ns an escaped pixel). Every engine does these steps with the same operations (src/engines/js.ts: normAfterEscape).
 */
export const EXTRA_STEPS: i32 = 3;

/** |z|^2 after EXTRA_STEPS more steps of z -> z^2 + c from the escaped z. */
// @ts-ignore: decorator
@inline
export function normAfterEscape(zx: f64, zy: f64, cx: f64, cy: f64): f64 {
  let x2 = zx * zx;
  let y2 = zy * zy;
  for (let k = 0; k < EXTRA_STEPS; k++) {
    zy = zx * zy * 2.0 + cy;
    zx = x2 - y2 + cx;
    x2 = zx * zx;
    y2 = zy * zy;
  }
  return x2 + y2;
}
