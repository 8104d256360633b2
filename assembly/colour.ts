/**
 * Colouring, in the same module as the kernels: a rectangle's counts and |z|^2 (EXTRA_STEPS past the escape) ->
 * RGB bytes. Each escaped sample gets the continuous count mu = n + 1 + EXTRA_STEPS - log2(log2 |z_n+EXTRA_STEPS|)
 * (see smooth.ts and src/outputs/colour.ts), which picks a colour from a palette table over one cycle; `aa` x `aa`
 * samples are averaged per pixel, then rounded.
 */
import { EXTRA_STEPS } from './smooth';

/**
 * log2 of a positive normal x, to about 3e-7: the exponent plus a degree-7 polynomial in m - 1 for the mantissa m
 * in [1, 2) (least squares on Chebyshev nodes; no division, unlike the atanh series it replaces, which made the
 * colouring of a 2048 x 512 block cost 12.9 ns a pixel against 8 now). Colour needs no more precision: a palette
 * cycle is split into 4096 entries, and 3e-7 of an iteration is a thousandth of one.
 */
// @ts-ignore: decorator
@inline
function log2Approx(x: f64): f64 {
  const bits = reinterpret<u64>(x);
  const e = <f64>(<i64>(bits >> 52) - 1023);
  const u = reinterpret<f64>((bits & 0x000fffffffffffff) | 0x3ff0000000000000) - 1.0;
  return (
    e +
    (3.196978283981178e-7 +
      u *
        (1.4426521110421735 +
          u *
            (-0.7203866119437536 +
              u *
                (0.4724995251906629 +
                  u *
                    (-0.3231159351302462 +
                      u * (0.19042083139200972 + u * (-0.07684872596667999 + u * 0.014778720765885682)))))))
  );
}

/** The palette entry of an escaped sample: mu = n + 1 + EXTRA_STEPS - log2(log2 |z|), at mu / cycle of a cycle. */
// @ts-ignore: decorator
@inline
function tableIndex(count: i32, norm: f64, cycle: f64, tableSize: i32): i32 {
  const mu = <f64>count + <f64>(1 + EXTRA_STEPS) - log2Approx(0.5 * log2Approx(norm));
  const t = mu / cycle;
  return <i32>((t - Math.floor(t)) * <f64>tableSize);
}

/** log2Approx on both lanes of an f64x2, with its operations in its order (the same bits). */
// @ts-ignore: decorator
@inline
function log2ApproxX2(x: v128): v128 {
  // The biased exponents (0 .. 2047) as the low i32 of each i64 lane, then converted: exact, as the scalar's are.
  const biased = i64x2.shr_u(x, 52);
  const e = f64x2.convert_low_i32x4_s(i32x4.sub(v128.shuffle<i32>(biased, biased, 0, 2, 0, 2), i32x4.splat(1023)));
  const mantissa = v128.or(v128.and(x, i64x2.splat(0x000fffffffffffff)), i64x2.splat(0x3ff0000000000000));
  const u = f64x2.sub(mantissa, f64x2.splat(1.0));
  let poly = f64x2.add(f64x2.splat(-0.07684872596667999), f64x2.mul(u, f64x2.splat(0.014778720765885682)));
  poly = f64x2.add(f64x2.splat(0.19042083139200972), f64x2.mul(u, poly));
  poly = f64x2.add(f64x2.splat(-0.3231159351302462), f64x2.mul(u, poly));
  poly = f64x2.add(f64x2.splat(0.4724995251906629), f64x2.mul(u, poly));
  poly = f64x2.add(f64x2.splat(-0.7203866119437536), f64x2.mul(u, poly));
  poly = f64x2.add(f64x2.splat(1.4426521110421735), f64x2.mul(u, poly));
  poly = f64x2.add(f64x2.splat(3.196978283981178e-7), f64x2.mul(u, poly));
  return f64x2.add(e, poly);
}

