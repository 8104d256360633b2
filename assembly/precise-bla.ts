/**
 * BLA runs for the double-double path (precise.ts): the fast loop's runs (perturb-bla.ts, src/plane/bla.ts) again, with
 * coefficients in double-double and a radius 2^24 times smaller (EPSILON_DD |Z|), so that the terms a run drops are
 * about 2^-96 of dz, far below what the double-double path must settle (its samples were in doubt at f64's 2^-53).
 * Without them that path took each of its samples step by step, and at the 1e30 seahorse view (100000 iterations) it
 * was half of the render.
 *
 * Built by the first sample in doubt of a worker's render (in this instance's memory, at `ddRuns`: a flag, then the
 * blocks, one for each block of the f64 table's first segment, in its order), from the orbit and its low parts:
 * each run of 8 steps composed step by step, the longer ones from pairs of the level below.
 */
import { add, ddHigh, ddLow, mul, norm } from './dd';
import { View } from './perturb-view';

/** The host's clock in milliseconds (performance.now). */
// @ts-ignore: decorator
@external("env", "now")
declare function now(): f64;

/** Milliseconds spent building runs since ddBuildMs last read them. */
let buildMs: f64 = 0;

/**
 * Milliseconds this instance has spent building double-double runs since the last call (and resets the count): a
 * job's one-time setup, which a caller that times its calls keeps apart from their samples' cost.
 */
export function ddBuildMs(): f64 {
  const ms = buildMs;
  buildMs = 0;
  return ms;
}

/** A step's radius, as a fraction of |Z| (src/plane/bla.ts has 2^-24 for the fast loop). */
const EPSILON_DD: f64 = 3.552713678800501e-15; // 2^-48

/** Levels and the shortest run, as in the f64 table (src/plane/bla.ts, perturb-bla.ts). */
const TABLE_LEVELS = 32;
const MIN_LEVEL = 3;

/** Bytes a block: A, B, P, Q, S as (high v128, low v128), then r^2 and the run's length (i32). */
const DD_BLOCK: usize = 176;

/** The dropped terms' estimate, as a multiple of |q|^2 / |L| (perturb-bla.ts). */
const REMAINDER: f64 = 2;

/** 2^100: an error times this, squared, is in precise.ts's unit (ROUNDING = 2^-200). */
const PER_ROUNDING: f64 = 1.2676506002282294e30;

// @ts-ignore: decorator
@inline
function blockAt(index: i32): usize {
  return View.ddRuns + 16 + <usize>index * DD_BLOCK;
}

/** Z_m in double-double: high parts, low parts. */
// @ts-ignore: decorator
@inline
function zHigh(m: i32): v128 {
  return v128.load(View.orbit + ((<usize>m) << 4));
}

// @ts-ignore: decorator
@inline
function zLow(m: i32): v128 {
  return v128.load(View.orbitLow + ((<usize>m) << 4));
}

/** The radius of the step at Z_m: none where z = Z + dz could reach |z| = 2, or where the orbit keeps a margin. */
function stepRadius(m: i32): f64 {
  if (load<f64>(View.margins + ((<usize>m) << 3)) != 0) return 0;
  const a = Math.sqrt(norm(zHigh(m)));
  return min(EPSILON_DD * a, max(0.0, (2.0 - a) / 2.0));
}

/** |A| of a complex double-double's high parts. */
// @ts-ignore: decorator
@inline
function size(h: v128): f64 {
  return Math.sqrt(norm(h));
}

/** The first level-MIN_LEVEL run of 8 steps from m, into block `to`. */
function composeSteps(m: i32, to: usize): void {
  const two = f64x2.splat(2.0);
  let ah = f64x2.mul(zHigh(m), two);
  let al = f64x2.mul(zLow(m), two);
  let bh = f64x2(1.0, 0.0);
  let bl = f64x2(0.0, 0.0);
  let ph = bh;
  let pl = bl;
  let qh = bl;
  let ql = bl;
  let sh = bl;
  let sl = bl;
  let r = stepRadius(m);
  for (let t = 1; t < 8; t++) {
    // Then the step at Z: A' = 2Z A, B' = 2Z B + 1, P' = 2Z P + A^2, Q' = 2Z Q + 2 A B, S' = 2Z S + B^2.
    const yh = f64x2.mul(zHigh(m + t), two);
    const yl = f64x2.mul(zLow(m + t), two);
    r = min(r, max(0.0, (stepRadius(m + t) - size(bh) * View.runDc) / size(ah)));
    mul(ah, al, ah, al);
    const aah = ddHigh;
    const aal = ddLow;
    mul(ah, al, bh, bl);
    const abh = f64x2.mul(ddHigh, two);
    const abl = f64x2.mul(ddLow, two);
    mul(bh, bl, bh, bl);
    const bbh = ddHigh;
    const bbl = ddLow;
    mul(yh, yl, ph, pl);
    add(ddHigh, ddLow, aah, aal);
    ph = ddHigh;
    pl = ddLow;
    mul(yh, yl, qh, ql);
    add(ddHigh, ddLow, abh, abl);
    qh = ddHigh;
    ql = ddLow;
    mul(yh, yl, sh, sl);
    add(ddHigh, ddLow, bbh, bbl);
    sh = ddHigh;
    sl = ddLow;
    mul(yh, yl, bh, bl);
    add(ddHigh, ddLow, f64x2(1.0, 0.0), f64x2(0.0, 0.0));
    bh = ddHigh;
    bl = ddLow;
    mul(yh, yl, ah, al);
    ah = ddHigh;
    al = ddLow;
  }
  storeBlock(to, ah, al, bh, bl, ph, pl, qh, ql, sh, sl, r, 1 << MIN_LEVEL);
}

