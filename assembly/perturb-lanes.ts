/**
 * The fast loop's lanes between bursts (perturb.ts): each lane's sample and state in lane arrays, filled from the
 * rectangle in order, and the scalar work the vectors leave to them (rebasing, reading a lane's events).
 */
import { f64At, i32At } from './lanes';
import { nextTry, takeRuns } from './perturb-bla';
import { STEPS, tally } from './perturb-stats';
import { gDcx, gDcy, gDzx, gDzy, gM, gN, start } from './perturb-start';
import {
  AMBIGUOUS,
  gColEnd,
  gColStart,
  gOriginX,
  gOriginY,
  gPixels,
  gRestart,
  gRowStart,
  gBla,
  gScale,
  gStepX,
  gStepY,
  lastOf,
  zAt,
} from './perturb-view';

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
export const START = memory.data(LANES * 4, 16); // i32: the step the lane's sample started at; -1 once it rebased
export const NEXT = memory.data(LANES * 4, 16); // i32: the place m where the lane next tries BLA runs (perturb-bla.ts)

/**
 * The error estimate of a lane that has not rebased yet, at step n with |dz|^2 = d2 (in units of ROUNDING). Until
 * its first rebase a sample's dz is a small offset growing as the reference's derivative does, and so does its
 * error: each step's rounding adds its share of |dz|^2 and keeps it (measured at the 1e31, 3e-13 and forced 1e9
 * views: every count the fast loop got wrong is still caught). So the fast loop grows the estimate only from a
 * sample's first rebase on, which at c = i, 1e100, is 3% of the steps.
 */
// @ts-ignore: decorator
@inline
export function untrackedError(l: i32, n: i32, d2: f64): f64 {
  return <f64>(n - load<i32>(i32At(START, l))) * d2;
}

/** Whether some lane grows its error estimate (has rebased: see untrackedError). */
export function anyTracked(): bool {
  // Only a tracked lane's START is negative: the sign bit of their OR.
  return (load<i32>(START) | load<i32>(START, 4) | load<i32>(START, 8) | load<i32>(START, 12)) < 0;
}

// The cursor: the next sample of the rectangle.
let gNext: i32 = 0;
let gCol: i32 = 0;
let gRow: i32 = 0;

/** Puts the cursor on the rectangle's first sample. */
export function rewind(): void {
  gNext = 0;
  gCol = gColStart;
  gRow = 0;
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
  store<i32>(i32At(START, l), 0);
  store<i32>(i32At(NEXT, l), i32.MAX_VALUE);
}

/** Puts the next sample that reaches the plain phase into lane l (finishing the others); parks it when none is left. */
export function refill(l: i32): void {
  while (gNext < gPixels) {
    const pixel = gNext++;
    const dcx = <f64>(2 * gCol - gOriginX) * gStepX;
    const dcy = <f64>(gOriginY - 2 * (gRowStart + gRow)) * gStepY;
    if (++gCol == gColEnd) {
      gCol = gColStart;
      gRow++;
    }
    if (start(pixel, dcx, dcy, gScale)) {
      store<f64>(f64At(DZX, l), gDzx);
      store<f64>(f64At(DZY, l), gDzy);
      store<f64>(f64At(DCX, l), gDcx);
      store<f64>(f64At(DCY, l), gDcy);
      store<i32>(i32At(M, l), gM);
      store<i32>(i32At(N, l), gN);
      store<i32>(i32At(PIXEL, l), pixel);
      store<f64>(f64At(ERR, l), 0);
      store<i32>(i32At(START, l), gN);
      store<i32>(i32At(N, l), gN + takeRuns(l, gN));
      store<i32>(i32At(NEXT, l), nextTry(l));
      return;
    }
  }
  park(l);
}

/**
 * Lane l's state in the lane arrays: 1 escaped, 2 to rebase (|z|^2 < |dz|^2, or a Julia set's orbit that escaped
 * ends), 3 glitched (see perturb.ts, and AMBIGUOUS), 0 none.
 */
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
  if (r2 >= 4.0) return r2 > AMBIGUOUS ? 1 : 3;
  if (r2 < dzx * dzx + dzy * dzy) return 2;
  return m == lastOf(m) ? endEvent(m) : 0;
}

