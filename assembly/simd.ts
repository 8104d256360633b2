/**
 * The SIMD kernel: eight pixels in flight as four f64x2 vectors iterated in lockstep. The loop is bound by the
 * latency of its multiply chain (about 9 cycles a step), so the gain comes from independent pixels in flight.
 *
 * A burst iterates the four vectors, in registers, until some lane's pixel escapes (or, with shortcuts, its orbit
 * comes back exactly to its saved point), or until the next lane deadline (a lane reaching maxIter or a save
 * point). Scalar code then finishes just the lanes that are done and refills them with the next pixels; a lane
 * with nothing left is parked on a point that never stops a burst. Lanes count steps on one shared clock (a lane's
 * count is the clock minus the clock when it started), so a burst costs nothing per lane that is still running.
 *
 * Every lane does exactly the original loop's f64 operations in its order (2*zx*zy is computed as t + t with
 * t = zx*zy, which is exact), so counts and |z|^2 at escape are the scalar kernel's, bit for bit.
 *
 * Invariants a change must keep (the engine tests compare every kernel with the plain loop bit for bit):
 * - A parked lane holds z = c = 0 (a fixed point: it never escapes), a saved point of NaN (never equal to
 *   anything, so it never looks periodic), DEADLINE = i64.MAX_VALUE and PIXEL = -1. It runs through every burst
 *   and is never finished.
 * - Between bursts ZX/ZY hold each lane's z after exactly `clock - BASE` steps; DEADLINE is never in the past.
 * - A fast-phase block may be replayed because the block's start is in ZX/ZY and the steps are pure functions of
 *   z and c: replaying it one tested step at a time gives the same bits. It must be replayed whenever any lane
 *   came near escape (NEAR_ESCAPE), since the first escape may lie inside the block.
 * - A burst never runs past the earliest deadline (Clock.deadline), so a lane's maxIter and save points are met on
 *   their exact step.
 *
 * This file is over 300 lines because the burst, its two phases and the lane bookkeeping share these invariants:
 * split, they would be harder to check together.
 */
import { f64At, i32At, norm2 } from './lanes';
import { RenderParams } from './params';
import { renderRect } from './scalar';
import { FIRST_SAVE_GAP, MAX_SAVE_GAP, insideCardioidOrBulb } from './shortcuts';
import { normAfterEscape } from './smooth';
import { escaped, nextZx, nextZy } from './step';

const LANES = 8;

// Lane state between bursts; lane l's f64 at byte 8l, so one v128 load gives a vector two lanes.
const ZX = memory.data(LANES * 8, 16);
const ZY = memory.data(LANES * 8, 16);
const CX = memory.data(LANES * 8, 16);
const CY = memory.data(LANES * 8, 16);
const SX = memory.data(LANES * 8, 16); // saved orbit point (periodicity detection); NaN in a parked lane
const SY = memory.data(LANES * 8, 16);
const BASE = memory.data(LANES * 8, 16); // i64: clock - BASE is the lane's escape count so far
const DEADLINE = memory.data(LANES * 8, 16); // i64: clock at which the lane reaches maxIter or its save point
const GAP = memory.data(LANES * 4, 16); // i32: steps to the save point after the next
const PIXEL = memory.data(LANES * 4, 16); // i32: pixel index in the rectangle; -1 for a parked lane

/** The rectangle being rendered, read from its parameter block (see RenderParams). */
namespace Rect {
  export let xMin: f64 = 0;
  export let stepX: f64 = 0;
  export let yMax: f64 = 0;
  export let stepY: f64 = 0;
  export let colStart: i32 = 0;
  export let colEnd: i32 = 0;
  export let rowStart: i32 = 0;
  export let maxIter: i32 = 0;
  export let shortcuts: bool = false;
  export let julia: bool = false;
  export let cRe: f64 = 0;
  export let cIm: f64 = 0;
  export let counts: usize = 0;
  export let norms: usize = 0;
  export let pixels: i32 = 0;
}

