/**
 * The command line: a declarative yargs table (every value read as the raw string the user typed, so errors can
 * quote it), pure validators that turn it into a checked RenderOptions or throw a UsageError, and a pure check
 * of the rules that involve several options.
 */
import { availableParallelism } from 'node:os';
import yargs from 'yargs';
import type { EngineName, OutputFormat } from './band-job.js';
import { ENGINES, OUTPUT_FORMATS } from './band-job.js';
import type { Colouring } from './colour.js';
import { conflictingOptions, invalidOption, repeatedOption, UsageError } from './errors.js';
import { parseInsideColour, parsePalette } from './palettes.js';
import type { Schedule } from './planner.js';
import { defaultBandRows, SCHEDULES } from './planner.js';
import type { Region } from './viewport.js';
import { CLASSIC_REGION, viewAround } from './viewport.js';

export interface RenderOptions {
  threads: number;
  out: OutputFormat;
  width: number;
  height: number;
  maxIter: number;
  region: Region;
  bandRows: number;
  engine: EngineName;
  shortcuts: boolean;
  /** A file path; undefined for standard output (ASCII only). */
  output: string | undefined;
  /** PNG only. */
  colouring: Colouring;
  aa: number;
  compression: number;
  /** Bytes the render may use; undefined: what the machine has. */
  maxMemory: number | undefined;
  quiet: boolean;
  stats: boolean;
}

const LIMITS = {
  threads: 1024,
  size: 1 << 20,
  maxIter: 2 ** 31 - 1,
  aa: 16,
} as const;

/** Defaults that differ by format: ASCII keeps the original program's picture; PNG makes one worth looking at. */
const FORMAT_DEFAULTS = {
  ascii: { width: 140, height: 50, maxIter: 100000 },
  png: { width: 3000, height: 2000, maxIter: 1000 },
} as const;

/** The classic view as a centre and a width, and how tall a character is against its width in ASCII output. */
const CLASSIC_CENTER: [number, number] = [-0.5, 0];
const CLASSIC_SCALE = 3;
const ASCII_CELL_ASPECT = 2 / 50 / (3 / 140);

const PNG_ONLY = ['palette', 'inside', 'cycle', 'aa', 'compression'] as const;

/** What sets the picture: shared by rendering and the scaling experiment. */
const VIEW_OPTIONS = {
  width: { type: 'string', description: 'Width in pixels (characters) [default: 140 ascii, 3000 png]' },
  height: { type: 'string', description: 'Height in pixels (lines) [default: 50 ascii, 2000 png]' },
  'max-iter': {
    type: 'string',
    description: 'Iterations before a point counts as inside [default: 100000 ascii, 1000 png]',
  },
  region: { type: 'string', description: 'Plane region xMin,xMax,yMin,yMax [default: -2,1,-1,1]' },
  center: { type: 'string', description: 'Centre of the view re,im (pixels stay square) [default: -0.5,0]' },
  zoom: { type: 'string', description: 'Magnification: the view is 3/zoom wide [default: 1]' },
  scale: { type: 'string', description: 'Width of the view in the plane (instead of --zoom)' },
  engine: { type: 'string', description: `Kernel: ${ENGINES.join(' | ')} [default: ${ENGINES[0]}]` },
  shortcuts: {
    type: 'boolean',
    default: true,
    description: 'Decide inside points early (cardioid/bulb test, periodicity); same output. --no-shortcuts: off',
  },
} as const;

