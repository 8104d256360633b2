/**
 * The reference orbit's loop (src/plane/orbit.ts, extendOrbit) and the exact fallback's (src/engines/exact.ts,
 * exactEscape): z -> z^2 + c in fixed point, bit for bit what the BigInt loops compute, two to four times faster below
 * a thousand bits and with no garbage. A value is `limbs` 32-bit words, least significant first, in two's complement,
 * scaled by 2^fraction; a shift right is a floor, as BigInt's is. Each point leaves the f64s the BigInt loop makes
 * (fixedToNumber, lowPart, the margin near |Z| = 2), rounded as BigInt -> Number rounds (to nearest, ties to even);
 * the cycle test, and where no low parts are kept the bits dropped as dZ/dC grows, are its own. The caller writes x,
 * y, cx, cy (and c at full precision where bits are dropped) at `base` and calls orbitBegin (then orbitDropping),
 * then orbitSteps as often as it wants points; the state lives in this instance between those calls, and escapeCount
 * starts its own.
 */

/** Points orbitSteps writes at most in one call (the caller copies them out between calls). */
export const ORBIT_CHUNK = 4096;

let limbs = 0;
/** The words the layout has room for (limbs, the words in use, shrink as precision is dropped). */
let room = 0;
let keepLows: bool = true;
let fraction = 0;
/** Index of the next point. */
let next = 0;
let escaped = false;
let period = 0;
let cycle = 0;
/** Addresses: the state's values, scratch, the output chunk, the cycle's ring of points. */
let X: usize = 0;
let Y: usize = 0;
let CX: usize = 0;
let CY: usize = 0;
let SUM: usize = 0;
let DIFF: usize = 0;
let ABS_A: usize = 0;
let ABS_B: usize = 0;
let REVERSED: usize = 0;
let WIDE: usize = 0;
let WIDE2: usize = 0;
let WIDE3: usize = 0;
let TOP: usize = 0;
let C0X: usize = 0;
let C0Y: usize = 0;
let OUT: usize = 0;
let RING: usize = 0;

// @ts-ignore: decorator
@inline
function limb(a: usize, i: i32): u32 {
  return load<u32>(a + ((<usize>i) << 2));
}

// @ts-ignore: decorator
@inline
function setLimb(a: usize, i: i32, v: u32): void {
  store<u32>(a + ((<usize>i) << 2), v);
}

// @ts-ignore: decorator
@inline
function isNegative(a: usize, n: i32): bool {
  return limb(a, n - 1) >> 31 != 0;
}

/** out = a + b, or a - b with `subtract` (n words). */
function addTo(out: usize, a: usize, b: usize, n: i32, subtract: bool): void {
  let carry: u64 = subtract ? 1 : 0;
  const flip: u32 = subtract ? 0xffffffff : 0;
  for (let i = 0; i < n; i++) {
    const s = <u64>limb(a, i) + <u64>(limb(b, i) ^ flip) + carry;
    setLimb(out, i, <u32>s);
    carry = s >> 32;
  }
}

/** out = -a (n words); out may be a. */
function negate(out: usize, a: usize, n: i32): void {
  let carry: u64 = 1;
  for (let i = 0; i < n; i++) {
    const s = <u64>~limb(a, i) + carry;
    setLimb(out, i, <u32>s);
    carry = s >> 32;
  }
}

/** out = |a| (n words); whether a < 0. */
function magnitude(out: usize, a: usize, n: i32): bool {
  const negative = isNegative(a, n);
  if (negative) negate(out, a, n);
  else memory.copy(out, a, (<usize>n) << 2);
  return negative;
}

/**
 * out (2n words) = a b (n words each), column by column, four products at once: column k sums |a|_i |b|_(k-i), and
 * with |b| stored reversed both run upwards in memory. The 64-bit products are summed as their 32-bit halves, which
 * cannot overflow; the words past each operand's end are 0, so a load that runs past a column adds nothing.
 */
