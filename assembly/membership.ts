/**
 * The membership kernel: inside or outside only, for outputs that need nothing more (ASCII, PBM). It writes PBM
 * bits straight away: each row of the rectangle as ceil(width / 8) bytes at the parameter block's `counts`
 * address, most significant bit first, 1 inside, the last byte's unused bits 0. No count is kept, no |z|^2, and no
 * per-pixel array leaves the kernel, so a 16000 x 16000 PBM (256 M pixels) moves 32 MB instead of 1 GB of counts.
 *
 * A group is one output byte: 8 samples of a row, as four f64x2 vectors iterated in lockstep for exactly the
 * loop's steps. A lane is outside when any of |z_1|^2 .. |z_maxIter-1|^2 was >= 4, the loop's own rule, so the
 * result is the scalar loop's bit for bit. The escape test runs after z_1 and then once per run of at most BLOCK
 * steps (the runs grow from FIRST_GAP, and the last ends on step maxIter - 1), and its result is OR-ed into a sticky
 * mask. That misses no escape: once |z| >= 2 with |c| < 2 - MARGIN, every later |z^2 + c| >= |z|^2 - |c| > 2
 * (rounding, about 1e-16 relative, is far inside the margin), and |z| at an escape is at most about 6, so 8 steps
 * take it to at most 6^256, short of overflow; the test at the run's end sees it. Groups with some |c| (the fixed c
 * of a Julia set included) within MARGIN of 2 test after every step instead. The group stops as soon as all eight
 * lanes have escaped.
 *
 * The sample points' x are computed once a call, with the scalar kernels' operations (xMin + col * stepX, so the
 * same f64 values), into a table that every row reads (the set-up of a group was most of the cost of a group decided
 * at once). With shortcuts (Mandelbrot only), the cardioid/bulb test (shortcuts.ts) runs on the vectors, with the
 * same operations, and only on groups that can reach its bounding box. A group whose eight samples all pass is
 * inside without iterating; in a mixed group the lanes that pass start at c = 4, which escapes at the first test, so
 * that they cannot keep the group running to maxIter. Periodicity is not detected: above the worker's
 * MEMBERSHIP_MAX_ITER the counting kernel, which detects it, is faster.
 */
import { RenderParams } from './params';
import { BOX_LEFT, BOX_RIGHT, BOX_TOP, MARGIN as SHAPE_MARGIN } from './shortcuts';
import { escaped, nextZx, nextZy } from './step';

/** Most steps between escape tests; at most 8, or an escaped orbit could overflow to NaN before its test. */
const BLOCK: i32 = 8;
/**
 * Steps before the second escape test. On the Benchmarks Game's view at 51 iterations most groups outside the set
 * are done by z_3 .. z_10: tests at z_1, z_3, z_6, z_10, z_15, ... did 16 % fewer group steps than one every 8
 * (one test costs about a step), 10 % faster measured.
 */
const FIRST_GAP: i32 = 2;
/** How far under 2 every |c| of a group must be for block tests (see above). */
const MARGIN: f64 = 1e-9;
const LOW: f64 = (2.0 - MARGIN) * (2.0 - MARGIN);

/**
 * Writes the PBM bits of the rectangle described by the block at `params` (see the top of this file). Its `norms`
 * address is scratch space for (ceil(width / 8) + 1) * 64 bytes: the row's sample x values, the same for every row,
 * then one group's c.x (see below).
 */