/** The cursor: the next pixel to hand out, its column and row, and the row's imaginary part. */
namespace Cursor {
  export let next: i32 = 0;
  export let col: i32 = 0;
  export let row: i32 = 0;
  export let cy: f64 = 0;
}

/** The steps every lane has taken, counted together, and the earliest lane deadline (at most). */
namespace Clock {
  export let now: i64 = 0;
  export let deadline: i64 = 0;
}

// @ts-ignore: decorator
@inline
function finish(pixel: i32, count: i32, norm: f64): void {
  store<i32>(Rect.counts + ((<usize>pixel) << 2), count);
  store<f64>(Rect.norms + ((<usize>pixel) << 3), norm);
}

/** Sets lane l's next deadline: its save point (with shortcuts) or maxIter, whichever comes first. */
// @ts-ignore: decorator
@inline
function setDeadline(l: i32, saveAt: i64): void {
  const base = load<i64>(f64At(BASE, l));
  let deadline = base + <i64>Rect.maxIter;
  if (Rect.shortcuts && saveAt < <i64>Rect.maxIter) deadline = base + saveAt;
  store<i64>(f64At(DEADLINE, l), deadline);
  if (deadline < Clock.deadline) Clock.deadline = deadline;
}

/**
 * Scalar steps a pixel takes before it gets a lane. Most pixels of a typical view escape within a few steps,
 * and a lane that finishes costs a burst exit and a replay; the scalar loop finishes those pixels for less.
 */
const SCALAR_STEPS = 8;

/**
 * Puts the next pixel that needs iterating into lane l, finishing on the way every pixel decided within
 * SCALAR_STEPS steps (or by a shortcut). Parks the lane and returns false when none is left.
 */
function refill(l: i32): bool {
  const scalarLimit = min(Rect.maxIter, 1 + SCALAR_STEPS);
  while (Cursor.next < Rect.pixels) {
    const pixel = Cursor.next++;
    const x = Rect.xMin + <f64>Cursor.col * Rect.stepX;
    const y = Cursor.cy;
    if (++Cursor.col == Rect.colEnd) {
      Cursor.col = Rect.colStart;
      Cursor.cy = Rect.yMax - <f64>(Rect.rowStart + ++Cursor.row) * Rect.stepY;
    }
    const cx = Rect.julia ? Rect.cRe : x;
    const cy = Rect.julia ? Rect.cIm : y;
    if (Rect.shortcuts && !Rect.julia && insideCardioidOrBulb(cx, cy)) {
      finish(pixel, -1, 0);
      continue;
    }
    let zx = x;
    let zy = y;
    let i = 1;
    let x2 = zx * zx;
    let y2 = zy * zy;
    while (i < scalarLimit && x2 + y2 < 4.0) {
      zy = zx * zy * 2.0 + cy;
      zx = x2 - y2 + cx;
      i++;
      x2 = zx * zx;
      y2 = zy * zy;
    }
    if (i >= Rect.maxIter) {
      finish(pixel, -1, 0);
    } else if (!(x2 + y2 < 4.0)) {
      finish(pixel, i, normAfterEscape(zx, zy, cx, cy));
    } else {
      store<f64>(f64At(ZX, l), zx);
      store<f64>(f64At(ZY, l), zy);
      store<f64>(f64At(CX, l), cx);
      store<f64>(f64At(CY, l), cy);
      store<f64>(f64At(SX, l), zx);
      store<f64>(f64At(SY, l), zy);
      store<i64>(f64At(BASE, l), Clock.now - <i64>i);
      store<i32>(i32At(GAP, l), FIRST_SAVE_GAP << 1);
      store<i32>(i32At(PIXEL, l), pixel);
      setDeadline(l, i + FIRST_SAVE_GAP);
      return true;
    }
  }
  store<f64>(f64At(ZX, l), 0); // c = 0 never escapes
  store<f64>(f64At(ZY, l), 0);
  store<f64>(f64At(CX, l), 0);
  store<f64>(f64At(CY, l), 0);
  store<f64>(f64At(SX, l), NaN); // a saved NaN never matches
  store<f64>(f64At(SY, l), NaN);
  store<i64>(f64At(DEADLINE, l), i64.MAX_VALUE);
  store<i32>(i32At(PIXEL, l), -1);
  return false;
}