function multiply(out: usize, a: usize, b: usize, n: i32): void {
  const flip = magnitude(ABS_A, a, n) != magnitude(ABS_B, b, n);
  for (let i = 0; i < n; i++) setLimb(REVERSED, i, limb(ABS_B, n - 1 - i));
  const half = i64x2.splat(0xffffffff);
  let carry: u64 = 0;
  for (let k = 0; k < 2 * n - 1; k++) {
    const from = max(0, k - n + 1);
    const to = min(k, n - 1);
    let low = i64x2.splat(0);
    let high = i64x2.splat(0);
    for (let i = from; i <= to; i += 4) {
      const x = v128.load(ABS_A + ((<usize>i) << 2));
      const y = v128.load(REVERSED + ((<usize>(i + n - 1 - k)) << 2));
      const p = i64x2.extmul_low_i32x4_u(x, y);
      const q = i64x2.extmul_high_i32x4_u(x, y);
      low = i64x2.add(low, i64x2.add(v128.and(p, half), v128.and(q, half)));
      high = i64x2.add(high, i64x2.add(i64x2.shr_u(p, 32), i64x2.shr_u(q, 32)));
    }
    const sum = <u64>i64x2.extract_lane(low, 0) + <u64>i64x2.extract_lane(low, 1) + carry;
    setLimb(out, k, <u32>sum);
    carry = (sum >> 32) + <u64>i64x2.extract_lane(high, 0) + <u64>i64x2.extract_lane(high, 1);
  }
  setLimb(out, 2 * n - 1, <u32>carry);
  if (flip) negate(out, out, 2 * n);
}

/** out (m words) = a (n words) >> s, a floor. */
function shiftRight(out: usize, a: usize, n: i32, s: i32, m: i32): void {
  const fill: u32 = isNegative(a, n) ? 0xffffffff : 0;
  const q = s >> 5;
  const r = s & 31;
  for (let i = 0; i < m; i++) {
    const k = i + q;
    const lo = k < n ? limb(a, k) : fill;
    if (r == 0) {
      setLimb(out, i, lo);
    } else {
      const hi = k + 1 < n ? limb(a, k + 1) : fill;
      setLimb(out, i, (lo >>> r) | (hi << (32 - r)));
    }
  }
}

/** out (n words) = (a (2n words) >> s) + c (n words), in one pass. */
function shiftAdd(out: usize, a: usize, s: i32, c: usize, n: i32): void {
  const q = s >> 5;
  const r = s & 31;
  const fill: u32 = isNegative(a, 2 * n) ? 0xffffffff : 0;
  let carry: u64 = 0;
  for (let i = 0; i < n; i++) {
    const k = i + q;
    const lo = k < 2 * n ? limb(a, k) : fill;
    const hi = k + 1 < 2 * n ? limb(a, k + 1) : fill;
    const word = r == 0 ? lo : (lo >>> r) | (hi << (32 - r));
    const sum = <u64>word + <u64>limb(c, i) + carry;
    setLimb(out, i, <u32>sum);
    carry = sum >> 32;
  }
}

/** The highest set bit of a non-negative a (n words), -1 for 0. */
function highestBit(a: usize, n: i32): i32 {
  for (let i = n - 1; i >= 0; i--) {
    const v = limb(a, i);
    if (v != 0) return 32 * i + 31 - <i32>clz(v);
  }
  return -1;
}

/** 2^e for e within f64's normal range. */
// @ts-ignore: decorator
@inline
function pow2(e: i32): f64 {
  return reinterpret<f64>((<u64>(e + 1023)) << 52);
}

/** The f64 nearest the integer a (n words), ties to even: what Number() makes of a BigInt. */
function nearest(a: usize, n: i32): f64 {
  const negative = magnitude(TOP, a, n);
  const h = highestBit(TOP, n);
  let result: f64;
  if (h < 64) {
    result = <f64>(<u64>limb(TOP, 0) | (n > 1 ? (<u64>limb(TOP, 1)) << 32 : 0));
  } else {
    const p = h - 63;
    let top = wordsAt(TOP, n, p);
    // The bits below the 64 taken only break ties: one sticky bit stands for them all.
    let sticky = false;
    for (let i = 0; i < p >> 5 && !sticky; i++) sticky = limb(TOP, i) != 0;
    if (!sticky && (p & 31) != 0) sticky = (limb(TOP, p >> 5) & ((1 << (p & 31)) - 1)) != 0;
    if (sticky) top |= 1;
    result = <f64>top * pow2(p);
  }
  return negative ? -result : result;
}

