/**
 * The second path for samples whose count the fast loop's rounding may have changed (perturb.ts, INEXACT): the same
 * perturbation, in double-double (about 106 bits), deltas and reference orbit alike (the orbit's low parts,
 * src/plane/orbit.ts), two samples side by side (precisePair: the step is bound by its latency, so a second sample's
 * steps fill the first's waits; with their plain steps in registers, plainSteps: at the 1e30 seahorse view the path's
 * time 1.2 -> 0.75 s on one thread). It starts from the first step, not where the fast loop's linear start does: at the
 * 1e31 seahorse view, that start's A, rounded to f64, was enough to change 6 of the 13 counts that the double-double
 * loop got right from the first step. It carries the fast loop's error estimate at its own precision; a sample it
 * cannot settle either (it outlives the reference, or its error could still change its count) stays INEXACT, for the
 * exact BigInt loop (src/engines/exact.ts).
 */
import { add, ddHigh, ddLow, mul, norm, sumHigh, sumLow } from './dd';
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

// Two samples' states (lanes 0 and 1): each v128 at byte 16 l, each f64 at 8 l, each i32 at 4 l. The step is bound by
// its latency (one chain 35 ns a step, two chains in one loop 37 ns for both), so two samples go side by side.
const DH = memory.data(32, 16); // dz's high parts (re, im)
const DL = memory.data(32, 16); // and low parts
const CH = memory.data(32, 16); // dc (its low parts are 0)
const ERROR2 = memory.data(16, 16); // the error estimate, in units of ROUNDING
const PLACE = memory.data(8, 16); // m
const COUNT = memory.data(8, 16); // n
const NEXT = memory.data(8, 16); // where BLA runs are tried next
const STRIDE = memory.data(8, 16);
const RESULT = memory.data(8, 16); // the count, once settled
const NORM = memory.data(16, 16); // |z|^2 after the escape, once settled

// @ts-ignore: decorator
@inline
function v(at: usize, l: i32): usize {
  return at + ((<usize>l) << 4);
}

// @ts-ignore: decorator
@inline
function f(at: usize, l: i32): usize {
  return at + ((<usize>l) << 3);
}

// @ts-ignore: decorator
@inline
function i(at: usize, l: i32): usize {
  return at + ((<usize>l) << 2);
}

/** dz -> (2 Z + dz) dz + dc at place m, into ddHigh, ddLow. */
// @ts-ignore: decorator
@inline
function step(orbit: usize, lows: usize, m: i32, dh: v128, dl: v128, ch: v128): void {
  const twice = f64x2.splat(2.0);
  const high2 = f64x2.mul(v128.load(orbit + ((<usize>m) << 4)), twice);
  const low2 = f64x2.mul(v128.load(lows + ((<usize>m) << 4)), twice);
  const ah = sumHigh(high2, low2, dh, dl);
  const al = sumLow(high2, low2, dh, dl, ah);
  mul(ah, al, dh, dl);
  add(ddHigh, ddLow, ch, f64x2.splat(0));
}

/** Lane l starts the sample at offset dc from the reference: dz_1 = dc, at Z_1, count 1. */
function begin(l: i32, dcx: f64, dcy: f64): void {
  const ch = f64x2.replace_lane(f64x2.splat(dcx), 1, dcy);
  v128.store(v(CH, l), ch);
  v128.store(v(DH, l), ch);
  v128.store(v(DL, l), f64x2.splat(0));
  store<f64>(f(ERROR2, l), 0);
  store<i32>(i(PLACE, l), 1);
  store<i32>(i(COUNT, l), 1);
  // Where BLA runs are tried next (precise-bla.ts): at the start, one step past each rebase, then every `stride`
  // places, twice as far after each try that finds none.
  store<i32>(i(NEXT, l), 1);
  store<i32>(i(STRIDE, l), TRY_STRIDE);
}

