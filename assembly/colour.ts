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

/**
 * One sample a pixel: each pixel's colour is its table entry, already rounded to bytes. The same bytes as the
 * averaging path with one sample (round(v / 1)), at a fraction of its cost: no sums, no division, no rounding.
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
  const ir = <u8>Math.floor(insideR + 0.5);
  const ig = <u8>Math.floor(insideG + 0.5);
  const ib = <u8>Math.floor(insideB + 0.5);
  for (let p = 0; p < pixels; p++) {
    const count = load<i32>(counts + (<usize>p << 2));
    const at = out + <usize>p * 3;
    if (count < 0) {
      store<u8>(at, ir);
      store<u8>(at, ig, 1);
      store<u8>(at, ib, 2);
    } else {
      const entry = tableBytes + (<usize>tableIndex(count, load<f64>(norms + (<usize>p << 3)), cycle, tableSize) << 2);
      store<u16>(at, load<u16>(entry));
      store<u8>(at, load<u8>(entry, 2), 2);
    }
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
