/**
 * Decimal strings as exact numbers: a BigInt mantissa and a power of ten. Deep-zoom coordinates arrive with
 * hundreds or thousands of digits and exponents past f64's range, so they are parsed and scaled here without ever
 * passing through a JavaScript number.
 */

/** mantissa * 10^exponent, exactly. */
export interface Decimal {
  mantissa: bigint;
  exponent: number;
}

/** Most digits a coordinate may have: enough for any view mandel-par can render, and a bound on the work. */
export const MAX_DIGITS = 10000;

/** Largest power of ten an exponent may name; a view narrower than 1e-10000 is refused elsewhere. */
const MAX_EXPONENT = 1_000_000;

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,9}))?$/;

/**
 * The exact value of a decimal string ("-0.7436438870371587", "1e-1000", "+.5E3"), or undefined when it is not
 * one (no digits, stray characters, hex, Infinity) or has more than MAX_DIGITS digits.
 *
 * @example parseDecimal('-1.25e-3') // { mantissa: -125n, exponent: -5 }
 */
export function parseDecimal(text: string): Decimal | undefined {
  const m = DECIMAL.exec(text.trim());
  if (!m) return undefined;
  const [, sign, whole, fraction = '', power = '0'] = m;
  const digits = whole + fraction;
  if (digits === '' || digits.length > MAX_DIGITS) return undefined;
  const exponent = Number(power) - fraction.length;
  if (Math.abs(exponent) > MAX_EXPONENT) return undefined;
  const mantissa = BigInt(digits);
  return { mantissa: sign === '-' ? -mantissa : mantissa, exponent };
}

/** The decimal as canonical text, "mantissa" or "mantissa e exponent": parseDecimal gives it back. */
export function formatDecimal({ mantissa, exponent }: Decimal): string {
  return exponent === 0 ? String(mantissa) : `${mantissa}e${exponent}`;
}

const pow10 = (n: number) => 10n ** BigInt(n);

/** a / b rounded to the nearest integer, ties away from zero (b > 0). */
function divRound(a: bigint, b: bigint): bigint {
  return (2n * a + (a < 0n ? -b : b)) / (2n * b);
}

/**
 * The decimal times 2^bits, rounded to the nearest integer: its binary fixed-point form with `bits` fraction bits.
 *
 * @example toFixedPoint(parseDecimal('0.75'), 4) // 12n
 */
export function toFixedPoint({ mantissa, exponent }: Decimal, bits: number): bigint {
  if (exponent >= 0) return (mantissa * pow10(exponent)) << BigInt(bits);
  return divRound(mantissa << BigInt(bits), pow10(-exponent));
}

/** floor(log10 |d|) for d != 0: where its leading digit sits. @example decimalMagnitude(parseDecimal('0.02')) // -2 */
export function decimalMagnitude({ mantissa, exponent }: Decimal): number {
  return (mantissa < 0n ? -mantissa : mantissa).toString().length - 1 + exponent;
}

/**
 * n / d to `digits` significant digits (truncated; d != 0): enough for a view's width from a zoom, which the
 * sample grid rounds to far fewer bits anyway.
 *
 * @example formatDecimal(divideDecimal(3n, { mantissa: 1n, exponent: 300 }, 2)) // '3000e-303'
 */
export function divideDecimal(n: bigint, d: Decimal, digits: number): Decimal {
  const shift = digits + (d.mantissa < 0n ? -d.mantissa : d.mantissa).toString().length;
  return { mantissa: (n * pow10(shift)) / d.mantissa, exponent: -shift - d.exponent };
}

/**
 * The exact decimal value of a finite f64 (every f64 is a dyadic rational, so its decimal expansion ends).
 *
 * @example formatDecimal(decimalOfNumber(0.5)) // '5e-1'
 */
export function decimalOfNumber(value: number): Decimal {
  const { mantissa, exponent } = dyadicOfNumber(value);
  if (exponent >= 0) return { mantissa: mantissa << BigInt(exponent), exponent: 0 };
  // m * 2^-k = m * 5^k * 10^-k.
  return { mantissa: mantissa * 5n ** BigInt(-exponent), exponent: exponent };
}

/** A finite f64 as integer * 2^exponent, exactly. @example dyadicOfNumber(0.75) // { mantissa: 3n, exponent: -2 } */
export function dyadicOfNumber(value: number): { mantissa: bigint; exponent: number } {
  if (value === 0) return { mantissa: 0n, exponent: 0 };
  let exponent = Math.max(Math.floor(Math.log2(Math.abs(value))) - 52, -1074);
  let scaled = value / 2 ** exponent;
  // log2 may be off by one near powers of two; the scaled value must be a whole number.
  while (!Number.isInteger(scaled)) {
    exponent--;
    scaled = value / 2 ** exponent;
  }
  return { mantissa: BigInt(scaled), exponent };
}
