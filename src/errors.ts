/**
 * Every error mandel-par reports on purpose is built here, so messages keep one shape and the CLI can map each
 * class to its exit status without looking at the text.
 */

/**
 * A mistake in how mandel-par was called (an option, a spec field, a plan). Reported as one line, exit status 2,
 * before any work starts.
 *
 * @example try { validateSpec(input) } catch (err) { if (err instanceof UsageError) reply(400, err.message) }
 */
export class UsageError extends Error {
  readonly exitCode = 2;
  override name = 'UsageError';
}

/**
 * A render that started and then failed (a worker fault, an I/O error). Exit status 1.
 *
 * @example renderer.render(spec, call).catch((err) => err instanceof RenderError && retryLater(spec))
 */
export class RenderError extends Error {
  readonly exitCode = 1;
  override name = 'RenderError';
}

/**
 * The user stopped the run with a signal. Exit status 128 + the signal's number, as shells report it.
 *
 * @example controller.abort(new InterruptedError('SIGINT', '; nothing was written'))
 */
export class InterruptedError extends Error {
  readonly exitCode: number;
  override name = 'InterruptedError';
  constructor(signal: StopSignal, outputNote: string, what = 'the render') {
    super(`interrupted by ${signal}: ${what} was stopped${outputNote}`);
    this.exitCode = 128 + STOP_SIGNALS[signal];
  }
}

/**
 * The signals that stop a run cleanly, and their numbers: Ctrl-C, kill's default, a closed terminal (SIGHUP left
 * temporary files behind) and Ctrl-\.
 */
export const STOP_SIGNALS = { SIGHUP: 1, SIGINT: 2, SIGQUIT: 3, SIGTERM: 15 } as const;
export type StopSignal = keyof typeof STOP_SIGNALS;

/** A received string longer than this is quoted by its ends (a 10000-digit --center filled the terminal). */
const QUOTED_CHARACTERS = 120;

/** Quotes a received value the way the user typed it: strings in double quotes, lists joined as given. */
export function quote(received: unknown): string {
  if (Array.isArray(received)) return received.map(quote).join(', ');
  if (typeof received === 'string' && received.length > QUOTED_CHARACTERS) {
    const ends = `${received.slice(0, QUOTED_CHARACTERS - 30)}...${received.slice(-20)}`;
    return `${JSON.stringify(ends)} (${received.length} characters)`;
  }
  if (typeof received === 'string') return JSON.stringify(received);
  return String(received);
}

/**
 * "--threads: expected a positive integer (e.g. --threads 4), but received "abc"".
 * `expected` says what is accepted; `example` is a whole flag as the user would type it.
 */
export function invalidOption(option: string, received: unknown, expected: string, example?: string): UsageError {
  const hint = example === undefined ? '' : ` (e.g. ${example})`;
  return new UsageError(`--${option}: expected ${expected}${hint}, but received ${quote(received)}`);
}

export function repeatedOption(option: string, received: unknown[]): UsageError {
  return new UsageError(`--${option}: given ${received.length} times (${quote(received)}); give it once`);
}

/** Options that cannot go together: "--region, --zoom: both set the view: ...". */
export function conflictingOptions(options: readonly string[], why: string): UsageError {
  return new UsageError(`${options.map((o) => `--${o}`).join(', ')}: ${why}`);
}

type PixelRect = { x: number; y: number; w: number; h: number };

/** How a failed task is named: "band 6 (rows 30-34)", "tile 3 (columns 0-63, rows 64-127)", "task 1 (25 rows ...)". */
function describeTask(index: number, rects: readonly PixelRect[], imageWidth: number): string {
  const [first] = rects;
  const last = rects[rects.length - 1];
  const rows = `rows ${first.y}-${last.y + last.h - 1}`;
  if (rects.length > 1) return `task ${index} (${rects.length} rectangles, ${rows})`;
  if (first.x === 0 && first.w === imageWidth) return `band ${index} (${rows})`;
  return `tile ${index} (columns ${first.x}-${first.x + first.w - 1}, ${rows})`;
}

/** A plan's rectangle that is not inside the image. */
export function rectOutsideImage(rect: PixelRect, width: number, height: number): UsageError {
  return new UsageError(
    `plan: rectangle ${JSON.stringify(rect)} is not a non-empty whole-pixel part of the ${width} x ${height} image`,
  );
}

