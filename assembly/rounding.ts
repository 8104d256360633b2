/**
 * Whether rounding may have decided a sample's count. The fast loop (perturb.ts) and the double-double path
 * (precise.ts) carry an estimate of their z's squared error: grown as an error grows (times |2z|^2 a step) plus each
 * step's own rounding (independent roundings add as a random walk does). Against a double-double computation of the
 * same samples at the 1e31 seahorse view, the fast loop's actual error was 0.58 of its estimate in the median and
 * at most 2.1 of it (755 samples).
 */

/** Estimated errors this many times over count as possible. */
const SAFETY: f64 = 4;

/** (2^-30)^2: below this, SAFETY times the error is far from any bound (see errorDecides). */
const TINY_ERROR2: f64 = 8.673617379884035e-19;

/** 2^-26: how near the bounds an error below 2^-30 can matter. */
const NEAR: f64 = 1.4901161193847656e-8;

/** A sample that never escaped is in doubt when its z's error, times SAFETY, reaches this. */
const INSIDE_ERROR: f64 = 9.5367431640625e-7; // 2^-20

/**
 * Whether a sample stopped at z (c its point) with estimated squared error error2 could have another count: an
 * escaped one's |z| or its previous step's (|z - c| is that |z|^2, whichever root z came from) within SAFETY errors
 * of 2; one that never escaped (`inside`), an error of INSIDE_ERROR. Written so that an estimate that overflowed
 * (infinite or NaN) is in doubt too.
 */
export function errorDecides(error2: f64, zx: f64, zy: f64, cx: f64, cy: f64, inside: bool = false): bool {
  const r2 = zx * zx + zy * zy;
  const px = zx - cx;
  const py = zy - cy;
  const previous2 = px * px + py * py;
  // The common case without square roots (they cost samples that take few steps a tenth of their time): an error
  // below 2^-30 matters only within 2^-26 of the bounds, since |z| <= 6 or so at an escape (|z_n-1| < 2, |c| <= 2).
  if (SAFETY * SAFETY * error2 < TINY_ERROR2) return !inside && !(r2 - 4.0 > NEAR && previous2 < 16.0 - NEAR);
  const error = SAFETY * Math.sqrt(error2);
  if (inside) return !(error < INSIDE_ERROR);
  return !(2.0 * Math.sqrt(r2) * error < r2 - 4.0 && error < 4.0 - Math.sqrt(previous2));
}
