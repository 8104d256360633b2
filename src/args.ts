/**
 * The command line: a declarative yargs table (every value read as the raw string the user typed, so errors can
 * quote it) and pure validators that turn it into a checked RenderOptions or throw a UsageError.
 */
import { availableParallelism } from 'node:os';
import yargs from 'yargs';
import type { EngineName, OutputFormat } from './band-job.js';
import { ENGINES, OUTPUT_FORMATS } from './band-job.js';
import { invalidOption, repeatedOption, UsageError } from './errors.js';
import { defaultBandRows } from './planner.js';
import type { Region } from './viewport.js';
import { CLASSIC_REGION } from './viewport.js';

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
  /** A file path, or undefined for standard output. */
  output: string | undefined;
}

export const LIMITS = {
  threads: 1024,
  size: 1 << 20,
  maxIter: 2 ** 31 - 1,
} as const;

const DEFAULTS = { out: 'ascii', width: 140, height: 50, maxIter: 100000, engine: ENGINES[0] } as const;

const OPTIONS = {
  threads: { type: 'string', description: 'Worker threads [default: available parallelism]' },
  out: { type: 'string', description: `Output format: ${OUTPUT_FORMATS.join(' | ')} [default: ${DEFAULTS.out}]` },
  width: { type: 'string', description: `Image width in pixels (characters) [default: ${DEFAULTS.width}]` },
  height: { type: 'string', description: `Image height in pixels (lines) [default: ${DEFAULTS.height}]` },
  'max-iter': {
    type: 'string',
    description: `Iterations before a point counts as inside [default: ${DEFAULTS.maxIter}]`,
  },
  region: {
    type: 'string',
    description: 'Plane region xMin,xMax,yMin,yMax [default: -2,1,-1,1]',
  },
  'band-rows': {
    type: 'string',
    description: 'Rows per band (a task for one worker) [default: about 8 bands per thread]',
  },
  engine: { type: 'string', description: `Kernel: ${ENGINES.join(' | ')} [default: ${DEFAULTS.engine}]` },
  shortcuts: {
    type: 'boolean',
    default: true,
    description: 'Decide inside points early (cardioid/bulb test, periodicity); same output. --no-shortcuts: off',
  },
  output: {
    type: 'string',
    alias: 'o',
    description: 'Write to this file (temporary name, then renamed) [default: stdout]',
  },
} as const;

const VALUE_OPTIONS: ReadonlySet<string> = new Set(
  Object.entries(OPTIONS)
    .filter(([, spec]) => spec.type === 'string')
    .flatMap(([name, spec]) => [name, ...('alias' in spec ? [spec.alias] : [])]),
);

/**
 * Glues a value that starts with a minus sign to its option ("--region", "-2,1,-1,1" -> "--region=-2,1,-1,1"):
 * otherwise the parser reads "-2,1,-1,1" as a cluster of short flags.
 */
export function attachNegativeValues(argv: string[], valueOptions: ReadonlySet<string>): string[] {
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
    .usage('$0 [options]\n\nRenders the Mandelbrot set in parallel: row bands on a pool of WebAssembly workers.')
    .options(OPTIONS)
    .example('$0 --threads 12 --out ascii', 'the classic 140 x 50 picture')
    .example('$0 --region=-0.8,-0.7,0.05,0.15 --max-iter 2000 --width 120 --height 40', 'seahorse valley')
    .example('$0 --width 400 --height 150 -o output/mandel.txt', 'a larger picture, to a file')
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

export function parseWholeNumber(option: string, text: string, max: number, example: string): number {
  const value = /^\+?\d+$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (!(value >= 1 && value <= max)) throw invalidOption(option, text, `a whole number from 1 to ${max}`, example);
  return value;
}

export function parseChoice<T extends string>(option: string, text: string, choices: readonly T[]): T {
  if (!(choices as readonly string[]).includes(text)) {
    throw invalidOption(option, text, `one of ${choices.join(', ')}`, `--${option} ${choices[0]}`);
  }
  return text as T;
}

/** "xMin,xMax,yMin,yMax": four finite numbers with xMin < xMax and yMin < yMax. */
export function parseRegion(text: string): Region {
  const parts = text.split(',');
  const numbers = parts.map((p) => (p.trim() === '' ? Number.NaN : Number(p)));
  const [xMin, xMax, yMin, yMax] = numbers;
  const valid = numbers.length === 4 && numbers.every(Number.isFinite) && xMin < xMax && yMin < yMax;
  if (!valid) {
    throw invalidOption(
      'region',
      text,
      'four finite numbers xMin,xMax,yMin,yMax with xMin < xMax and yMin < yMax',
      '--region=-2,1,-1,1',
    );
  }
  return { xMin, xMax, yMin, yMax };
}

/** Checks every option and fills in the defaults. Pure: the same raw arguments always give the same result. */
export function resolveOptions(raw: Record<string, unknown>, parallelism = availableParallelism()): RenderOptions {
  const text = (option: string) => single(raw, option);
  const whole = (option: string, max: number, example: string, fallback: number) => {
    const given = text(option);
    return given === undefined ? fallback : parseWholeNumber(option, given, max, example);
  };
  const threads = whole('threads', LIMITS.threads, '--threads 4', Math.min(parallelism, LIMITS.threads));
  const width = whole('width', LIMITS.size, '--width 140', DEFAULTS.width);
  const height = whole('height', LIMITS.size, '--height 50', DEFAULTS.height);
  const region = text('region');
  const output = text('output');
  if (output === '') throw invalidOption('output', output, 'a file path', '-o output/mandel.txt');
  return {
    threads,
    width,
    height,
    out: parseChoice('out', text('out') ?? DEFAULTS.out, OUTPUT_FORMATS),
    maxIter: whole('max-iter', LIMITS.maxIter, '--max-iter 1000', DEFAULTS.maxIter),
    region: region === undefined ? { ...CLASSIC_REGION } : parseRegion(region),
    bandRows: whole('band-rows', LIMITS.size, '--band-rows 4', defaultBandRows(height, width, threads)),
    engine: parseChoice('engine', text('engine') ?? DEFAULTS.engine, ENGINES),
    shortcuts: raw.shortcuts !== false,
    output,
  };
}