/** Lane l's sample settled: `count`, and |z|^2 after the escape. Returns true. */
// @ts-ignore: decorator
@inline
function settled(l: i32, count: i32, norm: f64): bool {
  store<i32>(i(RESULT, l), count);
  store<f64>(f(NORM, l), norm);
  return true;
}

/**
 * One iteration of lane l over the orbit and its low parts (Z_0 .. Z_last): the escape test, a rebase, a BLA run or
 * a step. Returns true when its sample is settled (RESULT, NORM): its count, -1 if it never escapes before maxIter,
 * or `unsettled` when double-double cannot settle it.
 */
// @ts-ignore: decorator
@inline
function advance(l: i32, orbit: usize, lows: usize, last: i32, maxIter: i32, unsettled: i32, runs: bool): bool {
  let n = load<i32>(i(COUNT, l));
  let error2 = load<f64>(f(ERROR2, l));
  if (n >= maxIter) return settled(l, errorDecides(ROUNDING * error2, 0, 0, 0, 0, true) ? unsettled : -1, 0);
  let m = load<i32>(i(PLACE, l));
  let dh = v128.load(v(DH, l));
  let dl = v128.load(v(DL, l));
  const ch = v128.load(v(CH, l));
  const cl = f64x2.splat(0);
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
    const px = load<f64>(orbit, 16) + f64x2.extract_lane(ch, 0);
    const py = load<f64>(orbit, 24) + f64x2.extract_lane(ch, 1);
    if (errorDecides(ROUNDING * error2, zx, zy, px, py)) return settled(l, unsettled, 0);
    return settled(l, n, normAfterEscape(zx, zy, px, py));
  }
  if (r2 < d2) {
    error2 += ORBIT_AT_REBASE * d2;
    dh = zh;
    dl = zl;
    d2 = r2;
    m = 0;
    store<i32>(i(NEXT, l), 1);
    store<i32>(i(STRIDE, l), TRY_STRIDE);
  } else if (m == last) {
    return settled(l, unsettled, 0);
  } else if (runs && m == load<i32>(i(NEXT, l))) {
    const run = ddRunAt(m, n, d2);
    if (run != 0) {
      const length = ddRunLength(run);
      error2 = ddTakeRun(run, length, dh, dl, ch, cl, error2);
      v128.store(v(DH, l), ddHigh);
      v128.store(v(DL, l), ddLow);
      store<f64>(f(ERROR2, l), error2);
      store<i32>(i(PLACE, l), m + length);
      store<i32>(i(COUNT, l), n + length);
      store<i32>(i(NEXT, l), m + length);
      store<i32>(i(STRIDE, l), TRY_STRIDE);
      return false;
    }
    const stride = min(load<i32>(i(STRIDE, l)) << 1, MAX_STRIDE);
    store<i32>(i(STRIDE, l), stride);
    store<i32>(i(NEXT, l), 1 + (((m - 1) | (stride - 1)) + 1));
  }
  error2 = 4.0 * r2 * (error2 + d2);
  step(orbit, lows, m, dh, dl, ch);
  v128.store(v(DH, l), ddHigh);
  v128.store(v(DL, l), ddLow);
  store<f64>(f(ERROR2, l), error2);
  store<i32>(i(PLACE, l), m + 1);
  store<i32>(i(COUNT, l), n + 1);
  return false;
}

/**
 * The count of the sample at offset dc from the reference (orbit and its low parts as f64 pairs Z_0 .. Z_last),
 * -1 if it never escapes before maxIter, or `unsettled` when double-double cannot settle it; |z|^2 after its escape
 * in preciseNorm.
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
  begin(0, dcx, dcy);
  const runs = ddRunsReady();
  while (!advance(0, orbit, lows, last, maxIter, unsettled, runs)) {}
  preciseNorm = load<f64>(NORM);
  return load<i32>(RESULT);
}

/**
 * Both lanes' steps while neither meets an event (maxIter, an escape, a rebase, the orbit's end, a place to try a
 * run), their states in registers: advance's steps, the same operations in the same order; advance takes the events.
 */
