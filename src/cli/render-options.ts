/** `mandel-par [options]`: from raw arguments to a checked render spec plus how this run should go. */
import { availableParallelism } from 'node:os';
import { extname, normalize } from 'node:path';
import { conflictingOptions, extensionContradicts, invalidOption, unknownExtension } from '../errors.js';
import type { Colouring } from '../model/colouring.js';
import { SHADINGS } from '../model/colouring.js';
import { colourFromHex, paletteFrom } from '../model/palettes.js';
import type { OutputFormat, RenderSpec } from '../model/spec.js';
import {
  DEFAULT_COLOURING,
  FORMAT_DEFAULTS,
  isWebAddress,
  juliaRegion,
  LIMITS,
  OUTPUT_FORMATS,
  outputSpec,
  PYRAMID_FORMATS,
  pixelAspect,
  pixelKind,
  sideLimit,
  TILE_FORMATS,
  validateSpec,
} from '../model/spec.js';
import { ENGINES } from '../model/task.js';
import { needsPerturbation } from '../plane/view.js';
import type { Region } from '../plane/viewport.js';
import type { RawArgs } from './parsers.js';
import {
  chooseView,
  MANDELBROT_VIEW,
  MAX_THREADS,
  parseChoice,
  parseComplex,
  parsePositiveNumber,
  parseSize,
  resolveView,
  single,
  wholeReader,
} from './parsers.js';
import type { Shard } from './shard.js';
import { parseShard } from './shard.js';
import type { GivenSpec, KfrLocation } from './spec-file.js';

const isAuto = (text: string | undefined) => text?.trim().toLowerCase() === 'auto';

/** One run of the render command: the spec, and what only this run needs. */
export interface RenderCommand {
  spec: RenderSpec;
  /** Most worker threads: those asked for, but no more than the machine's cores can run at once. */
  threads: number;
  /** The threads asked for (or the default), when more than the cores: the render uses `threads`. */
  threadsAsked: number;
  /** Rows per band, when the user chose; otherwise the renderer's default plan. */
  bandRows: number | undefined;
  /** A file path; undefined for standard output (ASCII and PBM only). */
  output: string | undefined;
  /** Bytes the render may use; undefined: what the machine has. */
  maxMemory: number | undefined;
  quiet: boolean;
  stats: boolean;
  /** Say the plan, the memory and the estimated time, and render nothing. */
  dryRun: boolean;
  /** --max-iter auto: the spec's maxIter is chosen from a sample before the render. */
  autoIter: boolean;
  /** --cycle auto (the default for colour): the spec's cycle is chosen from a sample before the render. */
  autoCycle: boolean;
  /** Where the picture is held while it is rendered: `auto` decides by its size (see cli/render-command.ts). */
  canvas: Canvas;
  /** Continue an interrupted render on disk from its parts folder. */
  resume: boolean;
  /** Render only this shard of the picture's bands into the parts folder, for `mandel-par assemble`. */
  shard: Shard | undefined;
}

/** Where a picture is held while rendered: in memory, in a canvas file on disk, or as its size says. */
export const CANVASES = ['auto', 'memory', 'disk'] as const;
export type Canvas = (typeof CANVASES)[number];

const COLOUR_FORMATS = OUTPUT_FORMATS.filter((f) => pixelKind(f) === 'colour');
const ON_DISK_FORMATS = OUTPUT_FORMATS.filter((f) => pixelKind(f) !== 'membership');

/** Options that make sense only for some formats, and which. */
const FORMAT_OPTIONS: [options: readonly string[], formats: readonly OutputFormat[], words: string][] = [
  [
    ['palette', 'inside', 'cycle', 'colour', 'light', 'aa'],
    COLOUR_FORMATS,
    `colour pictures only (${COLOUR_FORMATS.join(', ')})`,
  ],
  [['distance'], ['npy'], 'NumPy data only (npy; pictures take --colour distance)'],
  [['compression'], ['png', ...PYRAMID_FORMATS], 'PNG and pyramids of PNG tiles only'],
  [['quality'], ['jpeg', 'webp', 'avif', ...PYRAMID_FORMATS], 'JPEG, WebP, AVIF and pyramids of JPEG tiles only'],
  [['tile-size', 'tile-format'], PYRAMID_FORMATS, `pyramids only (${PYRAMID_FORMATS.join(', ')})`],
  [['base-url'], ['iiif'], 'IIIF pyramids only'],
  [['canvas', 'resume', 'shard'], ON_DISK_FORMATS, `pictures held whole (${ON_DISK_FORMATS.join(', ')})`],
];

