/**
 * The fast loop's lanes between bursts (perturb.ts): each lane's sample and state in lane arrays, filled from the
 * rectangle in order, and the scalar work the vectors leave to them (rebasing, reading a lane's events).
 */
import { f64At, i32At } from './lanes';
import { nextTry, takeRuns } from './perturb-bla';
import { atPeriod, CHECK_M, nextCheck, resetInterior } from './perturb-interior';
import { ON_AXIS, STEPS, tally } from './perturb-stats';
import { start, Start } from './perturb-start';
import { AMBIGUOUS, finishInside, lastOf, NEAR_FOUR, View, zAt } from './perturb-view';

/** A step's rounding error squared, relative to |dz|^2 (2^-53 squared, a few roundings a step): ERR's unit. */
export const ROUNDING: f64 = 1.232595164407831e-32; // 2^-106

export const LANES = 4;

// Lane state between bursts; lane l's f64 at byte 8l, so one v128 load gives a vector of two lanes.
export const DZX = memory.data(LANES * 8, 16);
export const DZY = memory.data(LANES * 8, 16);
export const DCX = memory.data(LANES * 8, 16);
export const DCY = memory.data(LANES * 8, 16);
export const M = memory.data(LANES * 4, 16); // i32: the lane's place in the reference
export const N = memory.data(LANES * 4, 16); // i32: the lane's iteration count so far (z_n = Z_m + dz)
export const PIXEL = memory.data(LANES * 4, 16); // i32: sample index in the rectangle; -1 for a parked lane
export const ERR = memory.data(LANES * 8, 16); // f64: the estimated squared error of the lane's z, in units of ROUNDING
export const NEXT = memory.data(LANES * 4, 16); // i32: the place m where the lane next tries BLA runs (perturb-bla.ts)
export const STRIDE = memory.data(LANES * 4, 16); // i32: how far that place was set from the last

/** The cursor: the next sample of the rectangle, its index and its column and row. */
namespace Cursor {
  export let next: i32 = 0;
  export let col: i32 = 0;
  export let row: i32 = 0;
}

/** Puts the cursor on the rectangle's first sample. */
export function rewind(): void {
  Cursor.next = 0;
  Cursor.col = View.colStart;
  Cursor.row = 0;
}

/** Parks lane l on the reference's start with dz = dc = 0: it follows the reference and its events are ignored. */
export function park(l: i32): void {
  store<f64>(f64At(DZX, l), 0);
  store<f64>(f64At(DZY, l), 0);
  store<f64>(f64At(DCX, l), 0);
  store<f64>(f64At(DCY, l), 0);
  store<i32>(i32At(M, l), 0);
  store<i32>(i32At(N, l), 0);
  store<i32>(i32At(PIXEL, l), -1);
  store<f64>(f64At(ERR, l), 0);
  store<i32>(i32At(NEXT, l), i32.MAX_VALUE);
  resetInterior(l, 0, i32.MAX_VALUE);
}

/** Puts the next sample that reaches the plain phase into lane l (finishing the others); parks it when none is left. */
export function refill(l: i32): void {
  while (Cursor.next < View.pixels) {
    const pixel = Cursor.next++;
    const col = Cursor.col;
    const row = View.rowStart + Cursor.row;
    if (++Cursor.col == View.colEnd) {
      Cursor.col = View.colStart;
      Cursor.row++;
    }
    if (row == View.axisRow && col >= View.axisFrom && col < View.axisTo) {
      finishInside(pixel);
      tally(ON_AXIS, 1);
      continue;
    }
    const dcx = <f64>(2 * col - View.originX) * View.stepX;
    const dcy = <f64>(View.originY - 2 * row) * View.stepY;
    if (start(pixel, dcx, dcy, View.scale)) {
      store<f64>(f64At(DZX, l), Start.dzx);
      store<f64>(f64At(DZY, l), Start.dzy);
      store<f64>(f64At(DCX, l), Start.dcx);
      store<f64>(f64At(DCY, l), Start.dcy);
      store<i32>(i32At(M, l), Start.m);
      store<i32>(i32At(PIXEL, l), pixel);
      // With the roundings of the steps the linear start skipped.
      store<f64>(f64At(ERR, l), <f64>Start.n * (Start.dzx * Start.dzx + Start.dzy * Start.dzy));
      store<i32>(i32At(N, l), Start.n + takeRuns(l, Start.n));
      store<i32>(i32At(NEXT, l), nextTry(l, true));
      resetInterior(l, load<i32>(i32At(N, l)), load<i32>(i32At(M, l)));
      return;
    }
  }
  park(l);
}

