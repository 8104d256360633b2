/**
 * The start-up timeline, for bench/README.md: with MANDEL_PAR_TRACE=1, `mark(label)` writes a line to stderr with
 * the milliseconds since the process started, from the main thread or a worker. Otherwise it does nothing.
 */
const enabled = process.env.MANDEL_PAR_TRACE === '1';

/** Epoch milliseconds of the process's start, passed to worker threads through the environment. */
const ORIGIN_VARIABLE = 'MANDEL_PAR_TRACE_ORIGIN';
if (enabled) process.env[ORIGIN_VARIABLE] ??= String(performance.timeOrigin);

/** Writes "trace   12.3 ms  label" to stderr. */
export function mark(label: string): void {
  if (!enabled) return;
  const ms = performance.timeOrigin + performance.now() - Number(process.env[ORIGIN_VARIABLE]);
  process.stderr.write(`trace ${ms.toFixed(1).padStart(7)} ms  ${label}\n`);
}
