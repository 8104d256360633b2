/**
 * The render spec: a plain, JSON-serialisable description of one picture (what to compute and what to make of
 * it), checked in one place. It is what crosses a process or machine boundary; the CLI is a parser from argv to a
 * spec, and the renderer takes nothing else. How the work is split (threads, plan) is not part of it: any split
 * gives the same bytes.
 */
import { invalidSpecField } from '../errors.js';
import type { Colouring } from '../outputs/colour.js';
import { PALETTES } from '../outputs/palettes.js';
import type { EngineName } from './task.js';
import { ENGINES } from './task.js';
import type { Region } from './viewport.js';
import { CLASSIC_REGION } from './viewport.js';

/** The formats a spec can ask for. @example OUTPUT_FORMATS.includes('png') // true */
export const OUTPUT_FORMATS = ['ascii', 'png'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The iteration z -> z^2 + c; the field leaves room for others (a Julia set's fixed c, say). @example FORMULAS[0] // 'mandelbrot' */
export const FORMULAS = ['mandelbrot'] as const;
export type Formula = (typeof FORMULAS)[number];

/** The largest values a spec accepts. @example LIMITS.size // 1048576 pixels a side */
export const LIMITS = { size: 1 << 20, maxIter: 2 ** 31 - 1, aa: 16, compression: 9 } as const;

/** How the picture is stored: ASCII text, or a PNG with its zlib level. */
export type OutputSpec = { format: 'ascii' } | { format: 'png'; compression: number };

export interface RenderSpec {
  formula: Formula;
  /** The plane region the picture shows (pixel (col, row) samples its top-left corner). */
  region: Region;
  width: number;
  height: number;
  /** Iterations before a point counts as inside. */
  maxIter: number;
  engine: EngineName;
  /** Decide inside points early (cardioid/bulb test, periodicity); never changes the output. */
  shortcuts: boolean;
  /** Samples per pixel along each axis, averaged (1 for ASCII). */
  aa: number;
  colouring: Colouring;
  output: OutputSpec;
}

/** What a caller may leave out of a spec; `createSpec` fills it in. */
export type SpecInput = Partial<Omit<RenderSpec, 'colouring' | 'output'>> & {
  colouring?: Partial<Colouring>;
  output?: OutputSpec | { format: OutputFormat; compression?: number };
};

/**
 * Defaults that differ by format: ASCII keeps the original program's picture; PNG makes one worth looking at.
 *
 * @example FORMAT_DEFAULTS.png // { width: 3000, height: 2000, maxIter: 1000 }
 */
export const FORMAT_DEFAULTS = {
  ascii: { width: 140, height: 50, maxIter: 100000 },
  png: { width: 3000, height: 2000, maxIter: 1000 },
} as const;

/** The one default colouring: the classic palette, black inside, 64 iterations a cycle. @example DEFAULT_COLOURING.cycle // 64 */
export const DEFAULT_COLOURING: Readonly<Colouring> = Object.freeze({
  palette: PALETTES.classic,
  inside: [0, 0, 0] as [number, number, number],
  cycle: 64,
});

/**
 * A full spec from a partial one: the format's defaults (the classic view, the SIMD engine, shortcuts on),
 * then checked by validateSpec.
 *
 * @example createSpec({ output: { format: 'png' }, width: 800, height: 600 })
 */
export function createSpec(input: SpecInput = {}): RenderSpec {
  const format = input.output?.format ?? 'ascii';
  const defaults = FORMAT_DEFAULTS[format as OutputFormat] ?? FORMAT_DEFAULTS.ascii;
  const given = input.output as { compression?: number } | undefined;
  const output = format === 'png' ? { format, compression: given?.compression ?? 1 } : input.output;
  return validateSpec({
    formula: 'mandelbrot',
    region: { ...CLASSIC_REGION },
    ...defaults,
    engine: ENGINES[0],
    shortcuts: true,
    aa: 1,
    ...input,
    colouring: { ...DEFAULT_COLOURING, ...input.colouring },
    output: output ?? { format: 'ascii' },
  });
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
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
  const r = region as Region;
  const finite = isRecord(r) && [r.xMin, r.xMax, r.yMin, r.yMax].every((v) => Number.isFinite(v));
  if (!(finite && r.xMin < r.xMax && r.yMin < r.yMax)) {
    throw invalidSpecField('region', region, 'finite xMin < xMax and yMin < yMax');
  }
}

function checkColouring(c: unknown): void {
  if (!isRecord(c)) throw invalidSpecField('colouring', c, 'an object with palette, inside and cycle');
  if (!(Array.isArray(c.palette) && c.palette.length >= 2 && c.palette.every(isColour))) {
    throw invalidSpecField('colouring.palette', c.palette, 'two or more [r, g, b] colours, 0-255');
  }
  if (!isColour(c.inside)) throw invalidSpecField('colouring.inside', c.inside, 'an [r, g, b] colour, 0-255');
  if (!(typeof c.cycle === 'number' && Number.isFinite(c.cycle) && c.cycle > 0)) {
    throw invalidSpecField('colouring.cycle', c.cycle, 'a positive number');
  }
}

function checkOutput(o: unknown): void {
  if (!isRecord(o)) throw invalidSpecField('output', o, `an object with a format (${OUTPUT_FORMATS.join(', ')})`);
  checkChoice(o.format, 'output.format', OUTPUT_FORMATS);
  if (o.format === 'png') checkWhole(o, 'compression', 0, LIMITS.compression);
}

/**
 * Checks every field of a spec (from the API, or parsed from JSON) and returns a copy, typed; throws a UsageError
 * that names the field ("spec.width: expected ...") otherwise. Unknown fields are refused, so a typo is not lost.
 *
 * @example validateSpec(JSON.parse(text))
 */
export function validateSpec(value: unknown): RenderSpec {
  if (!isRecord(value)) throw invalidSpecField('', value, 'an object');
  const known = ['formula', 'region', 'width', 'height', 'maxIter', 'engine', 'shortcuts', 'aa', 'colouring', 'output'];
  const unknown = Object.keys(value).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw invalidSpecField(unknown[0], value[unknown[0]], `no such field (${known.join(', ')})`);
  checkChoice(value.formula, 'formula', FORMULAS);
  checkRegion(value.region);
  checkWhole(value, 'width', 1, LIMITS.size);
  checkWhole(value, 'height', 1, LIMITS.size);
  checkWhole(value, 'maxIter', 1, LIMITS.maxIter);
  checkChoice(value.engine, 'engine', ENGINES);
  if (typeof value.shortcuts !== 'boolean') throw invalidSpecField('shortcuts', value.shortcuts, 'true or false');
  checkOutput(value.output);
  checkWhole(value, 'aa', 1, (value.output as OutputSpec).format === 'ascii' ? 1 : LIMITS.aa);
  checkColouring(value.colouring);
  // JSON has no -0; it samples the same points as 0, so it becomes 0 and a round trip loses nothing.
  const { xMin, xMax, yMin, yMax } = value.region as Region;
  const region = { xMin: xMin + 0, xMax: xMax + 0, yMin: yMin + 0, yMax: yMax + 0 };
  return { ...value, region } as unknown as RenderSpec;
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
