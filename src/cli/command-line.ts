/**
 * The command line's shape: a declarative yargs table (every value read as the raw string the user typed, so
 * errors can quote it) and the parser built from it. What the values mean is decided by render-options.ts and
 * scale-options.ts.
 */
import type { Argv } from 'yargs';
import yargs from 'yargs';
import { invalidOption, noPartsFolderGiven, UsageError, unknownArgument } from '../errors.js';
import { SCHEDULES } from '../model/plan.js';
import { OUTPUT_FORMATS } from '../model/spec.js';
import { ENGINES } from '../model/task.js';
import { closest } from './suggest.js';

/** What sets the picture: shared by rendering and the scaling experiment. */
const VIEW_OPTIONS = {
  width: { type: 'string', description: 'Width in pixels (characters) [default: 140 ascii, 3000 otherwise]' },
  height: { type: 'string', description: 'Height in pixels (lines) [default: 50 ascii, 2000 otherwise]' },
  'max-iter': {
    type: 'string',
    description: 'Iterations before a point counts as inside, or auto [default: 100000 ascii, 1000 otherwise]',
  },
  region: { type: 'string', description: 'Plane region xMin,xMax,yMin,yMax [default: x -2..1, y by the shape]' },
  center: {
    type: 'string',
    description: 'Centre of the view re,im, up to 10000 digits each (pixels stay square) [default: -0.5,0]',
  },
  zoom: { type: 'string', description: 'Magnification: the view is 3/zoom wide, up to 1e10000 [default: 1]' },
  scale: { type: 'string', description: 'Width of the view in the plane (instead of --zoom)' },
  engine: {
    type: 'string',
    description: `Kernel: ${ENGINES.join(' | ')} [default: ${ENGINES[0]}; perturb past f64's depth]`,
  },
  shortcuts: {
    type: 'boolean',
    default: true,
    description: 'Decide inside points early (cardioid/bulb test, periodicity); same output. --no-shortcuts: off',
  },
} as const;

