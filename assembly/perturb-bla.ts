/**
 * Bilinear approximation (BLA) in the perturbation kernel: a lane whose dz is small against the reference takes whole
 * runs of steps at once, by the second-order maps of src/plane/bla.ts (which explains them and lays out the table):
 *   dz -> A dz + B dc + P dz^2 + Q dz dc + S dc^2,
 * the longest run whose radius holds its dz, again and again. A lane tries them where it starts, one step past where
 * it rebases, and at places along the way (TRY_STRIDE, nextTry: perturb-lanes.ts and the burst stop there).
 *
 * Exactness: a run's result differs from stepping by its rounding (its steps' roundings, as stepping has them) and by
 * the terms of third order and up that it drops. The latter are about 2 |q|^2 / |L| (q the second-order part, L the
 * linear one: for compositions of z^2 + c the coefficients of each order grow as Catalan numbers do); the lane's
 * error estimate takes REMAINDER times that, added to its error as a coherent term, so a count it could change goes
 * to the double-double or BigInt path (perturb-view.ts, finish).
 */
import { f64At, i32At } from './lanes';
import { DCX, DCY, DZX, DZY, ERR, M, STRIDE } from './perturb-lanes';
import { RUN_STEPS, RUNS, tally } from './perturb-stats';
import { lastOf, View } from './perturb-view';

/** The index's levels a segment (src/plane/bla.ts, TABLE_LEVELS). */
const TABLE_LEVELS = 32;

/** The shortest run stored (src/plane/bla.ts, MIN_LEVEL). */
export const MIN_LEVEL = 3;

/** Bytes a block: A, B, P, Q, S, r^2, length (src/plane/bla.ts, BLOCK_F64). */
const BLOCK_BYTES = 96;

/** The dropped terms' estimate, as a multiple of |q|^2 / |L| (see the top). */
const REMAINDER: f64 = 2;

/**
 * Between runs a lane tries again every TRY_STRIDE places (where they start: runs of a reference near 0 end early,
 * and hold again past it), while its dz could fit a run at all; after each try that finds none, twice as far, up to
 * MAX_STRIDE (an orbit that passes near 0 every few steps, as at a minibrot's nucleus, has no runs: trying every 16
 * steps there made the fast loop stop every few steps, 2.3x slower). The places depend on the sample alone, so its
 * arithmetic does not depend on its neighbours in the lanes.
 */
export const TRY_STRIDE = 16;
export const MAX_STRIDE = 4096;

/** A run's radius is at most EPSILON |Z| < 2 EPSILON (src/plane/bla.ts): a larger |dz|^2 than this fits none. */
export const NO_RUN: f64 = 4.0 * 3.552713678800501e-15; // (2 * 2^-24)^2

/** 2^53: an error times this, squared, is in ERR's unit (perturb-lanes.ts, ROUNDING = 2^-106). */
const PER_ROUNDING: f64 = 9007199254740992;

/** The index's entry for a segment's level: its first block (i32), then its number of blocks (i32, at 4). */
// @ts-ignore: decorator
@inline
function levelEntry(segment: i32, level: i32): usize {
  return View.blaIndex + ((<usize>(segment * TABLE_LEVELS + level)) << 3);
}

/**
 * The longest run that starts at m, holds |dz|^2 = d2 in its radius and ends by count `end` from count n; 0 if none.
 * Its block's address (BLOCK_BYTES: A, B, P, Q, S as re, im; r^2; the length).
 */
export function runAt(m: i32, n: i32, d2: f64, end: i32): usize {
  const segment = m <= View.viewLast ? 0 : 1;
  const j = m - (segment == 0 ? 0 : View.restart) - 1;
  if (j < 0) return 0;
  let best: usize = 0;
  for (let level = MIN_LEVEL; level < TABLE_LEVELS; level++) {
    if ((j & ((1 << level) - 1)) != 0 || n + (1 << level) > end) break;
    const at = levelEntry(segment, level);
    const i = j >> level;
    if (i >= load<i32>(at, 4)) break;
    const run = View.bla + <usize>(load<i32>(at) + i) * BLOCK_BYTES;
    if (!(d2 < load<f64>(run, 80))) break;
    best = run;
  }
  return best;
}

/** Candidate places nextTry looks at for one whose shortest run could hold the lane's dz. */
const SCAN = 8;

/**
 * Where lane l tries runs next (see TRY_STRIDE), after a try that `found` runs or not (a lane that starts or rebases
 * counts as found): the first of SCAN places a stride apart whose shortest run's radius holds the lane's dz now (an
 * orbit through 0 has none), or the last of them; i32.MAX_VALUE when none before its orbit ends or its dz fits no run.
 */
