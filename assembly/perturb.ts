/**
 * The perturbation kernel, for views deeper than f64 can place pixels in (see src/deep/): every sample is iterated
 * as a small offset dz from a reference orbit Z computed once in arbitrary precision (Z_0 = 0, Z_1 = C, the view's
 * centre or a better point of the grid), with dc the sample's offset from C:
 *   z_n = Z_m + dz,   dz -> (Z_m + z_n) dz + dc   (that is 2 Z_m dz + dz^2 + dc),   m -> m + 1.
 * The count rule is the direct kernels' (z_1 = c, count from 1, stop at maxIter or |z|^2 >= 4).
 *
 * Rebasing: when |z| < |dz| the sample goes on from the start of the reference (Z_0 = 0) with dz := z. dz then
 * stays small against z wherever the reference itself is small, which is where plain perturbation loses precision
 * (glitches). A sample that outlives a reference that escaped is another matter: going on from the start with dz := z
 * would drop dc beside |z| ~ 1 (measured: 85% of the counts wrong at a 1e31 view). Such a sample is GLITCHED, left
 * for its caller to compute otherwise (src/deep/exact.ts), and a reference is chosen to make them rare
 * (src/deep/reference.ts).
 *
 * Extended exponent: past a magnification of about 1e290 dc and dz underflow f64, so a sample starts with dz and
 * dc scaled by a shared 2^k (k > 0). While it is that small, dz^2 is far below 2 Z dz (it is kept when 2^-k is
 * representable, dropped when it would underflow), the escape and rebase tests see z = Z_m, and whenever |dz|
 * passes 2^RESCALE_BITS the scale comes down by that much. Once k reaches PLAIN_K the deltas are plain f64 and the
 * fast loop takes over: only the first iterations pay for the exponent, and usually none, since every sample starts
 * where the linear growth of dz ends (see start), which at 1e1000 is past the scaled range.
 *
 * The fast loop keeps four samples in flight, two to an f64x2 vector, each at its own place m in the reference (the
 * step's latency, not its arithmetic, bounds one sample, as in simd.ts). Eight, as simd.ts has, were no faster
 * here (their deltas and offsets fill the sixteen vector registers of x86-64): 0.44 G it/s at 1e30 against 0.43.
 * Every lane does the operations of one sample in its order, so the counts do not depend on which lane or neighbours a sample had. A burst runs until a
 * lane escapes or reaches maxIter; rebasing, rare, leaves the vectors for a scalar fix-up and comes back.
 *
 * Rounding: at a 1e31 seahorse-valley view, f64's rounding of dz, amplified along orbits of 35000 steps, changed 13
 * of 3072 counts (by 1 to 250). So each lane also carries an estimate of its z's squared error, grown as an error
 * grows (times |2z|^2 a step) plus each step's own rounding (ROUNDING |dz|^2: independent roundings add as a random
 * walk does; against a double-double computation of the same samples, the actual error was 0.58 of the estimate in
 * the median and at most 2.1 of it; rounding.ts). A sample whose count that error could have changed is computed
 * again in double-double (precise.ts), and left INEXACT for its caller (src/deep/exact.ts) when that is in doubt too.
 */
import { f64At, i32At } from './lanes';
import { PerturbParams } from './perturb-params';
import { preciseCount, preciseNorm } from './precise';
import { errorDecides } from './rounding';
import { normAfterEscape } from './smooth';

/** The count of a sample that outlived the reference (see the top). */
const GLITCHED: i32 = -2;

/** The count of a sample whose count rounding may have changed, that double-double could not settle (see the top). */
const INEXACT: i32 = -3;

/** A step's rounding error squared, relative to |dz|^2 (2^-53 squared, a few roundings a step): ERR's unit. */
const ROUNDING: f64 = 1.232595164407831e-32; // 2^-106

/** How far a scaled delta may grow before its scale comes down (and by how much). */
const RESCALE_BITS: i32 = 256;
const RESCALE: f64 = 1.157920892373162e77; // 2^256

/**
 * Deltas scaled by 2^-k with k at most this become plain f64: then |dz| >= 2^-500 or so, and |dz|^2 in the rebase
 * test stays a normal f64 (a subnormal result costs x86 cores a slow path of a hundred cycles or more).
 */
const PLAIN_K: i32 = 500;

/** 2^-960: an offset below it is dropped (see start). */
const NEGLIGIBLE_DC: f64 = 1.0261342003245941e-289;

const LANES = 4;

