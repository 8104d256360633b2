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
import { escaped, nextZx, nextZy } from './step';

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
      const outside = known == LANES ? 0 : escapedLanes(p.maxIter, nearTwo ? 1 : BLOCK);
      const lanes = min(LANES, p.width - first);
      for (let l = 0; l < lanes; l++) {
        const inside = load<i32>(KNOWN + (<usize>l << 2)) != 0 || ((outside >> l) & 1) == 0;
        store<i32>(out, inside ? -1 : 0);
        out += 4;
      }
    }
  }
}

/**
 * One bit per lane whose |z_i|^2 reached 4 for some i in 1 .. maxIter - 1, z_1 being the lane's start, testing the
 * escape once per `block` steps (1, or BLOCK: see the top of this file for why that finds the same lanes).
 */
function escapedLanes(maxIter: i32, block: i32): i32 {
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
  let e0 = escaped(zx0, zy0);
  let e1 = escaped(zx1, zy1);
  let e2 = escaped(zx2, zy2);
  let e3 = escaped(zx3, zy3);
  // Steps 2 .. maxIter - 1, in runs that end on maxIter - 1: the first takes the remainder.
  let remaining = maxIter - 2;
  let run = remaining % block;
  if (run == 0) run = block;
  while (remaining > 0) {
    for (let j = 0; j < run; j++) {
      const x0 = nextZx(zx0, zy0, cx0);
      const x1 = nextZx(zx1, zy1, cx1);
      const x2 = nextZx(zx2, zy2, cx2);
      const x3 = nextZx(zx3, zy3, cx3);
      zy0 = nextZy(zx0, zy0, cy0);
      zy1 = nextZy(zx1, zy1, cy1);
      zy2 = nextZy(zx2, zy2, cy2);
      zy3 = nextZy(zx3, zy3, cy3);
      zx0 = x0;
      zx1 = x1;
      zx2 = x2;
      zx3 = x3;
    }
    remaining -= run;
    run = block;
    e0 = v128.or(e0, escaped(zx0, zy0));
    e1 = v128.or(e1, escaped(zx1, zy1));
    e2 = v128.or(e2, escaped(zx2, zy2));
    e3 = v128.or(e3, escaped(zx3, zy3));
    if (i64x2.all_true(v128.and(v128.and(e0, e1), v128.and(e2, e3)))) break;
  }
  return i64x2.bitmask(e0) | (i64x2.bitmask(e1) << 2) | (i64x2.bitmask(e2) << 4) | (i64x2.bitmask(e3) << 6);
}
