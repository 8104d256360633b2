/**
 * `mandel-par find --center RE,IM --zoom Z [--period P]`: the minibrot nearest a view (deep/nucleus.ts), printed as
 * its period, its size and the options that frame it, with as many digits as its size needs.
 */
import { parseDecimal, toFixedPoint } from '../deep/decimal.js';
import type { FixedComplex } from '../deep/nucleus.js';
import { ballPeriod, log2Size, nucleus } from '../deep/nucleus.js';
import { conflictingOptions, invalidOption, noMinibrot } from '../errors.js';
import type { RawArgs } from './parsers.js';
import { MANDELBROT_VIEW, parseWholeNumber, resolveView, single } from './parsers.js';

export interface FindOptions {
  center: [string, string];
  /** The view's width in the plane, as a decimal string. */
  width: string;
  period: number | undefined;
  maxPeriod: number;
}

/** A minibrot fills about a tenth of the view `find` prints: its size is about a radius, the view shows its frame. */
const FRAME = 10;

export function resolveFindOptions(raw: RawArgs): FindOptions {
  const text = (option: string) => single(raw, option);
  if (text('center') === undefined || (text('zoom') === undefined && text('scale') === undefined)) {
    throw conflictingOptions(['center', 'zoom'], 'find needs the view to search: give --center with --zoom or --scale');
  }
  const { view } = resolveView(text, 1, 1, 1, MANDELBROT_VIEW(false));
  const period = text('period');
  const maxPeriod = text('max-period');
  return {
    center: view?.center ?? ['0', '0'],
    width: view?.width ?? '3',
    period: period === undefined ? undefined : parseWholeNumber('period', period, 1, 10_000_000, '--period 44'),
    maxPeriod:
      maxPeriod === undefined
        ? 100_000
        : parseWholeNumber('max-period', maxPeriod, 1, 10_000_000, '--max-period 100000'),
  };
}

/** value / 2^bits with `digits` decimals, rounded. @example decimalOf(3n << 63n, 64, 2) // '1.50' */
export function decimalOf(value: bigint, bits: number, digits: number): string {
  const magnitude = value < 0n ? -value : value;
  const scaled = (magnitude * 10n ** BigInt(digits) + (1n << BigInt(bits - 1))) >> BigInt(bits);
  const text = scaled.toString().padStart(digits + 1, '0');
  const sign = value < 0n && scaled !== 0n ? '-' : '';
  return digits === 0 ? `${sign}${text}` : `${sign}${text.slice(0, -digits)}.${text.slice(-digits)}`;
}

/** A power of ten as mandel-par's short notation. @example power10(27.45) // '2.8e27' */
function power10(log10: number): string {
  const exponent = Math.floor(log10);
  return `${(10 ** (log10 - exponent)).toFixed(1)}e${exponent}`;
}

export interface Found {
  period: number;
  log10Size: number;
  center: [string, string];
  zoom: string;
}

/** The minibrot nearest the view (see the module's comment). */
export function findMinibrot(o: FindOptions): Found {
  const width = parseDecimal(o.width);
  if (!width || width.mantissa <= 0n) throw invalidOption('scale', o.width, 'a positive width');
  // The view's radius as a power of two, from the width's leading digits and its decimal magnitude.
  const digits = width.mantissa.toString();
  const log10 = Math.log10(Number(digits.slice(0, 15))) + digits.length - Math.min(15, digits.length) + width.exponent;
  const log2r = log10 * Math.log2(10) - 1;
  let bits = Math.max(128, Math.ceil(-log2r) + 96);
  const at = (b: number): FixedComplex => ({
    re: toFixedPoint(parseDecimal(o.center[0]) ?? { mantissa: 0n, exponent: 0 }, b),
    im: toFixedPoint(parseDecimal(o.center[1]) ?? { mantissa: 0n, exponent: 0 }, b),
  });
  const period = o.period ?? ballPeriod(at(bits), bits, log2r, o.maxPeriod);
  if (period === undefined) throw noMinibrot(o.maxPeriod);
  let found = nucleus(at(bits), period, bits);
  if (!found) throw noMinibrot(o.maxPeriod, period);
  let log2 = log2Size(found, period, bits);
  // A minibrot much smaller than the view needs more bits than the view did: Newton again, from where it got to.
  if (-log2 + 64 > bits) {
    const more = Math.ceil(-log2) + 96;
    const shift = BigInt(more - bits);
    found = nucleus({ re: found.re << shift, im: found.im << shift }, period, more);
    if (!found) throw noMinibrot(o.maxPeriod, period);
    bits = more;
    log2 = log2Size(found, period, bits);
  }
  const log10Size = log2 * Math.log10(2);
  // Decimals down to a thousandth of the minibrot's size: the printed centre is on it to that.
  const decimals = Math.max(0, Math.ceil(-log10Size) + 3);
  return {
    period,
    log10Size,
    center: [decimalOf(found.re, bits, decimals), decimalOf(found.im, bits, decimals)],
    zoom: power10(Math.log10(3 / FRAME) - log10Size),
  };
}

/** The lines `find` prints. */
export function findReport(f: Found): string {
  return (
    `period ${f.period}, size ${power10(f.log10Size)}\n` + `--center=${f.center[0]},${f.center[1]} --zoom ${f.zoom}\n`
  );
}