// Lane state between bursts; lane l's f64 at byte 8l, so one v128 load gives a vector of two lanes.
const DZX = memory.data(LANES * 8, 16);
const DZY = memory.data(LANES * 8, 16);
const DCX = memory.data(LANES * 8, 16);
const DCY = memory.data(LANES * 8, 16);
const M = memory.data(LANES * 4, 16); // i32: the lane's place in the reference
const N = memory.data(LANES * 4, 16); // i32: the lane's iteration count so far (z_n = Z_m + dz)
const PIXEL = memory.data(LANES * 4, 16); // i32: sample index in the rectangle; -1 for a parked lane
const ERR = memory.data(LANES * 8, 16); // f64: the estimated squared error of the lane's z, in units of ROUNDING

// The rectangle being rendered and the cursor of the next sample.
let gOrbit: usize = 0;
let gOrbitLow: usize = 0;
let gPlainStepX: f64 = 0;
let gPlainStepY: f64 = 0;
let gLast: i32 = 0;
let gScale: i32 = 0;
let gMaxIter: i32 = 0;
let gStepX: f64 = 0;
let gStepY: f64 = 0;
let gColStart: i32 = 0;
let gColEnd: i32 = 0;
let gRowStart: i32 = 0;
let gOriginX: i32 = 0;
let gOriginY: i32 = 0;
let gCounts: usize = 0;
let gNorms: usize = 0;
let gJumpTo: i32 = 1;
let gJumpX: f64 = 1;
let gJumpY: f64 = 0;
let gJumpDc: f64 = 1;
let gPixels: i32 = 0;
let gNext: i32 = 0;
let gCol: i32 = 0;
let gRow: i32 = 0;

// A sample leaving the scaled phase: its plain deltas and where it stands.
let gDzx: f64 = 0;
let gDzy: f64 = 0;
let gDcx: f64 = 0;
let gDcy: f64 = 0;
let gM: i32 = 0;
let gN: i32 = 0;

// @ts-ignore: decorator
@inline
function zAt(m: i32): usize {
  return gOrbit + (<usize>m << 4);
}

/**
 * 2^-k as f64, and 0 from the subnormal range down: a term scaled by it is then far below the others anyway, and
 * subnormal results cost x86 cores a hundred cycles or more each.
 */
function powerOfTwoBelow(k: i32): f64 {
  return k > 1022 ? 0 : Math.pow(2.0, <f64>-k);
}

/**
 * The count of a sample the fast loop left in doubt, by the double-double path (precise.ts); INEXACT where that
 * cannot settle it either, or where the view is too deep for it (its plain steps are 0).
 */
function preciseSample(pixel: i32): i32 {
  if (gPlainStepX == 0) return INEXACT;
  const width = gColEnd - gColStart;
  const col = gColStart + pixel % width;
  const row = gRowStart + pixel / width;
  const dcx = <f64>(2 * col - gOriginX) * gPlainStepX;
  const dcy = <f64>(gOriginY - 2 * row) * gPlainStepY;
  return preciseCount(gOrbit, gOrbitLow, gLast, dcx, dcy, gMaxIter, INEXACT);
}

/**
 * Writes a sample's result: escaped at n with z (|z|^2 a few steps on, for colour), never (n = maxIter), or
 * GLITCHED (n < 0); one whose z's estimated squared error error2 (in units of ROUNDING) could have changed its count
 * goes to the double-double path first.
 */
function finish(pixel: i32, n: i32, zx: f64, zy: f64, dcx: f64, dcy: f64, error2: f64): void {
  let count = n < 0 ? GLITCHED : -1;
  let norm = 0.0;
  const cx = load<f64>(gOrbit, 16) + dcx;
  const cy = load<f64>(gOrbit, 24) + dcy;
  if (n >= 0 && errorDecides(ROUNDING * error2, zx, zy, cx, cy, n >= gMaxIter)) {
    count = preciseSample(pixel);
    norm = count > 0 ? preciseNorm : 0;
  } else if (n >= 0 && n < gMaxIter) {
    count = n;
    norm = normAfterEscape(zx, zy, cx, cy);
  }
  store<i32>(gCounts + (<usize>pixel << 2), count);
  store<f64>(gNorms + (<usize>pixel << 3), norm);
}

/**
 * A sample from its offset dc (scaled by 2^-k) through the scaled phase, while it lasts. Returns false when it is
 * finished there (escaped, or maxIter reached); otherwise leaves its plain state in gDzx .. gN for a lane.
 *
 * While dz is far below Z it grows linearly: dz_n = A_n dc with A_1 = 1, A_{n+1} = 2 Z_n A_n + 1, the same A for
 * every sample (src/deep/perturbation.ts computes it, and up to which step it holds). So every sample starts at
 * that step with dz = A dc, skipping the first iterations (at 1e1000, most of them).
 */
