/**
 * What a perturbation call renders (perturb.ts): the reference orbit, the rectangle of samples, where every sample
 * starts (the linear start) and where the results go, read once from the parameter block; and the writing of a
 * sample's result, through the double-double path (precise.ts) when rounding may have decided its count.
 */
import { PerturbParams } from './perturb-params';
import { preciseCount, preciseCounts, preciseNorm, preciseNorms, precisePair } from './precise';
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

/** A sample in doubt that the double-double path settles at the end of the call (settlePending). */
const PENDING: i32 = -4;

/**
 * The perturbation call in progress, read from its parameter block by setView (see PerturbParams for each field's
 * meaning) and read by every part of the kernel: WASM globals, which cost nothing to read in the hot loops.
 */
export namespace View {
  export let orbit: usize = 0;
  export let orbitLow: usize = 0;
  export let plainStepX: f64 = 0;
  export let plainStepY: f64 = 0;
  export let last: i32 = 0;
  export let restart: i32 = 0; // where rebasing goes: 0, or a Julia set's critical orbit
  export let viewLast: i32 = 0; // the reference's last point: View.last, or before a Julia set's critical orbit
  export let scale: i32 = 0;
  export let maxIter: i32 = 0;
  export let stepX: f64 = 0;
  export let stepY: f64 = 0;
  export let colStart: i32 = 0;
  export let colEnd: i32 = 0;
  export let rowStart: i32 = 0;
  export let originX: i32 = 0;
  export let originY: i32 = 0;
  export let counts: usize = 0;
  export let norms: usize = 0;
  export let jumpTo: i32 = 1;
  export let jumpX: f64 = 1;
  export let jumpY: f64 = 0;
  export let jumpDc: f64 = 1;
  export let pixels: i32 = 0;
  export let bla: usize = 0;
  export let blaIndex: usize = 0;
  export let settle: bool = true;
  export let margins: usize = 0;
  export let period: i32 = 0;
  export let ddRuns: usize = 0;
  export let runDc: f64 = 0;
  export let axisRow: i32 = -1;
  export let axisFrom: i32 = 0;
  export let axisTo: i32 = 0;
}

/** Reads the parameter block at `params`. */
export function setView(params: usize): void {
  const p = changetype<PerturbParams>(params);
  View.orbit = p.orbit;
  View.orbitLow = p.orbitLow;
  View.plainStepX = p.plainStepX;
  View.plainStepY = p.plainStepY;
  View.last = p.orbitLength - 1;
  View.restart = p.restart;
  View.viewLast = (View.restart > 0 ? View.restart : p.orbitLength) - 1;
  View.scale = p.scale;
  View.maxIter = p.maxIter;
  View.stepX = p.stepX;
  View.stepY = p.stepY;
  View.colStart = p.colStart;
  View.colEnd = p.colStart + p.width;
  View.rowStart = p.rowStart;
  View.originX = p.originX;
  View.originY = p.originY;
  View.counts = p.counts;
  View.norms = p.norms;
  View.jumpTo = p.jumpTo;
  View.jumpX = p.jumpX;
  View.jumpY = p.jumpY;
  View.jumpDc = p.jumpDc;
  View.pixels = p.width * p.rowCount;
  View.bla = p.bla;
  View.blaIndex = p.blaIndex;
  View.settle = p.settle != 0;
  View.margins = p.margins;
  View.period = p.period;
  View.ddRuns = p.ddRuns;
  View.runDc = p.runDc;
  View.axisRow = p.axisRow;
  View.axisFrom = p.axisFrom;
  View.axisTo = p.axisTo;
}

// @ts-ignore: decorator
@inline
export function zAt(m: i32): usize {
  return View.orbit + ((<usize>m) << 4);
}

/** The last point of the orbit that place m is on (the reference, or a Julia set's critical orbit). */
// @ts-ignore: decorator
@inline
export function lastOf(m: i32): i32 {
  return m <= View.viewLast ? View.viewLast : View.last;
}

/**
 * Whether the double-double path (precise.ts) settles this call's samples in doubt: not where the view is too deep
 * for it (its plain steps are 0), for a Julia set (restart > 0: the path iterates the Mandelbrot set's z^2 + c with c
 * the sample's point), or when the caller asked for no settling; such samples are INEXACT, for the caller.
 */