export function membershipBits(params: usize): void {
  const p = changetype<RenderParams>(params);
  const julia = p.julia != 0;
  const shortcuts = p.shortcuts != 0 && !julia;
  const maxIter = p.maxIter;
  const groups = (p.width + 7) >> 3;
  const lastBits = (0xff00 >> (p.width - ((groups - 1) << 3))) & 0xff; // the last byte's columns that exist
  const xs = p.norms;
  // Vector k of a group holds columns first + 2k + 1 and first + 2k, in that lane order, so that bitmask() gives the
  // byte's bits most significant first. Past the row's end a lane repeats the last sample (its bit is cleared).
  let far2: f64 = 0; // the largest x^2 of the row
  for (let k = 0; k < groups << 3; k++) {
    const x = p.xMin + <f64>(p.colStart + min(k, p.width - 1)) * p.stepX;
    store<f64>(xs + ((<usize>(k ^ 1)) << 3), x);
    if (x * x > far2) far2 = x * x;
  }
  // The groups that reach the shortcuts' bounding box: a run, as x is monotonic along the row.
  let boxFirst = groups;
  let boxEnd = 0;
  for (let g = 0; g < groups; g++) {
    const xa = load<f64>(xs + ((<usize>g) << 6) + 8);
    const xb = load<f64>(xs + ((<usize>g) << 6) + 48);
    if ((xa >= BOX_LEFT || xb >= BOX_LEFT) && (xa <= BOX_RIGHT || xb <= BOX_RIGHT)) {
      if (g < boxFirst) boxFirst = g;
      boxEnd = g + 1;
    }
  }
  // Julia sets: c is fixed, so whether it is near 2 is known once.
  const juliaNear = p.cRe * p.cRe + p.cIm * p.cIm >= LOW;
  // The c.x of a group's four vectors are read from memory in the loop, which leaves V8 enough vector registers to
  // keep z in registers across the escape tests: the x table for the Mandelbrot set, else 64 bytes after it (the
  // fixed c of a Julia set, written here, or a group's c with its known lanes moved to KNOWN_START).
  const cScratch = xs + ((<usize>groups) << 6);
  if (julia) {
    for (let k = 0; k < 4; k++) v128.store(cScratch + ((<usize>k) << 4), f64x2.splat(p.cRe));
  }
  let out = p.counts;
  for (let r = 0; r < p.rowCount; r++) {
    const y = p.yMax - <f64>(p.rowStart + r) * p.stepY;
    const zy = f64x2.splat(y);
    const cy = julia ? f64x2.splat(p.cIm) : zy;
    const y2 = y * y;
    const rowInBox = shortcuts && Math.abs(y) <= BOX_TOP;
    // |c|^2 = x*x + y*y is monotonic in |x| (rounding is monotonic too), so bounds on x^2 bound every lane's.
    const rowNear = julia ? juliaNear : far2 + y2 >= LOW;
    for (let g = 0; g < groups; g++) {
      const at = xs + ((<usize>g) << 6);
      const x0 = v128.load(at);
      const x1 = v128.load(at, 16);
      const x2 = v128.load(at, 32);
      const x3 = v128.load(at, 48);
      let known = 0;
      if (rowInBox && g >= boxFirst && g < boxEnd) {
        known = bitsOf(inShapes(x0, y2), inShapes(x1, y2), inShapes(x2, y2), inShapes(x3, y2));
      }
      let inside = 0xff;
      if (known != 0xff) {
        const near = rowNear && (julia || groupNear(at, y2));
        const cxAt = julia ? cScratch : at;
        inside = ~escapedLanes(x0, x1, x2, x3, zy, cxAt, cScratch, cy, known, maxIter, near) | known;
      }
      store<u8>(out, g == groups - 1 ? inside & lastBits : inside);
      out++;
    }
  }
}

/** Whether some |c| of the Mandelbrot group at `at` (row y, y2 = y*y) is within MARGIN under 2 (see escapedLanes). */
function groupNear(at: usize, y2: f64): bool {
  // The group's ends bound its |x|, and so its |c|^2 (see rowNear).
  const xa = Math.abs(load<f64>(at + 8));
  const xb = Math.abs(load<f64>(at + 48));
  const sameSign = load<f64>(at + 8) * load<f64>(at + 48) > 0;
  const far = xa > xb ? xa : xb;
  const close = sameSign ? (xa < xb ? xa : xb) : 0.0;
  return far * far + y2 >= LOW && close * close + y2 < 4.0;
}

/** Lanes inside the cardioid or the period-2 bulb (all ones), by insideCardioidOrBulb's operations (shortcuts.ts). */
// @ts-ignore: decorator
@inline
function inShapes(x: v128, y2: f64): v128 {
  const ys = f64x2.splat(y2);
  const inBox = v128.and(f64x2.le(x, f64x2.splat(BOX_RIGHT)), f64x2.ge(x, f64x2.splat(BOX_LEFT)));
  const xq = f64x2.sub(x, f64x2.splat(0.25));
  const q = f64x2.sqrt(f64x2.add(f64x2.mul(xq, xq), ys));
  // p - 2.0 * p * p + 0.25 - MARGIN, operation by operation
  const edge = f64x2.sub(q, f64x2.mul(f64x2.mul(f64x2.splat(2.0), q), q));
  const cardioid = f64x2.lt(x, f64x2.sub(f64x2.add(edge, f64x2.splat(0.25)), f64x2.splat(SHAPE_MARGIN)));
  const x1 = f64x2.add(x, f64x2.splat(1.0));
  const bulbEdge = f64x2.splat((0.25 - SHAPE_MARGIN) * (0.25 - SHAPE_MARGIN));
  const bulb = f64x2.lt(f64x2.add(f64x2.mul(x1, x1), ys), bulbEdge);
  return v128.and(inBox, v128.or(cardioid, bulb));
}