function start(pixel: i32, dcx: f64, dcy: f64, k: i32): bool {
  let dzx = gJumpX * dcx - gJumpY * dcy;
  let dzy = gJumpX * dcy + gJumpY * dcx;
  dcx *= gJumpDc;
  dcy *= gJumpDc;
  let m = gJumpTo;
  let n = gJumpTo;
  if (k <= PLAIN_K) {
    const factor = powerOfTwoBelow(k);
    dzx *= factor;
    dzy *= factor;
    dcx *= factor;
    dcy *= factor;
  } else {
    let factor = powerOfTwoBelow(k);
    while (true) {
      if (n >= gMaxIter) {
        finish(pixel, n, 0, 0, 0, 0, 0);
        return false;
      }
      const rx = load<f64>(zAt(m));
      const ry = load<f64>(zAt(m), 8);
      const zx = rx + dzx * factor;
      const zy = ry + dzy * factor;
      if (zx * zx + zy * zy >= 4.0) {
        finish(pixel, n, zx, zy, dcx * factor, dcy * factor, 0);
        return false;
      }
      if (m == gLast) {
        // The reference escaped here and this sample did not (dz is far below z: no rebase).
        finish(pixel, -1, 0, 0, 0, 0, 0);
        return false;
      }
      const sq = (dzx * dzx - dzy * dzy) * factor;
      const cross = dzx * dzy * factor;
      const nx = 2.0 * (rx * dzx - ry * dzy) + sq + dcx;
      dzy = 2.0 * (rx * dzy + ry * dzx) + (cross + cross) + dcy;
      dzx = nx;
      m++;
      n++;
      if (Math.abs(dzx) > RESCALE || Math.abs(dzy) > RESCALE) {
        dzx /= RESCALE;
        dzy /= RESCALE;
        dcx /= RESCALE;
        dcy /= RESCALE;
        k -= RESCALE_BITS;
        factor = powerOfTwoBelow(k);
        if (k <= PLAIN_K) {
          dzx *= factor;
          dzy *= factor;
          break;
        }
      }
    }
    dcx *= factor;
    dcy *= factor;
  }
  // An offset this far below dz (at least 2^-460 in the plain phase) changes nothing; a subnormal one would cost
  // x86 cores a slow path at every step.
  if (Math.abs(dcx) < NEGLIGIBLE_DC && Math.abs(dcy) < NEGLIGIBLE_DC) {
    dcx = 0;
    dcy = 0;
  }
  gDzx = dzx;
  gDzy = dzy;
  gDcx = dcx;
  gDcy = dcy;
  gM = m;
  gN = n;
  return true;
}

/** Parks lane l on the reference's start with dz = dc = 0: it follows the reference and its events are ignored. */
function park(l: i32): void {
  store<f64>(f64At(DZX, l), 0);
  store<f64>(f64At(DZY, l), 0);
  store<f64>(f64At(DCX, l), 0);
  store<f64>(f64At(DCY, l), 0);
  store<i32>(i32At(M, l), 0);
  store<i32>(i32At(N, l), 0);
  store<i32>(i32At(PIXEL, l), -1);
  store<f64>(f64At(ERR, l), 0);
}

/** Puts the next sample that reaches the plain phase into lane l (finishing the others); parks it when none is left. */
function refill(l: i32): void {
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
      return;
    }
  }
  park(l);
}

/** The real parts of two reference points (each stored as re, im: one v128 load), as one vector. */
// @ts-ignore: decorator
@inline
function realParts(a: v128, b: v128): v128 {
  return v128.shuffle<f64>(a, b, 0, 2);
}

/** Their imaginary parts. */
// @ts-ignore: decorator
@inline
function imaginaryParts(a: v128, b: v128): v128 {
  return v128.shuffle<f64>(a, b, 1, 3);
}

/** Lanes that escaped (|z|^2 >= 4) or must rebase (|z|^2 < |dz|^2 = d2): one test for the two rare events. */
// @ts-ignore: decorator
@inline
function events(r2: v128, d2: v128): v128 {
  return v128.or(f64x2.ge(r2, f64x2.splat(4.0)), f64x2.lt(r2, d2));
}

/** |x + iy|^2 of two lanes. */
// @ts-ignore: decorator
@inline
function norm2(x: v128, y: v128): v128 {
  return f64x2.add(f64x2.mul(x, x), f64x2.mul(y, y));
}

