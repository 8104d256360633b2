/**
 * Complex double-double arithmetic (about 106 bits) for the double-double path (precise.ts, precise-bla.ts). A value
 * travels as two v128: the high parts (re, im) and the low parts (re, im), so that each operation works on both
 * components at once, in registers. Per component, the operations and their order are those of the scalar
 * double-double that came first, so the results are bit for bit its own.
 *
 * Functions that make a complex value leave it in ddHigh and ddLow (AssemblyScript returns one value): read both
 * before the next call.
 */

const SPLITTER: f64 = 134217729; // 2^27 + 1

export let ddHigh: v128 = f64x2(0, 0);
export let ddLow: v128 = f64x2(0, 0);

/** The high part of a + b, lane by lane (a = (ah, al), b = (bh, bl)); sumLow gives the low part. */
// @ts-ignore: decorator
@inline
export function sumHigh(ah: v128, al: v128, bh: v128, bl: v128): v128 {
  const s = f64x2.add(ah, bh);
  const v = f64x2.sub(s, ah);
  const e = f64x2.add(f64x2.add(f64x2.add(f64x2.sub(ah, f64x2.sub(s, v)), f64x2.sub(bh, v)), al), bl);
  return f64x2.add(s, e);
}

/** The low part of a + b whose high part is h. */
// @ts-ignore: decorator
@inline
export function sumLow(ah: v128, al: v128, bh: v128, bl: v128, h: v128): v128 {
  const s = f64x2.add(ah, bh);
  const v = f64x2.sub(s, ah);
  const e = f64x2.add(f64x2.add(f64x2.add(f64x2.sub(ah, f64x2.sub(s, v)), f64x2.sub(bh, v)), al), bl);
  return f64x2.sub(e, f64x2.sub(h, s));
}

/** The error of a's and b's high parts' product (Dekker) plus the cross terms: p + productError is a * b. */
// @ts-ignore: decorator
@inline
function productError(ah: v128, al: v128, bh: v128, bl: v128, p: v128): v128 {
  const splitter = f64x2.splat(SPLITTER);
  let t = f64x2.mul(splitter, ah);
  const ahh = f64x2.sub(t, f64x2.sub(t, ah));
  const ahl = f64x2.sub(ah, ahh);
  t = f64x2.mul(splitter, bh);
  const bhh = f64x2.sub(t, f64x2.sub(t, bh));
  const bhl = f64x2.sub(bh, bhh);
  return f64x2.add(
    f64x2.add(
      f64x2.add(f64x2.add(f64x2.sub(f64x2.mul(ahh, bhh), p), f64x2.mul(ahh, bhl)), f64x2.mul(ahl, bhh)),
      f64x2.mul(ahl, bhl),
    ),
    f64x2.add(f64x2.mul(ah, bl), f64x2.mul(al, bh)),
  );
}

// @ts-ignore: decorator
@inline
function swap(a: v128): v128 {
  return v128.shuffle<f64>(a, a, 1, 0);
}

/** a + b into ddHigh, ddLow. */
// @ts-ignore: decorator
@inline
export function add(ah: v128, al: v128, bh: v128, bl: v128): void {
  ddHigh = sumHigh(ah, al, bh, bl);
  ddLow = sumLow(ah, al, bh, bl, ddHigh);
}

/** a b (complex) into ddHigh, ddLow: (ax bx, ay by) and (ax by, ay bx), then (ax bx - ay by, ax by + ay bx). */
// @ts-ignore: decorator
@inline
export function mul(ah: v128, al: v128, bh: v128, bl: v128): void {
  const sh = swap(bh);
  const sl = swap(bl);
  const p1 = f64x2.mul(ah, bh);
  const e1 = productError(ah, al, bh, bl, p1);
  const h1 = f64x2.add(p1, e1);
  const l1 = f64x2.sub(e1, f64x2.sub(h1, p1));
  const p2 = f64x2.mul(ah, sh);
  const e2 = productError(ah, al, sh, sl, p2);
  const h2 = f64x2.add(p2, e2);
  const l2 = f64x2.sub(e2, f64x2.sub(h2, p2));
  const uh = v128.shuffle<f64>(h1, h2, 0, 2);
  const ul = v128.shuffle<f64>(l1, l2, 0, 2);
  const flip = f64x2(-1.0, 1.0);
  const vh = f64x2.mul(v128.shuffle<f64>(h1, h2, 1, 3), flip);
  const vl = f64x2.mul(v128.shuffle<f64>(l1, l2, 1, 3), flip);
  add(uh, ul, vh, vl);
}

/** |a|^2 of a value's high parts. */
// @ts-ignore: decorator
@inline
export function norm(h: v128): f64 {
  const x = f64x2.extract_lane(h, 0);
  const y = f64x2.extract_lane(h, 1);
  return x * x + y * y;
}