const OPTIONS = {
  threads: { type: 'string', description: 'Worker threads [default: available parallelism]' },
  out: { type: 'string', description: 'Output format: ascii | png [default: ascii]' },
  ...VIEW_OPTIONS,
  'band-rows': {
    type: 'string',
    description: 'Rows per band (a task for one worker) [default: about 8 bands per thread]',
  },
  palette: { type: 'string', description: 'PNG colours: classic | fire | ocean | twilight | grey, or "#hex,#hex,..."' },
  inside: { type: 'string', description: 'PNG colour of the set itself [default: #000000]' },
  cycle: { type: 'string', description: 'PNG: iterations per pass through the palette [default: 64]' },
  aa: { type: 'string', description: 'PNG supersampling: N x N samples per pixel, averaged [default: 1]' },
  compression: { type: 'string', description: 'PNG zlib level 0-9 [default: 1, fast]' },
  'max-memory': {
    type: 'string',
    description: 'Refuse renders needing more memory, e.g. 2G, 500M [default: 80% of RAM]',
  },
  quiet: { type: 'boolean', description: 'No progress bar or statistics on stderr' },
  stats: { type: 'boolean', description: 'Print where the time went (iterate, colour, encode) on stderr' },
  output: {
    type: 'string',
    alias: 'o',
    description: 'Write to this file (temporary name, then renamed) [default: stdout ascii, output/mandel-WxH.png]',
  },
} as const;

const SCALE_OPTIONS = {
  threads: {
    type: 'string',
    description: 'Thread counts to time [default: 1 to available parallelism, and twice that]',
  },
  schedules: { type: 'string', description: `Schedules to time: ${SCHEDULES.join(', ')} [default: all]` },
  'band-rows': { type: 'string', description: 'Band heights for the dynamic schedule [default: 1,8,64]' },
  repeat: { type: 'string', description: 'Timed runs per point: median, min and max are kept [default: 5]' },
  ...VIEW_OPTIONS,
  width: { type: 'string', description: 'Width in pixels [default: 1920]' },
  height: { type: 'string', description: 'Height in pixels [default: 1080]' },
  'max-iter': { type: 'string', description: 'Iterations before a point counts as inside [default: 1000]' },
  region: { type: 'string', description: 'Plane region xMin,xMax,yMin,yMax [default: centre -0.5,0, 3 wide]' },
  output: { type: 'string', alias: 'o', description: 'Folder for the results [default: output/scale-<date-time>]' },
} as const;

const VALUE_OPTIONS: ReadonlySet<string> = new Set(
  Object.entries({ ...OPTIONS, ...SCALE_OPTIONS })
    .filter(([, spec]) => spec.type === 'string')
    .flatMap(([name, spec]) => [name, ...('alias' in spec ? [spec.alias] : [])]),
);

/**
 * Glues a value that starts with a minus sign to its option ("--region", "-2,1,-1,1" -> "--region=-2,1,-1,1"):
 * otherwise the parser reads "-2,1,-1,1" as a cluster of short flags.
 */
function attachNegativeValues(argv: string[], valueOptions: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (let k = 0; k < argv.length; k++) {
    const next = argv[k + 1];
    if (valueOptions.has(argv[k].replace(/^--?/, '')) && next !== undefined && /^-[\d.]/.test(next)) {
      out.push(`${argv[k]}=${next}`);
      k++;
    } else {
      out.push(argv[k]);
    }
  }
  return out;
}

/** Builds the parser; `argv` is the arguments after the program name. */
export function commandLine(argv: string[], version: string) {
  return yargs(attachNegativeValues(argv, VALUE_OPTIONS))
    .scriptName('mandel-par')
    .usage('Renders the Mandelbrot set in parallel: row bands on a pool of WebAssembly workers.')
    .command('$0', 'Render a picture (ASCII or PNG)', (y) =>
      y
        .options(OPTIONS)
        .example('$0 --threads 12 --out ascii', 'the classic 140 x 50 picture')
        .example('$0 --out png', 'output/mandel-3000x2000.png')
        .example('$0 --out png --center -0.745,0.11 --zoom 100 --aa 3', 'seahorse valley, smooth')
        .example('$0 --out png --width 3840 --height 2160 -o wall.png', 'a 4K wallpaper'),
    )
    .command('scale', 'Time renders over thread counts and schedules: tables, CSV, JSON, charts', (y) =>
      y
        .options(SCALE_OPTIONS)
        .example('$0 scale', '1920 x 1080 at 1000 iterations, every schedule')
        .example('$0 scale --threads 1,2,4,8,12 --schedules dynamic --band-rows 4,16', 'one schedule'),
    )
    .strict()
    .version(version)
    .help()
    .alias('h', 'help')
    .exitProcess(false)
    .wrap(Math.min(110, process.stdout.columns ?? 110))
    .fail((message, error) => {
      throw error ?? new UsageError(`${message}; run mandel-par --help to see the accepted options`);
    });
}

