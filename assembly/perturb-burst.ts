/**
 * The fast loop (perturb.ts): four lanes stepped together in two f64x2 vectors, each at its own place in the
 * reference, until a lane escapes, must rebase or reaches the end of its steps.
 */
import { norm2 } from './lanes';
import {
  DCX,
  DCY,
  DZX,
  DZY,
  ERR,
  LOOK_AGAIN,
  LOST,
  M,
  NEXT,
  pairGoesOn,
  rebaseLanes,
  stepsLeft,
  TO_DRIVER,
} from './perturb-lanes';
import { CHECK_M } from './perturb-interior';
import { lastOf, NEAR_FOUR, zAt } from './perturb-view';

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

/** Lanes that may have escaped (|z|^2 >= 4, or so near it that the margins decide: perturb-lanes.ts, nearFour). */
// @ts-ignore: decorator
@inline
function nearFour(r2: v128): v128 {
  return f64x2.ge(r2, f64x2.splat(NEAR_FOUR));
}

/** Lanes that may have escaped (nearFour) or must rebase (|z|^2 < |dz|^2 = d2): one test for the rare events. */
// @ts-ignore: decorator
@inline
function events(r2: v128, d2: v128): v128 {
  return v128.or(nearFour(r2), f64x2.lt(r2, d2));
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

/**
 * Steps before a lane reaches the last point of its orbit (where it must rebase), where it tries BLA runs, or where
 * it looks at its z for the interior proof (perturb-interior.ts).
 */
// @ts-ignore: decorator
@inline
function toStop(m0: i32, m1: i32, m2: i32, m3: i32): i32 {
  const last = min(min(lastOf(m0) - m0, lastOf(m1) - m1), min(lastOf(m2) - m2, lastOf(m3) - m3));
  const n0 = load<i32>(NEXT) - m0;
  const n1 = load<i32>(NEXT, 4) - m1;
  const n2 = load<i32>(NEXT, 8) - m2;
  const n3 = load<i32>(NEXT, 12) - m3;
  const c0 = load<i32>(CHECK_M) - m0;
  const c1 = load<i32>(CHECK_M, 4) - m1;
  const c2 = load<i32>(CHECK_M, 8) - m2;
  const c3 = load<i32>(CHECK_M, 12) - m3;
  return min(min(last, min(min(n0, n1), min(n2, n3))), min(min(c0, c1), min(c2, c3)));
}

/**
 * Iterates the four lanes up to `steps` times (fewer when BLA runs bring a lane nearer maxIter: stepsLeft), stopping
 * before the step of a lane whose z has escaped. Returns the steps taken; the lane arrays hold the state after them
 * (N is left for the caller to advance, less what runs advanced it by). A lane at the
 * reference's last point ends a run of steps, to be rebased before the next, and so does one at the place where it
 * tries BLA runs (NEXT). Each lane's error estimate grows with it (grownError), and a lane whose estimate passes
 * LOST of |z| stops the run too (perturb-lanes.ts).
 */
export function burst(steps: i32): i32 {
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
  let limit = min(steps, toStop(m0, m1, m2, m3));
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
    // With the lanes whose error estimate passed LOST of |z|^2 (perturb-lanes.ts).
    const lost = f64x2.splat(LOST);
    const lost0 = f64x2.gt(v128.load(ERR), f64x2.mul(r0, lost));
    const lost1 = f64x2.gt(v128.load(ERR, 16), f64x2.mul(r1, lost));
    // The rare events, one test (as it was before pairGoesOn: this loop is the kernel's hottest): a lane to rebase
    // (|z|^2 < |dz|^2) or lost, or near |z| = 2, where the lanes go on if the margins say so (pairGoesOn).
    const near = v128.any_true(v128.or(v128.or(events(r0, d0), events(r1, d1)), v128.or(lost0, lost1)));
    if (
      k == limit ||
      (near &&
        (v128.any_true(v128.or(v128.or(f64x2.lt(r0, d0), f64x2.lt(r1, d1)), v128.or(lost0, lost1))) ||
          !pairGoesOn(nearFour(r0), rx0, ry0, dzx0, dzy0, r0, d0, m0, m1, v128.load(ERR)) ||
          !pairGoesOn(nearFour(r1), rx1, ry1, dzx1, dzy1, r1, d1, m2, m3, v128.load(ERR, 16))))
    ) {
      v128.store(DZX, dzx0);
      v128.store(DZX + 16, dzx1);
      v128.store(DZY, dzy0);
      v128.store(DZY + 16, dzy1);
      store<i32>(M, m0);
      store<i32>(M, m1, 4);
      store<i32>(M, m2, 8);
      store<i32>(M, m3, 12);
      if (k == steps) break;
      // No lane near an event: rebaseLanes asks only lanes at their orbit's end for theirs.
      const next = rebaseLanes(k, !near);
      if (next == TO_DRIVER) break;
      dzx0 = v128.load(DZX);
      dzx1 = v128.load(DZX, 16);
      dzy0 = v128.load(DZY);
      dzy1 = v128.load(DZY, 16);
      m0 = load<i32>(M);
      m1 = load<i32>(M, 4);
      m2 = load<i32>(M, 8);
      m3 = load<i32>(M, 12);
      // Runs moved some lanes' z and counts: the first lane to reach maxIter may have changed.
      if (next == LOOK_AGAIN) steps = stepsLeft();
      limit = min(steps, k + toStop(m0, m1, m2, m3));
      // And every lane's tests again, as the driver's next burst would make them (returning there for it cost a
      // stop's worth again, a third of the stops at the seahorse view).
      if (next == LOOK_AGAIN) continue;
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
