/**
 * Whether rounding may have decided a sample's count. The fast loop (perturb.ts) and the double-double path
 * (precise.ts) carry an estimate of their z's squared error: grown as an error grows (times |2z|^2 a step) plus each
 * step's own rounding (independent roundings add as a random walk does). Against a double-double computation of the
 * same samples at the 1e31 seahorse view, the fast loop's actual error was 0.58 of its estimate in the median and
 * at most 2.1 of it (755 samples).
 */

/** Estimated errors this many times over count as possible. */
export const SAFETY: f64 = 4;

/** A sample that never escaped is in doubt when its z's error, times SAFETY, reaches this. */
const INSIDE_ERROR: f64 = 9.5367431640625e-7; // 2^-20

/**
 * Whether a sample stopped at z (c its point) with estimated squared error error2 could have another count: an
 * escaped one's |z| or its previous step's (|z - c| is that |z|^2, whichever root z came from) within SAFETY errors
 * of 2; one that never escaped (`inside`), an error of INSIDE_ERROR. Written so that an estimate that overflowed
 * (infinite or NaN) is in doubt too. `excess`, when known, is |z|^2 - 4 more exactly than f64's |z|^2 holds it.
 */
export function errorDecides(
  error2: f64,
  zx: f64,
  zy: f64,
  cx: f64,
  cy: f64,
  inside: bool = false,
  excess: f64 = NaN,
): bool {
  const error = SAFETY * Math.sqrt(error2);
  if (inside) return !(error < INSIDE_ERROR);
  const r2 = zx * zx + zy * zy;
  const px = zx - cx;
  const py = zy - cy;
  // |z| <= 6 or so at an escape: no overflow, and cheaper than hypot.
  const previous = Math.sqrt(px * px + py * py);
  const over = isNaN(excess) ? r2 - 4.0 : excess;
  return !(2.0 * Math.sqrt(r2) * error < over && error < 4.0 - previous);
}