/** Steps between escape tests in a burst's fast phase (see burst); at most 8, or orbits could overflow. */
const BLOCK = 8;

/**
 * What the fast phase tests |z|^2 against. A lane that escaped inside a block is still above it at the block's
 * end: |z|^2 >= 4 and |c| < 2 give |z^2 + c| >= |z|^2 - |c| > 2, and the rounding that could pull it back below
 * 2 grows at most about 4x a step, from 1e-16 to under 1e-9 in 8 steps, far inside this margin.
 */
const NEAR_ESCAPE: f64 = 3.999;

/** Lanes at or past NEAR_ESCAPE. */
// @ts-ignore: decorator
@inline
function nearEscape(zx: v128, zy: v128): v128 {
  return f64x2.ge(norm2(zx, zy), f64x2.splat(NEAR_ESCAPE));
}

/** Lanes whose orbit point is bit for bit their saved one (the vector at byte `offset` of the lane arrays). */
// @ts-ignore: decorator
@inline
function repeated(zx: v128, zy: v128, offset: usize): v128 {
  return v128.and(f64x2.eq(zx, v128.load(SX + offset)), f64x2.eq(zy, v128.load(SY + offset)));
}

/** What burst leaves: one bit per lane that is done. */
namespace Burst {
  export let done: i32 = 0;
}

/**
 * Iterates every lane up to `steps` times, stopping as soon as a lane is done: escaped or, with `periodic`, back
 * at its saved orbit point. Returns the steps taken and leaves in Burst.done one bit per lane that is done.
 * `periodic` is a constant at each call, so the plain variant carries none of the comparisons.
 *
 * Testing for escape after every step costs more than the step itself, so the fast phase tests once per BLOCK
 * steps whether any lane came near escape (see NEAR_ESCAPE). If one did, the block is undone (its start was
 * saved) and the careful phase replays it one tested step at a time, which finds the exact step of the first
 * escape; if none escaped after all, the fast phase goes on.
 */