export function nextTry(l: i32, found: bool): i32 {
  if (View.bla == 0) return i32.MAX_VALUE;
  const stride = found ? TRY_STRIDE : min(MAX_STRIDE, load<i32>(i32At(STRIDE, l)) << 1);
  store<i32>(i32At(STRIDE, l), stride);
  const m = load<i32>(i32At(M, l));
  const segment = m <= View.viewLast ? 0 : 1;
  const base = segment == 0 ? 0 : View.restart;
  const dzx = load<f64>(f64At(DZX, l));
  const dzy = load<f64>(f64At(DZY, l));
  let d2 = dzx * dzx + dzy * dzy;
  if (m == base) {
    // Just rebased (dz = z at the orbit's 0): the step from there makes dz z^2 + dc, far smaller.
    const dc = Math.sqrt(load<f64>(f64At(DCX, l)) ** 2 + load<f64>(f64At(DCY, l)) ** 2);
    d2 = (d2 + dc) * (d2 + dc);
  }
  if (!(d2 < NO_RUN)) return i32.MAX_VALUE;
  const at = levelEntry(segment, MIN_LEVEL);
  const first = load<i32>(at);
  const count = load<i32>(at, 4);
  // Places base + 1 + j, j a multiple of the stride (of 2^MIN_LEVEL, so runs start there).
  let j = ((m - base - 1) | (stride - 1)) + 1;
  for (let scan = 1; scan < SCAN; scan++) {
    const i = j >> MIN_LEVEL;
    if (i >= count) return i32.MAX_VALUE;
    if (d2 < load<f64>(View.bla + <usize>(first + i) * BLOCK_BYTES, 80)) break;
    j += stride;
  }
  const next = base + 1 + j;
  return next < lastOf(m) ? next : i32.MAX_VALUE;
}

/**
 * A run applied to one (dz, dc) by applyRun: its linear part A dz + B dc, its second-order part, and its derivative in
 * dz, A + 2 P dz + Q dc (how an error in dz grows along the run).
 */
export namespace Run {
  export let linearX: f64 = 0;
  export let linearY: f64 = 0;
  export let secondX: f64 = 0;
  export let secondY: f64 = 0;
  export let slopeX: f64 = 0;
  export let slopeY: f64 = 0;
}

/**
 * The run at `run` (a block of runAt's) applied to dz and dc: dz -> A dz + B dc + P dz^2 + Q dz dc + S dc^2 (see
 * Run).
 */
// @ts-ignore: decorator
@inline
export function applyRun(run: usize, dzx: f64, dzy: f64, dcx: f64, dcy: f64): void {
  const ar = load<f64>(run);
  const ai = load<f64>(run, 8);
  const br = load<f64>(run, 16);
  const bi = load<f64>(run, 24);
  const pr = load<f64>(run, 32);
  const pi = load<f64>(run, 40);
  const qr = load<f64>(run, 48);
  const qi = load<f64>(run, 56);
  const sr = load<f64>(run, 64);
  const si = load<f64>(run, 72);
  const zzr = dzx * dzx - dzy * dzy;
  const zzi = 2.0 * dzx * dzy;
  const zcr = dzx * dcx - dzy * dcy;
  const zci = dzx * dcy + dzy * dcx;
  const ccr = dcx * dcx - dcy * dcy;
  const cci = 2.0 * dcx * dcy;
  Run.linearX = ar * dzx - ai * dzy + (br * dcx - bi * dcy);
  Run.linearY = ar * dzy + ai * dzx + (br * dcy + bi * dcx);
  Run.secondX = pr * zzr - pi * zzi + (qr * zcr - qi * zci) + (sr * ccr - si * cci);
  Run.secondY = pr * zzi + pi * zzr + (qr * zci + qi * zcr) + (sr * cci + si * ccr);
  Run.slopeX = ar + 2.0 * (pr * dzx - pi * dzy) + (qr * dcx - qi * dcy);
  Run.slopeY = ai + 2.0 * (pr * dzy + pi * dzx) + (qr * dcy + qi * dcx);
}

/**
 * Takes lane l, at count n, through the longest runs that hold it; returns the steps taken (for the caller to add to
 * the lane's count). The lane's dz, place and error estimate are updated in the lane arrays.
 */
export function takeRuns(l: i32, n: i32): i32 {
  if (View.bla == 0) return 0;
  let m = load<i32>(i32At(M, l));
  let dzx = load<f64>(f64At(DZX, l));
  let dzy = load<f64>(f64At(DZY, l));
  const dcx = load<f64>(f64At(DCX, l));
  const dcy = load<f64>(f64At(DCY, l));
  let error2 = load<f64>(f64At(ERR, l));
  let taken = 0;
  while (true) {
    const d2 = dzx * dzx + dzy * dzy;
    const run = runAt(m, n + taken, d2, View.maxIter);
    if (run == 0) break;
    const length = <i32>load<f64>(run, 88);
    if (length <= 0) break; // never from a table of src/plane/bla.ts: a guard against memory that is not one
    applyRun(run, dzx, dzy, dcx, dcy);
    const lr = Run.linearX;
    const li = Run.linearY;
    const qqr = Run.secondX;
    const qqi = Run.secondY;
    const gr = Run.slopeX;
    const gi = Run.slopeY;
    const l2 = lr * lr + li * li;
    const q2 = qqr * qqr + qqi * qqi;
    const dropped = l2 > 0 ? (REMAINDER * q2) / Math.sqrt(l2) : 0.0;
    dzx = lr + qqr;
    dzy = li + qqi;
    m += length;
    taken += length;
    tally(RUNS, 1);
    const after2 = dzx * dzx + dzy * dzy;
    const grown = Math.sqrt(error2 * (gr * gr + gi * gi) + <f64>length * after2) + dropped * PER_ROUNDING;
    error2 = grown * grown;
  }
  if (taken == 0) return 0;
  tally(RUN_STEPS, <f64>taken);
  store<f64>(f64At(DZX, l), dzx);
  store<f64>(f64At(DZY, l), dzy);
  store<i32>(i32At(M, l), m);
  store<f64>(f64At(ERR, l), error2);
  return taken;
}
