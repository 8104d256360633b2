/**
 * The second path for samples whose count the fast loop's rounding may have changed (perturb.ts, INEXACT): the same
 * perturbation, one sample at a time, in double-double (about 106 bits), deltas and reference orbit alike (the
 * orbit's low parts, src/deep/orbit.ts). It starts from the first step, not where the fast loop's linear start does:
 * at the 1e31 seahorse view, that start's A, rounded to f64, was enough to change 6 of the 13 counts that the
 * double-double loop got right from the first step. It carries the fast loop's error estimate at its own precision;
 * a sample it cannot settle either (it outlives the reference, or its error could still change its count) stays
 * INEXACT, for the exact BigInt loop (src/deep/exact.ts).
 */
import { errorDecides } from './rounding';
import { normAfterEscape } from './smooth';

/** A double-double step's rounding squared, relative to |dz|^2 (about 2^-104 of a value, squared, and some). */
const ROUNDING: f64 = 6.223015277861142e-61; // 2^-200

/**
 * The reference orbit's own error, squared, against a sample's |dz|^2 where the sample rebases onto z = Z + dz (in
 * units of ROUNDING). The orbit is computed 94 bits below a sample step (the grid's 30 guard bits and the orbit's
 * 64, src/deep/grid.ts and orbit.ts), and its errors grow as the offsets dz do (times dZ/dC), a random walk's
 * sqrt(steps) aside: at a rebase they may reach 2^-80 of dz, not more. Elsewhere Z's error enters only times dz.
 */
const ORBIT_AT_REBASE: f64 = 1099511627776.0; // 2^40: (2^-80)^2 in units of ROUNDING

const SPLITTER: f64 = 134217729; // 2^27 + 1

// A double-double value travels as one v128 (high part in lane 0, low in lane 1): in registers, where a result left
// in two globals went through memory at every operation.

// @ts-ignore: decorator
@inline
function dd(high: f64, low: f64): v128 {
  return f64x2.replace_lane(f64x2.splat(high), 1, low);
}

// @ts-ignore: decorator
@inline
function hi(a: v128): f64 {
  return f64x2.extract_lane(a, 0);
}

// @ts-ignore: decorator
@inline
function lo(a: v128): f64 {
  return f64x2.extract_lane(a, 1);
}

/** a + b. */
// @ts-ignore: decorator
@inline
function add(a: v128, b: v128): v128 {
  const ah = hi(a);
  const bh = hi(b);
  const s = ah + bh;
  const v = s - ah;
  const e = ah - (s - v) + (bh - v) + lo(a) + lo(b);
  const h = s + e;
  return dd(h, e - (h - s));
}

/** a * b: Dekker's exact product of the high parts, then the cross terms. */
// @ts-ignore: decorator
@inline
function mul(a: v128, b: v128): v128 {
  const ah = hi(a);
  const bh = hi(b);
  const p = ah * bh;
  let t = SPLITTER * ah;
  const ahh = t - (t - ah);
  const ahl = ah - ahh;
  t = SPLITTER * bh;
  const bhh = t - (t - bh);
  const bhl = bh - bhh;
  const e = ahh * bhh - p + ahh * bhl + ahl * bhh + ahl * bhl + (ah * lo(b) + lo(a) * bh);
  const h = p + e;
  return dd(h, e - (h - p));
}

/** |z|^2 a few steps past the escape of the last sample preciseCount settled (for colour). */
export let preciseNorm: f64 = 0;

/**
 * The count of the sample at offset dc from the reference (orbit and its low parts as f64 pairs Z_0 .. Z_last),
 * -1 if it never escapes before maxIter, or `unsettled` when double-double cannot settle it.
 */
export function preciseCount(
  orbit: usize,
  lows: usize,
  last: i32,
  dcx: f64,
  dcy: f64,
  maxIter: i32,
  unsettled: i32,
): i32 {
  const cx = dd(dcx, 0);
  const cy = dd(dcy, 0);
  let dx = cx;
  let dy = cy;
  let error2 = 0.0;
  let m = 1;
  for (let n = 1; n < maxIter; n++) {
    const high = v128.load(orbit + (<usize>m << 4));
    const low = v128.load(lows + (<usize>m << 4));
    const zx = add(v128.shuffle<f64>(high, low, 0, 2), dx);
    const zy = add(v128.shuffle<f64>(high, low, 1, 3), dy);
    const r2 = hi(zx) * hi(zx) + hi(zy) * hi(zy);
    let d2 = hi(dx) * hi(dx) + hi(dy) * hi(dy);
    if (r2 >= 4.0) {
      const px = load<f64>(orbit, 16) + dcx;
      const py = load<f64>(orbit, 24) + dcy;
      if (errorDecides(ROUNDING * error2, hi(zx), hi(zy), px, py)) return unsettled;
      preciseNorm = normAfterEscape(hi(zx), hi(zy), px, py);
      return n;
    }
    if (r2 < d2) {
      error2 += ORBIT_AT_REBASE * d2;
      dx = zx;
      dy = zy;
      d2 = r2;
      m = 0;
    } else if (m == last) {
      return unsettled;
    }
    error2 = 4.0 * r2 * (error2 + d2);
    // dz -> (2 Z + dz) dz + dc, every operation in double-double.
    const twice = f64x2.splat(2.0);
    const high2 = f64x2.mul(v128.load(orbit + (<usize>m << 4)), twice);
    const low2 = f64x2.mul(v128.load(lows + (<usize>m << 4)), twice);
    const ax = add(v128.shuffle<f64>(high2, low2, 0, 2), dx);
    const ay = add(v128.shuffle<f64>(high2, low2, 1, 3), dy);
    const nx = add(add(mul(ax, dx), f64x2.neg(mul(ay, dy))), cx);
    dy = add(add(mul(ax, dy), mul(ay, dx)), cy);
    dx = nx;
    m++;
  }
  return errorDecides(ROUNDING * error2, 0, 0, 0, 0, true) ? unsettled : -1;
}
