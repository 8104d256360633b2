/**
 * A sample's start (see perturb.ts): from the linear start's step, with the extended exponent while its offsets are
 * too small for f64, until they are plain f64 for a lane of the fast loop.
 */
import { STEPS, tally } from './perturb-stats';
import { AMBIGUOUS, finish, GLITCHED, View, zAt } from './perturb-view';

/** How far a scaled delta may grow before its scale comes down (and by how much). */
export const RESCALE_BITS: i32 = 256;
export const RESCALE: f64 = 1.157920892373162e77; // 2^256

/**
 * Deltas scaled by 2^-k with k at most this become plain f64: then |dz| >= 2^-500 or so, and |dz|^2 in the rebase
 * test stays a normal f64 (a subnormal result costs x86 cores a slow path of a hundred cycles or more).
 */
export const PLAIN_K: i32 = 500;

/** 2^-960: an offset below it is dropped (see start). */
const NEGLIGIBLE_DC: f64 = 1.0261342003245941e-289;

// A sample leaving the scaled phase: its plain deltas and where it stands.
/** Where start leaves the sample it started: its dz and dc, its place m in the orbit and its count n. */
export namespace Start {
  export let dzx: f64 = 0;
  export let dzy: f64 = 0;
  export let dcx: f64 = 0;
  export let dcy: f64 = 0;
  export let m: i32 = 0;
  export let n: i32 = 0;
}

/**
 * 2^-k as f64, and 0 from the subnormal range down: a term scaled by it is then far below the others anyway, and
 * subnormal results cost x86 cores a hundred cycles or more each. Made from its bits: Math.pow(2, -k), the same
 * value (exact), was a sixth of a 1e300 view's kernel time.
 */
export function powerOfTwoBelow(k: i32): f64 {
  if (k > 1022) return 0;
  return k < -1023 ? Infinity : reinterpret<f64>((<u64>(1023 - k)) << 52);
}

/**
 * A sample from its offset dc (scaled by 2^-k) through the scaled phase, while it lasts. Returns false when it is
 * finished there (escaped, or maxIter reached); otherwise leaves its plain state in Start.dzx .. Start.n for a lane.
 *
 * While dz is far below Z it grows linearly: dz_n = A_n dc with A_1 = 1, A_{n+1} = 2 Z_n A_n + 1, the same A for
 * every sample (src/engines/perturbation.ts computes it, and up to which step it holds). So every sample starts at
 * that step with dz = A dc, skipping the first iterations (at 1e1000, most of them).
 */
export function start(pixel: i32, dcx: f64, dcy: f64, k: i32): bool {
  let dzx = View.jumpX * dcx - View.jumpY * dcy;
  let dzy = View.jumpX * dcy + View.jumpY * dcx;
  dcx *= View.jumpDc;
  dcy *= View.jumpDc;
  let m = View.jumpTo;
  let n = View.jumpTo;
  if (k <= PLAIN_K) {
    const factor = powerOfTwoBelow(k);
    dzx *= factor;
    dzy *= factor;
    dcx *= factor;
    dcy *= factor;
  } else {
    let factor = powerOfTwoBelow(k);
    while (true) {
      if (n >= View.maxIter) {
        finish(pixel, n, 0, 0, 0, 0, 0);
        return false;
      }
      const rx = load<f64>(zAt(m));
      const ry = load<f64>(zAt(m), 8);
      const zx = rx + dzx * factor;
      const zy = ry + dzy * factor;
      const r2 = zx * zx + zy * zy;
      if (r2 >= 4.0) {
        finish(pixel, r2 > AMBIGUOUS ? n : GLITCHED, zx, zy, dcx * factor, dcy * factor, 0);
        return false;
      }
      if (m == View.viewLast) {
        // The reference ends here and this sample has not escaped (dz is far below z: no rebase).
        finish(pixel, GLITCHED, 0, 0, 0, 0, 0);
        return false;
      }
      const sq = (dzx * dzx - dzy * dzy) * factor;
      const cross = dzx * dzy * factor;
      const nx = 2.0 * (rx * dzx - ry * dzy) + sq + dcx;
      dzy = 2.0 * (rx * dzy + ry * dzx) + (cross + cross) + dcy;
      dzx = nx;
      m++;
      n++;
      tally(STEPS, 1);
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
  Start.dzx = dzx;
  Start.dzy = dzy;
  Start.dcx = dcx;
  Start.dcy = dcy;
  Start.m = m;
  Start.n = n;
  return true;
}