function plainSteps(orbit: usize, lows: usize, last: i32, maxIter: i32, runs: bool): void {
  let dh0 = v128.load(v(DH, 0));
  let dl0 = v128.load(v(DL, 0));
  let dh1 = v128.load(v(DH, 1));
  let dl1 = v128.load(v(DL, 1));
  const ch0 = v128.load(v(CH, 0));
  const ch1 = v128.load(v(CH, 1));
  let e0 = load<f64>(f(ERROR2, 0));
  let e1 = load<f64>(f(ERROR2, 1));
  let m0 = load<i32>(i(PLACE, 0));
  let m1 = load<i32>(i(PLACE, 1));
  let n0 = load<i32>(i(COUNT, 0));
  let n1 = load<i32>(i(COUNT, 1));
  const next0 = runs ? load<i32>(i(NEXT, 0)) : -1;
  const next1 = runs ? load<i32>(i(NEXT, 1)) : -1;
  while (n0 < maxIter && n1 < maxIter && m0 != last && m1 != last && m0 != next0 && m1 != next1) {
    const z0 = sumHigh(v128.load(orbit + ((<usize>m0) << 4)), v128.load(lows + ((<usize>m0) << 4)), dh0, dl0);
    const z1 = sumHigh(v128.load(orbit + ((<usize>m1) << 4)), v128.load(lows + ((<usize>m1) << 4)), dh1, dl1);
    const r0 = norm(z0);
    const r1 = norm(z1);
    const d0 = norm(dh0);
    const d1 = norm(dh1);
    if (r0 >= 4.0 || r0 < d0 || r1 >= 4.0 || r1 < d1) break;
    e0 = 4.0 * r0 * (e0 + d0);
    e1 = 4.0 * r1 * (e1 + d1);
    step(orbit, lows, m0, dh0, dl0, ch0);
    dh0 = ddHigh;
    dl0 = ddLow;
    step(orbit, lows, m1, dh1, dl1, ch1);
    dh1 = ddHigh;
    dl1 = ddLow;
    m0++;
    m1++;
    n0++;
    n1++;
  }
  v128.store(v(DH, 0), dh0);
  v128.store(v(DL, 0), dl0);
  v128.store(v(DH, 1), dh1);
  v128.store(v(DL, 1), dl1);
  store<f64>(f(ERROR2, 0), e0);
  store<f64>(f(ERROR2, 1), e1);
  store<i32>(i(PLACE, 0), m0);
  store<i32>(i(PLACE, 1), m1);
  store<i32>(i(COUNT, 0), n0);
  store<i32>(i(COUNT, 1), n1);
}

/**
 * preciseCount for two samples side by side, each with its own operations in its order (the same results as one at
 * a time): their counts in preciseCounts(0) and (1), their norms in preciseNorms(0) and (1).
 */
export function precisePair(
  orbit: usize,
  lows: usize,
  last: i32,
  dc0x: f64,
  dc0y: f64,
  dc1x: f64,
  dc1y: f64,
  maxIter: i32,
  unsettled: i32,
): void {
  begin(0, dc0x, dc0y);
  begin(1, dc1x, dc1y);
  const runs = ddRunsReady();
  let done0: bool = false;
  let done1: bool = false;
  while (!done0 && !done1) {
    plainSteps(orbit, lows, last, maxIter, runs);
    done0 = advance(0, orbit, lows, last, maxIter, unsettled, runs);
    done1 = advance(1, orbit, lows, last, maxIter, unsettled, runs);
  }
  while (!done0) done0 = advance(0, orbit, lows, last, maxIter, unsettled, runs);
  while (!done1) done1 = advance(1, orbit, lows, last, maxIter, unsettled, runs);
}

/** Lane l's count after precisePair. */
export function preciseCounts(l: i32): i32 {
  return load<i32>(i(RESULT, l));
}

/** Lane l's |z|^2 after its escape, after precisePair. */
export function preciseNorms(l: i32): f64 {
  return load<f64>(f(NORM, l));
}