/** Bits p .. p + 63 of a (n words), sign-extended past its end. */
function wordsAt(a: usize, n: i32, p: i32): u64 {
  const fill: u32 = isNegative(a, n) ? 0xffffffff : 0;
  const q = p >> 5;
  const r = p & 31;
  const w0 = <u64>(q < n ? limb(a, q) : fill);
  const w1 = <u64>(q + 1 < n ? limb(a, q + 1) : fill);
  const w2 = <u64>(q + 2 < n ? limb(a, q + 2) : fill);
  const low = w0 | (w1 << 32);
  return r == 0 ? low : (low >> r) | (w2 << (64 - r));
}

/** The f64 nearest high 2^64 + low (high signed and small, low unsigned), ties to even. */
function nearestOf(high: i64, low: u64): f64 {
  const negative = high < 0;
  let h = <u64>high;
  let l = low;
  if (negative) {
    // -(high 2^64 + low), in two words.
    l = ~l + 1;
    h = ~h + (l == 0 ? 1 : 0);
  }
  if (h == 0) return negative ? -(<f64>l) : <f64>l;
  const s = 64 - <i32>clz(h);
  const sticky: u64 = (l & (((<u64>1) << s) - 1)) != 0 ? 1 : 0;
  const top = (h << (64 - s)) | (l >> s) | sticky;
  const r = <f64>top * pow2(s);
  return negative ? -r : r;
}

/** Whether a >> p (a floor) is 0 or -1: every bit of a from p up is its sign. */
function signFrom(a: usize, n: i32, p: i32): bool {
  const fill: u32 = isNegative(a, n) ? 0xffffffff : 0;
  const q = p >> 5;
  if (q >= n) return true;
  if (limb(a, q) >>> (p & 31) != fill >>> (p & 31)) return false;
  for (let i = q + 1; i < n; i++) if (limb(a, i) != fill) return false;
  return true;
}

/**
 * Whether |T| >= 2^53 for T = a >> p (a floor), T's low 64 bits `t`, where T = above 2^64 + t with `above` a's 64 bits
 * from p + 64 (the callers make sure a >> (p + 126) is 0 or -1, so that above holds all of T's top).
 */
function topWide(a: usize, n: i32, p: i32, t: u64): bool {
  const above = wordsAt(a, n, p + 64);
  // T = above 2^64 + t, |T| < 2^63 2^64: its sign is above's.
  if (<i64>above > 0) return true;
  if (<i64>above < -1) return true;
  if (above == 0) return t >= (<u64>1) << 53;
  // above = -1: T = t - 2^64.
  return t <= 0xffe0000000000000; // 2^64 - 2^53
}

/** fixedToNumber (src/plane/orbit.ts) of a (n words) with `bits` fraction bits, step for step. */
function toNumber(a: usize, n: i32, bits: i32): f64 {
  // The common case first, without a pass over the words: the top 64 bits and a few above them (for |a| below
  // 2^62 units, as every point of an orbit is; c far out of the set, 2^62 and more, takes the long way).
  if (bits >= 64 && signFrom(a, n, bits + 62)) {
    const t = wordsAt(a, n, bits - 64);
    if (topWide(a, n, bits - 64, t)) return nearestOf(<i64>wordsAt(a, n, bits), t) * pow2(-64);
  }
  magnitude(TOP, a, n);
  const cut = max(0, highestBit(TOP, n) + 1 - 64);
  shiftRight(WIDE3, a, n, cut, n);
  let result = nearest(WIDE3, n);
  let exponent = cut - bits;
  while (exponent < -1000) {
    result *= pow2(-1000);
    exponent += 1000;
  }
  return result * pow2(exponent);
}

