/**
 * The command line's shape: a declarative yargs table (every value read as the raw string the user typed, so
 * errors can quote it) and the parser built from it. What the values mean is decided by render-options.ts and
 * scale-options.ts.
 */
import yargs from 'yargs';
import { SCHEDULES } from '../core/plan.js';
import { ENGINES } from '../core/task.js';
import { UsageError } from '../errors.js';

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