/** At an orbit's last point: a Julia set's sample rebases where the orbit escaped (no dc to lose); else GLITCHED. */
function endEvent(m: i32): i32 {
  const rx = load<f64>(zAt(m));
  const ry = load<f64>(zAt(m), 8);
  return gRestart > 0 && rx * rx + ry * ry >= 4.0 ? 2 : 3;
}

/**
 * Rebases, in the lane arrays, the lanes that need it: dz := z, m := restart, k steps into a burst, and with BLA
 * (perturb-bla.ts) on through the step from the orbit's 0 and the runs that hold the lane, its count advanced in N;
 * and takes the lanes at their NEXT place through the runs that hold them. Returns true when some lane has escaped
 * or glitched instead, for the caller to finish (nothing is changed then), and when lanes were advanced: the
 * burst's steps were counted for counts that no longer hold.
 */
export function rebaseLanes(k: i32): bool {
  for (let l = 0; l < LANES; l++) {
    const event = laneEvent(l);
    if (event == 1 || event == 3) return true;
  }
  let advanced = false;
  for (let l = 0; l < LANES; l++) {
    if (laneEvent(l) != 2) continue;
    const m = load<i32>(i32At(M, l));
    const dzx = load<f64>(f64At(DZX, l));
    const dzy = load<f64>(f64At(DZY, l));
    if (load<i32>(i32At(START, l)) >= 0) {
      const n = load<i32>(i32At(N, l)) + k;
      store<f64>(f64At(ERR, l), untrackedError(l, n, dzx * dzx + dzy * dzy));
      store<i32>(i32At(START, l), -1);
    }
    const zx = load<f64>(zAt(m)) + dzx;
    const zy = load<f64>(zAt(m), 8) + dzy;
    store<f64>(f64At(DZX, l), zx);
    store<f64>(f64At(DZY, l), zy);
    const r2 = zx * zx + zy * zy;
    store<f64>(f64At(ERR, l), load<f64>(f64At(ERR, l)) + r2);
    store<i32>(i32At(M, l), gRestart);
    if (gBla != 0) {
      stepFromZero(l, k, r2);
      advanced = true;
    }
  }
  for (let l = 0; l < LANES; l++) {
    if (load<i32>(i32At(M, l)) != load<i32>(i32At(NEXT, l))) continue;
    const taken = takeRuns(l, load<i32>(i32At(N, l)) + k);
    store<i32>(i32At(N, l), load<i32>(i32At(N, l)) + taken);
    store<i32>(i32At(NEXT, l), nextTry(l));
    advanced = advanced || taken > 0;
  }
  return advanced;
}

/**
 * A lane just rebased (dz = z, at the orbit's 0, k steps into a burst; r2 = |z|^2): the step from there as the fast
 * loop takes it (dz -> (0 + z) dz + dc, its error grown by |2z|^2), then the runs that hold it.
 */
function stepFromZero(l: i32, k: i32, r2: f64): void {
  const n = load<i32>(i32At(N, l)) + k;
  const dzx = load<f64>(f64At(DZX, l));
  const dzy = load<f64>(f64At(DZY, l));
  // The burst stopped short of maxIter (n < maxIter): this step may be taken.
  store<f64>(f64At(ERR, l), (load<f64>(f64At(ERR, l)) + r2) * (4.0 * r2));
  store<f64>(f64At(DZX, l), dzx * dzx - dzy * dzy + load<f64>(f64At(DCX, l)));
  store<f64>(f64At(DZY, l), dzx * dzy + dzy * dzx + load<f64>(f64At(DCY, l)));
  store<i32>(i32At(M, l), gRestart + 1);
  tally(STEPS, 1);
  const taken = takeRuns(l, n + 1);
  store<i32>(i32At(N, l), load<i32>(i32At(N, l)) + 1 + taken);
  store<i32>(i32At(NEXT, l), nextTry(l));
}