/** --base-url: an absolute http(s) address, ending in a slash so that names resolve inside it. */
function parseBaseUrl(given: string | undefined): string | undefined {
  if (given === undefined) return undefined;
  if (!isWebAddress(given)) {
    throw invalidOption(
      'base-url',
      given,
      'an absolute http or https address, without ? or #',
      '--base-url https://example.org/tiles/',
    );
  }
  return given.endsWith('/') ? given : `${given}/`;
}

/**
 * A .kfr zoom as mandel-par's --zoom: Kalles Fraktaler's zoom Z shows a view 4/Z high, mandel-par's --zoom one
 * 3/zoom wide, so --zoom is Z * 3 * height * pixel aspect / (4 * width) (the mantissa scaled, the exponent kept).
 *
 * @example kfrZoom('1E20', 400, 300, 1) // '0.5625e20'
 */
export function kfrZoom(zoom: string, width: number, height: number, aspect: number): string {
  const [mantissa, exponent = '0'] = zoom.trim().toLowerCase().split('e');
  return `${Number(mantissa) * ((3 * height * aspect) / (4 * width))}e${Number(exponent)}`;
}

/** The format of a picture given whole, which -o's extension, if it names one, must agree with. */
function givenFormat(picture: GivenSpec, output: string | undefined): OutputFormat {
  const format = picture.spec.output.format;
  const extension = output === undefined || output === '-' ? '' : extname(output).toLowerCase();
  const implied = Object.hasOwn(EXTENSION_FORMATS, extension) ? EXTENSION_FORMATS[extension] : undefined;
  if (extension !== '' && implied !== format) {
    throw conflictingOptions(
      [picture.option, 'output'],
      `the picture is ${format}, but ${JSON.stringify(output)} names ${implied ?? 'no format'}: give -o a name for ${format}`,
    );
  }
  return format;
}

/**
 * The options that describe the picture: with --spec or --from, which give it whole, they are refused, but for
 * RESIZE_OPTIONS.
 */
export const PICTURE_OPTIONS = [
  'out',
  'width',
  'height',
  'max-iter',
  'region',
  'center',
  'zoom',
  'scale',
  'julia',
  'engine',
  'palette',
  'inside',
  'cycle',
  'colour',
  'light',
  'distance',
  'aa',
  'compression',
  'quality',
  'tile-size',
  'tile-format',
  'base-url',
];

/** What a picture given whole may still change: its size, its supersampling and its iterations (a poster of a preview). */
const RESIZE_OPTIONS = ['width', 'height', 'aa', 'max-iter'];

/**
 * A picture given whole, at another size, supersampling or iterations: the same view (a decimal view keeps its width;
 * a region its x-range and its centre, its height by the new shape), the same colours; a size given alone keeps the
 * picture's shape; the engine perturbation where f64 can no longer place the new pixels (as createSpec chooses).
 *
 * @example resizedPicture(preview, { width: 4000 }) // 4000 x (4000 * preview.height / preview.width), same view
 */
export function resizedPicture(
  given: RenderSpec,
  to: { width?: number; height?: number; aa?: number; maxIter?: number },
): RenderSpec {
  if (Object.values(to).every((v) => v === undefined)) return given;
  const scaled = (side: number | undefined, other: number | undefined, ratio: number) =>
    side ?? (other === undefined ? undefined : Math.max(1, Math.round(other * ratio)));
  const width = scaled(to.width, to.height, given.width / given.height) ?? given.width;
  const height = scaled(to.height, to.width, given.height / given.width) ?? given.height;
  const aspect = pixelAspect(given.output.format);
  const aa = to.aa ?? given.aa;
  let place: Pick<RenderSpec, 'region'> = {};
  if (!given.view && width * given.height !== height * given.width) {
    // The y-span by the change of shape, so each pixel keeps the shape it had (a side rounded by one pixel had the
    // region re-cut to square pixels, a quarter of a 2:1 picture of the classic region lost).
    const r = given.region as Region;
    const middle = (r.yMin + r.yMax) / 2;
    const half = ((r.yMax - r.yMin) / 2) * (height / given.height) * (given.width / width);
    place = { region: { ...r, yMin: middle - half, yMax: middle + half } };
  }
  const deeper = given.view && given.engine !== 'perturb' && needsPerturbation(given.view, width, height, aa, aspect);
  const maxIter = to.maxIter ?? given.maxIter;
  return validateSpec({ ...given, ...place, width, height, aa, maxIter, engine: deeper ? 'perturb' : given.engine });
}