/** The one value given for an option, or undefined; an option given twice is an error, not "the last wins". */
function single(raw: Record<string, unknown>, option: string): string | undefined {
  const value = raw[option];
  if (Array.isArray(value)) throw repeatedOption(option, value);
  return value === undefined ? undefined : String(value);
}

function parseWholeNumber(option: string, text: string, min: number, max: number, example: string): number {
  const value = /^\+?\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) {
    throw invalidOption(option, text, `a whole number from ${min} to ${max}`, example);
  }
  return value;
}

function parsePositiveNumber(option: string, text: string, example: string): number {
  const value = text.trim() === '' ? Number.NaN : Number(text);
  if (!(Number.isFinite(value) && value > 0)) throw invalidOption(option, text, 'a positive number', example);
  return value;
}

function parseChoice<T extends string>(option: string, text: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(text)) {
    throw invalidOption(option, text, `one of ${choices.join(', ')}`, `--${option} ${choices[0]}`);
  }
  return text as T;
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

/** "re,im": two finite numbers. */
function parseCenter(text: string): [number, number] {
  const numbers = numberList(text, 2);
  if (!numbers) throw invalidOption('center', text, 'two finite numbers re,im', '--center -0.745,0.11');
  return [numbers[0], numbers[1]];
}

const SIZE_UNITS: Record<string, number> = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 };

/** A byte count: "2G", "512M", "1.5GB", "1000000". */
function parseSize(option: string, text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([KMGT]?)(?:i?B)?\s*$/i.exec(text);
  const bytes = m ? Number(m[1]) * SIZE_UNITS[m[2].toUpperCase()] : Number.NaN;
  if (!(bytes >= 1)) throw invalidOption(option, text, 'a size such as 2G, 512M or 1000000 (bytes)', `--${option} 2G`);
  return Math.floor(bytes);
}

/** The region from --region, or from --center/--zoom/--scale, or the format's default view. */
function resolveRegion(
  text: (option: string) => string | undefined,
  out: OutputFormat,
  width: number,
  height: number,
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
  if (out === 'ascii' && viewOptions.length === 0) return { ...CLASSIC_REGION };
  const center = text('center');
  const zoom = text('zoom');
  const scale = text('scale');
  const width_ =
    scale !== undefined
      ? parsePositiveNumber('scale', scale, '--scale 0.01')
      : CLASSIC_SCALE / (zoom === undefined ? 1 : parsePositiveNumber('zoom', zoom, '--zoom 100'));
  const aspect = out === 'ascii' ? ASCII_CELL_ASPECT : 1;
  return viewAround(center === undefined ? CLASSIC_CENTER : parseCenter(center), width_, width, height, aspect);
}