// @ts-ignore: decorator
@inline
function storeBlock(
  to: usize,
  ah: v128,
  al: v128,
  bh: v128,
  bl: v128,
  ph: v128,
  pl: v128,
  qh: v128,
  ql: v128,
  sh: v128,
  sl: v128,
  r: f64,
  length: i32,
): void {
  v128.store(to, ah);
  v128.store(to, al, 16);
  v128.store(to, bh, 32);
  v128.store(to, bl, 48);
  v128.store(to, ph, 64);
  v128.store(to, pl, 80);
  v128.store(to, qh, 96);
  v128.store(to, ql, 112);
  v128.store(to, sh, 128);
  v128.store(to, sl, 144);
  store<f64>(to, r * r, 160);
  store<i32>(to, length, 168);
}

/** The steps a block takes. */
export function ddRunLength(run: usize): i32 {
  return load<i32>(run, 168);
}

/** Block x then block y (the level below's pair) into block `to`, to second order (src/plane/bla.ts, merge). */
function merge(x: usize, y: usize, to: usize): void {
  const axh = v128.load(x);
  const axl = v128.load(x, 16);
  const bxh = v128.load(x, 32);
  const bxl = v128.load(x, 48);
  const ayh = v128.load(y);
  const ayl = v128.load(y, 16);
  const pyh = v128.load(y, 64);
  const pyl = v128.load(y, 80);
  const qyh = v128.load(y, 96);
  const qyl = v128.load(y, 112);
  const ry = Math.sqrt(load<f64>(y, 160));
  const r = min(Math.sqrt(load<f64>(x, 160)), max(0.0, (ry - size(bxh) * View.runDc) / size(axh)));
  // A = Ay Ax
  mul(ayh, ayl, axh, axl);
  const ah = ddHigh;
  const al = ddLow;
  // B = Ay Bx + By
  mul(ayh, ayl, bxh, bxl);
  add(ddHigh, ddLow, v128.load(y, 32), v128.load(y, 48));
  const bh = ddHigh;
  const bl = ddLow;
  // P = Ay Px + Py Ax^2
  mul(axh, axl, axh, axl);
  mul(pyh, pyl, ddHigh, ddLow);
  const t1h = ddHigh;
  const t1l = ddLow;
  mul(ayh, ayl, v128.load(x, 64), v128.load(x, 80));
  add(ddHigh, ddLow, t1h, t1l);
  const ph = ddHigh;
  const pl = ddLow;
  // Q = Ay Qx + 2 Py Ax Bx + Qy Ax
  mul(axh, axl, bxh, bxl);
  mul(pyh, pyl, ddHigh, ddLow);
  const t2h = f64x2.mul(ddHigh, f64x2.splat(2.0));
  const t2l = f64x2.mul(ddLow, f64x2.splat(2.0));
  mul(qyh, qyl, axh, axl);
  add(ddHigh, ddLow, t2h, t2l);
  const t3h = ddHigh;
  const t3l = ddLow;
  mul(ayh, ayl, v128.load(x, 96), v128.load(x, 112));
  add(ddHigh, ddLow, t3h, t3l);
  const qh = ddHigh;
  const ql = ddLow;
  // S = Ay Sx + Py Bx^2 + Qy Bx + Sy
  mul(bxh, bxl, bxh, bxl);
  mul(pyh, pyl, ddHigh, ddLow);
  const t4h = ddHigh;
  const t4l = ddLow;
  mul(qyh, qyl, bxh, bxl);
  add(ddHigh, ddLow, t4h, t4l);
  add(ddHigh, ddLow, v128.load(y, 128), v128.load(y, 144));
  const t5h = ddHigh;
  const t5l = ddLow;
  mul(ayh, ayl, v128.load(x, 128), v128.load(x, 144));
  add(ddHigh, ddLow, t5h, t5l);
  storeBlock(to, ah, al, bh, bl, ph, pl, qh, ql, ddHigh, ddLow, r, ddRunLength(x) + ddRunLength(y));
}