/** A destination's shared image that a plan's rectangle would write past: it was made for another size or format. */
export function imageTooSmall(
  rect: PixelRect,
  image: { width: number; bytes: number },
  format: string,
  pixelBytes: number,
): UsageError {
  return new UsageError(
    `destination: its image (${image.width} pixels a row, ${image.bytes} bytes) does not hold rectangle ` +
      `${JSON.stringify(rect)} at ${pixelBytes} bytes a pixel (${format}): make it for the render's width, height and format`,
  );
}

export function taskFailed(
  index: number,
  rects: readonly PixelRect[],
  imageWidth: number,
  cause: unknown,
): RenderError {
  const why = oneLine(cause instanceof Error ? cause.message : String(cause));
  // The worker's own error kept as the cause, for MANDEL_PAR_DEBUG's stack (cli/run.ts).
  return new RenderError(`${describeTask(index, rects, imageWidth)} failed: ${why}; the render was stopped`, { cause });
}

/** Plain words for the file-system errors people meet, with the system's code for searching. */
const IO_ERRORS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'a part of the path is a file, not a folder',
  EISDIR: 'the path is a folder',
  ENAMETOOLONG: 'the name is too long',
  ENOENT: 'no such file or folder',
};

/**
 * One line about an I/O failure: plain words for a known system error code; otherwise the system's own words,
 * picked out of libvips' several lines ("...: write error\nsystem error: File too large\n...").
 */
function describeIoError(cause: unknown): string {
  const code = (cause as NodeJS.ErrnoException)?.code;
  if (code && code in IO_ERRORS) return `${IO_ERRORS[code]} (${code})`;
  const message = String((cause as Error)?.message ?? cause);
  const system = /system error: (.+)/.exec(message);
  return system ? system[1].trim() : oneLine(message);
}

/** An option's file that cannot be read (not there, a folder, not permitted): what was expected, and why. */
export function unreadableFile(option: string, path: string, expected: string, example: string, cause: unknown) {
  return invalidOption(option, path, `${expected}: ${describeIoError(cause)}`, example);
}

/** Keeps a message to one line, whatever a library put in it. */
export function oneLine(message: string): string {
  return message
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join('; ');
}

/** The output path cannot be used, found before rendering starts. */
export function outputPathUnusable(path: string, cause: unknown): UsageError {
  return new UsageError(`--output: cannot write ${JSON.stringify(path)}: ${describeIoError(cause)}`);
}

/** Writing the output failed after rendering. */
export function outputFailed(path: string, cause: unknown): RenderError {
  return new RenderError(`cannot write ${JSON.stringify(path)}: ${describeIoError(cause)}`);
}

/** A render spec (from the API or from JSON) with a field that is missing or out of range. */
export function invalidSpecField(field: string, received: unknown, expected: string): UsageError {
  const shown = typeof received === 'object' && received !== null ? JSON.stringify(received) : quote(received);
  return new UsageError(`${field ? `spec.${field}` : 'spec'}: expected ${expected}, but received ${shown}`);
}

/** An API argument that is not what a function takes: `where` names it (`RendererOptions.threads`, `planTiles size`). */
export function invalidArgument(where: string, received: unknown, expected: string): UsageError {
  const shown = typeof received === 'object' && received !== null ? JSON.stringify(received) : quote(received);
  return new UsageError(`${where}: expected ${expected}, but received ${shown}`);
}

/** A renderer used after close(). */
export function rendererClosed(): UsageError {
  return new UsageError('Renderer: closed: create another to render again');
}

/** A render the renderer was closed under (close() while it ran). */
export function closedWhileRendering(): RenderError {
  return new RenderError('Renderer: closed while this render ran: it was stopped');
}

/** "3.2 GB": a byte count in decimal units, for messages. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 && unit > 0 ? 1 : 0)} ${units[unit]}`;
}

type Estimate = { image: number; tasks: number; runtime: number; reference: number; encoder: number; total: number };

/** The parts of a memory estimate, in words (the reference orbit only for a deep render, the encoder where large). */
export function memoryParts(e: Estimate): string {
  const reference = e.reference > 0 ? `, the reference orbit and its tables ${formatBytes(e.reference)}` : '';
  const encoder = e.encoder > 0 ? `, the encoder ${formatBytes(e.encoder)}` : '';
  return (
    `image ${formatBytes(e.image)}, bands in the workers ${formatBytes(e.tasks)}, ` +
    `Node and its workers ${formatBytes(e.runtime)}${reference}${encoder}`
  );
}

const needs = (what: string, e: Estimate) => `${what} needs about ${formatBytes(e.total)} (${memoryParts(e)})`;