/** tableIndex for two samples (counts as the low two i32 lanes, norms as f64x2): the indices as the low two i32. */
// @ts-ignore: decorator
@inline
function tableIndexX2(counts: v128, norms: v128, cycle: v128, tableSize: v128): v128 {
  const n = f64x2.add(f64x2.convert_low_i32x4_s(counts), f64x2.splat(<f64>(1 + EXTRA_STEPS)));
  const mu = f64x2.sub(n, log2ApproxX2(f64x2.mul(f64x2.splat(0.5), log2ApproxX2(norms))));
  const t = f64x2.div(mu, cycle);
  return i32x4.trunc_sat_f64x2_s_zero(f64x2.mul(f64x2.sub(t, f64x2.floor(t)), tableSize));
}

/** A pixel's colour as a 4-byte entry: the inside colour's, or the table entry `index` of an escaped one. */
// @ts-ignore: decorator
@inline
function entryOf(count: i32, index: i32, tableBytes: usize, inside: usize): usize {
  return count < 0 ? inside : tableBytes + ((<usize>index) << 2);
}

/** Writes one pixel's 3 bytes (see entryOf). */
// @ts-ignore: decorator
@inline
function putPixel(at: usize, count: i32, index: i32, tableBytes: usize, inside: usize): void {
  const from = entryOf(count, index, tableBytes, inside);
  store<u16>(at, load<u16>(from));
  store<u8>(at, load<u8>(from, 2), 2);
}

/** The inside colour, rounded to bytes, laid out as a table entry. */
const INSIDE = memory.data(4, 4);

/**
 * One sample a pixel: each pixel's colour is its table entry, already rounded to bytes. The same bytes as the
 * averaging path with one sample (round(v / 1)), at a fraction of its cost: no sums, no division, no rounding.
 * Four samples at a time as two f64x2 chains: the two log2 polynomials are a long chain of dependent steps, so
 * independent samples side by side keep the multipliers busy (the same operations as tableIndex: the same bits).
 */
function colourOneSample(
  counts: usize,
  norms: usize,
  pixels: i32,
  tableBytes: usize,
  tableSize: i32,
  cycle: f64,
  insideR: f64,
  insideG: f64,
  insideB: f64,
  out: usize,
): void {
  store<u8>(INSIDE, <u8>Math.floor(insideR + 0.5));
  store<u8>(INSIDE, <u8>Math.floor(insideG + 0.5), 1);
  store<u8>(INSIDE, <u8>Math.floor(insideB + 0.5), 2);
  const cycles = f64x2.splat(cycle);
  const size = f64x2.splat(<f64>tableSize);
  let p = 0;
  for (; p + 4 <= pixels; p += 4) {
    const c = v128.load(counts + ((<usize>p) << 2));
    const at = out + <usize>p * 3;
    if (i32x4.all_true(i32x4.lt_s(c, i32x4.splat(0)))) {
      // Four inside pixels: no colour to compute.
      store<u32>(at, load<u32>(INSIDE));
      store<u32>(at + 3, load<u32>(INSIDE));
      store<u32>(at + 6, load<u32>(INSIDE));
      store<u16>(at + 9, load<u16>(INSIDE));
      store<u8>(at + 11, load<u8>(INSIDE, 2));
      continue;
    }
    const low = tableIndexX2(c, v128.load(norms + ((<usize>p) << 3)), cycles, size);
    const upper = v128.shuffle<i32>(c, c, 2, 3, 2, 3);
    const high = tableIndexX2(upper, v128.load(norms + ((<usize>p) << 3), 16), cycles, size);
    // Whole entries (4 bytes) for the first three: each one's fourth byte is the next pixel's first, written next.
    store<u32>(at, load<u32>(entryOf(i32x4.extract_lane(c, 0), i32x4.extract_lane(low, 0), tableBytes, INSIDE)));
    store<u32>(at + 3, load<u32>(entryOf(i32x4.extract_lane(c, 1), i32x4.extract_lane(low, 1), tableBytes, INSIDE)));
    store<u32>(at + 6, load<u32>(entryOf(i32x4.extract_lane(c, 2), i32x4.extract_lane(high, 0), tableBytes, INSIDE)));
    putPixel(at + 9, i32x4.extract_lane(c, 3), i32x4.extract_lane(high, 1), tableBytes, INSIDE);
  }
  for (; p < pixels; p++) {
    const count = load<i32>(counts + ((<usize>p) << 2));
    const index = count < 0 ? 0 : tableIndex(count, load<f64>(norms + ((<usize>p) << 3)), cycle, tableSize);
    putPixel(out + <usize>p * 3, count, index, tableBytes, INSIDE);
  }
}

