/**
 * The BLA table's blocks (src/plane/bla.ts, blaTable: the maps, their radii and the layout are explained there), built
 * here bit for bit as there: the same f64 operations in the same order, about three times faster, and without the
 * single steps and the two shortest levels ever held whole (a million-point orbit's were 170 MB): each block of the
 * first level kept (8 steps) is merged from its 8 steps in a scratch of 14 blocks.
 */

/** f64s and bytes a block: A, B, P, Q, S (re, im each), r^2, the run's length. */
const BLOCK: usize = 96;

/** Bytes of blaLevels' scratch: 8 steps, 4 pairs, 2 runs of 4. */
export const BLA_SCRATCH: i32 = 14 * <i32>BLOCK;

/** A single step's radius as a fraction of |Z| (src/plane/bla.ts, EPSILON). */
const EPSILON: f64 = 5.960464477539063e-8; // 2^-24

/** The shortest run kept, and the levels a segment may have (src/plane/bla.ts). */
const MIN_LEVEL = 3;
const TABLE_LEVELS = 32;

/** |x + iy| without overflow (bla.ts's magnitude). */
function magnitude(x: f64, y: f64): f64 {
  const a = abs(x);
  const b = abs(y);
  const big = max(a, b);
  if (big == 0 || big == Infinity) return big;
  const ratio = min(a, b) / big;
  return big * Math.sqrt(1 + ratio * ratio);
}

/** The step at Z_m into the block at `to`, no radius where the orbit keeps a margin (bla.ts's singleStep). */
function singleStep(orbit: usize, margins: usize, m: i32, to: usize): void {
  const zx = load<f64>(orbit + ((<usize>m) << 4));
  const zy = load<f64>(orbit + ((<usize>m) << 4), 8);
  const a = magnitude(zx, zy);
  const r = min(EPSILON * a, max(0.0, (2 - a) / 2));
  memory.fill(to, 0, BLOCK);
  store<f64>(to, 2 * zx);
  store<f64>(to, 2 * zy, 8);
  store<f64>(to, 1, 16);
  store<f64>(to, 1, 32);
  const edge = margins != 0 && load<f64>(margins + ((<usize>m) << 3)) != 0;
  store<f64>(to, edge ? 0 : r * r, 80);
  store<f64>(to, 1, 88);
}

/** Blocks x then y merged, to second order, for |dc| up to `dc`, into `to` (bla.ts's merge, term for term). */
function merge(x: usize, y: usize, dc: f64, to: usize): void {
  const axr = load<f64>(x);
  const axi = load<f64>(x, 8);
  const bxr = load<f64>(x, 16);
  const bxi = load<f64>(x, 24);
  const pxr = load<f64>(x, 32);
  const pxi = load<f64>(x, 40);
  const qxr = load<f64>(x, 48);
  const qxi = load<f64>(x, 56);
  const sxr = load<f64>(x, 64);
  const sxi = load<f64>(x, 72);
  const ayr = load<f64>(y);
  const ayi = load<f64>(y, 8);
  const byr = load<f64>(y, 16);
  const byi = load<f64>(y, 24);
  const pyr = load<f64>(y, 32);
  const pyi = load<f64>(y, 40);
  const qyr = load<f64>(y, 48);
  const qyi = load<f64>(y, 56);
  const syr = load<f64>(y, 64);
  const syi = load<f64>(y, 72);
  const ax2r = axr * axr - axi * axi;
  const ax2i = 2 * axr * axi;
  const axbxr = axr * bxr - axi * bxi;
  const axbxi = axr * bxi + axi * bxr;
  const bx2r = bxr * bxr - bxi * bxi;
  const bx2i = 2 * bxr * bxi;
  store<f64>(to, ayr * axr - ayi * axi);
  store<f64>(to, ayr * axi + ayi * axr, 8);
  store<f64>(to, ayr * bxr - ayi * bxi + byr, 16);
  store<f64>(to, ayr * bxi + ayi * bxr + byi, 24);
  store<f64>(to, ayr * pxr - ayi * pxi + (pyr * ax2r - pyi * ax2i), 32);
  store<f64>(to, ayr * pxi + ayi * pxr + (pyr * ax2i + pyi * ax2r), 40);
  store<f64>(to, ayr * qxr - ayi * qxi + 2 * (pyr * axbxr - pyi * axbxi) + (qyr * axr - qyi * axi), 48);
  store<f64>(to, ayr * qxi + ayi * qxr + 2 * (pyr * axbxi + pyi * axbxr) + (qyr * axi + qyi * axr), 56);
  store<f64>(to, ayr * sxr - ayi * sxi + (pyr * bx2r - pyi * bx2i) + (qyr * bxr - qyi * bxi) + syr, 64);
  store<f64>(to, ayr * sxi + ayi * sxr + (pyr * bx2i + pyi * bx2r) + (qyr * bxi + qyi * bxr) + syi, 72);
  const ry = Math.sqrt(load<f64>(y, 80));
  const r = min(Math.sqrt(load<f64>(x, 80)), max(0.0, (ry - magnitude(bxr, bxi) * dc) / magnitude(axr, axi)));
  store<f64>(to, r * r, 80);
  store<f64>(to, load<f64>(x, 88) + load<f64>(y, 88), 88);
}

/**
 * The kept levels of one segment, `count` single steps from Z_(base + 1) on (orbit: f64 pairs; margins: one f64 a
 * point, or 0 for none), for |dc| up to `dc`: level MIN_LEVEL's blocks, then each longer level's, from `out` on.
 * `scratch` holds BLA_SCRATCH bytes.
 */
export function blaLevels(
  orbit: usize,
  margins: usize,
  base: i32,
  count: i32,
  dc: f64,
  out: usize,
  scratch: usize,
): void {
  const pairs = scratch + 8 * BLOCK;
  const quads = pairs + 4 * BLOCK;
  const first = count >> MIN_LEVEL;
  for (let k = 0; k < first; k++) {
    for (let t = 0; t < 8; t++) singleStep(orbit, margins, base + 1 + 8 * k + t, scratch + <usize>t * BLOCK);
    for (let t = 0; t < 4; t++)
      merge(scratch + <usize>(2 * t) * BLOCK, scratch + <usize>(2 * t + 1) * BLOCK, dc, pairs + <usize>t * BLOCK);
    for (let t = 0; t < 2; t++)
      merge(pairs + <usize>(2 * t) * BLOCK, pairs + <usize>(2 * t + 1) * BLOCK, dc, quads + <usize>t * BLOCK);
    merge(quads, quads + BLOCK, dc, out + <usize>k * BLOCK);
  }
  let from = out;
  let at = out + <usize>first * BLOCK;
  for (let level = MIN_LEVEL + 1; level < TABLE_LEVELS && count >> level > 0; level++) {
    const blocks = count >> level;
    for (let k = 0; k < blocks; k++)
      merge(from + <usize>(2 * k) * BLOCK, from + <usize>(2 * k + 1) * BLOCK, dc, at + <usize>k * BLOCK);
    from = at;
    at += <usize>blocks * BLOCK;
  }
}
