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

// A complex double-double value travels as two v128: the high parts (re, im) and the low parts (re, im), so that each
// operation works on both components at once, in registers. Per component, the operations and their order are those
// of the scalar double-double this replaced, so the results are bit for bit the same.

/** The high part of a + b, lane by lane (a = (ah, al), b = (bh, bl)); sumLow gives the low part. */
// @ts-ignore: decorator
@inline
function sumHigh(ah: v128, al: v128, bh: v128, bl: v128): v128 {
  const s = f64x2.add(ah, bh);
  const v = f64x2.sub(s, ah);
  const e = f64x2.add(f64x2.add(f64x2.add(f64x2.sub(ah, f64x2.sub(s, v)), f64x2.sub(bh, v)), al), bl);
  return f64x2.add(s, e);
}

/** The low part of a + b whose high part is h. */
// @ts-ignore: decorator
@inline
function sumLow(ah: v128, al: v128, bh: v128, bl: v128, h: v128): v128 {
  const s = f64x2.add(ah, bh);
  const v = f64x2.sub(s, ah);
  const e = f64x2.add(f64x2.add(f64x2.add(f64x2.sub(ah, f64x2.sub(s, v)), f64x2.sub(bh, v)), al), bl);
  return f64x2.sub(e, f64x2.sub(h, s));
}

/** The error of a's and b's high parts' product (Dekker) plus the cross terms: p + productError is a * b. */
// @ts-ignore: decorator
@inline
function productError(ah: v128, al: v128, bh: v128, bl: v128, p: v128): v128 {
  const splitter = f64x2.splat(SPLITTER);
  let t = f64x2.mul(splitter, ah);
  const ahh = f64x2.sub(t, f64x2.sub(t, ah));
  const ahl = f64x2.sub(ah, ahh);
  t = f64x2.mul(splitter, bh);
  const bhh = f64x2.sub(t, f64x2.sub(t, bh));
  const bhl = f64x2.sub(bh, bhh);
  const e = f64x2.add(
    f64x2.add(
      f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(ahh, bhh), p), f64x2.mul(ahh, bhl)), f64x2.mul(ahl, bhh)),
      f64x2.mul(ahl, bhl),
    ),
    f64x2.add(f64x2.mul(ah, bl), f64x2.mul(al, bh)),
  );
  return e;
}

// @ts-ignore: decorator
@inline
function swap(a: v128): v128 {
  return v128.shuffle<f64>(a, a, 1, 0);
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
  const ch = f64x2.replace_lane(f64x2.splat(dcx), 1, dcy);
  const cl = f64x2.splat(0);
  let dh = ch;
  let dl = cl;
  let error2 = 0.0;
  let m = 1;
  for (let n = 1; n < maxIter; n++) {
    const high = v128.load(orbit + (<usize>m << 4));
    const low = v128.load(lows + (<usize>m << 4));
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
    } else if (m == last) {
      return unsettled;
    }
    error2 = 4.0 * r2 * (error2 + d2);
    // dz -> (2 Z + dz) dz + dc: a = 2 Z + dz; (ax dx, ay dy) and (ax dy, ay dx); then (ax dx - ay dy, ax dy + ay dx).
    const twice = f64x2.splat(2.0);
    const high2 = f64x2.mul(v128.load(orbit + (<usize>m << 4)), twice);
    const low2 = f64x2.mul(v128.load(lows + (<usize>m << 4)), twice);
    const ah = sumHigh(high2, low2, dh, dl);
    const al = sumLow(high2, low2, dh, dl, ah);
    const sh = swap(dh);
    const sl = swap(dl);
    const p1 = f64x2.mul(ah, dh);
    const e1 = productError(ah, al, dh, dl, p1);
    const h1 = f64x2.add(p1, e1);
    const l1 = f64x2.sub(e1, f64x2.sub(h1, p1));
    const p2 = f64x2.mul(ah, sh);
    const e2 = productError(ah, al, sh, sl, p2);
    const h2 = f64x2.add(p2, e2);
    const l2 = f64x2.sub(e2, f64x2.sub(h2, p2));
    // u = (ax dx, ax dy), v = (-(ay dy), ay dx).
    const uh = v128.shuffle<f64>(h1, h2, 0, 2);
    const ul = v128.shuffle<f64>(l1, l2, 0, 2);
    const flip = f64x2.replace_lane(f64x2.splat(-1.0), 1, 1.0);
    const vh = f64x2.mul(v128.shuffle<f64>(h1, h2, 1, 3), flip);
    const vl = f64x2.mul(v128.shuffle<f64>(l1, l2, 1, 3), flip);
    const wh = sumHigh(uh, ul, vh, vl);
    const wl = sumLow(uh, ul, vh, vl, wh);
    dh = sumHigh(wh, wl, ch, cl);
    dl = sumLow(wh, wl, ch, cl, dh);
    m++;
  }
  return errorDecides(ROUNDING * error2, 0, 0, 0, 0, true) ? unsettled : -1;
}
