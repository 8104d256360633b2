/**
 * The second path for samples whose count the fast loop's rounding may have changed (perturb.ts, INEXACT): the same
 * perturbation, one sample at a time, in double-double (about 106 bits), deltas and reference orbit alike (the
 * orbit's low parts, src/plane/orbit.ts). It starts from the first step, not where the fast loop's linear start does:
 * at the 1e31 seahorse view, that start's A, rounded to f64, was enough to change 6 of the 13 counts that the
 * double-double loop got right from the first step. It carries the fast loop's error estimate at its own precision;
 * a sample it cannot settle either (it outlives the reference, or its error could still change its count) stays
 * INEXACT, for the exact BigInt loop (src/engines/exact.ts).
 */
import { add, ddHigh, ddLow, mul, sumHigh, sumLow } from './dd';
import { MAX_STRIDE, TRY_STRIDE } from './perturb-bla';
import { ddRunAt, ddRunLength, ddRunsReady, ddTakeRun } from './precise-bla';
import { errorDecides } from './rounding';
import { normAfterEscape } from './smooth';

/** A double-double step's rounding squared, relative to |dz|^2 (about 2^-104 of a value, squared, and some). */
const ROUNDING: f64 = 6.223015277861142e-61; // 2^-200

/**
 * The reference orbit's own error, squared, against a sample's |dz|^2 where the sample rebases onto z = Z + dz (in
 * units of ROUNDING). The orbit is computed 94 bits below a sample step (the grid's 30 guard bits and the orbit's
 * 64, src/plane/grid.ts and orbit.ts), and its errors grow as the offsets dz do (times dZ/dC), a random walk's
 * sqrt(steps) aside: at a rebase they may reach 2^-80 of dz, not more. Elsewhere Z's error enters only times dz.
 */
const ORBIT_AT_REBASE: f64 = 1099511627776.0; // 2^40: (2^-80)^2 in units of ROUNDING

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
  const ch = f64x2.replace_lane(f64x2.splat(dcx), 1, dcy);
  const cl = f64x2.splat(0);
  let dh = ch;
  let dl = cl;
  let error2 = 0.0;
  let m = 1;
  // Where BLA runs are tried next (precise-bla.ts): at the start, one step past each rebase, then every `stride`
  // places, twice as far after each try that finds none.
  const runs = ddRunsReady();
  let next = 1;
  let stride = TRY_STRIDE;
  for (let n = 1; n < maxIter; n++) {
    const high = v128.load(orbit + ((<usize>m) << 4));
    const low = v128.load(lows + ((<usize>m) << 4));
    // z = Z + dz
    const zh = sumHigh(high, low, dh, dl);
    const zl = sumLow(high, low, dh, dl, zh);
    const zx = f64x2.extract_lane(zh, 0);
    const zy = f64x2.extract_lane(zh, 1);
    const r2 = zx * zx + zy * zy;
    const dx = f64x2.extract_lane(dh, 0);
    const dy = f64x2.extract_lane(dh, 1);
    let d2 = dx * dx + dy * dy;
    if (r2 >= 4.0) {
      const px = load<f64>(orbit, 16) + dcx;
      const py = load<f64>(orbit, 24) + dcy;
      if (errorDecides(ROUNDING * error2, zx, zy, px, py)) return unsettled;
      preciseNorm = normAfterEscape(zx, zy, px, py);
      return n;
    }
    if (r2 < d2) {
      error2 += ORBIT_AT_REBASE * d2;
      dh = zh;
      dl = zl;
      d2 = r2;
      m = 0;
      next = 1;
      stride = TRY_STRIDE;
    } else if (m == last) {
      return unsettled;
    } else if (runs && m == next) {
      const run = ddRunAt(m, n, d2);
      if (run != 0) {
        const length = ddRunLength(run);
        error2 = ddTakeRun(run, length, dh, dl, ch, cl, error2);
        dh = ddHigh;
        dl = ddLow;
        m += length;
        n += length - 1; // and the loop's n++
        next = m;
        stride = TRY_STRIDE;
        continue;
      }
      stride = min(stride << 1, MAX_STRIDE);
      next = 1 + (((m - 1) | (stride - 1)) + 1);
    }
    error2 = 4.0 * r2 * (error2 + d2);
    // dz -> (2 Z + dz) dz + dc.
    const twice = f64x2.splat(2.0);
    const high2 = f64x2.mul(v128.load(orbit + ((<usize>m) << 4)), twice);
    const low2 = f64x2.mul(v128.load(lows + ((<usize>m) << 4)), twice);
    const ah = sumHigh(high2, low2, dh, dl);
    const al = sumLow(high2, low2, dh, dl, ah);
    mul(ah, al, dh, dl);
    add(ddHigh, ddLow, ch, cl);
    dh = ddHigh;
    dl = ddLow;
    m++;
  }
  return errorDecides(ROUNDING * error2, 0, 0, 0, 0, true) ? unsettled : -1;
}
