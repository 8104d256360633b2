/**
 * What a perturbation call renders (perturb.ts): the reference orbit, the rectangle of samples, where every sample
 * starts (the linear start) and where the results go, read once from the parameter block; and the writing of a
 * sample's result, through the double-double path (precise.ts) when rounding may have decided its count.
 */
import { PerturbParams } from './perturb-params';
import { preciseCount, preciseNorm } from './precise';
import { errorDecides } from './rounding';
import { normAfterEscape } from './smooth';
import { LEFT_GLITCHED, LEFT_INEXACT, PRECISE, tally } from './perturb-stats';

/** The count of a sample that outlived the reference (see perturb.ts). */
export const GLITCHED: i32 = -2;

/**
 * An escape is left to the exact fallback (GLITCHED) when |z|^2 is at most this: z = Z + dz rounded to f64 cannot
 * tell 4 - 4e-50 from 4, and near c = -2, where orbits run along |z| = 2, that decided every count.
 */
export const AMBIGUOUS: f64 = 4.0 + 4.0 / 1099511627776.0; // 4 (1 + 2^-40)

/** The other end of that band: below it, |z|^2 < 4 in f64 means |z| < 2. */
export const NEAR_FOUR: f64 = 4.0 - 4.0 / 1099511627776.0; // 4 (1 - 2^-40)

/** The count of a sample whose count rounding may have changed, that double-double could not settle either. */
export const INEXACT: i32 = -3;

export let gOrbit: usize = 0;
export let gOrbitLow: usize = 0;
export let gPlainStepX: f64 = 0;
export let gPlainStepY: f64 = 0;
export let gLast: i32 = 0;
export let gRestart: i32 = 0; // where rebasing goes: 0, or a Julia set's critical orbit
export let gViewLast: i32 = 0; // the reference's last point: gLast, or before a Julia set's critical orbit
export let gScale: i32 = 0;
export let gMaxIter: i32 = 0;
export let gStepX: f64 = 0;
export let gStepY: f64 = 0;
export let gColStart: i32 = 0;
export let gColEnd: i32 = 0;
export let gRowStart: i32 = 0;
export let gOriginX: i32 = 0;
export let gOriginY: i32 = 0;
export let gCounts: usize = 0;
export let gNorms: usize = 0;
export let gJumpTo: i32 = 1;
export let gJumpX: f64 = 1;
export let gJumpY: f64 = 0;
export let gJumpDc: f64 = 1;
export let gPixels: i32 = 0;
export let gBla: usize = 0;
export let gBlaIndex: usize = 0;
export let gSettle: bool = true;
export let gMargins: usize = 0;
export let gPeriod: i32 = 0;
export let gDdRuns: usize = 0;
export let gRunDc: f64 = 0;

/** Reads the parameter block at `params`. */
export function setView(params: usize): void {
  const p = changetype<PerturbParams>(params);
  gOrbit = p.orbit;
  gOrbitLow = p.orbitLow;
  gPlainStepX = p.plainStepX;
  gPlainStepY = p.plainStepY;
  gLast = p.orbitLength - 1;
  gRestart = p.restart;
  gViewLast = (gRestart > 0 ? gRestart : p.orbitLength) - 1;
  gScale = p.scale;
  gMaxIter = p.maxIter;
  gStepX = p.stepX;
  gStepY = p.stepY;
  gColStart = p.colStart;
  gColEnd = p.colStart + p.width;
  gRowStart = p.rowStart;
  gOriginX = p.originX;
  gOriginY = p.originY;
  gCounts = p.counts;
  gNorms = p.norms;
  gJumpTo = p.jumpTo;
  gJumpX = p.jumpX;
  gJumpY = p.jumpY;
  gJumpDc = p.jumpDc;
  gPixels = p.width * p.rowCount;
  gBla = p.bla;
  gBlaIndex = p.blaIndex;
  gSettle = p.settle != 0;
  gMargins = p.margins;
  gPeriod = p.period;
  gDdRuns = p.ddRuns;
  gRunDc = p.runDc;
}

// @ts-ignore: decorator
@inline
export function zAt(m: i32): usize {
  return gOrbit + ((<usize>m) << 4);
}

/** The last point of the orbit that place m is on (the reference, or a Julia set's critical orbit). */
// @ts-ignore: decorator
@inline
export function lastOf(m: i32): i32 {
  return m <= gViewLast ? gViewLast : gLast;
}

/**
 * The count of a sample the fast loop left in doubt, by the double-double path (precise.ts); INEXACT where that
 * cannot settle it either, where the view is too deep for it (its plain steps are 0), for a Julia set (restart >
 * 0: the double-double path iterates the Mandelbrot set's z^2 + c with c the sample's point), or when the caller
 * asked for no settling.
 */
function preciseSample(pixel: i32): i32 {
  if (gPlainStepX == 0 || gRestart > 0 || !gSettle) return INEXACT;
  const width = gColEnd - gColStart;
  const col = gColStart + (pixel % width);
  const row = gRowStart + pixel / width;
  const dcx = <f64>(2 * col - gOriginX) * gPlainStepX;
  const dcy = <f64>(gOriginY - 2 * row) * gPlainStepY;
  tally(PRECISE, 1);
  return preciseCount(gOrbit, gOrbitLow, gLast, dcx, dcy, gMaxIter, INEXACT);
}

/** Writes the result of a sample proven inside (perturb-interior.ts): never escapes. */
export function finishInside(pixel: i32): void {
  store<i32>(gCounts + ((<usize>pixel) << 2), -1);
  store<f64>(gNorms + ((<usize>pixel) << 3), 0);
}

/**
 * Writes a sample's result: escaped at n with z (|z|^2 a few steps on, for colour), never (n = maxIter), or
 * GLITCHED (n = GLITCHED); one whose z's estimated squared error error2 could have changed its count goes to the double-double
 * path first. `excess`: |z|^2 - 4 where the orbit's margins decided the escape (perturb-lanes.ts, nearFour).
 */
export function finish(pixel: i32, n: i32, zx: f64, zy: f64, dcx: f64, dcy: f64, error2: f64, excess: f64 = NaN): void {
  let count = n == GLITCHED ? GLITCHED : -1;
  let norm = 0.0;
  // c: the orbit's Z_1 (W_1 = c for a Julia set, whose dc is 0).
  const c = zAt(gRestart + 1);
  const cx = load<f64>(c) + dcx;
  const cy = load<f64>(c, 8) + dcy;
  if (n >= 0 && errorDecides(error2, zx, zy, cx, cy, n >= gMaxIter, excess)) {
    count = preciseSample(pixel);
    norm = count > 0 ? preciseNorm : 0;
    if (count == INEXACT) tally(LEFT_INEXACT, 1);
  } else if (n >= 0 && n < gMaxIter) {
    count = n;
    norm = normAfterEscape(zx, zy, cx, cy);
  }
  if (count == GLITCHED) tally(LEFT_GLITCHED, 1);
  store<i32>(gCounts + ((<usize>pixel) << 2), count);
  store<f64>(gNorms + ((<usize>pixel) << 3), norm);
}
