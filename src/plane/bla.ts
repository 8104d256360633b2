/**
 * Bilinear approximation (BLA) tables, built once per reference orbit in the main thread and shared with the workers
 * (assembly/perturb-bla.ts reads them). A perturbation step at m is a quadratic map of (dz, dc):
 *   dz -> 2 Z_m dz + dz^2 + dc,
 * and runs of 2^L steps compose into one map, kept here to second order:
 *   dz -> A dz + B dc + P dz^2 + Q dz dc + S dc^2,
 * valid while |dz| stays under a radius r: every step's dz then stays under EPSILON |Z| along the run, so the terms
 * dropped (third order and up) are about (EPSILON / 2)^2 of dz: as small as a rounding of f64. The kernel adds an
 * estimate of them to the sample's rounding-error estimate, so a sample they could change goes to the exact paths.
 *
 * First-order BLA (Fraktaler-3 and the posts on "bilinear approximation" by Zhuoran and Claude Heiland-Allen) drops
 * dz^2 itself: with their EPSILON of 2^-24 that is an error of 2^-25 of dz, far above f64's rounding, which changes
 * counts. The second-order terms cost five more products per block and keep the runs as long.
 *
 * Layout: blocks of a level are the runs starting at base + 1 + i 2^L (base: 0, or a Julia set's critical orbit),
 * complete runs only; levels below MIN_LEVEL are not stored (the vector loop steps them about as fast). Each block is
 * BLOCK_F64 f64s: A, B, P, Q, S (re, im each), then r^2 and the run's length. `index` gives, for each of the two
 * segments and each level, the first block's place and the number of blocks.
 */
/** Radius of a single step at Z: EPSILON |Z| (see the top). */
export const EPSILON = 2 ** -24;

/** The shortest run stored, as a level: 2^3 steps. */
export const MIN_LEVEL = 3;

/** f64s a block. */
export const BLOCK_F64 = 12;

/** Levels the index has room for, for each segment (assembly/perturb-bla.ts reads it with the same size). */
export const TABLE_LEVELS = 32;

/** A reference orbit's BLA blocks (see the top). */
export interface BlaTable {
  /** The blocks, in a SharedArrayBuffer. */
  blocks: Float64Array;
  /** For segment s and level L, at 2 (s TABLE_LEVELS + L): its first block, then its number of blocks. */
  index: Int32Array;
  /** The bound on every sample's |dc| the radii were made for. */
  dc: number;
}

/** |x + iy| without overflow, and without Math.hypot, which was most of a table's time. */
function magnitude(x: number, y: number): number {
  const a = Math.abs(x);
  const b = Math.abs(y);
  const big = Math.max(a, b);
  if (big === 0 || big === Number.POSITIVE_INFINITY) return big;
  const ratio = Math.min(a, b) / big;
  return big * Math.sqrt(1 + ratio * ratio);
}

/**
 * Writes the step at Z into block k of `to` (zeroed): its map and radius, none where z = Z + dz could reach |z| = 2.
 */
function singleStep(zx: number, zy: number, to: Float64Array, k: number): void {
  const a = magnitude(zx, zy);
  const r = Math.min(EPSILON * a, Math.max(0, (2 - a) / 2));
  // Field by field: an array literal a step was half of a million-point table's time.
  const o = k * BLOCK_F64;
  to[o] = 2 * zx;
  to[o + 1] = 2 * zy;
  to[o + 2] = 1;
  to[o + 4] = 1;
  to[o + 10] = r * r;
  to[o + 11] = 1;
}

/**
 * Writes block x then block x + 1 of `from`, to second order, into block k of `to`, for |dc| up to `dc`. Written out
 * with no arrays: this runs for every point of orbits of a million points.
 */
function merge(from: Float64Array, x: number, dc: number, to: Float64Array, k: number): void {
  const i = x * BLOCK_F64;
  const j = i + BLOCK_F64;
  const axr = from[i];
  const axi = from[i + 1];
  const bxr = from[i + 2];
  const bxi = from[i + 3];
  const pxr = from[i + 4];
  const pxi = from[i + 5];
  const qxr = from[i + 6];
  const qxi = from[i + 7];
  const sxr = from[i + 8];
  const sxi = from[i + 9];
  const ayr = from[j];
  const ayi = from[j + 1];
  const byr = from[j + 2];
  const byi = from[j + 3];
  const pyr = from[j + 4];
  const pyi = from[j + 5];
  const qyr = from[j + 6];
  const qyi = from[j + 7];
  const syr = from[j + 8];
  const syi = from[j + 9];
  const ax2r = axr * axr - axi * axi;
  const ax2i = 2 * axr * axi;
  const axbxr = axr * bxr - axi * bxi;
  const axbxi = axr * bxi + axi * bxr;
  const bx2r = bxr * bxr - bxi * bxi;
  const bx2i = 2 * bxr * bxi;
  const o = k * BLOCK_F64;
  to[o] = ayr * axr - ayi * axi;
  to[o + 1] = ayr * axi + ayi * axr;
  to[o + 2] = ayr * bxr - ayi * bxi + byr;
  to[o + 3] = ayr * bxi + ayi * bxr + byi;
  to[o + 4] = ayr * pxr - ayi * pxi + (pyr * ax2r - pyi * ax2i);
  to[o + 5] = ayr * pxi + ayi * pxr + (pyr * ax2i + pyi * ax2r);
  to[o + 6] = ayr * qxr - ayi * qxi + 2 * (pyr * axbxr - pyi * axbxi) + (qyr * axr - qyi * axi);
  to[o + 7] = ayr * qxi + ayi * qxr + 2 * (pyr * axbxi + pyi * axbxr) + (qyr * axi + qyi * axr);
  to[o + 8] = ayr * sxr - ayi * sxi + (pyr * bx2r - pyi * bx2i) + (qyr * bxr - qyi * bxi) + syr;
  to[o + 9] = ayr * sxi + ayi * sxr + (pyr * bx2i + pyi * bx2r) + (qyr * bxi + qyi * bxr) + syi;
  // dz after x is at most |A_x| r + |B_x| dc: it must be within y's radius.
  const ry = Math.sqrt(from[j + 10]);
  const r = Math.min(Math.sqrt(from[i + 10]), Math.max(0, (ry - magnitude(bxr, bxi) * dc) / magnitude(axr, axi)));
  to[o + 10] = r * r;
  to[o + 11] = from[i + 11] + from[j + 11];
}

