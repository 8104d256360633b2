/**
 * The membership kernel: inside or outside only, for outputs that need nothing more (ASCII, PBM). Same contract and
 * parameter block as renderRect, but a sample's count is written as -1 (inside) or 0 (outside; the count is not
 * kept), and no |z|^2. At low iteration counts it is much faster than the counting kernels, whose per-pixel
 * bookkeeping (lane refills, exact escape steps) costs more than the iterations themselves.
 *
 * Eight samples (four f64x2 vectors) are iterated in lockstep for exactly the loop's steps: a lane is outside when
 * any of |z_1|^2 .. |z_maxIter-1|^2 was >= 4, the loop's own rule, so the result is the scalar loop's bit for bit.
 * The escape test runs once per block of BLOCK steps, the blocks ending on step maxIter - 1, and its result is
 * OR-ed into a sticky mask. That misses no escape: once |z| >= 2 with |c| < 2 - MARGIN, every later
 * |z^2 + c| >= |z|^2 - |c| > 2 (rounding, about 1e-16 relative, is far inside the margin), and |z| at an escape
 * is at most about 6, so 8 steps take it to at most 6^256, short of overflow; a test at the block's end sees it.
 * Groups with some |c| (the fixed c of a Julia set included) within MARGIN of 2 test after every step instead.
 * The group stops early when all eight lanes have escaped. Points inside
 * the cardioid or bulb (Mandelbrot, with shortcuts) are inside without iterating; a group of only such points is
 * skipped. Periodicity is not detected: above MEMBERSHIP_MAX_ITER the counting kernel, which detects it, is faster.
 */
import { RenderParams } from './params';
import { insideCardioidOrBulb } from './shortcuts';

const LANES = 8;
/** Steps between escape tests; at most 8, or an escaped orbit could overflow to NaN before its test. */
const BLOCK = 8;
/** How far under 2 every |c| of a group must be for block tests (see above). */
const MARGIN: f64 = 1e-9;
const X0 = memory.data(LANES * 8, 16); // the lanes' starting z
const Y0 = memory.data(LANES * 8, 16);
const CXS = memory.data(LANES * 8, 16); // the lanes' c
const CYS = memory.data(LANES * 8, 16);
const KNOWN = memory.data(LANES * 4, 16); // i32: 1 when the lane is inside by the cardioid/bulb test

/** Writes -1 (inside) or 0 (outside) for each sample of the rectangle described by the block at `params`. */
export function membershipRectSimd(params: usize): void {
  const p = changetype<RenderParams>(params);
  const julia = p.julia != 0;
  const shortcuts = p.shortcuts != 0 && !julia;
  const low = (2.0 - MARGIN) * (2.0 - MARGIN);
  let out = p.counts;
  for (let r = 0; r < p.rowCount; r++) {
    const y = p.yMax - <f64>(p.rowStart + r) * p.stepY;
    // A group is 8 samples of one row; past the row's end, a lane repeats its last sample (not stored).
    for (let first = 0; first < p.width; first += LANES) {
      let known = 0;
      let nearTwo = false;
      for (let l = 0; l < LANES; l++) {
        const x = p.xMin + <f64>(p.colStart + min(first + l, p.width - 1)) * p.stepX;
        const cx = julia ? p.cRe : x;
        const cy = julia ? p.cIm : y;
        const at = <usize>l << 3;
        store<f64>(X0 + at, x);
        store<f64>(Y0 + at, y);
        store<f64>(CXS + at, cx);
        store<f64>(CYS + at, cy);
        // For the Mandelbrot set |c| >= 2 escapes at once (|z_1| = |c|), so only |c| just under 2 needs care; a
        // Julia set's c needs it from just under 2 up.
        const norm = cx * cx + cy * cy;
        if (norm >= low && (julia || norm < 4.0)) nearTwo = true;
        const inside = shortcuts && insideCardioidOrBulb(x, y);
        store<i32>(KNOWN + (<usize>l << 2), inside ? 1 : 0);
        if (inside) known++;
      }
      const outside = known == LANES ? 0 : nearTwo ? escapedEachStep(p.maxIter) : escapedLanes(p.maxIter);
      const lanes = min(LANES, p.width - first);
      for (let l = 0; l < lanes; l++) {
        const inside = load<i32>(KNOWN + (<usize>l << 2)) != 0 || ((outside >> l) & 1) == 0;
        store<i32>(out, inside ? -1 : 0);
        out += 4;
      }
    }
  }
}

