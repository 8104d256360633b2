/**
 * `mandel-par find --center RE,IM --zoom Z [--period P]`: the minibrot nearest a view (plane/nucleus.ts), printed as
 * its period, its size and the options that frame it, with as many digits as its size needs.
 */

import { conflictingOptions, invalidOption, noMinibrot, noMisiurewicz, otherPeriodFound } from '../errors.js';
import { parseDecimal, toFixedPoint } from '../plane/decimal.js';
import type { FixedComplex } from '../plane/nucleus.js';
import {
  ballPreperiod,
  log2Size,
  lowestPeriod,
  misiurewicz,
  nearestPeriod,
  nucleus,
  withinDisk,
} from '../plane/nucleus.js';
import type { RawArgs } from './parsers.js';
import { MANDELBROT_VIEW, parseWholeNumber, resolveView, single } from './parsers.js';

export interface FindOptions {
  center: [string, string];
  /** The view's width in the plane, as a decimal string. */
  width: string;
  period: number | undefined;
  maxPeriod: number;
  /** Find a Misiurewicz point (preperiodic) instead of a minibrot's nucleus, of this preperiod if given. */
  misiurewicz: boolean;
  preperiod: number | undefined;
}

/** A minibrot fills about a tenth of the view `find` prints: its size is about a radius, the view shows its frame. */
const FRAME = 10;