/** Checks every option and fills in the defaults. Pure: the same raw arguments always give the same result. */
export function resolveOptions(raw: Record<string, unknown>, parallelism = availableParallelism()): RenderOptions {
  const text = (option: string) => single(raw, option);
  const whole = (option: string, min: number, max: number, example: string, fallback: number) => {
    const given = text(option);
    return given === undefined ? fallback : parseWholeNumber(option, given, min, max, example);
  };
  const out = parseChoice('out', text('out') ?? 'ascii', OUTPUT_FORMATS);
  if (out === 'ascii') {
    const pngOnly = PNG_ONLY.filter((o) => text(o) !== undefined);
    if (pngOnly.length > 0) throw conflictingOptions(pngOnly, 'apply to PNG output only: add --out png');
  }
  const defaults = FORMAT_DEFAULTS[out];
  const threads = whole('threads', 1, LIMITS.threads, '--threads 4', Math.min(parallelism, LIMITS.threads));
  const width = whole('width', 1, LIMITS.size, `--width ${defaults.width}`, defaults.width);
  const height = whole('height', 1, LIMITS.size, `--height ${defaults.height}`, defaults.height);
  const aa = whole('aa', 1, LIMITS.aa, '--aa 3', 1);
  const output = text('output') ?? (out === 'png' ? `output/mandel-${width}x${height}.png` : undefined);
  if (output === '') throw invalidOption('output', output, 'a file path', '-o output/mandel.png');
  const cycle = text('cycle');
  const maxMemory = text('max-memory');
  return {
    threads,
    out,
    width,
    height,
    maxIter: whole('max-iter', 1, LIMITS.maxIter, '--max-iter 1000', defaults.maxIter),
    region: resolveRegion(text, out, width, height),
    bandRows: whole('band-rows', 1, LIMITS.size, '--band-rows 4', defaultBandRows(height, width * aa * aa, threads)),
    engine: parseChoice('engine', text('engine') ?? ENGINES[0], ENGINES),
    shortcuts: raw.shortcuts !== false,
    output,
    colouring: {
      palette: parsePalette(text('palette') ?? 'classic'),
      inside: parseInsideColour(text('inside') ?? '#000000'),
      cycle: cycle === undefined ? 64 : parsePositiveNumber('cycle', cycle, '--cycle 64'),
    },
    aa,
    compression: whole('compression', 0, 9, '--compression 1', 1),
    maxMemory: maxMemory === undefined ? undefined : parseSize('max-memory', maxMemory),
    quiet: raw.quiet === true,
    stats: raw.stats === true,
  };
}

export interface ScaleOptions {
  threads: number[];
  schedules: Schedule[];
  bandRows: number[];
  repeat: number;
  width: number;
  height: number;
  maxIter: number;
  region: Region;
  engine: EngineName;
  shortcuts: boolean;
  /** The folder for CSV, JSON and charts. */
  output: string;
}

/** "1,2,4": distinct whole numbers from min to max, in the order given. */
function parseWholeList(option: string, text: string, min: number, max: number, example: string): number[] {
  const parts = text.split(',');
  const numbers = parts.map((p) => (/^\s*\+?\d+\s*$/.test(p) ? Number(p) : Number.NaN));
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

function timestamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}-${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
}

/** Checks the options of `mandel-par scale` and fills in the defaults. */
export function resolveScaleOptions(
  raw: Record<string, unknown>,
  parallelism = availableParallelism(),
  now = new Date(),
): ScaleOptions {
  const text = (option: string) => single(raw, option);
  const list = (option: string, max: number, example: string, fallback: number[]) => {
    const given = text(option);
    return given === undefined ? fallback : parseWholeList(option, given, 1, max, example);
  };
  const whole = (option: string, max: number, example: string, fallback: number) => {
    const given = text(option);
    return given === undefined ? fallback : parseWholeNumber(option, given, 1, max, example);
  };
  const cores = Math.min(parallelism, LIMITS.threads / 2);
  const defaultThreads = [...Array.from({ length: cores }, (_, k) => k + 1), 2 * cores];
  const schedules = text('schedules');
  const width = whole('width', LIMITS.size, '--width 1920', 1920);
  const height = whole('height', LIMITS.size, '--height 1080', 1080);
  const output = text('output') ?? `output/scale-${timestamp(now)}`;
  if (output === '') throw invalidOption('output', output, 'a folder path', '-o output/scale-run');
  return {
    threads: list('threads', LIMITS.threads, '--threads 1,2,4,8', defaultThreads),
    schedules:
      schedules === undefined
        ? [...SCHEDULES]
        : schedules.split(',').map((s) => parseChoice('schedules', s.trim(), SCHEDULES)),
    bandRows: list('band-rows', LIMITS.size, '--band-rows 1,8,64', [1, 8, 64]),
    repeat: whole('repeat', 1000, '--repeat 5', 5),
    width,
    height,
    maxIter: whole('max-iter', LIMITS.maxIter, '--max-iter 1000', 1000),
    region: resolveRegion(text, 'png', width, height),
    engine: parseChoice('engine', text('engine') ?? ENGINES[0], ENGINES),
    shortcuts: raw.shortcuts !== false,
    output,
  };
}