/** out (n words) = floor(v 2^shift), for a finite v. */
function fixedOf(out: usize, n: i32, v: f64, shift: i32): void {
  memory.fill(out, 0, (<usize>n) << 2);
  if (v == 0) return;
  const raw = reinterpret<u64>(v);
  const field = <i32>((raw >> 52) & 0x7ff);
  const mantissa = (raw & 0xfffffffffffff) | (field == 0 ? 0 : (<u64>1) << 52);
  // v = mantissa 2^(e), then placed `at` bits up and shifted down `down` bits (a floor).
  const e = (field == 0 ? 1 : field) - 1075 + shift;
  const at = max(0, e);
  const q = at >> 5;
  const r = at & 31;
  const low = mantissa << r;
  const high = r == 0 ? 0 : mantissa >> (64 - r);
  if (q < n) setLimb(out, q, <u32>low);
  if (q + 1 < n) setLimb(out, q + 1, <u32>(low >> 32));
  if (q + 2 < n) setLimb(out, q + 2, <u32>high);
  if (v < 0) negate(out, out, n);
  if (e < 0) shiftRight(out, out, n, -e, n);
}

/** lowPart (src/plane/orbit.ts) of a (n words) with `bits` fraction bits, its high part `high`, step for step. */
function lowPart(a: usize, n: i32, bits: i32, high: f64): f64 {
  // Below 2^51 units, T - high 2^64 (T's rounding to 53 bits) is below 2^63: exact in 64-bit arithmetic.
  if (bits >= 128 && signFrom(a, n, bits + 51)) {
    // top = a >> (bits - 128) = T 2^64 + l; |top| >= 2^117 unless |T| <= 2^53, but -2^117 itself counts.
    const l = wordsAt(a, n, bits - 128);
    const t = wordsAt(a, n, bits - 64);
    if (topWide(a, n, bits - 64, t) && (<i64>t != -((<i64>1) << 53) || l == 0 || wordsAt(a, n, bits) != <u64>-1)) {
      // high 2^64 is T rounded to 53 bits, a whole number: T - it is small, and exact in wrapping 64-bit arithmetic.
      return nearestOf(<i64>(t - wholeBits(high * 18446744073709551616.0)), l) * pow2(-128);
    }
  }
  fixedOf(WIDE3, n, high, bits);
  addTo(WIDE2, a, WIDE3, n, true);
  return toNumber(WIDE2, n, bits);
}

/** The low 64 bits of the whole number v (|v| >= 2^53, so v = m 2^k with k >= 0), in two's complement. */
function wholeBits(v: f64): u64 {
  const raw = reinterpret<u64>(v);
  const k = <i32>((raw >> 52) & 0x7ff) - 1075;
  const m = (raw & 0xfffffffffffff) | ((<u64>1) << 52);
  const bits = k >= 64 ? 0 : m << k;
  return v < 0 ? ~bits + 1 : bits;
}

/** |Z|^2 within this of 4 (in f64) is decided in fixed point (orbit.ts's NEAR_FOUR). */
const NEAR_FOUR: f64 = 3.725290298461914e-9; // 2^-28
/** orbit.ts's NEAR_ZERO, squared. */
const NEAR_ZERO2: f64 = 2.938735877055719e-39; // 2^-128

/** |Z|^2 - 4 of (X, Y) in WIDE (2n words, twice the fraction bits), exactly. */
function marginAtFour(): void {
  const n = limbs;
  multiply(WIDE, X, X, n);
  multiply(WIDE2, Y, Y, n);
  addTo(WIDE, WIDE, WIDE2, 2 * n, false);
  memory.fill(WIDE2, 0, (<usize>n) << 3);
  const four = 2 * fraction + 2;
  setLimb(WIDE2, four >> 5, (<u32>1) << (four & 31));
  addTo(WIDE, WIDE, WIDE2, 2 * n, true);
}

/** Writes the point (X, Y) at place k of the chunk: f64 parts, low parts, margin; decides the escape. */
function emit(k: i32): void {
  const n = limbs;
  const hx = toNumber(X, n, fraction);
  const hy = toNumber(Y, n, fraction);
  const at = OUT + ((<usize>k) << 4);
  store<f64>(at, hx);
  store<f64>(at, hy, 8);
  if (keepLows) {
    const low = at + ((<usize>ORBIT_CHUNK) << 4);
    store<f64>(low, lowPart(X, n, fraction, hx));
    store<f64>(low, lowPart(Y, n, fraction, hy), 8);
  }
  const margin = OUT + ((<usize>ORBIT_CHUNK) << 5) + ((<usize>k) << 3);
  const r2 = hx * hx + hy * hy;
  if (abs(r2 - 4) > NEAR_FOUR) {
    store<f64>(margin, 0);
    escaped = r2 >= 4;
  } else {
    // Two products more, at the few points this near |Z| = 2.
    marginAtFour();
    store<f64>(margin, toNumber(WIDE, 2 * n, 2 * fraction));
    escaped = !isNegative(WIDE, 2 * n);
  }
}