/**
 * The error estimate one step on (in units of ROUNDING): the error so far and this step's own rounding (d2 = |dz|^2),
 * times |2z|^2 = 4 r2. Without constants and kept in memory (ERR) rather than in registers: both were measurably
 * cheaper (in registers, the loop's sixteen vector registers overflow).
 */
// @ts-ignore: decorator
@inline
function grownError(error2: v128, r2: v128, d2: v128): v128 {
  return f64x2.mul(f64x2.add(error2, d2), f64x2.mul(f64x2.splat(4.0), r2));
}

/** Lane l's state in the lane arrays: 1 escaped, 2 to rebase (|z|^2 < |dz|^2), 3 glitched (see the top), 0 none. */
function laneEvent(l: i32): i32 {
  const m = load<i32>(i32At(M, l));
  const dzx = load<f64>(f64At(DZX, l));
  const dzy = load<f64>(f64At(DZY, l));
  const zx = load<f64>(zAt(m)) + dzx;
  const zy = load<f64>(zAt(m), 8) + dzy;
  const r2 = zx * zx + zy * zy;
  if (r2 >= 4.0) return 1;
  if (r2 < dzx * dzx + dzy * dzy) return 2;
  return m == gLast ? 3 : 0;
}

/**
 * Rebases, in the lane arrays, the lanes that need it: dz := z, m := 0. Returns true when some lane has escaped or
 * glitched instead, for the caller to finish (nothing is changed then).
 */
function rebaseLanes(): bool {
  for (let l = 0; l < LANES; l++) {
    const event = laneEvent(l);
    if (event == 1 || event == 3) return true;
  }
  for (let l = 0; l < LANES; l++) {
    if (laneEvent(l) != 2) continue;
    const m = load<i32>(i32At(M, l));
    const zx = load<f64>(zAt(m)) + load<f64>(f64At(DZX, l));
    const zy = load<f64>(zAt(m), 8) + load<f64>(f64At(DZY, l));
    store<f64>(f64At(DZX, l), zx);
    store<f64>(f64At(DZY, l), zy);
    store<f64>(f64At(ERR, l), load<f64>(f64At(ERR, l)) + (zx * zx + zy * zy));
    store<i32>(i32At(M, l), 0);
  }
  return false;
}

/** Steps before the first lane reaches the reference's last point (where it must rebase). */
// @ts-ignore: decorator
@inline
function toLast(m0: i32, m1: i32, m2: i32, m3: i32): i32 {
  return gLast - max(max(m0, m1), max(m2, m3));
}

/**
 * Iterates the four lanes up to `steps` times, stopping before the step of a lane whose z has escaped. Returns
 * the steps taken; the lane arrays hold the state after them (N is left for the caller to advance). A lane at the
 * reference's last point ends a run of steps, to be rebased before the next.
 */