// @ts-ignore: decorator
@inline
function burst(steps: i32, periodic: bool): i32 {
  let zx0 = v128.load(ZX);
  let zx1 = v128.load(ZX, 16);
  let zx2 = v128.load(ZX, 32);
  let zx3 = v128.load(ZX, 48);
  let zy0 = v128.load(ZY);
  let zy1 = v128.load(ZY, 16);
  let zy2 = v128.load(ZY, 32);
  let zy3 = v128.load(ZY, 48);
  let d0 = i64x2.splat(0);
  let d1 = i64x2.splat(0);
  let d2 = i64x2.splat(0);
  let d3 = i64x2.splat(0);
  let k = 0;
  let stop: bool = false;
  while (!stop && k < steps) {
    // Fast phase. ZX/ZY hold the current block's start.
    let blockEnd = k + BLOCK;
    while (blockEnd <= steps) {
      // Two steps per pass: the loop's own overhead is then small beside the arithmetic.
      {
        const x0 = nextZx(zx0, zy0, v128.load(CX));
        const x1 = nextZx(zx1, zy1, v128.load(CX, 16));
        const x2 = nextZx(zx2, zy2, v128.load(CX, 32));
        const x3 = nextZx(zx3, zy3, v128.load(CX, 48));
        zy0 = nextZy(zx0, zy0, v128.load(CY));
        zy1 = nextZy(zx1, zy1, v128.load(CY, 16));
        zy2 = nextZy(zx2, zy2, v128.load(CY, 32));
        zy3 = nextZy(zx3, zy3, v128.load(CY, 48));
        zx0 = x0;
        zx1 = x1;
        zx2 = x2;
        zx3 = x3;
      }
      {
        const x0 = nextZx(zx0, zy0, v128.load(CX));
        const x1 = nextZx(zx1, zy1, v128.load(CX, 16));
        const x2 = nextZx(zx2, zy2, v128.load(CX, 32));
        const x3 = nextZx(zx3, zy3, v128.load(CX, 48));
        zy0 = nextZy(zx0, zy0, v128.load(CY));
        zy1 = nextZy(zx1, zy1, v128.load(CY, 16));
        zy2 = nextZy(zx2, zy2, v128.load(CY, 32));
        zy3 = nextZy(zx3, zy3, v128.load(CY, 48));
        zx0 = x0;
        zx1 = x1;
        zx2 = x2;
        zx3 = x3;
      }
      k += 2;
      if (k < blockEnd) continue;
      const near = v128.or(
        v128.or(nearEscape(zx0, zy0), nearEscape(zx1, zy1)),
        v128.or(nearEscape(zx2, zy2), nearEscape(zx3, zy3)),
      );
      if (v128.any_true(near)) {
        zx0 = v128.load(ZX);
        zx1 = v128.load(ZX, 16);
        zx2 = v128.load(ZX, 32);
        zx3 = v128.load(ZX, 48);
        zy0 = v128.load(ZY);
        zy1 = v128.load(ZY, 16);
        zy2 = v128.load(ZY, 32);
        zy3 = v128.load(ZY, 48);
        k -= BLOCK;
        break;
      }
      if (periodic) {
        // A repeat is final whenever it is seen: no need to find its first step.
        d0 = repeated(zx0, zy0, 0);
        d1 = repeated(zx1, zy1, 16);
        d2 = repeated(zx2, zy2, 32);
        d3 = repeated(zx3, zy3, 48);
        stop = v128.any_true(v128.or(v128.or(d0, d1), v128.or(d2, d3)));
      }
      saveZ(zx0, zx1, zx2, zx3, zy0, zy1, zy2, zy3);
      if (stop) break;
      blockEnd += BLOCK;
    }
    if (stop) break;
    // Careful phase: one tested step at a time, for at most a block.
    const limit = min(k + BLOCK, steps);
    while (true) {
      d0 = escaped(zx0, zy0);
      d1 = escaped(zx1, zy1);
      d2 = escaped(zx2, zy2);
      d3 = escaped(zx3, zy3);
      // Not at k = 0: a lane may have saved its current point just before this burst.
      if (periodic && k > 0) {
        d0 = v128.or(d0, repeated(zx0, zy0, 0));
        d1 = v128.or(d1, repeated(zx1, zy1, 16));
        d2 = v128.or(d2, repeated(zx2, zy2, 32));
        d3 = v128.or(d3, repeated(zx3, zy3, 48));
      }
      stop = v128.any_true(v128.or(v128.or(d0, d1), v128.or(d2, d3)));
      if (stop || k == limit) break;
      const x0 = nextZx(zx0, zy0, v128.load(CX));
      const x1 = nextZx(zx1, zy1, v128.load(CX, 16));
      const x2 = nextZx(zx2, zy2, v128.load(CX, 32));
      const x3 = nextZx(zx3, zy3, v128.load(CX, 48));
      zy0 = nextZy(zx0, zy0, v128.load(CY));
      zy1 = nextZy(zx1, zy1, v128.load(CY, 16));
      zy2 = nextZy(zx2, zy2, v128.load(CY, 32));
      zy3 = nextZy(zx3, zy3, v128.load(CY, 48));
      zx0 = x0;
      zx1 = x1;
      zx2 = x2;
      zx3 = x3;
      k++;
    }
    saveZ(zx0, zx1, zx2, zx3, zy0, zy1, zy2, zy3);
  }
  Burst.done = i64x2.bitmask(d0) | (i64x2.bitmask(d1) << 2) | (i64x2.bitmask(d2) << 4) | (i64x2.bitmask(d3) << 6);
  return k;
}

// @ts-ignore: decorator
@inline
function saveZ(zx0: v128, zx1: v128, zx2: v128, zx3: v128, zy0: v128, zy1: v128, zy2: v128, zy3: v128): void {
  v128.store(ZX, zx0);
  v128.store(ZX, zx1, 16);
  v128.store(ZX, zx2, 32);
  v128.store(ZX, zx3, 48);
  v128.store(ZY, zy0);
  v128.store(ZY, zy1, 16);
  v128.store(ZY, zy2, 32);
  v128.store(ZY, zy3, 48);
}