/** The index's (first block, blocks) of the first segment's level L. */
// @ts-ignore: decorator
@inline
function levelFirst(level: i32): i32 {
  return load<i32>(View.blaIndex + ((<usize>level) << 3));
}

// @ts-ignore: decorator
@inline
function levelCount(level: i32): i32 {
  return load<i32>(View.blaIndex + ((<usize>level) << 3), 4);
}

/** Builds the blocks, once per render and instance; false when there are none (no room given, or no runs). */
export function ddRunsReady(): bool {
  if (View.ddRuns == 0 || View.blaIndex == 0 || levelCount(MIN_LEVEL) == 0) return false;
  if (load<i32>(View.ddRuns) != 0) return true;
  const started = now();
  const first = levelFirst(MIN_LEVEL);
  for (let i = 0; i < levelCount(MIN_LEVEL); i++) composeSteps(1 + (i << MIN_LEVEL), blockAt(first + i));
  for (let level = MIN_LEVEL + 1; level < TABLE_LEVELS && levelCount(level) > 0; level++) {
    const below = levelFirst(level - 1);
    const at = levelFirst(level);
    for (let i = 0; i < levelCount(level); i++) {
      merge(blockAt(below + 2 * i), blockAt(below + 2 * i + 1), blockAt(at + i));
    }
  }
  store<i32>(View.ddRuns, 1);
  buildMs += now() - started;
  return true;
}

/** The longest run at place m (of the reference) that holds |dz|^2 = d2 and ends by maxIter from count n; or 0. */
export function ddRunAt(m: i32, n: i32, d2: f64): usize {
  const j = m - 1;
  if (j < 0 || m > View.viewLast) return 0;
  let best: usize = 0;
  for (let level = MIN_LEVEL; level < TABLE_LEVELS; level++) {
    if ((j & ((1 << level) - 1)) != 0 || n + (1 << level) > View.maxIter) break;
    const i = j >> level;
    if (i >= levelCount(level)) break;
    const run = blockAt(levelFirst(level) + i);
    if (!(d2 < load<f64>(run, 160))) break;
    best = run;
  }
  return best;
}

/**
 * dz (dh, dl) through `run` of `length` steps, with dc (ch, cl): the new dz in ddHigh, ddLow; returns the error
 * estimate error2 (precise.ts's unit) grown along the run (as perturb-bla.ts grows a tracked lane's).
 */
// @ts-ignore: decorator
@inline
export function ddTakeRun(run: usize, length: i32, dh: v128, dl: v128, ch: v128, cl: v128, error2: f64): f64 {
  mul(dh, dl, dh, dl);
  const zzh = ddHigh;
  const zzl = ddLow;
  mul(dh, dl, ch, cl);
  const zch = ddHigh;
  const zcl = ddLow;
  mul(ch, cl, ch, cl);
  mul(v128.load(run, 128), v128.load(run, 144), ddHigh, ddLow);
  const t1h = ddHigh;
  const t1l = ddLow;
  mul(v128.load(run, 96), v128.load(run, 112), zch, zcl);
  add(ddHigh, ddLow, t1h, t1l);
  const t2h = ddHigh;
  const t2l = ddLow;
  mul(v128.load(run, 64), v128.load(run, 80), zzh, zzl);
  add(ddHigh, ddLow, t2h, t2l);
  const qh = ddHigh;
  const ql = ddLow;
  mul(v128.load(run, 32), v128.load(run, 48), ch, cl);
  const t3h = ddHigh;
  const t3l = ddLow;
  mul(v128.load(run), v128.load(run, 16), dh, dl);
  add(ddHigh, ddLow, t3h, t3l);
  const lh = ddHigh;
  const ll = ddLow;
  // The derivative in dz, A + 2 P dz + Q dc, to f64: how the error so far grows along the run.
  const a = v128.load(run);
  const p = v128.load(run, 64);
  const q = v128.load(run, 96);
  const px = f64x2.extract_lane(p, 0);
  const py = f64x2.extract_lane(p, 1);
  const qx = f64x2.extract_lane(q, 0);
  const qy = f64x2.extract_lane(q, 1);
  const dx = f64x2.extract_lane(dh, 0);
  const dy = f64x2.extract_lane(dh, 1);
  const cx = f64x2.extract_lane(ch, 0);
  const cy = f64x2.extract_lane(ch, 1);
  const gx = f64x2.extract_lane(a, 0) + 2.0 * (px * dx - py * dy) + (qx * cx - qy * cy);
  const gy = f64x2.extract_lane(a, 1) + 2.0 * (px * dy + py * dx) + (qx * cy + qy * cx);
  const l2 = norm(lh);
  const dropped = l2 > 0 ? (REMAINDER * norm(qh)) / Math.sqrt(l2) : 0.0;
  add(lh, ll, qh, ql);
  const grown = Math.sqrt(error2 * (gx * gx + gy * gy) + <f64>length * norm(ddHigh)) + dropped * PER_ROUNDING;
  return grown * grown;
}
