/**
 * The perturbation kernel, for views deeper than f64 can place pixels in (see src/deep/): every sample is iterated
 * as a small offset dz from a reference orbit Z computed once in arbitrary precision (Z_0 = 0, Z_1 = C, the view's
 * centre), with dc the sample's offset from C:
 *   z_n = Z_m + dz,   dz -> (Z_m + z_n) dz + dc   (that is 2 Z_m dz + dz^2 + dc),   m -> m + 1.
 * The count rule is the direct kernels' (z_1 = c, count from 1, stop at maxIter or |z|^2 >= 4).
 *
 * Rebasing: when |z| < |dz|, or the reference has no next point, the sample goes on from the start of the
 * reference (Z_0 = 0) with dz := z. dz then stays small against z wherever the reference itself is small, which
 * is where plain perturbation loses precision (glitches), and one reference of any length serves every sample.
 *
 * Extended exponent: past a magnification of about 1e290 dc and dz underflow f64, so a sample starts with dz and
 * dc scaled by a shared 2^k (k > 0). While it is that small, dz^2 is far below 2 Z dz (it is kept when 2^-k is
 * representable, dropped when it would underflow), the escape and rebase tests see z = Z_m, and whenever |dz|
 * passes 2^RESCALE_BITS the scale comes down by that much. Once k reaches PLAIN_K the deltas are plain f64 and the
 * fast loop takes over: only the first iterations pay for the exponent.
 */
import { normAfterEscape } from './smooth';

/**
 * The parameter block of renderPerturb; src/engines/wasm.ts writes the same layout (PERTURB_PARAMS).
 * Sample (col, row) of the whole grid has dc = ((2 col - sampleWidth) * stepX, (sampleHeight - 2 row) * stepY)
 * times 2^-scale: products of whole numbers and dyadic steps, exact in f64.
 */
@unmanaged
export class PerturbParams {
  orbit!: usize; // 0: f64 pairs Z_0 .. Z_{orbitLength - 1}
  orbitLength!: i32; // 4
  scale!: i32; // 8: k of the first deltas, 0 when they are plain f64
  maxIter!: i32; // 12
  stepX!: f64; // 16: half a sample step, times 2^scale
  stepY!: f64; // 24
  colStart!: i32; // 32
  width!: i32; // 36
  rowStart!: i32; // 40
  rowCount!: i32; // 44
  sampleWidth!: i32; // 48
  sampleHeight!: i32; // 52
  counts!: usize; // 56: i32 per sample, row-major over the rectangle
  norms!: usize; // 60: f64 per sample
}

/** The block's size in bytes (64), checked by the caller. */
export function perturbParamsSize(): i32 {
  return offsetof<PerturbParams>();
}

/** How far a scaled delta may grow before its scale comes down (and by how much). */
const RESCALE_BITS: i32 = 256;
const RESCALE: f64 = 1.157920892373162e77; // 2^256

/**
 * Deltas scaled by 2^-k with k at most this become plain f64: then |dz| >= 2^-700 or so once rescaled (or it has
 * only just started, at 2^(STEP_BITS - k) and more), far above the subnormal range.
 */
const PLAIN_K: i32 = 700;

// The sample being finished: its escape count and |z|^2 EXTRA_STEPS past the escape.
let gCount: i32 = 0;
let gNorm: f64 = 0;

// @ts-ignore: decorator
@inline
function zAt(orbit: usize, m: i32): usize {
  return orbit + (<usize>m << 4);
}

/** 2^-k as f64; 0 where it underflows. */
function powerOfTwoBelow(k: i32): f64 {
  return k > 1074 ? 0 : Math.pow(2.0, <f64>-k);
}

/**
 * One sample from dz = dc (scaled by 2^-k) at n = m = 1. Sets gCount (-1: never escaped) and gNorm.
 */
function iterate(orbit: usize, length: i32, maxIter: i32, dcx: f64, dcy: f64, k: i32): void {
  const last = length - 1;
  let dzx = dcx;
  let dzy = dcy;
  let m = 1;
  let n = 1;
  let zx: f64 = 0;
  let zy: f64 = 0;
  // The scaled phase: the sample is still within 2^-PLAIN_K of the reference (z = Z_m to f64's precision).
  if (k > 0) {
    let factor = powerOfTwoBelow(k);
    let escaped = false;
    while (n < maxIter) {
      const at = zAt(orbit, m);
      const rx = load<f64>(at);
      const ry = load<f64>(at, 8);
      zx = rx + dzx * factor;
      zy = ry + dzy * factor;
      if (zx * zx + zy * zy >= 4.0) {
        escaped = true;
        break;
      }
      if (m == last) {
        // No next reference point: go on from the start with dz := z, now plain.
        dzx = zx;
        dzy = zy;
        m = 0;
        break;
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
    if (escaped || n >= maxIter) {
      finishSample(orbit, n, maxIter, zx, zy, dcx, dcy);
      return;
    }
  }
  // The plain phase.
  while (n < maxIter) {
    const at = zAt(orbit, m);
    const rx = load<f64>(at);
    const ry = load<f64>(at, 8);
    zx = rx + dzx;
    zy = ry + dzy;
    const r2 = zx * zx + zy * zy;
    if (r2 >= 4.0) break;
    let ax = rx + zx;
    let ay = ry + zy;
    if (r2 < dzx * dzx + dzy * dzy || m == last) {
      dzx = zx;
      dzy = zy;
      ax = zx;
      ay = zy;
      m = 0;
    }
    const nx = ax * dzx - ay * dzy + dcx;
    dzy = ax * dzy + ay * dzx + dcy;
    dzx = nx;
    m++;
    n++;
  }
  finishSample(orbit, n, maxIter, zx, zy, dcx, dcy);
}

/** The sample's result: escaped at n (with |z|^2 a few steps on, for colour) or never. */
// @ts-ignore: decorator
@inline
function finishSample(orbit: usize, n: i32, maxIter: i32, zx: f64, zy: f64, dcx: f64, dcy: f64): void {
  if (n < maxIter) {
    gCount = n;
    gNorm = normAfterEscape(zx, zy, load<f64>(orbit, 16) + dcx, load<f64>(orbit, 24) + dcy);
  } else {
    gCount = -1;
    gNorm = 0;
  }
}

/** Renders the rectangle described by the block at `params`: each sample's count and |z|^2, as the others do. */
export function renderPerturb(params: usize): void {
  const p = changetype<PerturbParams>(params);
  const colEnd = p.colStart + p.width;
  let counts = p.counts;
  let norms = p.norms;
  for (let r = 0; r < p.rowCount; r++) {
    const dcy = <f64>(p.sampleHeight - 2 * (p.rowStart + r)) * p.stepY;
    for (let col = p.colStart; col < colEnd; col++) {
      const dcx = <f64>(2 * col - p.sampleWidth) * p.stepX;
      iterate(p.orbit, p.orbitLength, p.maxIter, dcx, dcy, p.scale);
      store<i32>(counts, gCount);
      store<f64>(norms, gNorm);
      counts += 4;
      norms += 8;
    }
  }
}