function settles(): bool {
  return !(View.plainStepX == 0 || View.restart > 0 || !View.settle);
}

/** A sample's offset from the reference in plain (unscaled) units, for the double-double path: x, or y. */
function plainDc(pixel: i32, y: bool): f64 {
  const width = View.colEnd - View.colStart;
  if (y) return <f64>(View.originY - 2 * (View.rowStart + pixel / width)) * View.plainStepY;
  return <f64>(2 * (View.colStart + (pixel % width)) - View.originX) * View.plainStepX;
}

/** Writes a sample's count from the double-double path, and its norm (after an escape). */
function settle(pixel: i32, count: i32, norm: f64): void {
  if (count == INEXACT) tally(LEFT_INEXACT, 1);
  store<i32>(View.counts + ((<usize>pixel) << 2), count);
  store<f64>(View.norms + ((<usize>pixel) << 3), count > 0 ? norm : 0);
}

/**
 * Settles the samples that finish() left PENDING, two at a time (precise.ts: its step is bound by latency, and two
 * samples side by side take about the time of one), the last one alone.
 */
export function settlePending(): void {
  let waiting = -1;
  for (let pixel = 0; pixel < View.pixels; pixel++) {
    if (load<i32>(View.counts + ((<usize>pixel) << 2)) != PENDING) continue;
    tally(PRECISE, 1);
    if (waiting < 0) {
      waiting = pixel;
      continue;
    }
    const ax = plainDc(waiting, false);
    const ay = plainDc(waiting, true);
    const bx = plainDc(pixel, false);
    const by = plainDc(pixel, true);
    precisePair(View.orbit, View.orbitLow, View.last, ax, ay, bx, by, View.maxIter, INEXACT);
    settle(waiting, preciseCounts(0), preciseNorms(0));
    settle(pixel, preciseCounts(1), preciseNorms(1));
    waiting = -1;
  }
  if (waiting >= 0) {
    const x = plainDc(waiting, false);
    const y = plainDc(waiting, true);
    settle(waiting, preciseCount(View.orbit, View.orbitLow, View.last, x, y, View.maxIter, INEXACT), preciseNorm);
  }
}

/** Writes the result of a sample proven inside (perturb-interior.ts): never escapes. */
export function finishInside(pixel: i32): void {
  store<i32>(View.counts + ((<usize>pixel) << 2), -1);
  store<f64>(View.norms + ((<usize>pixel) << 3), 0);
}

/**
 * Writes a sample's result: escaped at n with z (|z|^2 a few steps on, for colour), never (n = maxIter), or
 * GLITCHED (n = GLITCHED); one whose z's estimated squared error error2 could have changed its count goes to the
 * double-double path first. `excess`: |z|^2 - 4 where the orbit's margins decided the escape (perturb-lanes.ts, nearFour).
 */
export function finish(pixel: i32, n: i32, zx: f64, zy: f64, dcx: f64, dcy: f64, error2: f64, excess: f64 = NaN): void {
  let count = n == GLITCHED ? GLITCHED : -1;
  let norm = 0.0;
  // c: the orbit's Z_1 (W_1 = c for a Julia set, whose dc is 0).
  const c = zAt(View.restart + 1);
  const cx = load<f64>(c) + dcx;
  const cy = load<f64>(c, 8) + dcy;
  if (n >= 0 && errorDecides(error2, zx, zy, cx, cy, n >= View.maxIter, excess)) {
    // Left in doubt: by the double-double path at the call's end (settlePending), or INEXACT for the caller.
    count = settles() ? PENDING : INEXACT;
    if (count == INEXACT) tally(LEFT_INEXACT, 1);
  } else if (n >= 0 && n < View.maxIter) {
    count = n;
    norm = normAfterEscape(zx, zy, cx, cy);
  }
  if (count == GLITCHED) tally(LEFT_GLITCHED, 1);
  store<i32>(View.counts + ((<usize>pixel) << 2), count);
  store<f64>(View.norms + ((<usize>pixel) << 3), norm);
}