/** The image would not fit in one buffer. */
export function bufferTooLarge(what: string, estimate: Estimate, max: number, api = false): UsageError {
  const advice = api
    ? 'render it in rectangles (renderRect, or a Renderer with rectBytes), or smaller'
    : 'render it in tiles with --region, or at a smaller --width/--height';
  return new UsageError(`${needs(what, estimate)}, but one buffer can hold at most ${formatBytes(max)}: ${advice}`);
}

/** The render's estimate is over the memory allowed; `api`: said in the API's words (a spec, not options). */
export function memoryOverLimit(
  what: string,
  estimate: Estimate,
  allowed: number,
  byDefault: boolean,
  api = false,
): UsageError {
  const source = byDefault ? "80% of this machine's memory" : '--max-memory';
  const iterations = estimate.reference > 0 ? (api ? ' or maxIter' : ' or --max-iter') : '';
  const advice = api
    ? `use a smaller width/height or aa${iterations}, or fewer threads`
    : `use a smaller --width/--height or --aa${iterations}, fewer --threads or --band-rows, or raise --max-memory`;
  return new UsageError(
    `${needs(what, estimate)}, more than the ${formatBytes(allowed)} allowed (${source}): ${advice}`,
  );
}

/** A scaling run whose repeated renders differ: a bug, since every split must give the same image. */
export function schedulesDisagree(label: string, threads: number): RenderError {
  return new RenderError(`${label} on ${threads} threads made different images: please report this as a bug`);
}

/** `scale --quiet-machine` found others still using the machine when its wait ran out. */
export function machineBusy(
  load: { othersCores: number | null; stealShare: number | null; loadAverage: number[] },
  waitedSeconds: number,
): RenderError {
  const steal = `${((load.stealShare ?? 0) * 100).toFixed(0)}%`;
  return new RenderError(
    `the machine is busy: other processes used ${(load.othersCores ?? 0).toFixed(2)} cores (steal ${steal}, ` +
      `load average ${load.loadAverage[0].toFixed(2)}) after waiting ${waitedSeconds} s for --quiet-machine; ` +
      'run when it is quiet, or leave out --quiet-machine to measure anyway (busy points are flagged)',
  );
}

/** A `scale` picture (the largest, with --weak) that would not fit the memory an experiment may use. */
export function scalePictureTooLarge(width: number, height: number, allowed: number): UsageError {
  return new UsageError(
    `scale: a ${width} x ${height} picture needs ${formatBytes(width * height * 3)} a run, more than the ` +
      `${formatBytes(allowed)} an experiment may hold (1/8 of this machine's memory, 1 GiB at most): ` +
      'give a smaller --width/--height, or fewer --threads with --weak',
  );
}

/** The keys of a .kfr file that mandel-par does not map (colours, KF's own settings): rendered without them. */
export function kfrNotRead(path: string, keys: string[], rotate?: number): string {
  const shown = keys.length > 8 ? `${keys.slice(0, 8).join(', ')} and ${keys.length - 8} more` : keys.join(', ');
  const turned = rotate === undefined ? '' : `; its Rotate ${rotate} is not applied: the picture comes out unturned`;
  return (
    `warning: ${path}: only Re, Im, Zoom and Iterations are read; not mapped: ${shown} ` +
    `(colour and size are this command's options)${turned}`
  );
}

/** `find` found no minibrot: no period within the limit, or Newton's method did not settle at the one given. */
export function noMisiurewicz(maxSteps: number, kind?: { preperiod: number; period: number }): UsageError {
  return new UsageError(
    kind === undefined
      ? `find: no Misiurewicz point with preperiod + period up to ${maxSteps} in this view (its orbit escaped or ` +
          'never came back near itself): zoom in on one, or raise --max-period'
      : `find: Newton's method did not settle on a Misiurewicz point of preperiod ${kind.preperiod} and period ` +
          `${kind.period} from this centre: centre the view nearer it, or give other --preperiod and --period`,
  );
}

export function noMinibrot(maxPeriod: number, period?: number): UsageError {
  return new UsageError(
    period === undefined
      ? `find: no minibrot of period up to ${maxPeriod} in this view (its orbit escaped or none came back near 0): ` +
          'zoom in on one, or raise --max-period'
      : `find: Newton's method did not settle on a nucleus of period ${period} from this centre: ` +
          'centre the view nearer the minibrot, or give another --period',
  );
}

