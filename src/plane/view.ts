/**
 * Deep views in a spec: a centre and a width as decimal strings, for zooms past what f64 can place, and what the
 * renderer makes of them (the f64 region where one exists, the exact sample grid for perturbation).
 */

import { invalidSpecField } from '../errors.js';
import type { Decimal } from './decimal.js';
import { decimalMagnitude, decimalOfNumber, parseDecimal } from './decimal.js';
import type { SampleGrid } from './grid.js';
import { deepGrid } from './grid.js';
import { checkPrecision } from './precision.js';
import type { Region } from './viewport.js';
import { viewAround } from './viewport.js';

/**
 * A view by its centre [re, im] and its width in the plane, as decimal strings of any length ("-0.7436...",
 * "1e-1000"); the height follows from the image's shape.
 *
 * @example createSpec({ view: { center: ['-1.99999911758766165543259', '0'], width: '1e-20' } })
 */
export interface DeepView {
  center: [re: string, im: string];
  width: string;
}

/** The narrowest view accepted: a magnification of 3e10000 against the classic view. */
const MIN_VIEW_MAGNITUDE = -10000;

/**
 * The widest: under 1e300, so that its f64 region's edges and steps stay finite (a 1e330 view's became Infinity and
 * NaN, and its picture came out inside).
 */
const MAX_VIEW_MAGNITUDE = 299;

/** Whether a view's width is within MIN_VIEW_MAGNITUDE and MAX_VIEW_MAGNITUDE. */
export function widthInRange(width: Decimal): boolean {
  const magnitude = decimalMagnitude(width);
  return magnitude >= MIN_VIEW_MAGNITUDE && magnitude <= MAX_VIEW_MAGNITUDE;
}

/**
 * The decimals a view's centre has (the more of its two parts; trailing zeros count), and about how many its width
 * calls for (a view 3e-20 wide, 20): a centre with fewer is rounded to a point that may lie far from the set's detail.
 *
 * @example centreDecimals({ center: ['-0.75', '0.1'], width: '3e-20' }) // { has: 2, needs: 20 }
 */
export function centreDecimals(view: DeepView): { has: number; needs: number } {
  const decimals = (text: string) => Math.max(0, -(parseDecimal(text)?.exponent ?? 0));
  const width = parseDecimal(view.width);
  return {
    has: Math.max(decimals(view.center[0]), decimals(view.center[1])),
    needs: width ? Math.max(0, -decimalMagnitude(width)) : 0,
  };
}

/**
 * Whether a centre's part is under 1e300 in size, as the widest view is: the reference orbit's first point, beyond
 * f64's range, came out Infinity, and a view at 1e400,0 drew the set as if centred at 0,0.
 */
export function centrePartInRange(part: Decimal): boolean {
  return part.mantissa === 0n || decimalMagnitude(part) <= MAX_VIEW_MAGNITUDE;
}

/** The view's numbers, exact; undefined when a part is not a decimal or out of range (width positive). */
export function parseView(view: DeepView): { center: [Decimal, Decimal]; width: Decimal } | undefined {
  const re = parseDecimal(view.center[0]);
  const im = parseDecimal(view.center[1]);
  const width = parseDecimal(view.width);
  if (!(re && im && width && width.mantissa > 0n && widthInRange(width))) return undefined;
  if (!(centrePartInRange(re) && centrePartInRange(im))) return undefined;
  return { center: [re, im], width };
}

const isDecimalText = (v: unknown) => typeof v === 'string';

/** Checks a spec's view field; throws a UsageError naming it. */
export function checkView(value: unknown): void {
  const v = value as DeepView;
  const shaped =
    typeof v === 'object' &&
    v !== null &&
    Object.keys(v).every((k) => k === 'center' || k === 'width') &&
    Array.isArray(v.center) &&
    v.center.length === 2 &&
    v.center.every(isDecimalText) &&
    isDecimalText(v.width);
  if (!(shaped && parseView(v))) {
    throw invalidSpecField(
      'view',
      value,
      '{ center: [re, im], width } as decimal strings of at most 10000 digits, each part of the centre under 1e300, width from 1e-10000 to 1e299',
    );
  }
}

/**
 * The view as an f64 region (pixels `pixelAspect` times as tall as wide), or undefined where f64 cannot tell its
 * edges apart.
 *
 * @example regionOfView({ center: ['-0.5', '0'], width: '3' }, 3000, 2000) // { xMin: -2, xMax: 1, yMin: -1, yMax: 1 }
 */
export function regionOfView(view: DeepView, width: number, height: number, pixelAspect = 1): Region | undefined {
  const region = viewAround(
    [Number(view.center[0]), Number(view.center[1])],
    Number(view.width),
    width,
    height,
    pixelAspect,
  );
  const valid = [region.xMin, region.xMax, region.yMin, region.yMax].every(Number.isFinite);
  return valid && region.xMin < region.xMax && region.yMin < region.yMax ? region : undefined;
}

/**
 * Whether a view needs perturbation: f64 cannot place its samples (`aa` a pixel) well apart (plane/precision.ts).
 *
 * @example needsPerturbation({ center: ['-0.75', '0.1'], width: '1e-20' }, 640, 480, 1) // true
 */
export function needsPerturbation(view: DeepView, width: number, height: number, aa: number, pixelAspect = 1): boolean {
  const region = regionOfView(view, width, height, pixelAspect);
  return region === undefined || checkPrecision(region, width, height, aa).inexact;
}

/**
 * The exact grid of `width` x `height` samples of a view, or of an f64 region (for perturbation asked for at a
 * depth f64 could draw: its centre and extent are taken as f64 computes them).
 *
 * @example sampleGrid({ view: { center: ['0', '1'], width: '1e-300' } }, 64, 40, 1)
 */
export function sampleGrid(
  place: { view?: DeepView; region?: Region },
  width: number,
  height: number,
  pixelAspect: number,
): SampleGrid {
  const parsed = place.view && parseView(place.view);
  if (parsed) return deepGrid(parsed.center, parsed.width, width, height, pixelAspect);
  const r = place.region as Region;
  const centre: [Decimal, Decimal] = [decimalOfNumber((r.xMin + r.xMax) / 2), decimalOfNumber((r.yMin + r.yMax) / 2)];
  return deepGrid(centre, decimalOfNumber(r.xMax - r.xMin), width, height, 1, decimalOfNumber(r.yMax - r.yMin));
}