/** x2 + y2 >= 4: the loop's escape test. */
// @ts-ignore: decorator
@inline
function escapes(x2: v128, y2: v128): v128 {
  return f64x2.ge(f64x2.add(x2, y2), f64x2.splat(4.0));
}

/** One bit per lane whose |z_i|^2 reached 4 for some i in 1 .. maxIter - 1, z_1 being the lane's start. */
function escapedEachStep(maxIter: i32): i32 {
  if (maxIter <= 1) return 0; // no step is tested: everything counts as inside
  let zx0 = v128.load(X0);
  let zx1 = v128.load(X0, 16);
  let zx2 = v128.load(X0, 32);
  let zx3 = v128.load(X0, 48);
  let zy0 = v128.load(Y0);
  let zy1 = v128.load(Y0, 16);
  let zy2 = v128.load(Y0, 32);
  let zy3 = v128.load(Y0, 48);
  const cx0 = v128.load(CXS);
  const cx1 = v128.load(CXS, 16);
  const cx2 = v128.load(CXS, 32);
  const cx3 = v128.load(CXS, 48);
  const cy0 = v128.load(CYS);
  const cy1 = v128.load(CYS, 16);
  const cy2 = v128.load(CYS, 32);
  const cy3 = v128.load(CYS, 48);
  let x20 = f64x2.mul(zx0, zx0);
  let x21 = f64x2.mul(zx1, zx1);
  let x22 = f64x2.mul(zx2, zx2);
  let x23 = f64x2.mul(zx3, zx3);
  let y20 = f64x2.mul(zy0, zy0);
  let y21 = f64x2.mul(zy1, zy1);
  let y22 = f64x2.mul(zy2, zy2);
  let y23 = f64x2.mul(zy3, zy3);
  let e0 = escapes(x20, y20);
  let e1 = escapes(x21, y21);
  let e2 = escapes(x22, y22);
  let e3 = escapes(x23, y23);
  // Steps 2 .. maxIter - 1 (z_1 is the start, tested above).
  for (let i = 2; i < maxIter; i++) {
    let t = f64x2.mul(zx0, zy0);
    zy0 = f64x2.add(f64x2.add(t, t), cy0);
    zx0 = f64x2.add(f64x2.sub(x20, y20), cx0);
    t = f64x2.mul(zx1, zy1);
    zy1 = f64x2.add(f64x2.add(t, t), cy1);
    zx1 = f64x2.add(f64x2.sub(x21, y21), cx1);
    t = f64x2.mul(zx2, zy2);
    zy2 = f64x2.add(f64x2.add(t, t), cy2);
    zx2 = f64x2.add(f64x2.sub(x22, y22), cx2);
    t = f64x2.mul(zx3, zy3);
    zy3 = f64x2.add(f64x2.add(t, t), cy3);
    zx3 = f64x2.add(f64x2.sub(x23, y23), cx3);
    x20 = f64x2.mul(zx0, zx0);
    x21 = f64x2.mul(zx1, zx1);
    x22 = f64x2.mul(zx2, zx2);
    x23 = f64x2.mul(zx3, zx3);
    y20 = f64x2.mul(zy0, zy0);
    y21 = f64x2.mul(zy1, zy1);
    y22 = f64x2.mul(zy2, zy2);
    y23 = f64x2.mul(zy3, zy3);
    e0 = v128.or(e0, escapes(x20, y20));
    e1 = v128.or(e1, escapes(x21, y21));
    e2 = v128.or(e2, escapes(x22, y22));
    e3 = v128.or(e3, escapes(x23, y23));
    if ((i & 7) == 0 && i64x2.all_true(v128.and(v128.and(e0, e1), v128.and(e2, e3)))) break;
  }
  return i64x2.bitmask(e0) | (i64x2.bitmask(e1) << 2) | (i64x2.bitmask(e2) << 4) | (i64x2.bitmask(e3) << 6);
}