/**
 * blaTable built elsewhere, bit for bit: in WASM (assembly/bla-table.ts, src/engines/wasm-bla.ts), faster and without
 * the short levels held whole.
 */
export type BlaBuilder = typeof blaTable;

/**
 * The segments of an orbit's table (see blaTable): the reference's, and a Julia set's critical orbit's, each its base
 * and its single steps, base + 1 .. last - 1 (a run from m may end at last, where the kernel tests the orbit's end).
 */
export function blaSegments(orbit: Float64Array, viewLast: number, restart: number): { base: number; count: number }[] {
  const ends =
    restart > 0
      ? [
          [0, viewLast],
          [restart, orbit.length / 2 - 1],
        ]
      : [[0, viewLast]];
  return ends.map(([base, last]) => ({ base, count: Math.max(0, last - base - 1) }));
}

/**
 * The table of segments of `counts` single steps each, laid out (see the top; levels shorter than MIN_LEVEL have no
 * blocks) with its index; `write` fills in the blocks, segment s's kept levels one after another from f64 `at[s]` on.
 */
export function packTable(counts: number[], dc: number, write: (blocks: Float64Array, at: number[]) => void): BlaTable {
  const index = new Int32Array(2 * counts.length * TABLE_LEVELS);
  const at: number[] = [];
  let total = 0;
  for (const [s, first] of counts.entries()) {
    let count = first;
    for (let L = 0; L < TABLE_LEVELS && count > 0; L++) {
      const kept = L >= MIN_LEVEL ? count : 0;
      index[2 * (s * TABLE_LEVELS + L)] = total / BLOCK_F64;
      index[2 * (s * TABLE_LEVELS + L) + 1] = kept;
      if (L === MIN_LEVEL) at[s] = total;
      total += kept * BLOCK_F64;
      count >>= 1;
    }
    at[s] ??= total;
  }
  const blocks = new Float64Array(new SharedArrayBuffer(Math.max(1, total) * 8));
  write(blocks, at);
  return { blocks, index, dc };
}

/**
 * The BLA blocks of the orbit's segments: the reference Z_0 .. Z_{viewLast}, and for a Julia set (restart > 0) its
 * critical orbit from restart to the end; `dc` bounds every sample's |dc| (0 for a Julia set: no dc); `margins`, the
 * orbit's |Z|^2 - 4 where kept (no run holds a step there).
 *
 * @example blaTable(orbit, orbit.length / 2 - 1, 0, 1e-30).blocks.length // about 3 f64s a point of the orbit
 */
export function blaTable(
  orbit: Float64Array,
  viewLast: number,
  restart: number,
  dc: number,
  margins?: Float64Array,
): BlaTable {
  const segments = blaSegments(orbit, viewLast, restart);
  const levels = segments.map(({ base, count: steps }) => {
    let count = steps;
    let level = new Float64Array(count * BLOCK_F64);
    for (let k = 0; k < count; k++) {
      singleStep(orbit[2 * (base + 1 + k)], orbit[2 * (base + 1 + k) + 1], level, k);
      // Where |Z|^2 is too near 4 for f64 to place (src/plane/orbit.ts keeps its margin), a run could pass an escape
      // of z = Z + dz unseen: no run holds a step there.
      if (margins && margins[base + 1 + k] !== 0) level[k * BLOCK_F64 + 10] = 0;
    }
    const kept: Float64Array[] = [];
    for (let L = 0; L < TABLE_LEVELS && count > 0; L++) {
      if (L >= MIN_LEVEL) kept.push(level);
      count >>= 1;
      const next = new Float64Array(count * BLOCK_F64);
      for (let k = 0; k < count; k++) merge(level, 2 * k, dc, next, k);
      level = next;
    }
    return kept;
  });
  const counts = segments.map((segment) => segment.count);
  return packTable(counts, dc, (blocks, at) => {
    for (const [s, kept] of levels.entries()) {
      let o = at[s];
      for (const level of kept) {
        blocks.set(level, o);
        o += level.length;
      }
    }
  });
}