/** Refuses options that the format ignores, so that none is silently dropped. */
function checkFormatOptions(format: OutputFormat, given: (option: string) => boolean): void {
  for (const [options, formats, words] of FORMAT_OPTIONS) {
    const misplaced = options.filter(given);
    if (misplaced.length > 0 && !formats.includes(format)) {
      throw conflictingOptions(misplaced, `apply to ${words}, not to --out ${format}`);
    }
  }
}

function parsePalette(text: string) {
  const palette = paletteFrom(text);
  if (palette) return palette;
  throw invalidOption(
    'palette',
    text,
    'one of classic, fire, ocean, twilight, grey, or two or more hex colours (#rrggbb or #rgb) separated by commas',
    '--palette "#000764,#edffff,#ffaa00"',
  );
}

/** --colour and --light as the colouring's fields: none for the default, smooth colour. */
function shadingOptions(text: (name: string) => string | undefined): Pick<Colouring, 'shading' | 'light'> {
  const given = text('colour');
  const shading = given === undefined ? 'smooth' : parseChoice('colour', given, SHADINGS);
  const light = text('light');
  if (light !== undefined && shading !== 'slope' && shading !== 'blend') {
    throw conflictingOptions(['light'], 'lights slopes: give --colour slope or --colour blend');
  }
  return {
    ...(shading === 'smooth' ? {} : { shading }),
    ...(light === undefined ? {} : { light: parseLight(light) }),
  };
}

function parseLight(text: string): [number, number] {
  const parts = text.split(',').map((p) => p.trim());
  const values = parts.map(Number);
  if (
    parts.length === 2 &&
    parts.every((p) => p !== '') &&
    values.every(Number.isFinite) &&
    values[1] >= 0 &&
    values[1] <= 90
  ) {
    return [values[0], values[1]];
  }
  throw invalidOption('light', text, 'azimuth,elevation in degrees, elevation 0 to 90', '--light 135,45');
}

function parseInside(text: string) {
  const colour = colourFromHex(text);
  if (colour) return colour;
  throw invalidOption('inside', text, 'a hex colour, #rrggbb or #rgb', '--inside "#000000"');
}

/** The format each file extension stands for; no extension is ASCII text. */
export const EXTENSION_FORMATS: Readonly<Record<string, OutputFormat>> = {
  '': 'ascii',
  '.txt': 'ascii',
  '.pbm': 'pbm',
  '.npy': 'npy',
  '.png': 'png',
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.webp': 'webp',
  '.avif': 'avif',
  '.tif': 'tiff',
  '.tiff': 'tiff',
  '.dzi': 'dzi',
};

/** The extension a default file name gets. */
const DEFAULT_EXTENSION: Readonly<Record<OutputFormat, string>> = {
  ascii: '.txt',
  pbm: '.pbm',
  npy: '.npy',
  png: '.png',
  jpeg: '.jpg',
  webp: '.webp',
  avif: '.avif',
  tiff: '.tif',
  dzi: '.dzi',
  iiif: '',
};

/**
 * The output format: --out when given, else what -o's extension says, else ASCII. An extension that names no format,
 * or another format than --out, is refused: a file is never written under a misleading name. A IIIF pyramid is a
 * folder: its name has no extension.
 */
function resolveFormat(out: string | undefined, output: string | undefined): OutputFormat {
  const format = out === undefined ? undefined : parseChoice('out', out, OUTPUT_FORMATS);
  if (output === undefined || output === '-') return format ?? 'ascii';
  const extension = extname(output).toLowerCase();
  // A path without an extension says nothing against the --out given (a device such as /dev/null, an IIIF folder),
  // and an IIIF folder's name is a name, dots and all ("view-0.5", "tiles.iiif" were refused).
  if (format !== undefined && (extension === '' || format === 'iiif')) return format;
  const implied = Object.hasOwn(EXTENSION_FORMATS, extension) ? EXTENSION_FORMATS[extension] : undefined;
  if (implied === undefined) throw unknownExtension(output, extension, EXTENSION_FORMATS);
  if (format !== undefined && format !== implied)
    throw extensionContradicts(output, format, implied, EXTENSION_FORMATS);
  return implied;
}

