/**
 * A point of a Julia set to any number of digits, for deep test views whose counts vary: inverse iteration
 * z -> +-sqrt(z - c) in BigInt fixed point, the sign from a fixed pseudo-random sequence. Each step brings z nearer
 * the Julia set (the preimages contract towards it), so after a few thousand steps z lies on it far below the
 * digits printed. Independent of src/.
 */

/** floor(sqrt(n)) for n >= 0, by Newton's method from above. */
function isqrt(n: bigint): bigint {
  if (n < 2n) return n;
  const shift = Math.max(0, n.toString(2).length - 100) & ~1;
  let x = (BigInt(Math.ceil(Math.sqrt(Number(n >> BigInt(shift))))) + 1n) << BigInt(shift / 2);
  while (true) {
    const y = (x + n / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/** v / 2^bits as a decimal string with `digits` digits after the point (truncated). */
function toDecimal(v: bigint, bits: number, digits: number): string {
  const negative = v < 0n;
  const scaled = ((negative ? -v : v) * 10n ** BigInt(digits)) >> BigInt(bits);
  const text = scaled.toString().padStart(digits + 1, '0');
  return `${negative ? '-' : ''}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/**
 * A point of the Julia set of c (an f64 pair, exactly) as decimal strings [re, im] with `digits` digits after the
 * point, from `steps` inverse steps at `bits` fraction bits.
 *
 * @example juliaPoint([0, 1], 320, 1200, 3000) // ['0.1593...', '-1.0189...'] or so
 */
export function juliaPoint(
  c: readonly [number, number],
  digits: number,
  bits: number,
  steps: number,
): [string, string] {
  const one = 1n << BigInt(bits);
  // c is exact: an f64 times 2^60 is a whole number for these test values, checked.
  const [cx, cy] = c.map((v) => {
    if (!Number.isInteger(v * 2 ** 60)) throw new Error(`c = ${v} has bits below 2^-60`);
    return BigInt(v * 2 ** 60) << BigInt(bits - 60);
  });
  let x = one;
  let y = 0n;
  let seed = 12345;
  for (let k = 0; k < steps; k++) {
    const a = x - cx;
    const b = y - cy;
    const r = isqrt(a * a + b * b);
    let u = isqrt((r + a) << BigInt(bits - 1));
    let v = isqrt((r - a) << BigInt(bits - 1));
    if (b < 0n) v = -v;
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    if (seed & 0x10000) {
      u = -u;
      v = -v;
    }
    x = u;
    y = v;
  }
  return [toDecimal(x, bits, digits), toDecimal(y, bits, digits)];
}