/**
 * A lane's squared error estimate (in ROUNDING units) at this many times |z|^2 means an error of |z| / 16, SAFETY
 * (rounding.ts) included: 2^-8 / (16 ROUNDING) = 2^94.
 *
 * The estimate follows the computed orbit by the map's derivative, which holds while the error is small against z.
 * Where z passes near 0 (every period, along a reference at a nucleus) an error that was small against z elsewhere
 * may not be: at a period-44 minibrot at 1e27 a sample's dz was 74% off there, its estimate saying 20% of it, while
 * the error against |z| = 1 at the end said 1e-26, and the sample, which escapes after 87390 steps, came out inside.
 * The linear estimate holds while the error's square (dropped) is far below 2 z times it: so a lane whose estimate
 * reaches |z| / 16 anywhere goes to the double-double path at once (perturb.ts). At 2^-20 of |z| instead, a tenth of
 * the samples of the 1e30 seahorse view went there, none of them needing it.
 */
export const LOST: f64 = 1.9807040628566084e28; // 2^94

/** What laneEvent finds of a lane: nothing to do (its orbit goes on). */
export const GOES_ON: i32 = 0;
/** It escaped. */
export const ESCAPED: i32 = 1;
/** It is to rebase: |z|^2 < |dz|^2, or a Julia set's reference orbit that escaped ends. */
export const REBASE: i32 = 2;
/** Its escape is undecided near |z| = 2 (nearFour), or the reference ends under it (endEvent): GLITCHED. */
export const UNDECIDED: i32 = 3;
/** Its error estimate has grown past LOST of |z|: the orbit can no longer be trusted to the end. */
export const LOST_TRACK: i32 = 4;

/** Lane l's event in the lane arrays: GOES_ON, ESCAPED, REBASE, UNDECIDED or LOST_TRACK. */
// Inlined by hand: with the Julia test below Binaryen stopped inlining it, and samples of a few dozen steps (1e100
// at c = i) took 10-15% longer; so the rare test is kept apart, in endEvent.
// @ts-ignore: decorator
@inline
export function laneEvent(l: i32): i32 {
  const m = load<i32>(i32At(M, l));
  const dzx = load<f64>(f64At(DZX, l));
  const dzy = load<f64>(f64At(DZY, l));
  const zx = load<f64>(zAt(m)) + dzx;
  const zy = load<f64>(zAt(m), 8) + dzy;
  const r2 = zx * zx + zy * zy;
  if (r2 >= NEAR_FOUR) {
    if (r2 > AMBIGUOUS) {
      LastEscape.excess = NaN;
      return ESCAPED;
    }
    const near = nearFour(l, m, r2);
    if (near != GOES_ON) return near;
  }
  if (load<f64>(f64At(ERR, l)) > LOST * r2) return LOST_TRACK;
  if (r2 < dzx * dzx + dzy * dzy) return REBASE;
  return m == lastOf(m) ? endEvent(m) : GOES_ON;
}

/** |z|^2 - 4 of the last escape that nearFour decided; NaN for one that f64 alone decided (see laneEvent). */
/** |z|^2 - 4 of the last escape that nearFour decided; NaN for one that f64 alone decided (see laneEvent). */
export namespace LastEscape {
  export let excess: f64 = NaN;
}

/** 2^-40: how far a lane's dz may be off, relative to it, in nearFour (the steps' rounding, as a random walk). */
const DZ_TRUSTED: f64 = 9.094947017729282e-13;

/**
 * Lane l at place m with |z|^2 = r2 within 2^-40 of 4, where f64 cannot tell |z| = 2 - 1e-50 from 2: ESCAPED,
 * GOES_ON, or UNDECIDED (GLITCHED, for the exact fallback). Where the orbit's |Z_m|^2 - 4 is kept (its margin: Z runs
 * along |Z| = 2, as at the needle's tip, src/plane/orbit.ts), |z|^2 - 4 = margin + 2 Re(conj(Z) dz) + |dz|^2 decides,
 * to the rounding of those terms and of dz; elsewhere, as f64 says: r2 >= 4 undecided, below it not escaped.
 */
