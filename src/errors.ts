/**
 * Every error mandel-par reports on purpose is built here, so messages keep one shape and the CLI can map each
 * class to its exit status without looking at the text.
 */

/** A mistake in how mandel-par was called. Reported as one line, exit status 2, before any work starts. */
export class UsageError extends Error {
  readonly exitCode = 2;
  override name = 'UsageError';
}

/** A render that started and then failed (a worker fault, an I/O error). Exit status 1. */
export class RenderError extends Error {
  readonly exitCode = 1;
  override name = 'RenderError';
}

/** The user stopped the run with a signal. Exit status 128 + the signal's number, as shells report it. */
export class InterruptedError extends Error {
  readonly exitCode: number;
  override name = 'InterruptedError';
  constructor(signal: 'SIGINT' | 'SIGTERM', outputNote: string) {
    super(`interrupted by ${signal}: the render was stopped${outputNote}`);
    this.exitCode = signal === 'SIGINT' ? 130 : 143;
  }
}

/** Quotes a received value the way the user typed it: strings in double quotes, lists joined as given. */
export function quote(received: unknown): string {
  if (Array.isArray(received)) return received.map(quote).join(', ');
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

export function bandFailed(
  band: { index: number; rowStart: number; rowCount: number; rowStride: number },
  cause: unknown,
): RenderError {
  const why = oneLine(cause instanceof Error ? cause.message : String(cause));
  const last = band.rowStart + (band.rowCount - 1) * band.rowStride;
  const rows =
    band.rowStride === 1 ? `rows ${band.rowStart}-${last}` : `rows ${band.rowStart}-${last} by ${band.rowStride}`;
  return new RenderError(`band ${band.index} (${rows}) failed: ${why}; the render was stopped`);
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