const OPTIONS = {
  threads: { type: 'string', description: 'Worker threads [default: available parallelism]' },
  out: {
    type: 'string',
    description: `Output format: ${OUTPUT_FORMATS.join(' | ')} [default: from -o's extension, else ascii]`,
  },
  julia: { type: 'string', description: 'Render the Julia set of this c (re,im) instead of the Mandelbrot set' },
  ...VIEW_OPTIONS,
  'band-rows': {
    type: 'string',
    description: 'Rows per band (a task for one worker) [default: about 8 bands per thread]',
  },
  palette: { type: 'string', description: 'Colours: classic | fire | ocean | twilight | grey, or "#hex,#hex,..."' },
  inside: { type: 'string', description: 'Colour of the set itself [default: #000000]' },
  cycle: {
    type: 'string',
    description: 'Iterations per pass through the palette, or auto: from how much neighbours differ [default: auto]',
  },
  colour: {
    type: 'string',
    alias: 'color',
    description:
      'Shading: smooth (palette only) | distance (boundary drawn by the distance estimate) | slope (lit relief) | blend (both) [default: smooth]',
  },
  light: {
    type: 'string',
    description: 'Slope light: azimuth,elevation in degrees (azimuth anticlockwise from the right) [default: 135,45]',
  },
  distance: {
    type: 'boolean',
    description: "npy: a third field, 'distance', each pixel's distance estimate to the set's boundary in pixels",
  },
  aa: { type: 'string', description: 'Supersampling: N x N samples per pixel, averaged [default: 1]' },
  compression: { type: 'string', description: 'PNG zlib level 0-9 (also PNG tiles) [default: 1, fast]' },
  quality: { type: 'string', description: 'JPEG, WebP, AVIF quality 1-100 (also JPEG tiles) [default: 90, 90, 60]' },
  'tile-size': { type: 'string', description: 'Pyramid tile size in pixels [default: 256]' },
  'tile-format': { type: 'string', description: 'Pyramid tiles: png | jpeg [default: png]' },
  'base-url': {
    type: 'string',
    description: 'IIIF: the address the folder will be served under, for an absolute id in info.json',
  },
  canvas: {
    type: 'string',
    description: 'Hold the picture in memory or in a file on disk: auto | memory | disk [default: auto, by size]',
  },
  resume: { type: 'boolean', description: 'Continue an interrupted render on disk from its OUTPUT.parts folder' },
  shard: {
    type: 'string',
    description: 'Render shard i of n into OUTPUT.parts, for assemble: i/n, or auto[/n] from a job array',
  },
  'max-memory': {
    type: 'string',
    description: 'Refuse renders needing more memory, e.g. 2G, 500M [default: 80% of RAM]',
  },
  quiet: { type: 'boolean', description: 'No progress bar, nor the line saying which file was written' },
  stats: { type: 'boolean', description: 'Print where the time went (iterate, colour, encode), even with --quiet' },
  'dry-run': { type: 'boolean', description: 'Print the plan, memory and estimated time; render nothing' },
  spec: { type: 'string', description: 'Render the spec in this JSON file (as the API and job.json hold it)' },
  from: {
    type: 'string',
    description:
      'Render again the picture this image was made from (its embedded spec); --width, --height, --aa, --max-iter may change it',
  },
  output: {
    type: 'string',
    alias: 'o',
    description: 'Write to this file, format from its extension [default: stdout ascii/pbm, output/mandel-WxH.EXT]',
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
  'target-seconds': {
    type: 'string',
    description: 'Size the picture so one render at 1 thread takes this long (unless --width/--height) [default: 1]',
  },
  weak: { type: 'boolean', description: 'Weak scaling: the picture grows with the threads, same share per thread' },
  predict: {
    type: 'string',
    description: 'Core counts to predict from per-row costs at 1 thread, or none [default: 8,16,32,64]',
  },
  'quiet-machine': {
    type: 'string',
    description: 'Wait up to this many seconds for other processes to go quiet; refuse a busy machine',
  },
  ...VIEW_OPTIONS,
  width: { type: 'string', description: 'Width in pixels [default: calibrated from 1920]' },
  height: { type: 'string', description: 'Height in pixels [default: calibrated from 1080]' },
  'max-iter': { type: 'string', description: 'Iterations before a point counts as inside [default: 1000]' },
  region: { type: 'string', description: 'Plane region xMin,xMax,yMin,yMax [default: centre -0.5,0, 3 wide]' },
  output: { type: 'string', alias: 'o', description: 'Folder for the results [default: output/scale-<date-time>]' },
} as const;

/** A command's option names and aliases, for suggestions. */
function namesOf(options: Record<string, object>): readonly string[] {
  const names = Object.entries(options).flatMap(([name, spec]) => [
    name,
    ...('alias' in spec ? [String(spec.alias)] : []),
  ]);
  return [...names, 'no-shortcuts', 'help', 'h', 'version', 'v'];
}
const ASSEMBLE_OPTIONS = {
  quiet: { type: 'boolean', description: 'No line saying which file was written' },
} as const;

const FIND_OPTIONS = {
  center: VIEW_OPTIONS.center,
  zoom: VIEW_OPTIONS.zoom,
  scale: VIEW_OPTIONS.scale,
  period: { type: 'string', description: 'The period of the minibrot to find [default: found from the view]' },
  'max-period': { type: 'string', description: 'Search periods up to this [default: 100000]' },
  misiurewicz: {
    type: 'boolean',
    description: 'Find a Misiurewicz point (where the orbit becomes periodic) instead of a minibrot',
  },
  preperiod: { type: 'string', description: 'With --misiurewicz and --period: its preperiod [default: found]' },
} as const;

const SERVE_OPTIONS = {
  port: { type: 'string', description: 'Port to listen on, 0 for any free one [default: 8723]' },
  host: { type: 'string', description: 'Address to listen on [default: 127.0.0.1, this machine only]' },
  threads: { type: 'string', description: 'Worker threads [default: available parallelism]' },
  'max-pixels': {
    type: 'string',
    description: 'Largest picture (or rectangle) one request may ask for [default: 16777216, 4096 x 4096]',
  },
} as const;

const VIDEO_OPTIONS = {
  center: { type: 'string', description: 'The point the video zooms into, re,im, up to 10000 digits each' },
  'zoom-to': { type: 'string', description: 'Zoom at the end (the deepest), e.g. 1e30' },
  'zoom-from': { type: 'string', description: 'Zoom at the start [default: 1]' },
  duration: { type: 'string', description: 'Seconds of video [default: 10]' },
  fps: { type: 'string', description: 'Frames per second [default: 30]' },
  ease: { type: 'string', description: 'Seconds to speed up at the start and slow down at the end [default: 0]' },
  reverse: { type: 'boolean', description: 'Zoom out instead of in' },
  width: { type: 'string', description: 'Width in pixels, even for mp4 and webm [default: 640]' },
  height: { type: 'string', description: 'Height in pixels, even for mp4 and webm [default: 360]' },
  'max-iter': { type: 'string', description: 'Iterations, or auto (chosen at --zoom-to) [default: auto]' },
  palette: OPTIONS.palette,
  inside: OPTIONS.inside,
  cycle: OPTIONS.cycle,
  out: { type: 'string', description: 'mp4 (H.264) | webm (VP9) | frames (a folder of PNGs) [default: from -o]' },
  threads: OPTIONS.threads,
  shard: { type: 'string', description: 'Render only keyframes of shard i of n, for job arrays: i/n or auto[/n]' },
  quiet: { type: 'boolean', description: 'No progress bar, nor the line saying what was written' },
  'dry-run': {
    type: 'boolean',
    description: 'Say the frames, the keyframes to render (and those kept) and the time they take; render nothing',
  },
  output: {
    type: 'string',
    alias: 'o',
    description:
      'The video (.mp4, .webm) or frames folder; keyframes are kept in OUTPUT.parts [default: output/zoom-WxH.mp4]',
  },
} as const;

const RENDER_NAMES = namesOf(OPTIONS);
const VIDEO_NAMES = namesOf(VIDEO_OPTIONS);
const SERVE_NAMES = namesOf(SERVE_OPTIONS);
const SCALE_NAMES = namesOf(SCALE_OPTIONS);
const ASSEMBLE_NAMES = namesOf(ASSEMBLE_OPTIONS);
const FIND_NAMES = namesOf(FIND_OPTIONS);
const COMMANDS = ['scale', 'assemble', 'find', 'serve', 'video', 'help'];

const VALUE_OPTIONS: ReadonlySet<string> = new Set(
  Object.entries({ ...OPTIONS, ...SCALE_OPTIONS, ...FIND_OPTIONS, ...SERVE_OPTIONS, ...VIDEO_OPTIONS })
    .filter(([, spec]) => spec.type === 'string')
    .flatMap(([name, spec]) => [name, ...('alias' in spec ? [spec.alias] : [])]),
);

const SWITCHES: ReadonlySet<string> = new Set(
  Object.entries({ ...OPTIONS, ...SCALE_OPTIONS, ...ASSEMBLE_OPTIONS, ...VIDEO_OPTIONS, ...FIND_OPTIONS })
    .filter(([, spec]) => spec.type === 'boolean')
    .flatMap(([name]) => [name, `no-${name}`]),
);

/**
 * A switch given a value other than true or false ("--quiet=maybe"): yargs would read it as false, silently.
 */
function checkSwitchValues(argv: string[]): void {
  for (const word of argv) {
    const [, name, value] = word.match(/^--([^=]+)=(.*)$/s) ?? [];
    if (name && SWITCHES.has(name) && value !== 'true' && value !== 'false') {
      throw invalidOption(name, value, 'no value (it is a switch), or =true or =false', `--${name}`);
    }
  }
}

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

/**
 * The word `help` anywhere among the commands (`mandel-par help`, `mandel-par scale help`, `mandel-par help scale`)
 * is --help: help, and nothing else. A `help` that is an option's value (`-o help`) stays one.
 */
function helpCommand(argv: string[]): string[] {
  const optionBefore = (k: number) =>
    /^--?/.test(argv[k - 1] ?? '') && VALUE_OPTIONS.has(argv[k - 1].replace(/^--?/, ''));
  const asked = argv.some((word, k) => word === 'help' && !optionBefore(k));
  if (!asked) return argv;
  // `help bogus`: a word that is no command is left to the parser, which says so (it printed the general help).
  const stray = argv.some((word, k) => !word.startsWith('-') && !optionBefore(k) && !COMMANDS.includes(word));
  if (stray) return argv;
  const command = argv.find((word) => ['scale', 'assemble', 'find', 'serve', 'video'].includes(word));
  return command ? [command, '--help'] : ['--help'];
}

/** The help's width: the terminal's, else $COLUMNS, else 80; never under 60 or over 120. */
function helpWidth(): number {
  const columns = process.stdout.columns ?? Number(process.env.COLUMNS);
  return Math.max(60, Math.min(120, Number.isFinite(columns) && columns > 0 ? columns : 80));
}

/** The help that lists the options of the command in `argv`: `mandel-par video --help`, or the render's. */
function helpFor(argv: string[]): string {
  const command = argv[0] !== 'help' && COMMANDS.includes(argv[0] as string) ? `${argv[0]} ` : '';
  return `mandel-par ${command}--help`;
}

/**
 * yargs' "Unknown argument(s): a, b" as our one line, with a suggestion for the first name close to a known one:
 * a command for a bare word of `argv`, an option otherwise.
 */
function unknownArguments(message: string, argv: string[]): UsageError {
  // yargs lists a kebab-case name twice, the second time in camelCase ("max-iters, maxIters").
  const listed = message.replace(/^Unknown arguments?: /, '').split(', ');
  const camel = (name: string) => name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
  const names = listed.filter((name) => !listed.some((other) => other !== name && camel(other) === name));
  const known =
    { scale: SCALE_NAMES, assemble: ASSEMBLE_NAMES, find: FIND_NAMES, serve: SERVE_NAMES, video: VIDEO_NAMES }[
      argv[0] as string
    ] ?? RENDER_NAMES;
  const shown = `Unknown argument${names.length > 1 ? 's' : ''}: ${names.join(', ')}`;
  const dashed = (option: string) => (option.length === 1 ? `-${option}` : `--${option}`);
  for (const name of names) {
    const command = argv.includes(name) ? closest(name, COMMANDS) : undefined;
    if (command) return unknownArgument(shown, helpFor(argv), command);
    const option = closest(name, known);
    if (option) return unknownArgument(shown, helpFor(argv), dashed(option));
  }
  // An option of rendering given to a command that has no such option: `find -o x.png`.
  const rendering = known !== RENDER_NAMES ? names.find((name) => RENDER_NAMES.includes(name)) : undefined;
  const help = helpFor(argv);
  if (rendering)
    return unknownArgument(`${shown}: ${dashed(rendering)} is an option of a render, not of ${argv[0]}`, help);
  return unknownArgument(shown, help);
}

/** An example as one line, `command  # what it does`: it wraps as a whole instead of in two narrow columns. */
function examples(y: Argv, lines: [string, string][]): Argv {
  const width = Math.max(...lines.map(([command]) => command.length));
  return lines.reduce((acc, [command, what]) => acc.example(`${command.padEnd(width)}  # ${what}`, ''), y);
}

/** Every value is read as a string (so errors can quote it): "[string]" after each option would say nothing. */
function hideTypes(y: Argv): Argv {
  // yargs 18 has usageConfiguration; @types/yargs 17 does not know it yet.
  return (y as Argv & { usageConfiguration(c: { 'hide-types': boolean }): Argv }).usageConfiguration({
    'hide-types': true,
  });
}

/** Builds the parser; `argv` is the arguments after the program name. */
export function commandLine(argv: string[], version: string) {
  checkSwitchValues(argv);
  return hideTypes(yargs(attachNegativeValues(helpCommand(argv), VALUE_OPTIONS)))
    .scriptName('mandel-par')
    .usage('Renders the Mandelbrot set in parallel on WebAssembly worker threads.')
    .command('$0', 'Render a picture (ASCII, PBM, NumPy or a colour image)', (y) =>
      examples(y.options(OPTIONS), [
        ['$0 --threads 12 --out ascii', 'the classic picture'],
        ['$0 -o pic.png', 'a 3000 x 2000 PNG'],
        ['$0 -o sea.png --center -0.745,0.11 --zoom 100', 'seahorse valley'],
        ['$0 -o tip.png --center 0,1 --zoom 1e300', 'deep zoom'],
        ['$0 -o wall.png --width 3840 --height 2160', 'a 4K wallpaper'],
      ]),
    )
    .command('scale', 'Time renders over thread counts and schedules', (y) =>
      examples(y.options(SCALE_OPTIONS), [
        ['$0 scale', 'every schedule'],
        ['$0 scale --threads 1,2,4,8 --schedules dynamic', 'one schedule'],
        ['$0 scale --weak --quiet-machine 60', 'weak, when quiet'],
      ]),
    )
    .command('find', 'Find the minibrot nearest a view: its period, size and the options that frame it', (y) =>
      examples(y.options(FIND_OPTIONS), [
        ['$0 find --center=-1.75,0 --zoom 100', 'the period-3 minibrot'],
        ['$0 find --center=-1.99500000000003,0 --zoom 1e13', 'a deeper one'],
      ]),
    )
    .command('video', 'A zoom video: keyframes rendered once, frames made from them, encoded by ffmpeg', (y) =>
      examples(y.options(VIDEO_OPTIONS), [
        ['$0 video --center=-0.7436438870371587,0.1318259043091895 --zoom-to 1e13 -o zoom.mp4', 'seahorse valley'],
        ['$0 video --center=-1.75,0 --zoom-to 1e6 --duration 20 --fps 60 --ease 2 -o z.webm', 'eased, VP9'],
      ]),
    )
    .command('serve', 'Explore in the browser: a page and an HTTP API over warm workers', (y) =>
      examples(y.options(SERVE_OPTIONS), [
        ['$0 serve', 'then open http://127.0.0.1:8723/'],
        ['$0 serve --port 0 --host 0.0.0.0', 'any free port, on every address'],
      ]),
    )
    .command('assemble <folder>', 'Write the picture whose shards were rendered into a parts folder', (y) =>
      examples(y.options(ASSEMBLE_OPTIONS), [
        ['$0 -o poster.png --width 65536 --height 65536 --shard 2/8', 'one of 8 shards'],
        ['$0 assemble poster.png.parts', 'then the picture'],
      ]),
    )
    .command('help', 'Show this help')
    .strict()
    .version(version)
    .alias('v', 'version')
    .help()
    .alias('h', 'help')
    .exitProcess(false)
    .wrap(helpWidth())
    .fail((message: string, error: Error | undefined) => {
      if (error) throw error;
      if (/^Unknown arguments?: /.test(message)) throw unknownArguments(message, argv);
      // `assemble` alone: its one argument, the parts folder, is missing.
      if (/^Not enough non-option arguments/.test(message) && argv[0] === 'assemble') {
        // An option it does not have took the folder as its value (`assemble --dry-run X.parts`): that option is said.
        const name = (word: string) => word.replace(/^-+/, '').split('=')[0];
        const stray = argv.slice(1).find((w) => w.startsWith('-') && !ASSEMBLE_NAMES.includes(name(w)));
        if (stray) throw unknownArguments(`Unknown argument: ${name(stray)}`, argv);
        throw noPartsFolderGiven();
      }
      throw new UsageError(`${message}; run ${helpFor(argv)} to see the accepted options`);
    });
}