/** `find --period` whose Newton's method settled on a nucleus of another least period (a divisor's, or one near). */
export function otherPeriodFound(asked: number, found: number): UsageError {
  const why = asked % found === 0 ? ` (a root of z_${asked} too, as every nucleus of a period dividing it is)` : '';
  return new UsageError(
    `find: from this centre Newton's method settled on a nucleus of period ${found}, not ${asked}${why}: ` +
      `centre the view nearer a minibrot of period ${asked}, or leave out --period`,
  );
}

/** A debug build of the kernel failed one of its assertions: a bug in the kernel. */
export function kernelAssertion(line: number, column: number): RenderError {
  return new RenderError(`WASM kernel assertion failed at ${line}:${column}: please report this as a bug`);
}

/** build/mandel.wasm is older or newer than the code that calls it. */
export function kernelMismatch(): RenderError {
  return new RenderError('build/mandel.wasm does not match this code: rebuild it with `npm run build:wasm`');
}

/** A kernel called with the other kind of job (direct or perturbation, see KernelJob): a bug in the caller. */
export function wrongKernelJob(kernel: string): RenderError {
  return new RenderError(`the ${kernel} kernel was given a job for another kernel: please report this as a bug`);
}

/** A PNG without mandel-par's XMP parameters. */
export function noParameters(): UsageError {
  return new UsageError('this XMP holds no mandel-par parameters (was the picture made by mandel-par?)');
}

/** An argument the command line does not know, with a suggestion when one is close, and the help to run. */
export function unknownArgument(message: string, help: string, suggestion?: string): UsageError {
  const hint = suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`;
  return new UsageError(`${message}${hint}; run ${help} to see the accepted options`);
}

/** "(.txt or no extension: ascii; .png: png)": what each extension stands for. */
function extensionList(formats: Readonly<Record<string, string>>): string {
  const byFormat = new Map<string, string[]>();
  for (const [extension, format] of Object.entries(formats)) {
    byFormat.set(format, [...(byFormat.get(format) ?? []), extension === '' ? 'no extension' : extension]);
  }
  const files = [...byFormat].map(([format, extensions]) => `${extensions.join(' or ')}: ${format}`);
  // An IIIF pyramid is a folder, named as one likes: said by --out alone.
  return [...files, 'a folder of any name: --out iiif'].join('; ');
}

/** An output file whose extension names no format mandel-par writes. */
export function unknownExtension(
  path: string,
  extension: string,
  formats: Readonly<Record<string, string>>,
): UsageError {
  return new UsageError(
    `--output: ${JSON.stringify(path)} ends in ${JSON.stringify(extension)}, which names no format mandel-par writes ` +
      `(${extensionList(formats)})`,
  );
}

/** An output file whose extension says another format than --out. */
export function extensionContradicts(
  path: string,
  format: string,
  implied: string,
  formats: Readonly<Record<string, string>>,
): UsageError {
  return new UsageError(
    `--out, --output: --out ${format}, but ${JSON.stringify(path)} names a file of ${implied} ` +
      `(${extensionList(formats)}): change the extension, or leave out --out`,
  );
}

/** "1e14", "2.3e12": a magnification as people write it. */
function magnitude(value: number): string {
  const [mantissa, exponent] = value.toExponential(1).split('e');
  return `${mantissa.replace(/\.0$/, '')}e${Number(exponent)}`;
}

/** The warning for a view deeper than f64 can draw (see plane/precision.ts). */
export function precisionLost(check: { magnification: number; limit: number }): string {
  return (
    `warning: at magnification ${magnitude(check.magnification)} f64 can no longer tell neighbouring pixels apart ` +
    `(here it can up to about ${magnitude(check.limit)}): the picture will be blocky or flat; ` +
    `zoom out to ${magnitude(check.limit)} or less, or render fewer pixels`
  );
}

/**
 * The warning for a picture with nothing in it (model/tally.ts): what came out, and the likely causes; `decimals`,
 * for a view given by its centre, how many decimals the centre has and about how many the view's width calls for;
 * `chosen` when --max-iter auto chose maxIter (else it is suggested where every sample reached maxIter).
 *
 * @example uniformPicture('outside', { minCount: 3, maxCount: 4 }, 1000) // "warning: the picture is uniform: ..."
 */
export function uniformPicture(
  how: 'inside' | 'outside' | 'flat',
  range: { minCount: number; maxCount: number },
  maxIter: number,
  decimals?: { has: number; needs: number },
  chosen = false,
): string {
  const counts = range.minCount === range.maxCount ? `${range.minCount}` : `${range.minCount} to ${range.maxCount}`;
  const what =
    how === 'inside'
      ? `every sample reached --max-iter ${maxIter}: the view is inside the set, or ${maxIter} iterations are too few to see its edge${chosen ? '' : ' (--max-iter auto looks for enough)'}`
      : how === 'outside'
        ? 'every sample escaped: the view misses the set'
        : `every sample escaped after ${counts} iterations: the view misses the set's detail`;
  const short =
    how !== 'inside' && decimals && decimals.has < decimals.needs
      ? `; the centre has ${decimals.has} decimals, and a view this narrow needs about ${decimals.needs}`
      : '';
  return `warning: the picture is uniform: ${what}${short}`;
}

