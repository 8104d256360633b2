/**
 * The render spec: a plain, JSON-serialisable description of one picture (what to compute and what to make of
 * it), checked in one place. It is what crosses a process or machine boundary; the CLI is a parser from argv to a
 * spec, and the renderer takes nothing else. How the work is split (threads, plan) is not part of it: any split
 * gives the same bytes.
 */

import { invalidSpecField } from '../errors.js';
import type { DeepView } from '../plane/view.js';
import { checkView, needsPerturbation, regionOfView } from '../plane/view.js';
import type { Region } from '../plane/viewport.js';
import { CLASSIC_CENTER, CLASSIC_REGION, CLASSIC_SCALE, regionFits, viewAround } from '../plane/viewport.js';
import type { Colouring } from './colouring.js';
import { SHADINGS } from './colouring.js';
import { PALETTES, paletteFrom } from './palettes.js';
import type { EngineName } from './task.js';
import { ENGINES } from './task.js';

/** The colour images, encoded by sharp. @example IMAGE_FORMATS.includes('webp') // true */
export const IMAGE_FORMATS = ['png', 'jpeg', 'webp', 'avif', 'tiff'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/**
 * Image pyramids for viewers that zoom (tiles at every scale): Deep Zoom (`dzi`) and IIIF Image API 3 (`iiif`).
 * @example PYRAMID_FORMATS[0] // 'dzi'
 */
export const PYRAMID_FORMATS = ['dzi', 'iiif'] as const;
export type PyramidFormat = (typeof PYRAMID_FORMATS)[number];

/** How a pyramid's tiles are stored. @example TILE_FORMATS[1] // 'jpeg' */
export const TILE_FORMATS = ['png', 'jpeg'] as const;
export type TileFormat = (typeof TILE_FORMATS)[number];

/**
 * The formats a spec can ask for: ASCII text and PBM bitmaps (inside or outside), colour images, image pyramids,
 * and NumPy data (each pixel's escape count and smooth value).
 *
 * @example OUTPUT_FORMATS.includes('pbm') // true
 */
export const OUTPUT_FORMATS = ['ascii', 'pbm', 'npy', ...IMAGE_FORMATS, ...PYRAMID_FORMATS] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/**
 * The iteration z -> z^2 + c: `mandelbrot` (z starts at the pixel's c), or `julia` (z starts at the pixel, c is the
 * spec's `julia`).
 *
 * @example FORMULAS[1] // 'julia'
 */
export const FORMULAS = ['mandelbrot', 'julia'] as const;
export type Formula = (typeof FORMULAS)[number];

/**
 * The largest side the image formats that have one can hold (libvips' JPEG encoder, WebP's 14 bits, AVIF's encoder
 * here); PNG and TIFF hold LIMITS.size. A picture past them failed in the encoder, after the whole render.
 */
export const FORMAT_MAX_SIDE: Readonly<Partial<Record<OutputFormat, number>>> = {
  jpeg: 65500,
  webp: 16383,
  avif: 16384,
};

/** The limit of a side that `format` puts on it, in words, or undefined where it has none below LIMITS.size. */
export function sideLimit(format: OutputFormat): { most: number; words: string } | undefined {
  const most = FORMAT_MAX_SIDE[format];
  const name = format === 'jpeg' ? 'JPEG' : format === 'webp' ? 'WebP' : 'AVIF';
  return most === undefined ? undefined : { most, words: `at most ${most}: the largest side a ${name} file holds` };
}

/** The largest values a spec accepts. @example LIMITS.size // 1048576 pixels a side */
export const LIMITS = {
  size: 1 << 20,
  maxIter: 2 ** 31 - 1,
  aa: 16,
  compression: 9,
  quality: 100,
  tileSize: 8192,
  /** Worker threads a renderer may have. */
  threads: 1024,
} as const;

/**
 * How tall a character is against its width in ASCII output (the classic picture's cells: its 140 x 50 characters
 * show a 3 x 2 region). @example ASCII_CELL_ASPECT // 1.8666...
 */
export const ASCII_CELL_ASPECT = 2 / 50 / (3 / 140);

/** Default encoder quality of the lossy formats (sharp's scale, 1-100). @example DEFAULT_QUALITY.avif // 60 */
export const DEFAULT_QUALITY: Readonly<Record<'jpeg' | 'webp' | 'avif', number>> = { jpeg: 90, webp: 90, avif: 60 };

/**
 * How the picture is stored. PNG takes a zlib level (`compression`, 0-9); JPEG, WebP and AVIF a `quality` (1-100);
 * TIFF is written losslessly (deflate). A pyramid's tiles are `tileSize` pixels square, PNG (at `compression`) or
 * JPEG (at `quality`).
 */
export type OutputSpec =
  | { format: 'ascii' | 'pbm' | 'tiff' }
  /** `distance`: each pixel carries the distance estimate too (PixelFormat `data-distance`). */
  | { format: 'npy'; distance?: boolean }
  | { format: 'png'; compression: number }
  | { format: 'jpeg' | 'webp' | 'avif'; quality: number }
  | {
      format: PyramidFormat;
      tileSize: number;
      tileFormat: TileFormat;
      compression: number;
      quality: number;
      /** IIIF only: the web address the folder will be served under, which makes info.json's id absolute. */
      baseUrl?: string;
    };

/** The settings a format's output spec may carry (see OutputSpec). */
export type OutputSettings = {
  compression?: number;
  quality?: number;
  tileSize?: number;
  tileFormat?: TileFormat;
  baseUrl?: string;
  distance?: boolean;
};

/** Is `format` an image pyramid? @example isPyramid('iiif') // true */
export function isPyramid(format: OutputFormat): format is PyramidFormat {
  return (PYRAMID_FORMATS as readonly string[]).includes(format);
}

/** A pixel's height over its width: ASCII cells are taller than wide. @example pixelAspect('ascii') // 1.8666... */
export function pixelAspect(format: OutputFormat): number {
  return format === 'ascii' ? ASCII_CELL_ASPECT : 1;
}

/** What a format needs of each pixel: inside or outside, a colour, or the numbers. @example pixelKind('pbm') // 'membership' */
export function pixelKind(format: OutputFormat): 'membership' | 'colour' | 'data' {
  if (format === 'ascii' || format === 'pbm') return 'membership';
  return format === 'npy' ? 'data' : 'colour';
}

/** The numbers each pixel of a `data` output carries. @example dataFormat({ format: 'npy', distance: true }) // 'data-distance' */
export function dataFormat(output: OutputSpec): 'data' | 'data-distance' {
  return output.format === 'npy' && output.distance === true ? 'data-distance' : 'data';
}

export interface RenderSpec {
  formula: Formula;
  /** The fixed c [re, im] of a Julia set; only with formula 'julia'. */
  julia?: [number, number];
  /**
   * The plane region the picture shows (pixel (col, row) samples its top-left corner), in f64. A spec has either
   * this or `view`.
   */
  region?: Region;
  /** The view as decimal strings of any precision, for zooms past f64 (src/plane/view.ts). */
  view?: DeepView;
  width: number;
  height: number;
  /** Iterations before a point counts as inside. */
  maxIter: number;
  engine: EngineName;
  /** Decide inside points early (cardioid/bulb test, periodicity); never changes the output. */
  shortcuts: boolean;
  /** Samples per pixel along each axis, averaged (colour images only; 1 otherwise). */
  aa: number;
  colouring: Colouring;
  output: OutputSpec;
}

/** What a caller may leave out of a spec; `createSpec` fills it in. */
export type SpecInput = Partial<Omit<RenderSpec, 'colouring' | 'output'>> & {
  /** The palette as colours, or by name or hex list as --palette takes it (`'fire'`, `'#000000,#ffffff'`). */
  colouring?: Partial<Omit<Colouring, 'palette'>> & { palette?: Colouring['palette'] | string };
  output?: OutputSpec | ({ format: OutputFormat } & OutputSettings);
};

/**
 * Defaults that differ by format: ASCII keeps the original program's picture; PNG makes one worth looking at.
 *
 * @example FORMAT_DEFAULTS.png // { width: 3000, height: 2000, maxIter: 1000 }
 */
export const FORMAT_DEFAULTS: Readonly<Record<OutputFormat, { width: number; height: number; maxIter: number }>> = {
  ascii: { width: 140, height: 50, maxIter: 100000 },
  ...Object.fromEntries(
    OUTPUT_FORMATS.filter((f) => f !== 'ascii').map((f) => [f, { width: 3000, height: 2000, maxIter: 1000 }]),
  ),
} as Record<OutputFormat, { width: number; height: number; maxIter: number }>;

/**
 * The output spec of `format` with its encoder's default settings, overridden by `given`.
 *
 * @example outputSpec('webp', { quality: 75 }) // { format: 'webp', quality: 75 }
 */
export function outputSpec(format: OutputFormat, given: OutputSettings = {}): OutputSpec {
  if (format === 'png') return { format, compression: given.compression ?? 1 };
  if (isPyramid(format)) {
    const tileFormat = given.tileFormat ?? 'png';
    const quality = given.quality ?? DEFAULT_QUALITY.jpeg;
    const base = { format, tileSize: given.tileSize ?? 256, tileFormat, compression: given.compression ?? 1, quality };
    return format === 'iiif' && given.baseUrl !== undefined ? { ...base, baseUrl: given.baseUrl } : base;
  }
  if (format === 'jpeg' || format === 'webp' || format === 'avif') {
    return { format, quality: given.quality ?? DEFAULT_QUALITY[format] };
  }
  if (format === 'npy' && given.distance) return { format, distance: true };
  return { format };
}

/**
 * The view of a Julia set when none is given: centred on 0, the disc |z| <= 2 that holds every Julia set in frame.
 * `pixelAspect` is a pixel's height over its width (ASCII cells are taller than wide).
 *
 * @example juliaRegion(3000, 2000) // { xMin: -3, xMax: 3, yMin: -2, yMax: 2 }
 */
export function juliaRegion(width: number, height: number, pixelAspect = 1): Region {
  const viewWidth = Math.max(4, (4 * width) / (height * pixelAspect));
  const viewHeight = (viewWidth * pixelAspect * height) / width;
  return { xMin: -viewWidth / 2, xMax: viewWidth / 2, yMin: -viewHeight / 2, yMax: viewHeight / 2 };
}

/**
 * The view of the Mandelbrot set when none is given, as the command line draws it: the classic region for the ASCII
 * picture (the original program's), else x from -2 to 1 with square pixels (a 600 x 300 picture through the API was
 * the classic region stretched, where the command line's was not).
 *
 * @example mandelbrotRegion('png', 600, 300) // { xMin: -2, xMax: 1, yMin: -0.75, yMax: 0.75 }
 */
export function mandelbrotRegion(format: string, width: number, height: number): Region {
  if (format === 'ascii') return { ...CLASSIC_REGION };
  return viewAround(CLASSIC_CENTER, CLASSIC_SCALE, width, height, pixelAspect(format as OutputFormat));
}

/** The one default colouring: the classic palette, black inside, 64 iterations a cycle. @example DEFAULT_COLOURING.cycle // 64 */
export const DEFAULT_COLOURING: Readonly<Colouring> = Object.freeze({
  palette: PALETTES.classic,
  inside: [0, 0, 0] as [number, number, number],
  cycle: 64,
});

/**
 * A palette given by name or hex list (as --palette takes it; a JSON spec said `"palette": "fire"` and was refused), as
 * colours; nothing for one given as colours, or none. A name that is none is left for validateSpec to refuse.
 */
function namedPalette(palette: unknown): { palette?: Colouring['palette'] } {
  if (typeof palette !== 'string') return {};
  const colours = paletteFrom(palette);
  return colours ? { palette: colours } : {};
}

/**
 * A full spec from a partial one: the format's defaults (the classic view, the SIMD engine, shortcuts on),
 * then checked by validateSpec.
 *
 * @example createSpec({ output: { format: 'png' }, width: 800, height: 600 })
 */
export function createSpec(input: SpecInput = {}): RenderSpec {
  // What is not an object is no spec (a JSON file holding null or "png"); an output or colouring likewise.
  if (!isPlainObject(input)) throw invalidSpecField('', input, 'an object of spec fields');
  for (const field of ['output', 'colouring'] as const) {
    if (input[field] !== undefined && !isPlainObject(input[field])) {
      throw invalidSpecField(
        field,
        input[field],
        field === 'output' ? "an object, e.g. { format: 'png' }" : 'an object',
      );
    }
  }
  const format = input.output?.format ?? 'ascii';
  const defaults = FORMAT_DEFAULTS[format as OutputFormat] ?? FORMAT_DEFAULTS.ascii;
  const width = input.width ?? defaults.width;
  const height = input.height ?? defaults.height;
  const julia = input.formula === 'julia';
  const aspect = pixelAspect(format as OutputFormat);
  // A deep view gets the perturbation engine where f64 cannot place its pixels, unless an engine is given.
  const deep = input.view && needsPerturbation(input.view, width, height, input.aa ?? 1, aspect);
  return validateSpec({
    formula: 'mandelbrot',
    ...(input.view
      ? {}
      : { region: julia ? juliaRegion(width, height, aspect) : mandelbrotRegion(format, width, height) }),
    ...defaults,
    engine: deep ? 'perturb' : ENGINES[0],
    shortcuts: true,
    aa: 1,
    ...input,
    colouring: { ...DEFAULT_COLOURING, ...input.colouring, ...namedPalette(input.colouring?.palette) },
    // Settings the format does not have stay in, for validateSpec to refuse: a typo is not lost.
    output: OUTPUT_FORMATS.includes(format)
      ? { ...input.output, ...outputSpec(format, input.output as OutputSettings) }
      : input.output,
  });
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isPlainObject = (v: unknown) => isRecord(v) && !Array.isArray(v);
const isWhole = (v: unknown, min: number, max: number): v is number =>
  typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max;
const isByte = (v: unknown) => isWhole(v, 0, 255);
const isColour = (v: unknown) => Array.isArray(v) && v.length === 3 && v.every(isByte);

function checkWhole(spec: Record<string, unknown>, field: string, min: number, max: number): void {
  if (!isWhole(spec[field], min, max)) {
    throw invalidSpecField(field, spec[field], `a whole number from ${min} to ${max}`);
  }
}

function checkChoice(value: unknown, field: string, choices: readonly string[]): void {
  if (!choices.includes(value as string)) throw invalidSpecField(field, value, `one of ${choices.join(', ')}`);
}

function checkRegion(region: unknown): void {
  if (!(isRecord(region) && regionFits(region as unknown as Region))) {
    throw invalidSpecField('region', region, 'finite xMin < xMax and yMin < yMax, each span from 1e-300 to 1e300');
  }
}

/** Checks a spec's colouring and returns it with its fields in one order (see inOrder), the optional ones if given. */
function checkColouring(c: unknown): Colouring {
  if (!isRecord(c)) throw invalidSpecField('colouring', c, 'an object with palette, inside and cycle');
  if (!(Array.isArray(c.palette) && c.palette.length >= 2 && c.palette.every(isColour))) {
    throw invalidSpecField(
      'colouring.palette',
      c.palette,
      `two or more [r, g, b] colours, 0-255, or (to createSpec and --spec) a name among ${Object.keys(PALETTES).join(', ')} or hex colours`,
    );
  }
  if (!isColour(c.inside)) throw invalidSpecField('colouring.inside', c.inside, 'an [r, g, b] colour, 0-255');
  if (!(typeof c.cycle === 'number' && Number.isFinite(c.cycle) && c.cycle > 0)) {
    throw invalidSpecField('colouring.cycle', c.cycle, 'a positive number');
  }
  if (c.shading !== undefined) checkChoice(c.shading, 'colouring.shading', SHADINGS);
  if (c.light !== undefined && !isLight(c.light)) {
    throw invalidSpecField('colouring.light', c.light, '[azimuth, elevation] in degrees, elevation 0-90');
  }
  const known = ['palette', 'inside', 'cycle', 'shading', 'light'];
  const unknown = Object.keys(c).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    throw invalidSpecField(`colouring.${unknown[0]}`, c[unknown[0]], `no such field (${known.join(', ')})`);
  }
  // `smooth` is the default: left out, so that the spec's JSON is what it was before shadings.
  const shading = c.shading === 'smooth' ? undefined : c.shading;
  return inOrder({ ...c, shading }, known) as unknown as Colouring;
}

/** An [azimuth, elevation] pair of degrees: any finite azimuth, elevation 0 to 90. */
function isLight(value: unknown): boolean {
  return (
    Array.isArray(value) &&
    value.length === 2 &&
    value.every((v) => typeof v === 'number' && Number.isFinite(v)) &&
    value[1] >= 0 &&
    value[1] <= 90
  );
}

/** Checks a spec's output and returns it, `distance: false` left out (the default, so the JSON is as before it). */
function checkOutput(o: unknown): OutputSpec {
  if (!isRecord(o)) throw invalidSpecField('output', o, `an object with a format (${OUTPUT_FORMATS.join(', ')})`);
  checkChoice(o.format, 'output.format', OUTPUT_FORMATS);
  const settings = [
    ...Object.keys(outputSpec(o.format as OutputFormat)).filter((k) => k !== 'format'),
    ...(o.format === 'iiif' ? ['baseUrl'] : []),
    ...(o.format === 'npy' ? ['distance'] : []),
  ];
  const extra = Object.keys(o).find((k) => k !== 'format' && !settings.includes(k));
  if (extra) throw invalidSpecField(`output.${extra}`, o[extra], `no such setting for ${o.format}`);
  if (settings.includes('compression') && !isWhole(o.compression, 0, LIMITS.compression)) {
    throw invalidSpecField('output.compression', o.compression, `a whole number from 0 to ${LIMITS.compression}`);
  }
  if (settings.includes('quality') && !isWhole(o.quality, 1, LIMITS.quality)) {
    throw invalidSpecField('output.quality', o.quality, `a whole number from 1 to ${LIMITS.quality}`);
  }
  if (settings.includes('tileSize') && !isWhole(o.tileSize, 16, LIMITS.tileSize)) {
    throw invalidSpecField('output.tileSize', o.tileSize, `a whole number from 16 to ${LIMITS.tileSize}`);
  }
  if (settings.includes('tileFormat')) checkChoice(o.tileFormat, 'output.tileFormat', TILE_FORMATS);
  if (o.distance !== undefined && typeof o.distance !== 'boolean') {
    throw invalidSpecField('output.distance', o.distance, 'true or false');
  }
  if (o.baseUrl !== undefined && !isWebAddress(o.baseUrl)) {
    throw invalidSpecField('output.baseUrl', o.baseUrl, 'an absolute http or https address, without ? or #');
  }
  const { distance, ...rest } = o;
  return (distance === true ? o : rest) as OutputSpec;
}

/**
 * An absolute http(s) address without query or fragment, as IIIF ids are made from.
 * @example isWebAddress('https://example.org/tiles/') // true
 */
export function isWebAddress(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  try {
    const url = new URL(value);
    // A query or fragment would come before the names appended to it.
    return ['http:', 'https:'].includes(url.protocol) && url.search === '' && url.hash === '';
  } catch {
    return false;
  }
}

function checkJulia(value: Record<string, unknown>): void {
  const c = value.julia;
  if (value.formula !== 'julia') {
    if (c !== undefined) throw invalidSpecField('julia', c, 'nothing unless formula is julia');
    return;
  }
  if (!(Array.isArray(c) && c.length === 2 && c.every((v) => Number.isFinite(v)))) {
    throw invalidSpecField('julia', c, 'the fixed c of the Julia set as [re, im], two finite numbers');
  }
}

/** A view in place of a region: decimal strings, and one that f64 can draw when a direct engine is asked for. */
function checkDeepView(value: Record<string, unknown>): void {
  if (value.region !== undefined) throw invalidSpecField('region', value.region, 'nothing when a view is given');
  checkView(value.view);
  const format = (value.output as { format?: OutputFormat } | undefined)?.format ?? 'png';
  const direct = value.engine !== 'perturb';
  if (
    direct &&
    !regionOfView(value.view as DeepView, value.width as number, value.height as number, pixelAspect(format))
  ) {
    throw invalidSpecField('engine', value.engine, 'perturb for a view too deep for f64 to tell its edges apart');
  }
}

/**
 * Checks every field of a spec (from the API, or parsed from JSON) and returns a copy, typed; throws a UsageError
 * that names the field ("spec.width: expected ...") otherwise. Unknown fields are refused, so a typo is not lost.
 *
 * @example validateSpec(JSON.parse(text))
 */
export function validateSpec(value: unknown): RenderSpec {
  if (!isRecord(value)) throw invalidSpecField('', value, 'an object');
  const known = ['formula', 'julia', 'region', 'view', 'width', 'height', 'maxIter', 'engine', 'shortcuts', 'aa'];
  known.push('colouring', 'output');
  const unknown = Object.keys(value).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw invalidSpecField(unknown[0], value[unknown[0]], `no such field (${known.join(', ')})`);
  checkChoice(value.formula, 'formula', FORMULAS);
  checkJulia(value);
  checkWhole(value, 'width', 1, LIMITS.size);
  checkWhole(value, 'height', 1, LIMITS.size);
  checkWhole(value, 'maxIter', 1, LIMITS.maxIter);
  checkChoice(value.engine, 'engine', ENGINES);
  if (value.view === undefined) checkRegion(value.region);
  else checkDeepView(value);
  if (typeof value.shortcuts !== 'boolean') throw invalidSpecField('shortcuts', value.shortcuts, 'true or false');
  const output = checkOutput(value.output);
  const side = sideLimit(output.format);
  for (const field of ['width', 'height'] as const) {
    if (side && (value[field] as number) > side.most) throw invalidSpecField(field, value[field], side.words);
  }
  checkWhole(value, 'aa', 1, pixelKind(output.format) === 'colour' ? LIMITS.aa : 1);
  const colouring = checkColouring(value.colouring);
  if (value.view !== undefined) return inOrder({ ...value, colouring, output }, known);
  // JSON has no -0; it samples the same points as 0, so it becomes 0 and a round trip loses nothing.
  const { xMin, xMax, yMin, yMax } = value.region as Region;
  const region = { xMin: xMin + 0, xMax: xMax + 0, yMin: yMin + 0, yMax: yMax + 0 };
  return inOrder({ ...value, region, colouring, output }, known);
}

/**
 * The spec's fields in one order whatever order they came in, so that its JSON (in job.json, in a picture's XMP) is
 * the same text for the same spec from any entry point: the command line, the API, --spec, --from.
 */
function inOrder(value: Record<string, unknown>, order: string[]): RenderSpec {
  return Object.fromEntries(
    order.filter((k) => value[k] !== undefined).map((k) => [k, value[k]]),
  ) as unknown as RenderSpec;
}

/** The spec as JSON text; `specFromJson` gives back an equal spec. @example writeFileSync('job.json', specToJson(spec)) */
export function specToJson(spec: RenderSpec): string {
  return JSON.stringify(spec);
}

/** A spec from JSON text, checked. @example specFromJson(specToJson(spec)) // deep-equal to spec */
export function specFromJson(text: string): RenderSpec {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw invalidSpecField('', text.slice(0, 40), `JSON (${(err as Error).message})`);
  }
  return validateSpec(parsed);
}
