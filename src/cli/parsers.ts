/**
 * Pure validators for option values as typed: each turns the raw string into a value or throws a UsageError that
 * names the option, quotes what was received and says what is accepted. Shared by render and scale options.
 */
import type { Region } from '../core/viewport.js';
import { CLASSIC_REGION, viewAround } from '../core/viewport.js';
import { conflictingOptions, invalidOption, repeatedOption } from '../errors.js';

/** Raw arguments as yargs gives them. */
export type RawArgs = Record<string, unknown>;

/** The one value given for an option, or undefined; an option given twice is an error, not "the last wins". */
export function single(raw: RawArgs, option: string): string | undefined {
  const value = raw[option];
  if (Array.isArray(value)) throw repeatedOption(option, value);
  return value === undefined ? undefined : String(value);
}

export function parseWholeNumber(option: string, text: string, min: number, max: number, example: string): number {
  const value = /^\+?\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw invalidOption(option, text, `a whole number from ${min} to ${max}`, example);
  }
  return value;
}

export function parsePositiveNumber(option: string, text: string, example: string): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!(Number.isFinite(value) && value > 0)) throw invalidOption(option, text, 'a positive number', example);
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
  if (!(xMin < xMax && yMin < yMax)) {
    throw invalidOption(
      'region',
      text,
      'four finite numbers xMin,xMax,yMin,yMax with xMin < xMax and yMin < yMax',
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

const parseCenter = (text: string) => parseComplex('center', text, '--center -0.745,0.11');

const SIZE_UNITS: Record<string, number> = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/** A byte count: "2G", "512M", "1.5GB", "1000000". */
export function parseSize(option: string, text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*$/i.exec(text);
  const bytes = m ? Number(m[1]) * SIZE_UNITS[m[2].toUpperCase()] : Number.NaN;
  if (!(bytes >= 1)) throw invalidOption(option, text, 'a size such as 2G, 512M or 1000000 (bytes)', `--${option} 2G`);
  return Math.floor(bytes);
}

/** The classic view as a centre and a width. */
const CLASSIC_CENTER: [number, number] = [-0.5, 0];
const CLASSIC_SCALE = 3;

/** What a view falls back on: the region with no view option, and the centre with --zoom or --scale alone. */
export interface ViewDefaults {
  region: Region | undefined;
  center: [number, number];
}

/** The Mandelbrot set's: the classic region (for ASCII) or none, centred at -0.5. */
export const MANDELBROT_VIEW = (classic: boolean): ViewDefaults => ({
  region: classic ? { ...CLASSIC_REGION } : undefined,
  center: CLASSIC_CENTER,
});

/**
 * The region from --region, or from --center/--zoom/--scale (pixels `pixelAspect` times as tall as wide), or
 * the defaults' region when no view option is given.
 */
export function resolveRegion(
  text: (option: string) => string | undefined,
  width: number,
  height: number,
  pixelAspect: number,
  defaults: ViewDefaults,
): Region {
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
  if (region !== undefined) return parseRegion(region);
  if (defaults.region && viewOptions.length === 0) return defaults.region;
  const center = text('center');
  const zoom = text('zoom');
  const scale = text('scale');
  const viewWidth =
    scale !== undefined
      ? parsePositiveNumber('scale', scale, '--scale 0.01')
      : CLASSIC_SCALE / (zoom === undefined ? 1 : parsePositiveNumber('zoom', zoom, '--zoom 100'));
  const centre = center === undefined ? defaults.center : parseCenter(center);
  const view = viewAround(centre, viewWidth, width, height, pixelAspect);
  // So deep that f64 rounds the view's edges together: no picture at all, only the same point.
  if (!(view.xMin < view.xMax && view.yMin < view.yMax)) {
    const [option, text] = scale !== undefined ? ['scale', scale] : ['zoom', zoom ?? ''];
    throw invalidOption(option, text, 'a view wide enough for f64 to tell its edges apart at this centre');
  }
  return view;
}

/** Whole-number options with a fallback, for a raw argument set. */
export function wholeReader(raw: RawArgs) {
  return (option: string, min: number, max: number, example: string, fallback: number) => {
    const given = single(raw, option);
    return given === undefined ? fallback : parseWholeNumber(option, given, min, max, example);
  };
}

/** The most worker threads one can ask for. */
export const MAX_THREADS = 1024;