/** A PBM rectangle that does not start on a whole byte of its rows. */
export function misalignedBits(rect: PixelRect): UsageError {
  return new UsageError(`plan: a PBM rectangle must start at a multiple of 8 pixels, not ${JSON.stringify(rect)}`);
}

/** `assemble` without its argument. */
export function noPartsFolderGiven(): UsageError {
  return new UsageError('assemble: give the parts folder to assemble (mandel-par assemble OUTPUT.parts)');
}

/** A folder given as a render's parts folder that is not one (or is damaged). */
export function notAPartsFolder(folder: string, why: string): UsageError {
  return new UsageError(`${JSON.stringify(folder)} is not the parts folder of a render: ${why}`);
}

/**
 * A parts folder's canvas file of the wrong size, or missing where bands are recorded as done in it: resuming would
 * leave those bands black, and assembling would fail in libvips.
 */
export function damagedCanvas(path: string, size: number | undefined, expected: number): UsageError {
  const found = size === undefined ? 'is missing, though bands are recorded as done in it' : `has ${size} bytes`;
  return new UsageError(
    `${JSON.stringify(path)} ${found} (this picture's canvas has ${expected}): the parts folder is damaged; remove it to render the picture again`,
  );
}

/** A parts folder that holds another picture's parts than the one asked for. */
export function partsDisagree(folder: string, difference: string): UsageError {
  return new UsageError(
    `${JSON.stringify(folder)} holds the parts of another render (${difference}): ` +
      'give the same options as the render that made it (to retry one shard: the same command, or --shard I/N ' +
      'with N as before), or remove the folder to start again',
  );
}

/** A render whose output already has a parts folder, from an interrupted render, and no --resume. */
export function unfinishedRender(folder: string): UsageError {
  return new UsageError(
    `--output: an interrupted render of this picture left its finished part in ${JSON.stringify(folder)}: ` +
      'add --resume to continue it, or remove that folder to start again',
  );
}

/** Said when --resume finds nothing to continue (a mistyped output path, or a render that had finished). */
export function nothingToResume(folder: string): string {
  return `--resume: there is no ${JSON.stringify(folder)} to continue: rendering the whole picture`;
}

/** Said before a long render on disk: where its finished part goes, and how to continue it. */
export function keptAsItGoes(folder: string): string {
  return `its finished part is kept in ${JSON.stringify(folder)} as it goes: after a kill or Ctrl-C, run the same command with --resume`;
}

/** What became of the finished part of a render on disk that was stopped: kept, to continue with --resume. */
export function keptForResume(folder: string): string {
  return `; its finished part is kept in ${JSON.stringify(folder)}: run the same command with --resume to continue`;
}

/** A render on disk that failed: the error, and that the finished part is kept. */
export function failedResumable(err: RenderError, folder: string): RenderError {
  return new RenderError(`${err.message}${keptForResume(folder)}`);
}

/** `assemble` over a parts folder that lacks some rectangles. */
export function partsMissing(folder: string, missing: number, total: number, shards: string[]): RenderError {
  // The first eight by name (57 of 100 shards missing were all listed).
  const named =
    shards.length > 8 ? `${shards.slice(0, 8).join(', ')} and ${shards.length - 8} more` : shards.join(', ');
  return new RenderError(
    `assemble: ${missing} of ${total} bands are missing from ${JSON.stringify(folder)}, from ${named}: ` +
      'run those shards (again), then assemble',
  );
}

/** The disk cannot hold the canvas of a render on disk. */
export function diskTooSmall(folder: string, needed: number, free: number): UsageError {
  return new UsageError(
    `--output: the render on disk needs ${formatBytes(needed)} in ${JSON.stringify(folder)}, but only ` +
      `${formatBytes(free)} is free there: free some space, or write to another disk with -o`,
  );
}