export function resolveFindOptions(raw: RawArgs): FindOptions {
  const text = (option: string) => single(raw, option);
  // Each value first (a bad --period 0 was hidden behind "give both" or "find needs the view").
  const number = (option: string, example: string) => {
    const given = text(option);
    return given === undefined ? undefined : parseWholeNumber(option, given, 1, 10_000_000, example);
  };
  const period = number('period', '--period 44');
  const preperiod = number('preperiod', '--preperiod 3');
  const maxPeriod = number('max-period', '--max-period 100000') ?? 100_000;
  if (text('center') === undefined || (text('zoom') === undefined && text('scale') === undefined)) {
    throw conflictingOptions(['center', 'zoom'], 'find needs the view to search: give --center with --zoom or --scale');
  }
  const { view } = resolveView(text, 1, 1, 1, MANDELBROT_VIEW(false));
  const misiurewicz = raw.misiurewicz === true;
  if ((preperiod === undefined) !== (period === undefined) && misiurewicz) {
    throw conflictingOptions(['preperiod', 'period'], 'a Misiurewicz point is named by both: give both, or neither');
  }
  if (preperiod !== undefined && !misiurewicz) {
    throw conflictingOptions(['preperiod'], 'is for Misiurewicz points: give --misiurewicz');
  }
  // Only a --max-period given says so: an explicit period skips the search the default bounds.
  if (period !== undefined && !misiurewicz && text('max-period') !== undefined && period > maxPeriod) {
    throw conflictingOptions(['period', 'max-period'], `--period ${period} is past --max-period ${maxPeriod}`);
  }
  return {
    misiurewicz,
    preperiod,
    center: view?.center ?? ['0', '0'],
    width: view?.width ?? '3',
    period,
    maxPeriod,
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
  const mantissa = (10 ** (log10 - exponent)).toFixed(1);
  // 10^11.99999... rounds to 10.0: that is 1.0e12.
  return mantissa === '10.0' ? `1.0e${exponent + 1}` : `${mantissa}e${exponent}`;
}

export interface Found {
  period: number;
  log10Size: number;
  center: [string, string];
  zoom: string;
}

/** The disk a search looks in: the view's radius as a power of two, and its centre in fixed point of any bits. */
function searchDisk(o: FindOptions): { log2r: number; at: (bits: number) => FixedComplex } {
  const width = parseDecimal(o.width);
  if (!width || width.mantissa <= 0n) throw invalidOption('scale', o.width, 'a positive width');
  // From the width's leading digits and its decimal magnitude.
  const digits = width.mantissa.toString();
  const log10 = Math.log10(Number(digits.slice(0, 15))) + digits.length - Math.min(15, digits.length) + width.exponent;
  const at = (b: number): FixedComplex => ({
    re: toFixedPoint(parseDecimal(o.center[0]) ?? { mantissa: 0n, exponent: 0 }, b),
    im: toFixedPoint(parseDecimal(o.center[1]) ?? { mantissa: 0n, exponent: 0 }, b),
  });
  return { log2r: log10 * Math.log2(10) - 1, at };
}

/**
 * How far from the view's centre (a multiple of the searched disk's radius) a nucleus found may lie: Newton's method
 * may settle on a root of z_p that is another minibrot's (of a divisor of p), out of the view.
 */
const NUCLEUS_REACH = 4;

/** The minibrot nearest the view (see the module's comment). */
export function findMinibrot(o: FindOptions): Found {
  const searched = searchDisk(o);
  const { at } = searched;
  let bits = Math.max(128, Math.ceil(-searched.log2r) + 96);
  // The disk the nucleus lies in: the view's, or a larger one where the view lies inside a minibrot.
  const near =
    o.period === undefined
      ? nearestPeriod(at(bits), bits, searched.log2r, o.maxPeriod)
      : { period: o.period, log2r: searched.log2r };
  if (near === undefined) throw noMinibrot(o.maxPeriod);
  const log2r = near.log2r;
  bits = Math.max(bits, Math.ceil(-log2r) + 96);
  // Newton's steps no longer than the disk's radius; a period the ball method found must have its nucleus near the
  // disk (one given is taken wherever Newton's method settles).
  let found = nucleus(at(bits), near.period, bits, log2r);
  if (!found || (o.period === undefined && !withinDisk(found, at(bits), bits, log2r + Math.log2(NUCLEUS_REACH)))) {
    throw noMinibrot(o.maxPeriod, near.period);
  }
  const period = lowestPeriod(found, bits, near.period);
  // A period asked for is found or refused (--period 6 by the period-3 minibrot printed "period 3", exit 0).
  if (o.period !== undefined && period !== o.period) throw otherPeriodFound(o.period, period);
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

export interface FoundMisiurewicz {
  preperiod: number;
  period: number;
  center: [string, string];
  /** The view's zoom as given: the point is a place to zoom into, with no size of its own. */
  zoom: string;
}

/**
 * Decimals past the view's own digits that a Misiurewicz point is printed with: a view 1e30 times deeper than the
 * one given still has it exactly at its centre.
 */
const DEEPER_DIGITS = 30;

/**
 * The Misiurewicz point nearest the view: its preperiod and period by the ball method (plane/nucleus.ts,
 * ballPreperiod) unless given, then Newton's method in fixed point, printed to DEEPER_DIGITS past the view.
 */
export function findMisiurewicz(o: FindOptions): FoundMisiurewicz {
  const { log2r, at } = searchDisk(o);
  const decimals = Math.max(0, Math.ceil(-log2r * Math.log10(2))) + DEEPER_DIGITS;
  const bits = Math.ceil(decimals * Math.log2(10)) + 64;
  const kind =
    o.preperiod !== undefined && o.period !== undefined
      ? { preperiod: o.preperiod, period: o.period }
      : ballPreperiod(at(bits), bits, log2r, o.maxPeriod);
  if (kind === undefined) throw noMisiurewicz(o.maxPeriod);
  const found = misiurewicz(at(bits), kind.preperiod, kind.period, bits);
  if (!found) throw noMisiurewicz(o.maxPeriod, kind);
  const center: [string, string] = [decimalOf(found.re, bits, decimals), decimalOf(found.im, bits, decimals)];
  return { ...kind, center, zoom: power10(Math.log10(3) - (log2r + 1) * Math.log10(2)) };
}

/** The lines `find --misiurewicz` prints. */
export function misiurewiczReport(f: FoundMisiurewicz): string {
  return `preperiod ${f.preperiod}, period ${f.period}\n--center=${f.center[0]},${f.center[1]} --zoom ${f.zoom}\n`;
}

/** The lines `find` prints. */
export function findReport(f: Found): string {
  return (
    `period ${f.period}, size ${power10(f.log10Size)}\n` + `--center=${f.center[0]},${f.center[1]} --zoom ${f.zoom}\n`
  );
}

/** What `find` prints for its options: a Misiurewicz point's lines, or a minibrot's. */
export function find(o: FindOptions): string {
  return o.misiurewicz ? misiurewiczReport(findMisiurewicz(o)) : findReport(findMinibrot(o));
}