/** The group's byte from four lane masks: vector k's lanes are bits 7 - 2k and 6 - 2k (see the column order). */
// @ts-ignore: decorator
@inline
function bitsOf(m0: v128, m1: v128, m2: v128, m3: v128): i32 {
  return (i64x2.bitmask(m0) << 6) | (i64x2.bitmask(m1) << 4) | (i64x2.bitmask(m2) << 2) | i64x2.bitmask(m3);
}

/** Where a lane already known to be inside starts: c = z = 4 escapes at the first test, and that lane's bit is set. */
const KNOWN_START: f64 = 4.0;

/**
 * The group's byte of lanes whose |z_i|^2 reached 4 for some i in 1 .. maxIter - 1, z_1 being the lane's start,
 * testing every step when `near` and after runs growing from FIRST_GAP to BLOCK steps otherwise (see the top of
 * this file for why that finds the same lanes). Lanes set in `known` start at KNOWN_START instead.
 */
// @ts-ignore: decorator
@inline
function escapedLanes(
  x0: v128,
  x1: v128,
  x2: v128,
  x3: v128,
  zyStart: v128,
  cxAt: usize,
  cScratch: usize,
  cy: v128,
  known: i32,
  maxIter: i32,
  near: bool,
): i32 {
  if (maxIter <= 1) return 0; // no step is tested: everything counts as inside
  let zx0 = x0;
  let zx1 = x1;
  let zx2 = x2;
  let zx3 = x3;
  if (known != 0) {
    const start = f64x2.splat(KNOWN_START);
    const k0 = laneMask(known >> 6);
    const k1 = laneMask(known >> 4);
    const k2 = laneMask(known >> 2);
    const k3 = laneMask(known);
    zx0 = v128.bitselect(start, zx0, k0);
    zx1 = v128.bitselect(start, zx1, k1);
    zx2 = v128.bitselect(start, zx2, k2);
    zx3 = v128.bitselect(start, zx3, k3);
    v128.store(cScratch, v128.bitselect(start, v128.load(cxAt), k0));
    v128.store(cScratch, v128.bitselect(start, v128.load(cxAt, 16), k1), 16);
    v128.store(cScratch, v128.bitselect(start, v128.load(cxAt, 32), k2), 32);
    v128.store(cScratch, v128.bitselect(start, v128.load(cxAt, 48), k3), 48);
    cxAt = cScratch;
  }
  let zy0 = zyStart;
  let zy1 = zyStart;
  let zy2 = zyStart;
  let zy3 = zyStart;
  // The sticky mask is kept as the byte's bits in an integer register: four mask vectors would not leave the loop
  // enough vector registers for z, c and the step's temporaries, and V8 spilled z around every test.
  let lanes = bitsOf(escaped(zx0, zy0), escaped(zx1, zy1), escaped(zx2, zy2), escaped(zx3, zy3));
  // Steps 2 .. maxIter - 1; the last run is cut to end on step maxIter - 1.
  const most = near ? 1 : BLOCK;
  let gap: i32 = min(FIRST_GAP, most);
  let remaining = maxIter - 2;
  while (remaining > 0) {
    if (lanes == 0xff) break;
    const run = min(gap, remaining);
    for (let j = 0; j < run; j++) {
      const n0 = nextZx(zx0, zy0, v128.load(cxAt));
      const n1 = nextZx(zx1, zy1, v128.load(cxAt, 16));
      const n2 = nextZx(zx2, zy2, v128.load(cxAt, 32));
      const n3 = nextZx(zx3, zy3, v128.load(cxAt, 48));
      zy0 = nextZy(zx0, zy0, cy);
      zy1 = nextZy(zx1, zy1, cy);
      zy2 = nextZy(zx2, zy2, cy);
      zy3 = nextZy(zx3, zy3, cy);
      zx0 = n0;
      zx1 = n1;
      zx2 = n2;
      zx3 = n3;
    }
    remaining -= run;
    gap = min(gap + 1, most);
    lanes |= bitsOf(escaped(zx0, zy0), escaped(zx1, zy1), escaped(zx2, zy2), escaped(zx3, zy3));
  }
  return lanes;
}

/** Both lanes' masks from the low two bits of `bits` (bit 0: lane 0, bit 1: lane 1, as bitmask() gives them). */
// @ts-ignore: decorator
@inline
function laneMask(bits: i32): v128 {
  return i64x2(-(<i64>(bits & 1)), -(<i64>((bits >> 1) & 1)));
}