/**
 * What colourBand colours (the caller writes the block into linear memory and passes its address, as the kernels'
 * blocks are passed: params.ts): `rows` x `width` pixels from samples at `counts` (i32) and `norms` (f64),
 * `width * aa` samples a row; `table` holds `tableSize` colours as f64 r, g, b, and `tableBytes` the same colours
 * rounded to bytes (4 bytes an entry); `sums` is scratch for `width * 3` f64; RGB bytes go to `out`. With `derivs`
 * (derivative.ts: u = z / E, two f64 a sample; 0: none), each escaped sample's colour is shaded first: `shading`
 * DISTANCE, SLOPE or both, with the light's unit vector (lightX, lightY, lightZ) for SLOPE.
 */
@unmanaged
export class ColourParams {
  counts!: usize;
  norms!: usize;
  derivs!: usize;
  width!: i32;
  rows!: i32;
  aa!: i32;
  table!: usize;
  tableBytes!: usize;
  tableSize!: i32;
  cycle!: f64;
  insideR!: f64;
  insideG!: f64;
  insideB!: f64;
  sums!: usize;
  out!: usize;
  shading!: i32;
  lightX!: f64;
  lightY!: f64;
  lightZ!: f64;
}

/** The block's size in bytes, checked by the caller. */
export function colourParamsSize(): i32 {
  return offsetof<ColourParams>();
}

/**
 * Every field of the block at `params`, as f64 in declaration order from `out`: read by the kernel's own names, for
 * the test that writes sentinel values through the TS writer (test/kernel-layout.test.ts).
 */
export function echoColourParams(params: usize, out: usize): void {
  const p = changetype<ColourParams>(params);
  store<f64>(out, <f64>p.counts);
  store<f64>(out, <f64>p.norms, 8);
  store<f64>(out, <f64>p.derivs, 16);
  store<f64>(out, <f64>p.width, 24);
  store<f64>(out, <f64>p.rows, 32);
  store<f64>(out, <f64>p.aa, 40);
  store<f64>(out, <f64>p.table, 48);
  store<f64>(out, <f64>p.tableBytes, 56);
  store<f64>(out, <f64>p.tableSize, 64);
  store<f64>(out, <f64>p.cycle, 72);
  store<f64>(out, <f64>p.insideR, 80);
  store<f64>(out, <f64>p.insideG, 88);
  store<f64>(out, <f64>p.insideB, 96);
  store<f64>(out, <f64>p.sums, 104);
  store<f64>(out, <f64>p.out, 112);
  store<f64>(out, <f64>p.shading, 120);
  store<f64>(out, <f64>p.lightX, 128);
  store<f64>(out, <f64>p.lightY, 136);
  store<f64>(out, <f64>p.lightZ, 144);
}

/** `shading` bits: darken by the distance estimate; light the slope. */
export const DISTANCE: i32 = 1;
export const SLOPE: i32 = 2;

/** The share of a colour that a slope turned away from the light keeps. */
const AMBIENT: f64 = 0.3;

/**
 * How much of its colour an escaped sample keeps (0 to 1) under `shading`, from its |z|^2 and u = z / E
 * (derivative.ts), `aa` samples a pixel:
 * - DISTANCE: tanh of the distance estimate in pixels, |u| ln |z| / aa: the boundary of the set is drawn as dark
 *   lines a pixel or so wide, at any depth (the estimate is in units of the sample step), and filaments too thin to
 *   be sampled still show.
 * - SLOPE: the smooth count as a surface lit from the light's direction: its normal is (n, 1) / sqrt 2 with n = u / |u|
 *   (the count grows towards the set against u), lit by Lambert's cosine law over an AMBIENT floor.
 * A sample without a derivative (NaN) keeps all of it.
 */
// @ts-ignore: decorator
@inline
function shadeOf(norm: f64, ux: f64, uy: f64, p: ColourParams): f64 {
  if (isNaN(ux) || isNaN(uy)) return 1.0;
  const u = Math.sqrt(ux * ux + uy * uy);
  let keep = 1.0;
  if ((p.shading & DISTANCE) != 0) keep = Math.tanh((u * 0.5 * Math.log(norm)) / <f64>p.aa);
  if ((p.shading & SLOPE) != 0) {
    const facing = u > 0 ? (ux * p.lightX + uy * p.lightY) / u : 0.0;
    const cosine = (facing + p.lightZ) * Math.SQRT1_2;
    keep *= AMBIENT + (1.0 - AMBIENT) * max(0.0, cosine);
  }
  return keep;
}