function nearFour(l: i32, m: i32, r2: f64): i32 {
  const margin = load<f64>(View.margins + ((<usize>m) << 3));
  if (margin == 0) return r2 >= 4.0 ? UNDECIDED : GOES_ON;
  const rx = load<f64>(zAt(m));
  const ry = load<f64>(zAt(m), 8);
  const dzx = load<f64>(f64At(DZX, l));
  const dzy = load<f64>(f64At(DZY, l));
  const d2 = dzx * dzx + dzy * dzy;
  const cross = 2.0 * (rx * dzx + ry * dzy);
  const excess = margin + cross + d2;
  // The terms' rounding and Z's (2^-52 of |Z| ~ 2, times 2 |dz|), and dz's own error: |z|^2 moves by 2 |z| ~ 4 times
  // z's, with SAFETY (rounding.ts) 4 on the estimate.
  let bound = DZ_TRUSTED * (Math.abs(margin) + 4.0 * Math.sqrt(d2) + d2);
  bound += 16.0 * Math.sqrt(load<f64>(f64At(ERR, l)) * ROUNDING);
  if (excess >= bound) {
    LastEscape.excess = excess;
    return ESCAPED;
  }
  return excess < -bound ? GOES_ON : UNDECIDED;
}

/**
 * Whether nearFour would let both lanes of one of the fast loop's vector pairs go on (GOES_ON) wherever `near`
 * (|z|^2 >= NEAR_FOUR) holds: its operations in its order, two lanes at once, so the results are its own bit for bit.
 * Along the needle's orbits, which run within 2^-40 of |z| = 2 for their first 30 steps or so, every step stopped the
 * fast loop for the lane arrays to decide; now the loop steps on where they would have said "goes on". (The pair's
 * values are as burst holds them: the reference's parts rx, ry at places ma, mb; dz; |z|^2; |dz|^2; the error
 * estimates err.)
 */
export function pairGoesOn(
  near: v128,
  rx: v128,
  ry: v128,
  dzx: v128,
  dzy: v128,
  r2: v128,
  d2: v128,
  ma: i32,
  mb: i32,
  err: v128,
): bool {
  if (!v128.any_true(near)) return true;
  if (v128.any_true(f64x2.gt(r2, f64x2.splat(AMBIGUOUS)))) return false;
  const margin = f64x2.replace_lane(
    f64x2.splat(load<f64>(View.margins + ((<usize>ma) << 3))),
    1,
    load<f64>(View.margins + ((<usize>mb) << 3)),
  );
  const cross = f64x2.mul(f64x2.splat(2.0), f64x2.add(f64x2.mul(rx, dzx), f64x2.mul(ry, dzy)));
  const excess = f64x2.add(f64x2.add(margin, cross), d2);
  let bound = f64x2.mul(
    f64x2.splat(DZ_TRUSTED),
    f64x2.add(f64x2.add(f64x2.abs(margin), f64x2.mul(f64x2.splat(4.0), f64x2.sqrt(d2))), d2),
  );
  bound = f64x2.add(bound, f64x2.mul(f64x2.splat(16.0), f64x2.sqrt(f64x2.mul(err, f64x2.splat(ROUNDING)))));
  const tracked = v128.andnot(f64x2.lt(excess, f64x2.neg(bound)), f64x2.ge(excess, bound));
  const untracked = f64x2.lt(r2, f64x2.splat(4.0));
  const goes = v128.bitselect(untracked, tracked, f64x2.eq(margin, f64x2.splat(0)));
  return i64x2.all_true(v128.or(v128.not(near), goes));
}

/** At an orbit's last point: a Julia set's sample rebases where the orbit escaped (no dc to lose); else GLITCHED. */
function endEvent(m: i32): i32 {
  const rx = load<f64>(zAt(m));
  const ry = load<f64>(zAt(m), 8);
  return View.restart > 0 && rx * rx + ry * ry >= 4.0 ? REBASE : UNDECIDED;
}