/** Handles lanes at their deadline: at maxIter the pixel is inside; at a save point the orbit point is saved. */
function meetDeadlines(): void {
  Clock.deadline = i64.MAX_VALUE;
  for (let l = 0; l < LANES; l++) {
    const deadline = load<i64>(f64At(DEADLINE, l));
    if (deadline > Clock.now) {
      if (deadline < Clock.deadline) Clock.deadline = deadline;
      continue;
    }
    const count = Clock.now - load<i64>(f64At(BASE, l));
    if (count >= <i64>Rect.maxIter) {
      finish(load<i32>(i32At(PIXEL, l)), -1, 0);
      refill(l);
    } else {
      store<f64>(f64At(SX, l), load<f64>(f64At(ZX, l)));
      store<f64>(f64At(SY, l), load<f64>(f64At(ZY, l)));
      const gap = load<i32>(i32At(GAP, l));
      store<i32>(i32At(GAP, l), gap < MAX_SAVE_GAP ? gap << 1 : gap);
      setDeadline(l, count + <i64>gap);
    }
  }
}

/** Same contract as renderRect in scalar.ts. */
export function renderRectSimd(params: usize): void {
  const p = changetype<RenderParams>(params);
  // The fast phase's escape bound (NEAR_ESCAPE) needs |c| < 2. Every Mandelbrot sample with |c| >= 2 escapes in
  // the scalar pre-steps; a Julia set's fixed c that large goes to the scalar kernel instead.
  if (p.julia != 0 && p.cRe * p.cRe + p.cIm * p.cIm >= 4.0) {
    renderRect(params);
    return;
  }
  Rect.julia = p.julia != 0;
  Rect.cRe = p.cRe;
  Rect.cIm = p.cIm;
  Rect.xMin = p.xMin;
  Rect.stepX = p.stepX;
  Rect.yMax = p.yMax;
  Rect.stepY = p.stepY;
  Rect.colStart = p.colStart;
  Rect.colEnd = p.colStart + p.width;
  Rect.rowStart = p.rowStart;
  Rect.maxIter = p.maxIter;
  Rect.shortcuts = p.shortcuts != 0;
  Rect.counts = p.counts;
  Rect.norms = p.norms;
  Rect.pixels = p.width * p.rowCount;
  Cursor.next = 0;
  Cursor.col = p.colStart;
  Cursor.row = 0;
  Cursor.cy = p.yMax - <f64>p.rowStart * p.stepY;
  Clock.now = 0;
  Clock.deadline = i64.MAX_VALUE;
  const shortcuts = Rect.shortcuts;
  let live = 0;
  for (let l = 0; l < LANES; l++) if (refill(l)) live++;
  while (live > 0) {
    const steps = <i32>min(Clock.deadline - Clock.now, <i64>i32.MAX_VALUE);
    Clock.now += shortcuts ? burst(steps, true) : burst(steps, false);
    // Done lanes: escaped (count and |z|^2 kept) or, with shortcuts, periodic (inside).
    for (let done = Burst.done; done != 0; done &= done - 1) {
      const l = ctz(done);
      const zx = load<f64>(f64At(ZX, l));
      const zy = load<f64>(f64At(ZY, l));
      const norm = zx * zx + zy * zy;
      const count = Clock.now - load<i64>(f64At(BASE, l));
      const pixel = load<i32>(i32At(PIXEL, l));
      // The loop's order: reaching maxIter wins over escaping on that step.
      if (count < <i64>Rect.maxIter && norm >= 4.0) {
        finish(pixel, <i32>count, normAfterEscape(zx, zy, load<f64>(f64At(CX, l)), load<f64>(f64At(CY, l))));
      } else finish(pixel, -1, 0);
      if (!refill(l)) live--;
    }
    if (Clock.now >= Clock.deadline) {
      meetDeadlines();
      live = 0;
      for (let l = 0; l < LANES; l++) if (load<i32>(i32At(PIXEL, l)) >= 0) live++;
    }
  }
}