/** (X, Y) one step on: z^2 + c, as orbit.ts has it ((x + y)(x - y) and (xy + xy), each shifted, plus c). */
function step(): void {
  const n = limbs;
  multiply(WIDE2, X, Y, n);
  addTo(SUM, X, Y, n, false);
  addTo(DIFF, X, Y, n, true);
  multiply(WIDE, SUM, DIFF, n);
  shiftAdd(X, WIDE, fraction, CX, n);
  shiftAdd(Y, WIDE2, fraction - 1, CY, n);
}

/**
 * Bytes the state takes from `base` on, for n words a value, before the ring (which orbitSteps grows memory for): x,
 * y, cx, cy and, where precision is dropped, c at the orbit's full precision (which the caller writes, in that
 * order), then scratch and the chunk.
 */
export function orbitBytes(n: i32): usize {
  return <usize>n * 76 + 64 + <usize>ORBIT_CHUNK * 40;
}

/**
 * Starts from the values at `base`: point `index` is (x, y) (written to the chunk first when `first`), c = (cx, cy),
 * `bits` fraction bits in n words a value; with `lows`, the points' low parts are made and the cycle is looked for
 * (orbit.ts does both only where it keeps all bits).
 */
export function orbitBegin(base: usize, n: i32, bits: i32, index: i32, first: bool, lows: bool): i32 {
  keepLows = lows;
  limbs = n;
  room = n;
  full = bits;
  dropped = 0;
  fraction = bits;
  const word = (<usize>n) << 2;
  X = base;
  Y = X + word;
  CX = Y + word;
  CY = CX + word;
  C0X = CY + word;
  C0Y = C0X + word;
  SUM = C0Y + word;
  DIFF = SUM + word;
  // Three operands of n words and 4 more, the last 0 (see multiply).
  ABS_A = DIFF + word;
  ABS_B = ABS_A + word + 16;
  REVERSED = ABS_B + word + 16;
  memory.fill(ABS_A, 0, 3 * word + 48);
  WIDE = REVERSED + word + 16;
  WIDE2 = WIDE + 2 * word;
  WIDE3 = WIDE2 + 2 * word;
  TOP = WIDE3 + 2 * word;
  OUT = (TOP + 2 * word + 15) & ~(<usize>15);
  RING = OUT + <usize>ORBIT_CHUNK * 40;
  escaped = false;
  period = 0;
  cycle = 0;
  next = index;
  if (!first) return 0;
  emit(0);
  next++;
  return 1;
}

// Where precision is dropped (orbit.ts, extendOrbit without low parts): the orbit's full fraction bits, the bits
// dropped now, dZ/dC as nextDerivative keeps it (mantissa, exponent), 1 or a Julia set's 0 for its added term, and
// the last point's f64 parts.
let full = 0;
let dropped = 0;
let derivativeRe: f64 = 1;
let derivativeIm: f64 = 0;
let derivativeExponent: f64 = 0;
let one: f64 = 1;
let lastX: f64 = 0;
let lastY: f64 = 0;

// JavaScript's own Math.log2 and Math.hypot: the bits to drop must come out as orbit.ts's do, to the last bit.
// @ts-ignore: decorator
@external("env", "log2")
declare function log2(x: f64): f64;
// @ts-ignore: decorator
@external("env", "hypot")
declare function hypot(x: f64, y: f64): f64;