/** Colours the pixels described by the block at `params` (see ColourParams). */
export function colourBand(params: usize): void {
  const p = changetype<ColourParams>(params);
  const counts = p.counts;
  const norms = p.norms;
  const width = p.width;
  const aa = p.aa;
  const table = p.table;
  const tableSize = p.tableSize;
  const cycle = p.cycle;
  const sums = p.sums;
  const derivs = p.derivs;
  if (aa == 1 && derivs == 0) {
    colourOneSample(
      counts,
      norms,
      width * p.rows,
      p.tableBytes,
      tableSize,
      cycle,
      p.insideR,
      p.insideG,
      p.insideB,
      p.out,
    );
    return;
  }
  const sampleWidth = width * aa;
  const samples = <f64>(aa * aa);
  for (let row = 0; row < p.rows; row++) {
    memory.fill(sums, 0, <usize>width * 24);
    for (let sy = 0; sy < aa; sy++) {
      let s = <usize>((row * aa + sy) * sampleWidth);
      for (let col = 0; col < width; col++) {
        const sum = sums + <usize>col * 24;
        for (let sx = 0; sx < aa; sx++, s++) {
          const count = load<i32>(counts + (s << 2));
          let r = p.insideR;
          let g = p.insideG;
          let b = p.insideB;
          if (count >= 0) {
            const norm = load<f64>(norms + (s << 3));
            const entry = table + <usize>(tableIndex(count, norm, cycle, tableSize) * 24);
            r = load<f64>(entry);
            g = load<f64>(entry, 8);
            b = load<f64>(entry, 16);
            if (derivs != 0) {
              const keep = shadeOf(norm, load<f64>(derivs + (s << 4)), load<f64>(derivs + (s << 4), 8), p);
              r *= keep;
              g *= keep;
              b *= keep;
            }
          }
          store<f64>(sum, load<f64>(sum) + r);
          store<f64>(sum, load<f64>(sum, 8) + g, 8);
          store<f64>(sum, load<f64>(sum, 16) + b, 16);
        }
      }
    }
    const base = p.out + <usize>(row * width * 3);
    for (let k = 0; k < width * 3; k++) {
      store<u8>(base + <usize>k, <u8>Math.floor(load<f64>(sums + ((<usize>k) << 3)) / samples + 0.5));
    }
  }
}

// Every field's offset, exported by name, as params.ts does for RenderParams.
export const COLOUR_counts: i32 = offsetof<ColourParams>('counts');
export const COLOUR_norms: i32 = offsetof<ColourParams>('norms');
export const COLOUR_derivs: i32 = offsetof<ColourParams>('derivs');
export const COLOUR_width: i32 = offsetof<ColourParams>('width');
export const COLOUR_rows: i32 = offsetof<ColourParams>('rows');
export const COLOUR_aa: i32 = offsetof<ColourParams>('aa');
export const COLOUR_table: i32 = offsetof<ColourParams>('table');
export const COLOUR_tableBytes: i32 = offsetof<ColourParams>('tableBytes');
export const COLOUR_tableSize: i32 = offsetof<ColourParams>('tableSize');
export const COLOUR_cycle: i32 = offsetof<ColourParams>('cycle');
export const COLOUR_insideR: i32 = offsetof<ColourParams>('insideR');
export const COLOUR_insideG: i32 = offsetof<ColourParams>('insideG');
export const COLOUR_insideB: i32 = offsetof<ColourParams>('insideB');
export const COLOUR_sums: i32 = offsetof<ColourParams>('sums');
export const COLOUR_out: i32 = offsetof<ColourParams>('out');
export const COLOUR_shading: i32 = offsetof<ColourParams>('shading');
export const COLOUR_lightX: i32 = offsetof<ColourParams>('lightX');
export const COLOUR_lightY: i32 = offsetof<ColourParams>('lightY');
export const COLOUR_lightZ: i32 = offsetof<ColourParams>('lightZ');