/** `--shard auto` without what it needs in the environment. */
export function shardFromEnvironment(received: string, why: string): UsageError {
  return new UsageError(`--shard: ${quote(received)} takes the shard from the environment, but ${why}`);
}

/** A query parameter the server does not know (`mandel-par serve`), with a suggestion when one is close. */
export function unknownParameter(name: string, suggestion: string | undefined): UsageError {
  const hint = suggestion === undefined ? '' : ` (did you mean ${suggestion}?)`;
  return new UsageError(`unknown parameter ${quote(name)}${hint}; the parameters are the command line's options`);
}

/** A picture larger than `mandel-par serve` was started to render (HTTP 413). */
export function pictureTooLarge(width: number, height: number, aa: number, maxPixels: number): UsageError {
  const what =
    aa > 1
      ? `${width} x ${height} at aa ${aa} is ${width * height * aa * aa} samples`
      : `${width} x ${height} is ${width * height} pixels`;
  return new UsageError(
    `width, height: ${what}, more than this server renders at once ` +
      `(${maxPixels}; mandel-par serve --max-pixels sets it): render it with the command line, or as rectangles`,
  );
}

/** A path `mandel-par serve` does not serve (HTTP 404). */
export function unknownPath(path: string, paths: readonly string[]): UsageError {
  return new UsageError(`no such page ${quote(path)}; this server answers ${paths.join(', ')}`);
}

/** `mandel-par serve` could not listen where it was asked to. */
export function addressNotServed(host: string, port: number, err: NodeJS.ErrnoException): UsageError {
  const why =
    err.code === 'EADDRINUSE'
      ? `port ${port} is in use: choose another with --port (0 lets the system choose)`
      : err.code === 'EACCES'
        ? `port ${port} needs privileges: choose one above 1023 with --port`
        : `${err.code ?? err.message}: give an address of this machine with --host (e.g. --host 127.0.0.1)`;
  return new UsageError(`--host, --port: cannot listen on ${quote(`${host}:${port}`)}: ${why}`);
}

/** A video's parts folder that holds the keyframes of another zoom: what differs, in words. */
export function otherVideoMap(folder: string, differences: string[]): UsageError {
  return new UsageError(
    `--output: ${quote(folder)} holds the keyframes of another zoom (${differences.join('; ')}): ` +
      'remove that folder, or write this video elsewhere with -o',
  );
}

/** ffmpeg, which encodes videos, is not installed. */
export function ffmpegMissing(): UsageError {
  return new UsageError(
    'video: ffmpeg is needed to encode .mp4 and .webm and was not found on the PATH: install it ' +
      '(Debian and Ubuntu: apt-get install ffmpeg), or write the frames as PNG files with --out frames',
  );
}

/** ffmpeg ended with a failure while encoding. */
export function ffmpegFailed(path: string, ended: number | string | null, stderr: string): RenderError {
  const said = stderr.trim().split('\n').slice(-3).join(' / ');
  const how = typeof ended === 'string' ? `was ended by ${ended}` : `exited with status ${ended}`;
  return new RenderError(`cannot encode ${quote(path)}: ffmpeg ${how}${said ? `: ${said}` : ''}`);
}

/** A file of a video's parts folder that is not what mandel-par wrote there. */
export function partsFileUnreadable(file: string): UsageError {
  return new UsageError(
    `--output: ${quote(file)} is not a file mandel-par can read (damaged, or not its own): remove its folder and ` +
      'run again, or write the video elsewhere with -o',
  );
}

/** What a stopped video keeps: its keyframes, which the same command reuses. */
export function keyframesKept(folder: string): string {
  return `; the keyframes made so far are kept in ${JSON.stringify(folder)}: run the same command again to go on`;
}

/** A video's output path that holds something the video must not replace. */
export function videoOutputTaken(path: string, what: string): UsageError {
  return new UsageError(
    `--output: ${quote(path)} ${what}: give a new path (frames go to a folder of their own, holding only frames)`,
  );
}

/** A video's keyframes that are not all there yet. */
export function keyframesMissing(folder: string, missing: number[], keys: number): RenderError {
  const named = missing.length > 8 ? `${missing.slice(0, 8).join(', ')}, ...` : missing.join(', ');
  return new RenderError(
    `assemble: ${missing.length} of ${keys} keyframes are missing from ${JSON.stringify(folder)} (${named}): ` +
      'run the shards that render them (again), then assemble',
  );
}