/** escapedEachStep's result with one test per block (see the top of this file for why it is the same). */
function escapedLanes(maxIter: i32): i32 {
  if (maxIter <= 1) return 0;
  let zx0 = v128.load(X0);
  let zx1 = v128.load(X0, 16);
  let zx2 = v128.load(X0, 32);
  let zx3 = v128.load(X0, 48);
  let zy0 = v128.load(Y0);
  let zy1 = v128.load(Y0, 16);
  let zy2 = v128.load(Y0, 32);
  let zy3 = v128.load(Y0, 48);
  const cx0 = v128.load(CXS);
  const cx1 = v128.load(CXS, 16);
  const cx2 = v128.load(CXS, 32);
  const cx3 = v128.load(CXS, 48);
  const cy0 = v128.load(CYS);
  const cy1 = v128.load(CYS, 16);
  const cy2 = v128.load(CYS, 32);
  const cy3 = v128.load(CYS, 48);
  let x20 = f64x2.mul(zx0, zx0);
  let x21 = f64x2.mul(zx1, zx1);
  let x22 = f64x2.mul(zx2, zx2);
  let x23 = f64x2.mul(zx3, zx3);
  let y20 = f64x2.mul(zy0, zy0);
  let y21 = f64x2.mul(zy1, zy1);
  let y22 = f64x2.mul(zy2, zy2);
  let y23 = f64x2.mul(zy3, zy3);
  let e0 = escapes(x20, y20);
  let e1 = escapes(x21, y21);
  let e2 = escapes(x22, y22);
  let e3 = escapes(x23, y23);
  // Steps 2 .. maxIter - 1, in blocks that end on maxIter - 1: the first takes the remainder.
  let remaining = maxIter - 2;
  let block = remaining % BLOCK;
  if (block == 0) block = BLOCK;
  while (remaining > 0) {
    for (let j = 0; j < block; j++) {
      let t = f64x2.mul(zx0, zy0);
      zy0 = f64x2.add(f64x2.add(t, t), cy0);
      zx0 = f64x2.add(f64x2.sub(x20, y20), cx0);
      t = f64x2.mul(zx1, zy1);
      zy1 = f64x2.add(f64x2.add(t, t), cy1);
      zx1 = f64x2.add(f64x2.sub(x21, y21), cx1);
      t = f64x2.mul(zx2, zy2);
      zy2 = f64x2.add(f64x2.add(t, t), cy2);
      zx2 = f64x2.add(f64x2.sub(x22, y22), cx2);
      t = f64x2.mul(zx3, zy3);
      zy3 = f64x2.add(f64x2.add(t, t), cy3);
      zx3 = f64x2.add(f64x2.sub(x23, y23), cx3);
      x20 = f64x2.mul(zx0, zx0);
      x21 = f64x2.mul(zx1, zx1);
      x22 = f64x2.mul(zx2, zx2);
      x23 = f64x2.mul(zx3, zx3);
      y20 = f64x2.mul(zy0, zy0);
      y21 = f64x2.mul(zy1, zy1);
      y22 = f64x2.mul(zy2, zy2);
      y23 = f64x2.mul(zy3, zy3);
    }
    remaining -= block;
    block = BLOCK;
    e0 = v128.or(e0, escapes(x20, y20));
    e1 = v128.or(e1, escapes(x21, y21));
    e2 = v128.or(e2, escapes(x22, y22));
    e3 = v128.or(e3, escapes(x23, y23));
    if (i64x2.all_true(v128.and(v128.and(e0, e1), v128.and(e2, e3)))) break;
  }
  return i64x2.bitmask(e0) | (i64x2.bitmask(e1) << 2) | (i64x2.bitmask(e2) << 4) | (i64x2.bitmask(e3) << 6);
}