/** 2^e as JavaScript's 2 ** e has it for a whole e: exact, 0 below the subnormals, Infinity above f64. */
function powerOfTwo(e: f64): f64 {
  if (!(e == e)) return NaN;
  if (e > 1023) return Infinity;
  if (e < -1074) return 0;
  const k = <i32>e;
  return k >= -1022 ? reinterpret<f64>((<u64>(k + 1023)) << 52) : reinterpret<f64>((<u64>1) << (k + 1074));
}

/** dZ/dC one step on from the last point: orbit.ts's nextDerivative, operation for operation. */
function advanceDerivative(): void {
  const re = 2 * (lastX * derivativeRe - lastY * derivativeIm) + (one == 0 ? 0 : one * powerOfTwo(-derivativeExponent));
  const im = 2 * (lastX * derivativeIm + lastY * derivativeRe);
  if (re == 0 && im == 0) {
    derivativeRe = 0;
    derivativeIm = 0;
    return;
  }
  const shift = Math.floor(log2(max(abs(re), abs(im))));
  derivativeRe = re / powerOfTwo(shift);
  derivativeIm = im / powerOfTwo(shift);
  derivativeExponent = derivativeExponent + shift;
}

/** orbit.ts's droppable: the fraction bits the orbit may drop now. */
function droppable(): i32 {
  const bits = derivativeExponent + log2(hypot(derivativeRe, derivativeIm));
  const most = max(0, full - 128);
  return <i32>min(<f64>most, max(0.0, Math.floor(bits / 64) * 64));
}

/** out (m words) = a (n words) << s, in place (out = a), from the top word down. */
function shiftLeft(a: usize, n: i32, s: i32, m: i32): void {
  const fill: u32 = isNegative(a, n) ? 0xffffffff : 0;
  const q = s >> 5;
  const r = s & 31;
  for (let i = m - 1; i >= 0; i--) {
    const k = i - q;
    const hi = k < 0 ? 0 : k < n ? limb(a, k) : fill;
    const lo = k - 1 < 0 ? 0 : k - 1 < n ? limb(a, k - 1) : fill;
    setLimb(a, i, r == 0 ? hi : (hi << r) | (lo >>> (32 - r)));
  }
}

/**
 * To `wanted` bits dropped (orbit.ts's rescale): x and y shifted, c made again from its full bits, and the words in use
 * fitted to the new fraction (its values stay below 8).
 */
function dropTo(wanted: i32): void {
  const words = wordsNeeded(full - wanted);
  if (wanted > dropped) {
    shiftRight(X, X, limbs, wanted - dropped, words);
    shiftRight(Y, Y, limbs, wanted - dropped, words);
  } else {
    shiftLeft(X, limbs, dropped - wanted, words);
    shiftLeft(Y, limbs, dropped - wanted, words);
  }
  shiftRight(CX, C0X, room, wanted, words);
  shiftRight(CY, C0Y, room, wanted, words);
  dropped = wanted;
  fraction = full - wanted;
  useWords(words);
}

/** The words a value has in use from now on; multiply's operands end in 4 words of 0 past them. */
function useWords(words: i32): void {
  const word = (<usize>room) << 2;
  for (let i = 0; i < 3; i++) {
    const operand = ABS_A + <usize>i * (word + 16);
    memory.fill(operand + ((<usize>words) << 2), 0, word + 16 - ((<usize>words) << 2));
  }
  limbs = words;
}

/** The words a value needs at `bits` fraction bits once the orbit is under way (its values stay below 8). */
function wordsNeeded(bits: i32): i32 {
  return min(room, (bits + 8 + 31) >> 5);
}

/**
 * Makes the orbit begun drop precision as orbit.ts does without low parts: `bits` the full fraction bits (c at them
 * written after cy), `from` of them dropped now, dZ/dC = (re, im) 2^exponent, `added` 1 (Mandelbrot) or 0 (Julia),
 * (x, y) the last point's f64 parts.
 */
export function orbitDropping(bits: i32, from: i32, re: f64, im: f64, exponent: f64, added: f64, x: f64, y: f64): void {
  full = bits;
  dropped = from;
  derivativeRe = re;
  derivativeIm = im;
  derivativeExponent = exponent;
  one = added;
  lastX = x;
  lastY = y;
  // An orbit that goes on (from a point that did not escape) fits in fewer words once bits are dropped.
  if (limbs > 0 && !escaped && from > 0) useWords(wordsNeeded(bits - from));
}

