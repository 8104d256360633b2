/**
 * Pure validators for option values as typed: each turns the raw string into a value or throws a UsageError that
 * names the option, quotes what was received and says what is accepted. Shared by render and scale options.
 */

import type { UsageError } from '../errors.js';
import { conflictingOptions, invalidOption, repeatedOption } from '../errors.js';
import { LIMITS } from '../model/spec.js';
import type { EngineName } from '../model/task.js';
import type { Decimal } from '../plane/decimal.js';
import { divideDecimal, formatDecimal, MAX_DIGITS, parseDecimal } from '../plane/decimal.js';
import type { DeepView } from '../plane/view.js';
import { centrePartInRange, needsPerturbation, regionOfView, widthInRange } from '../plane/view.js';
import type { Region } from '../plane/viewport.js';
import { CLASSIC_CENTER, CLASSIC_REGION, CLASSIC_SCALE, regionFits } from '../plane/viewport.js';

/** Raw arguments as yargs gives them. */
export type RawArgs = Record<string, unknown>;

/** The one value given for an option, or undefined; an option given twice is an error, not "the last wins". */
export function single(raw: RawArgs, option: string): string | undefined {
  const value = raw[option];
  if (Array.isArray(value)) throw repeatedOption(option, value);
  return value === undefined ? undefined : String(value);
}

/**
 * A whole number as users type them: `1000`, or in exponent form (`1e6`, `4e3`, `2.5e3`) when that is whole.
 *
 * @example parseWholeNumber('max-iter', '1e6', 1, 2 ** 31 - 1, '--max-iter 1000') // 1000000
 */
export function parseWholeNumber(option: string, text: string, min: number, max: number, example: string): number {
  const value = /^\+?\d+(\.\d+)?(e\+?\d+)?$/i.test(text.trim()) ? Number(text) : Number.NaN;
  if (!(Number.isInteger(value) && value >= min && value <= max)) {
    throw invalidOption(option, text, `a whole number from ${min} to ${max}`, example);
  }
  return value;
}

export function parsePositiveNumber(option: string, text: string, example: string, expected = 'a positive number') {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!(Number.isFinite(value) && value > 0)) throw invalidOption(option, text, expected, example);
  return value;
}

/** One of `choices`, in any case (they are all lower-case). */
export function parseChoice<T extends string>(option: string, text: string, choices: readonly T[]): T {
  const lower = text.trim().toLowerCase();
  if (!(choices as readonly string[]).includes(lower)) {
    throw invalidOption(option, text, `one of ${choices.join(', ')}`, `--${option} ${choices[0]}`);
  }
  return lower as T;
}

/** "1,2,4": distinct whole numbers from min to max, in the order given. */
export function parseWholeList(option: string, text: string, min: number, max: number, example: string): number[] {
  const numbers = text.split(',').map((p) => (/^\s*\+?\d+\s*$/.test(p) ? Number(p) : Number.NaN));
  if (!numbers.every((n) => n >= min && n <= max) || new Set(numbers).size !== numbers.length) {
    throw invalidOption(
      option,
      text,
      `a comma-separated list of distinct whole numbers from ${min} to ${max}`,
      example,
    );
  }
  return numbers;
}

/** Comma-separated finite numbers, exactly `count` of them, or undefined. */
function numberList(text: string, count: number): number[] | undefined {
  const numbers = text.split(',').map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
  return numbers.length === count && numbers.every(Number.isFinite) ? numbers : undefined;
}

/** "xMin,xMax,yMin,yMax": four finite numbers with xMin < xMax and yMin < yMax. */
function parseRegion(text: string): Region {
  const [xMin, xMax, yMin, yMax] = numberList(text, 4) ?? [];
  if (!regionFits({ xMin, xMax, yMin, yMax })) {
    throw invalidOption(
      'region',
      text,
      'four finite numbers xMin,xMax,yMin,yMax with xMin < xMax and yMin < yMax, each span from 1e-300 to 1e300',
      '--region=-2,1,-1,1',
    );
  }
  return { xMin, xMax, yMin, yMax };
}

/** "re,im": two finite numbers, for `option`. */
export function parseComplex(option: string, text: string, example: string): [number, number] {
  const numbers = numberList(text, 2);
  if (!numbers) throw invalidOption(option, text, 'two finite numbers re,im', example);
  return [numbers[0], numbers[1]];
}

/** "re,im": two decimal numbers of any precision (up to MAX_DIGITS digits each), kept as the strings typed. */
function parseCenter(text: string): [string, string] {
  const parts = text.split(',').map((p) => p.trim());
  const inRange = (p: string) => {
    const part = parseDecimal(p);
    return part !== undefined && centrePartInRange(part);
  };
  if (!(parts.length === 2 && parts.every(inRange))) {
    throw invalidOption(
      'center',
      text,
      `two decimal numbers re,im of at most ${MAX_DIGITS} digits each, each under 1e300 in size`,
      '--center -0.745,0.11',
    );
  }
  return [parts[0], parts[1]];
}

/**
 * --zoom (a magnification against the classic view) or --scale (the view's width) as the view's exact width; `name`
 * is the option as given (a video's --zoom-to is a zoom).
 */
export function parseViewWidth(option: 'zoom' | 'scale', text: string, name: string = option): Decimal {
  const zoom = option === 'zoom';
  const value = parseDecimal(text);
  if (!(value && value.mantissa > 0n)) {
    throw invalidOption(name, text, 'a positive number', zoom ? `--${name} 100` : `--${name} 0.01`);
  }
  // The width only sets the sample step, which the grid rounds to 29 bits: 40 digits of 3 / zoom are plenty.
  const width = zoom ? divideDecimal(BigInt(CLASSIC_SCALE), value, 40) : value;
  if (!widthInRange(width)) {
    const limit = zoom ? 'a magnification from 1e-299 to 1e10000' : 'a width from 1e-10000 to 1e299';
    throw invalidOption(name, text, limit, zoom ? `--${name} 1e1000` : `--${name} 1e-1000`);
  }
  return width;
}