function burst(steps: i32): i32 {
  let dzx0 = v128.load(DZX);
  let dzx1 = v128.load(DZX, 16);
  let dzy0 = v128.load(DZY);
  let dzy1 = v128.load(DZY, 16);
  const dcx0 = v128.load(DCX);
  const dcx1 = v128.load(DCX, 16);
  const dcy0 = v128.load(DCY);
  const dcy1 = v128.load(DCY, 16);
  let m0 = load<i32>(M);
  let m1 = load<i32>(M, 4);
  let m2 = load<i32>(M, 8);
  let m3 = load<i32>(M, 12);
  let k = 0;
  let limit = min(steps, toLast(m0, m1, m2, m3));
  while (true) {
    let p0 = v128.load(zAt(m0));
    let p1 = v128.load(zAt(m1));
    let p2 = v128.load(zAt(m2));
    let p3 = v128.load(zAt(m3));
    let rx0 = realParts(p0, p1);
    let ry0 = imaginaryParts(p0, p1);
    let rx1 = realParts(p2, p3);
    let ry1 = imaginaryParts(p2, p3);
    let zx0 = f64x2.add(rx0, dzx0);
    let zy0 = f64x2.add(ry0, dzy0);
    let zx1 = f64x2.add(rx1, dzx1);
    let zy1 = f64x2.add(ry1, dzy1);
    let r0 = norm2(zx0, zy0);
    let r1 = norm2(zx1, zy1);
    let d0 = norm2(dzx0, dzy0);
    let d1 = norm2(dzx1, dzy1);
    if (k == limit || v128.any_true(v128.or(events(r0, d0), events(r1, d1)))) {
      v128.store(DZX, dzx0);
      v128.store(DZX + 16, dzx1);
      v128.store(DZY, dzy0);
      v128.store(DZY + 16, dzy1);
      store<i32>(M, m0);
      store<i32>(M, m1, 4);
      store<i32>(M, m2, 8);
      store<i32>(M, m3, 12);
      if (k == steps || rebaseLanes()) break;
      dzx0 = v128.load(DZX);
      dzx1 = v128.load(DZX, 16);
      dzy0 = v128.load(DZY);
      dzy1 = v128.load(DZY, 16);
      m0 = load<i32>(M);
      m1 = load<i32>(M, 4);
      m2 = load<i32>(M, 8);
      m3 = load<i32>(M, 12);
      limit = min(steps, k + toLast(m0, m1, m2, m3));
      p0 = v128.load(zAt(m0));
      p1 = v128.load(zAt(m1));
      p2 = v128.load(zAt(m2));
      p3 = v128.load(zAt(m3));
      rx0 = realParts(p0, p1);
      ry0 = imaginaryParts(p0, p1);
      rx1 = realParts(p2, p3);
      ry1 = imaginaryParts(p2, p3);
      zx0 = f64x2.add(rx0, dzx0);
      zy0 = f64x2.add(ry0, dzy0);
      zx1 = f64x2.add(rx1, dzx1);
      zy1 = f64x2.add(ry1, dzy1);
      r0 = norm2(zx0, zy0);
      r1 = norm2(zx1, zy1);
      d0 = norm2(dzx0, dzy0);
      d1 = norm2(dzx1, dzy1);
    }
    v128.store(ERR, grownError(v128.load(ERR), r0, d0));
    v128.store(ERR + 16, grownError(v128.load(ERR, 16), r1, d1));
    // dz -> (Z + z) dz + dc.
    const ax0 = f64x2.add(rx0, zx0);
    const ay0 = f64x2.add(ry0, zy0);
    const ax1 = f64x2.add(rx1, zx1);
    const ay1 = f64x2.add(ry1, zy1);
    const nx0 = f64x2.add(f64x2.sub(f64x2.mul(ax0, dzx0), f64x2.mul(ay0, dzy0)), dcx0);
    const nx1 = f64x2.add(f64x2.sub(f64x2.mul(ax1, dzx1), f64x2.mul(ay1, dzy1)), dcx1);
    dzy0 = f64x2.add(f64x2.add(f64x2.mul(ax0, dzy0), f64x2.mul(ay0, dzx0)), dcy0);
    dzy1 = f64x2.add(f64x2.add(f64x2.mul(ax1, dzy1), f64x2.mul(ay1, dzx1)), dcy1);
    dzx0 = nx0;
    dzx1 = nx1;
    m0++;
    m1++;
    m2++;
    m3++;
    k++;
  }
  return k;
}

/** Renders the rectangle described by the block at `params`: each sample's count and |z|^2, as the others do. */
export function renderPerturb(params: usize): void {
  const p = changetype<PerturbParams>(params);
  gOrbit = p.orbit;
  gOrbitLow = p.orbitLow;
  gPlainStepX = p.plainStepX;
  gPlainStepY = p.plainStepY;
  gLast = p.orbitLength - 1;
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
  gNext = 0;
  gCol = p.colStart;
  gRow = 0;
  for (let l = 0; l < LANES; l++) refill(l);
  while (true) {
    // Run to the first lane's maxIter; a parked lane has none.
    let steps = i32.MAX_VALUE;
    for (let l = 0; l < LANES; l++) {
      if (load<i32>(i32At(PIXEL, l)) >= 0) steps = min(steps, gMaxIter - load<i32>(i32At(N, l)));
    }
    if (steps == i32.MAX_VALUE) break;
    const k = burst(steps);
    for (let l = 0; l < LANES; l++) {
      const pixel = load<i32>(i32At(PIXEL, l));
      const m = load<i32>(i32At(M, l));
      const dzx = load<f64>(f64At(DZX, l));
      const dzy = load<f64>(f64At(DZY, l));
      const zx = load<f64>(zAt(m)) + dzx;
      const zy = load<f64>(zAt(m), 8) + dzy;
      const event = laneEvent(l);
      if (pixel < 0) {
        if (event == 1 || event == 3) park(l);
        continue;
      }
      const n = load<i32>(i32At(N, l)) + k;
      store<i32>(i32At(N, l), n);
      if (event == 1 || event == 3 || n >= gMaxIter) {
        const dcx = load<f64>(f64At(DCX, l));
        const dcy = load<f64>(f64At(DCY, l));
        finish(pixel, event == 3 && n < gMaxIter ? -1 : n, zx, zy, dcx, dcy, load<f64>(f64At(ERR, l)));
        refill(l);
      }
    }
  }
}
