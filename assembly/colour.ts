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
  return count < 0 ? inside : tableBytes + (<usize>index << 2);
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
    const c = v128.load(counts + (<usize>p << 2));
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
    const low = tableIndexX2(c, v128.load(norms + (<usize>p << 3)), cycles, size);
    const upper = v128.shuffle<i32>(c, c, 2, 3, 2, 3);
    const high = tableIndexX2(upper, v128.load(norms + (<usize>p << 3), 16), cycles, size);
    // Whole entries (4 bytes) for the first three: each one's fourth byte is the next pixel's first, written next.
    store<u32>(at, load<u32>(entryOf(i32x4.extract_lane(c, 0), i32x4.extract_lane(low, 0), tableBytes, INSIDE)));
    store<u32>(at + 3, load<u32>(entryOf(i32x4.extract_lane(c, 1), i32x4.extract_lane(low, 1), tableBytes, INSIDE)));
    store<u32>(at + 6, load<u32>(entryOf(i32x4.extract_lane(c, 2), i32x4.extract_lane(high, 0), tableBytes, INSIDE)));
    putPixel(at + 9, i32x4.extract_lane(c, 3), i32x4.extract_lane(high, 1), tableBytes, INSIDE);
  }
  for (; p < pixels; p++) {
    const count = load<i32>(counts + (<usize>p << 2));
    const index = count < 0 ? 0 : tableIndex(count, load<f64>(norms + (<usize>p << 3)), cycle, tableSize);
    putPixel(out + <usize>p * 3, count, index, tableBytes, INSIDE);
  }
}

/**
 * Colours `rows` x `width` pixels from samples at `counts` (i32) and `norms` (f64), `width * aa` samples a row.
 * `table` holds `tableSize` colours as f64 r, g, b, and `tableBytes` the same colours rounded to bytes (4 bytes an
 * entry); `sums` is scratch for `width * 3` f64; RGB bytes go to `out`.
 */
export function colourBand(
  counts: usize,
  norms: usize,
  width: i32,
  rows: i32,
  aa: i32,
  table: usize,
  tableBytes: usize,
  tableSize: i32,
  cycle: f64,
  insideR: f64,
  insideG: f64,
  insideB: f64,
  sums: usize,
  out: usize,
): void {
  if (aa == 1) {
    colourOneSample(counts, norms, width * rows, tableBytes, tableSize, cycle, insideR, insideG, insideB, out);
    return;
  }
  const sampleWidth = width * aa;
  const samples = <f64>(aa * aa);
  for (let row = 0; row < rows; row++) {
    memory.fill(sums, 0, <usize>width * 24);
    for (let sy = 0; sy < aa; sy++) {
      let s = <usize>((row * aa + sy) * sampleWidth);
      for (let col = 0; col < width; col++) {
        const sum = sums + <usize>col * 24;
        for (let sx = 0; sx < aa; sx++, s++) {
          const count = load<i32>(counts + (s << 2));
          let r = insideR;
          let g = insideG;
          let b = insideB;
          if (count >= 0) {
            const entry = table + <usize>(tableIndex(count, load<f64>(norms + (s << 3)), cycle, tableSize) * 24);
            r = load<f64>(entry);
            g = load<f64>(entry, 8);
            b = load<f64>(entry, 16);
          }
          store<f64>(sum, load<f64>(sum) + r);
          store<f64>(sum, load<f64>(sum, 8) + g, 8);
          store<f64>(sum, load<f64>(sum, 16) + b, 16);
        }
      }
    }
    const base = out + <usize>(row * width * 3);
    for (let k = 0; k < width * 3; k++) {
      store<u8>(base + <usize>k, <u8>Math.floor(load<f64>(sums + (<usize>k << 3)) / samples + 0.5));
    }
  }
}