const SIZE_UNITS: Record<string, number> = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/** A byte count: "2G", "512M", "1.5GB", "1000000". */
export function parseSize(option: string, text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*$/i.exec(text);
  const bytes = m ? Number(m[1]) * SIZE_UNITS[m[2].toUpperCase()] : Number.NaN;
  if (!(bytes >= 1)) throw invalidOption(option, text, 'a size such as 2G, 512M or 1000000 (bytes)', `--${option} 2G`);
  return Math.floor(bytes);
}

/** What a view falls back on: the region with no view option, and the centre with --zoom or --scale alone. */
export interface ViewDefaults {
  region: Region | undefined;
  center: readonly [number, number];
}

/** The Mandelbrot set's: the classic region (for ASCII) or none, centred at -0.5. */
export const MANDELBROT_VIEW = (classic: boolean): ViewDefaults => ({
  region: classic ? { ...CLASSIC_REGION } : undefined,
  center: CLASSIC_CENTER,
});

/**
 * The view the options ask for: `region` in f64 (undefined where f64 cannot tell the view's edges apart) and, when
 * it was given by --center with --zoom or --scale, `view`, the same view in decimal strings for deep zooms;
 * `tooDeep` makes the error for a direct engine asked to draw a view with no f64 region (with what to do instead).
 */
export interface ResolvedView {
  region: Region | undefined;
  view: DeepView | undefined;
  tooDeep: (instead?: string) => UsageError;
}

/**
 * The view from --region, or from --center/--zoom/--scale (pixels `pixelAspect` times as tall as wide), or the
 * defaults' region when no view option is given.
 */
export function resolveView(
  text: (option: string) => string | undefined,
  width: number,
  height: number,
  pixelAspect: number,
  defaults: ViewDefaults,
): ResolvedView {
  const region = text('region');
  const viewOptions = ['center', 'zoom', 'scale'].filter((o) => text(o) !== undefined);
  if (region !== undefined && viewOptions.length > 0) {
    throw conflictingOptions(
      ['region', ...viewOptions],
      'both set the view: give --region, or --center with --zoom or --scale',
    );
  }
  if (text('zoom') !== undefined && text('scale') !== undefined) {
    throw conflictingOptions(['zoom', 'scale'], 'both set the width of the view: give one of them');
  }
  const zoom = text('zoom');
  const scale = text('scale');
  // Named as given: without --zoom or --scale, the centre is what takes f64 too far (it said --zoom "").
  const [option, given] =
    scale !== undefined
      ? ['scale', scale]
      : zoom !== undefined || text('center') === undefined
        ? ['zoom', zoom ?? '']
        : ['center', text('center') as string];
  // So deep that f64 rounds the view's edges together: no picture at all, only the same point.
  const tooDeep = (instead?: string) =>
    invalidOption(
      option,
      given,
      `a view wide enough for f64 to tell its edges apart at this centre${instead ? ` (${instead})` : ''}`,
    );
  if (region !== undefined) return { region: parseRegion(region), view: undefined, tooDeep };
  if (defaults.region && viewOptions.length === 0) return { region: defaults.region, view: undefined, tooDeep };
  const center = text('center');
  const centre = center === undefined ? (defaults.center.map(String) as [string, string]) : parseCenter(center);
  const exactWidth = scale !== undefined ? parseViewWidth('scale', scale) : parseViewWidth('zoom', zoom ?? String(1));
  const view = { center: centre, width: scale !== undefined ? scale.trim() : formatDecimal(exactWidth) };
  // The decimal view is the one description; its f64 region is what the API's spec of the same view draws.
  return { region: regionOfView(view, width, height, pixelAspect), view, tooDeep };
}

/** The f64 region of the view options; a view too deep for f64 is refused (the scale command, Julia sets). */
export function resolveRegion(
  text: (option: string) => string | undefined,
  width: number,
  height: number,
  pixelAspect: number,
  defaults: ViewDefaults,
): Region {
  const { region, tooDeep } = resolveView(text, width, height, pixelAspect, defaults);
  if (!region) throw tooDeep();
  return region;
}

/**
 * Where the view goes in the spec, and which engine draws it: the f64 region and the direct kernel while f64
 * separates the samples (plane/precision.ts), the decimal view and perturbation beyond; an engine given chooses.
 */
export function chooseView(
  resolved: ResolvedView,
  engine: EngineName | undefined,
  samples: { width: number; height: number; aa: number; pixelAspect: number },
): { region: Region } | { view: DeepView; engine: 'perturb' } {
  const { region, view } = resolved;
  if (view && engine === 'perturb') return { view, engine };
  if (region && (engine !== undefined || !view)) return { region };
  if (engine !== undefined) {
    throw resolved.tooDeep(`for --engine ${engine}: leave --engine out, and perturbation draws any depth`);
  }
  if (!view) throw resolved.tooDeep();
  // The API's decision too (createSpec): perturbation where f64 cannot place the samples.
  const deep = needsPerturbation(view, samples.width, samples.height, samples.aa, samples.pixelAspect);
  return deep || !region ? { view, engine: 'perturb' } : { region };
}

/** Whole-number options with a fallback, for a raw argument set. */
export function wholeReader(raw: RawArgs) {
  return (option: string, min: number, max: number, example: string, fallback: number) => {
    const given = single(raw, option);
    return given === undefined ? fallback : parseWholeNumber(option, given, min, max, example);
  };
}

/** The most worker threads one can ask for. */
export const MAX_THREADS = LIMITS.threads;