/** Checks every option and fills in the defaults. Pure: the same raw arguments always give the same result. */
export function resolveRenderCommand(
  raw: RawArgs,
  parallelism = availableParallelism(),
  input?: GivenSpec | KfrLocation,
): RenderCommand {
  // A .kfr location stands for --center and --zoom, and for --max-iter unless it is given (a Kalles Fraktaler user
  // raises a location's iterations as a matter of course); its zoom is known once the size is.
  const location = input?.location;
  if (location) {
    const clash = ['center', 'zoom', 'scale', 'region'].find((o) => single(raw, o) !== undefined);
    if (clash) throw conflictingOptions(['from', clash], 'the .kfr location gives the view');
  }
  const fileIterations = location?.iterations !== undefined && single(raw, 'max-iter') === undefined;
  const args: RawArgs = location
    ? {
        ...raw,
        center: `${location.re},${location.im}`,
        ...(fileIterations && { 'max-iter': String(location.iterations) }),
      }
    : raw;
  const picture = location === undefined ? (input as GivenSpec | undefined) : undefined;
  const text = (option: string) =>
    location && option === 'zoom' ? kfrZoom(location.zoom, width, height, aspect) : single(args, option);
  // A flag turned off (`--distance=false`) asks for nothing: not given.
  const isGiven = (option: string) => args[option] !== false && text(option) !== undefined;
  const whole = wholeReader(args);
  const autoIter = isAuto(single(args, 'max-iter'));
  if (picture) {
    const describing = PICTURE_OPTIONS.filter((o) => !RESIZE_OPTIONS.includes(o));
    const clash = describing.find(isGiven) ?? (raw.shortcuts === false ? 'no-shortcuts' : undefined);
    if (clash) {
      throw conflictingOptions(
        [picture.option, clash],
        `--${picture.option} gives the whole picture: leave out the options that describe it ` +
          '(its size, --aa and --max-iter may be given)',
      );
    }
  }
  const format = picture ? givenFormat(picture, text('output')) : resolveFormat(text('out'), text('output'));
  checkFormatOptions(format, isGiven);
  // A pyramid's tiles take the setting of their own format only (--quality 50 with PNG tiles was ignored).
  if ((PYRAMID_FORMATS as readonly string[]).includes(format)) {
    const tiles = (text('tile-format') ?? TILE_FORMATS[0]).toLowerCase();
    const wrong = tiles === 'png' ? 'quality' : 'compression';
    if (isGiven(wrong))
      throw conflictingOptions(
        [wrong],
        `applies to pyramids of ${tiles === 'png' ? 'JPEG' : 'PNG'} tiles only, not to --tile-format ${tiles}`,
      );
  }
  const defaults = FORMAT_DEFAULTS[format];
  const threadsAsked = whole('threads', 1, MAX_THREADS, '--threads 4', Math.min(parallelism, MAX_THREADS));
  // The kernels are CPU-bound: a worker past the cores only shares a core, costing its start-up and memory.
  const threads = Math.min(threadsAsked, parallelism);
  const width = whole('width', 1, LIMITS.size, `--width ${defaults.width}`, defaults.width);
  const height = whole('height', 1, LIMITS.size, `--height ${defaults.height}`, defaults.height);
  const side = sideLimit(format);
  for (const [name, value] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (side && value > side.most) throw invalidOption(name, text(name), side.words, `--${name} ${side.most}`);
  }
  // Text and bitmaps go to standard output by default (as the Benchmarks Game's programs do); the rest to a file.
  const streams = format === 'ascii' || format === 'pbm';
  const given = text('output');
  if (given === '-' && !streams) {
    throw invalidOption('output', given, 'a file path: only ascii and pbm go to standard output ("-")', '-o pic.png');
  }
  // "-" is standard output, as for most command-line tools.
  const aa = whole('aa', 1, LIMITS.aa, '--aa 3', 1);
  const maxIter = () => whole('max-iter', 1, LIMITS.maxIter, '--max-iter 1000', defaults.maxIter);
  const resized =
    picture &&
    resizedPicture(picture.spec, {
      width: isGiven('width') ? width : undefined,
      height: isGiven('height') ? height : undefined,
      aa: isGiven('aa') ? aa : undefined,
      maxIter: isGiven('max-iter') && !autoIter ? maxIter() : undefined,
    });
  const size = resized ? `${resized.width}x${resized.height}` : `${width}x${height}`;
  const fallback = streams ? undefined : `output/mandel-${size}${DEFAULT_EXTENSION[format]}`;
  if (given === '') throw invalidOption('output', given, 'a file path', '-o output/mandel.png');
  // Normalised, so that "a/../b.png" creates no folder "a".
  const chosen = given === '-' ? undefined : (given ?? fallback);
  const output = chosen === undefined ? undefined : normalize(chosen);
  const cycle = text('cycle');
  // `auto`, and the default for colour pictures: chosen from a sample before the render (cli/auto-cycle.ts).
  const autoCycle = !picture && pixelKind(format) === 'colour' && (cycle === undefined || isAuto(cycle));
  const bandRows = text('band-rows');
  const maxMemory = text('max-memory');
  const juliaText = text('julia');
  const julia = juliaText === undefined ? undefined : parseComplex('julia', juliaText, '--julia -0.8,0.156');
  const aspect = pixelAspect(format);
  const compression = whole('compression', 0, LIMITS.compression, '--compression 1', 1);
  const quality = text('quality');
  const engineText = text('engine');
  const engine = engineText === undefined ? undefined : parseChoice('engine', engineText, ENGINES);
  const viewDefaults = julia
    ? { region: juliaRegion(width, height, aspect), center: [0, 0] as [number, number] }
    : MANDELBROT_VIEW(format === 'ascii');
  const resolved = resolveView(text, width, height, aspect, viewDefaults);
  const place = chooseView(resolved, engine, { width, height, aa, pixelAspect: aspect });
  const spec =
    resized ??
    validateSpec({
      formula: julia ? 'julia' : 'mandelbrot',
      ...(julia ? { julia } : {}),
      width,
      height,
      // `auto` is chosen from a sample before the render (cli/auto-iterations.ts); the default stands in until then.
      maxIter: autoIter ? defaults.maxIter : maxIter(),
      engine: engine ?? ENGINES[0],
      ...place,
      shortcuts: raw.shortcuts !== false,
      aa,
      colouring: {
        palette: text('palette') === undefined ? DEFAULT_COLOURING.palette : parsePalette(text('palette') as string),
        inside: text('inside') === undefined ? DEFAULT_COLOURING.inside : parseInside(text('inside') as string),
        cycle:
          autoCycle || cycle === undefined
            ? DEFAULT_COLOURING.cycle
            : parsePositiveNumber('cycle', cycle, '--cycle 64', 'a positive number, or auto'),
        ...shadingOptions(text),
      },
      output: outputSpec(format, {
        compression,
        quality: quality === undefined ? undefined : whole('quality', 1, LIMITS.quality, '--quality 90', 0),
        tileSize: whole('tile-size', 16, LIMITS.tileSize, '--tile-size 512', 256),
        tileFormat: parseChoice('tile-format', text('tile-format') ?? TILE_FORMATS[0], TILE_FORMATS),
        baseUrl: parseBaseUrl(text('base-url')),
        distance: raw.distance === true,
      }),
    });
  const canvas = parseChoice('canvas', text('canvas') ?? CANVASES[0], CANVASES);
  const shard = text('shard') === undefined ? undefined : parseShard(text('shard') as string);
  const resume = raw.resume === true;
  if (canvas === 'memory' && (resume || shard)) {
    throw conflictingOptions(
      ['canvas', resume ? 'resume' : 'shard'],
      'only a render on disk can be resumed or sharded',
    );
  }
  return {
    spec,
    threads,
    threadsAsked,
    bandRows: bandRows === undefined ? undefined : whole('band-rows', 1, LIMITS.size, '--band-rows 4', 0),
    output,
    maxMemory: maxMemory === undefined ? undefined : parseSize('max-memory', maxMemory),
    quiet: raw.quiet === true,
    stats: raw.stats === true,
    dryRun: raw['dry-run'] === true,
    autoIter,
    autoCycle,
    canvas,
    resume,
    shard,
  };
}