/** What rebaseLanes leaves the fast loop to do: step on (its lanes rebased, or nothing happened). */
export const STEP_ON: i32 = 0;
/** Look at every lane again before stepping on: some took BLA runs, which moved their z and counts. */
export const LOOK_AGAIN: i32 = 1;
/** Return to the driver (perturb.ts): some lane escaped, glitched, lost track, or was proven inside. */
export const TO_DRIVER: i32 = 2;

/**
 * Rebases, in the lane arrays, the lanes that need it: dz := z, m := restart, k steps into a burst, with their next
 * place to try BLA runs (perturb-bla.ts: where they start, one step on); and takes the lanes at their NEXT place
 * through the runs that hold them, their counts advanced in N. Returns TO_DRIVER when some lane has escaped or glitched
 * instead, for the driver to finish (nothing is changed then), and when some lane was proven inside
 * (perturb-interior.ts); LOOK_AGAIN when some lane took runs; else STEP_ON.
 *
 * `quiet`: the fast loop found no lane near |z| = 2, lost or to rebase (the tests of laneEvent, in its operations):
 * laneEvent is then asked only of the lanes at their orbit's last point. At the seahorse view the loop stops every
 * six steps or so, mostly where one lane tries runs, and asking every lane was much of a stop's cost.
 */
export function rebaseLanes(k: i32, quiet: bool): i32 {
  // Each lane's event once (near |z| = 2 it takes the margin test): the bits of the lanes to rebase.
  let rebasing = 0;
  for (let l = 0; l < LANES; l++) {
    if (quiet) {
      const m = load<i32>(i32At(M, l));
      if (m != lastOf(m)) continue;
    }
    const event = laneEvent(l);
    if (event == ESCAPED || event == UNDECIDED || event == LOST_TRACK) return TO_DRIVER;
    if (event == REBASE) rebasing |= 1 << l;
  }
  let inside = false;
  let ran = false;
  for (let l = 0; l < LANES; l++) {
    if ((rebasing & (1 << l)) == 0) continue;
    const m = load<i32>(i32At(M, l));
    const dzx = load<f64>(f64At(DZX, l));
    const dzy = load<f64>(f64At(DZY, l));
    const zx = load<f64>(zAt(m)) + dzx;
    const zy = load<f64>(zAt(m), 8) + dzy;
    store<f64>(f64At(DZX, l), zx);
    store<f64>(f64At(DZY, l), zy);
    const r2 = zx * zx + zy * zy;
    store<f64>(f64At(ERR, l), load<f64>(f64At(ERR, l)) + r2);
    store<i32>(i32At(M, l), View.restart);
    store<i32>(i32At(NEXT, l), nextTry(l, true));
    // At the orbit's 0: a multiple of the period (perturb-interior.ts).
    if (atPeriod(l, load<i32>(i32At(N, l)) + k, load<f64>(f64At(ERR, l)))) inside = true;
  }
  for (let l = 0; l < LANES; l++) {
    const m = load<i32>(i32At(M, l));
    if (m == load<i32>(i32At(CHECK_M, l))) {
      if (atPeriod(l, load<i32>(i32At(N, l)) + k, load<f64>(f64At(ERR, l)))) inside = true;
    }
    if (m != load<i32>(i32At(NEXT, l))) continue;
    const taken = takeRuns(l, load<i32>(i32At(N, l)) + k);
    store<i32>(i32At(N, l), load<i32>(i32At(N, l)) + taken);
    store<i32>(i32At(NEXT, l), nextTry(l, taken > 0));
    if (taken > 0) store<i32>(i32At(CHECK_M, l), nextCheck(load<i32>(i32At(M, l))));
    ran = ran || taken > 0;
  }
  return inside ? TO_DRIVER : ran ? LOOK_AGAIN : STEP_ON;
}

/** Steps until the first lane with a sample reaches maxIter (a parked lane has none); i32.MAX_VALUE if all are parked. */
export function stepsLeft(): i32 {
  let steps = i32.MAX_VALUE;
  for (let l = 0; l < LANES; l++) {
    if (load<i32>(i32At(PIXEL, l)) >= 0) steps = min(steps, View.maxIter - load<i32>(i32At(N, l)));
  }
  return steps;
}