/** Where the orbit stands after dropping: the words in use, the bits dropped, dZ/dC's parts (0 re, 1 im, 2 exponent). */
export function orbitWords(): i32 {
  return limbs;
}

export function orbitDropped(): i32 {
  return dropped;
}

export function orbitDerivative(part: i32): f64 {
  return part == 0 ? derivativeRe : part == 1 ? derivativeIm : derivativeExponent;
}

/** Makes sure memory reaches `end`. */
function reach(end: usize): void {
  const have = (<usize>memory.size()) << 16;
  if (end > have && memory.grow(<i32>((end - have + 0xffff) >> 16)) < 0) unreachable();
}

/**
 * Up to `count` (at most ORBIT_CHUNK) more points, written to the chunk from place `from` on; stops after an escape
 * or once a cycle is seen. Returns the places written. The chunk (orbitOut) is three arrays of ORBIT_CHUNK places:
 * the points (x, y), their low parts (x, y), their margins.
 */
export function orbitSteps(count: i32, from: i32): i32 {
  const word = (<usize>limbs) << 2;
  let k = from;
  while (k < from + count && !escaped && cycle == 0) {
    // The bits the next point may drop, by its own dZ/dC: fewer taken back before the step, more dropped after it
    // (orbit.ts, extendOrbit: where dZ/dC falls, at a minibrot's every period).
    let wanted = dropped;
    if (!keepLows) {
      advanceDerivative();
      wanted = droppable();
      if (wanted < dropped) dropTo(wanted);
    }
    step();
    emit(k);
    const at = OUT + ((<usize>k) << 4);
    const hx = load<f64>(at);
    const hy = load<f64>(at, 8);
    if (!keepLows) {
      lastX = hx;
      lastY = hy;
      if (wanted > dropped) dropTo(wanted);
    }
    if (keepLows && period == 0 && hx * hx + hy * hy < NEAR_ZERO2) period = next;
    if (period > 0) {
      // Points from the period's first return on, a ring of one period: the one p places back is compared.
      const slot = RING + <usize>(next % period) * 2 * word;
      // (A ring past wasm32's 4 GiB cannot be: trap rather than wrap.)
      if (<u64>RING + <u64>period * 2 * <u64>word > 0xffffffff) unreachable();
      reach(RING + <usize>period * 2 * word);
      if (next >= 2 * period && memory.compare(slot, X, word) == 0 && memory.compare(slot + word, Y, word) == 0) {
        cycle = period;
      }
      memory.copy(slot, X, word);
      memory.copy(slot + word, Y, word);
    }
    next++;
    k++;
  }
  return k - from;
}

/** Whether the last point escaped; the cycle's period when one was seen (else 0). */
export function orbitEscaped(): bool {
  return escaped;
}

export function orbitCycle(): i32 {
  return cycle;
}

/** The chunk's address. */
export function orbitOut(): usize {
  return OUT;
}

/**
 * The exact fallback's loop (src/engines/exact.ts, exactEscape): z -> z^2 + c from z = (x, y) with c = (cx, cy) at
 * `base` (orbitBegin's layout, n words, `bits` fraction bits), the count i from 1 on: the first i below maxIter where
 * |z_i|^2 >= 4, decided exactly (by f64 away from 4, in fixed point within 2^-28 of it), or -1. At an escape, z's
 * f64 parts (fixedToNumber's) are left at orbitOut().
 */
export function escapeCount(base: usize, n: i32, bits: i32, maxIter: i32): i32 {
  orbitBegin(base, n, bits, 1, false, false);
  for (let i = 1; i < maxIter; i++) {
    const hx = toNumber(X, n, bits);
    const hy = toNumber(Y, n, bits);
    const r2 = hx * hx + hy * hy;
    let out = r2 >= 4;
    if (abs(r2 - 4) <= NEAR_FOUR) {
      marginAtFour();
      out = !isNegative(WIDE, 2 * n);
    }
    if (out) {
      store<f64>(OUT, hx);
      store<f64>(OUT, hy, 8);
      return i;
    }
    step();
  }
  return -1;
}
