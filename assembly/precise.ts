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

const SPLITTER: f64 = 134217729; // 2^27 + 1

// The last operation's result, high and low part.
let hi: f64 = 0;
let lo: f64 = 0;

/** (ah, al) + (bh, bl) into (hi, lo). */
// @ts-ignore: decorator
@inline
function add(ah: f64, al: f64, bh: f64, bl: f64): void {
  const s = ah + bh;
  const v = s - ah;
  const e = ah - (s - v) + (bh - v) + al + bl;
  hi = s + e;
  lo = e - (hi - s);
}

/** (ah, al) * (bh, bl) into (hi, lo): Dekker's exact product of the high parts, then the cross terms. */
// @ts-ignore: decorator
@inline
function mul(ah: f64, al: f64, bh: f64, bl: f64): void {
  const p = ah * bh;
  let t = SPLITTER * ah;
  const ahh = t - (t - ah);
  const ahl = ah - ahh;
  t = SPLITTER * bh;
  const bhh = t - (t - bh);
  const bhl = bh - bhh;
  const e = ahh * bhh - p + ahh * bhl + ahl * bhh + ahl * bhl + (ah * bl + al * bh);
  hi = p + e;
  lo = e - (hi - p);
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
  let dxh = dcx;
  let dxl = 0.0;
  let dyh = dcy;
  let dyl = 0.0;
  let error2 = 0.0;
  let m = 1;
  for (let n = 1; n < maxIter; n++) {
    const at = <usize>m << 4;
    add(load<f64>(orbit + at), load<f64>(lows + at), dxh, dxl);
    const zxh = hi;
    const zxl = lo;
    add(load<f64>(orbit + at, 8), load<f64>(lows + at, 8), dyh, dyl);
    const zyh = hi;
    const zyl = lo;
    const r2 = zxh * zxh + zyh * zyh;
    let d2 = dxh * dxh + dyh * dyh;
    if (r2 >= 4.0) {
      const cx = load<f64>(orbit, 16) + dcx;
      const cy = load<f64>(orbit, 24) + dcy;
      if (errorDecides(ROUNDING * error2, zxh, zyh, cx, cy)) return unsettled;
      preciseNorm = normAfterEscape(zxh, zyh, cx, cy);
      return n;
    }
    if (r2 < d2) {
      dxh = zxh;
      dxl = zxl;
      dyh = zyh;
      dyl = zyl;
      d2 = r2;
      m = 0;
    } else if (m == last) {
      return unsettled;
    }
    error2 = 4.0 * r2 * (error2 + d2);
    // dz -> (2 Z + dz) dz + dc, every operation in double-double.
    const zm = <usize>m << 4;
    add(2.0 * load<f64>(orbit + zm), 2.0 * load<f64>(lows + zm), dxh, dxl);
    const axh = hi;
    const axl = lo;
    add(2.0 * load<f64>(orbit + zm, 8), 2.0 * load<f64>(lows + zm, 8), dyh, dyl);
    const ayh = hi;
    const ayl = lo;
    mul(axh, axl, dxh, dxl);
    const pxh = hi;
    const pxl = lo;
    mul(ayh, ayl, dyh, dyl);
    add(pxh, pxl, -hi, -lo);
    add(hi, lo, dcx, 0);
    const nxh = hi;
    const nxl = lo;
    mul(axh, axl, dyh, dyl);
    const qxh = hi;
    const qxl = lo;
    mul(ayh, ayl, dxh, dxl);
    add(qxh, qxl, hi, lo);
    add(hi, lo, dcy, 0);
    dyh = hi;
    dyl = lo;
    dxh = nxh;
    dxl = nxl;
    m++;
  }
  return errorDecides(ROUNDING * error2, 0, 0, 0, 0, true) ? unsettled : -1;
}
