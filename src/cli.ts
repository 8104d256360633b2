#!/usr/bin/env node
/** mandel-par's command line: parse, check, render through the pool, write the output, map errors to exit codes. */
import { readFileSync } from 'node:fs';
import { hideBin } from 'yargs/helpers';
import type { RenderOptions, ScaleOptions } from './args.js';
import { commandLine, resolveOptions, resolveScaleOptions } from './args.js';
import { compileKernel } from './engine-wasm.js';
import { InterruptedError, oneLine, RenderError, UsageError } from './errors.js';
import { machineInfo } from './machine.js';
import { checkMemory } from './memory.js';
import { planBands } from './planner.js';
import { writePng } from './png.js';
import type { RenderPool } from './pool.js';
import { createRenderPool } from './pool.js';
import type { Progress } from './progress.js';
import { startProgress } from './progress.js';
import type { RenderStats } from './render.js';
import { render } from './render.js';
import { reproduceCommand, statsReport } from './report.js';
import type { Sink } from './sink.js';
import { atomicFileSink, prepareOutputPath, stdoutSink } from './sink.js';
import { InOrderStitcher } from './stitch.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

/**
 * SIGINT and SIGTERM abort the running work through the returned signal (bands stop, temporary files go, the
 * pool is destroyed, exit status 130 or 143); a second signal ends the process at once.
 */
function abortOnSignals(outputNote: string): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((name) => {
    const handler = () => {
      if (controller.signal.aborted) process.exit(name === 'SIGINT' ? 130 : 143);
      controller.abort(new InterruptedError(name, outputNote));
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  const dispose = () => {
    for (const [name, handler] of handlers) process.off(name, handler);
  };
  return { signal: controller.signal, dispose };
}

async function renderAscii(
  o: RenderOptions,
  pool: RenderPool,
  progress: Progress,
  signal: AbortSignal,
): Promise<RenderStats> {
  const sink: Sink = o.output === undefined ? stdoutSink() : await atomicFileSink(o.output);
  const stitcher = new InOrderStitcher((bytes) => sink.write(bytes));
  try {
    const request = { ...o, aa: 1, output: { kind: 'ascii' as const } };
    const stats = await render(
      pool,
      request,
      (band, bytes) => {
        stitcher.add(band.index, bytes);
        progress.tick();
      },
      { signal },
    );
    signal.throwIfAborted();
    await sink.finish();
    return stats;
  } catch (err) {
    await sink.discard();
    throw err;
  }
}

async function renderPng(o: RenderOptions, pool: RenderPool, progress: Progress, path: string, signal: AbortSignal) {
  // The whole image, allocated once (sharp takes raw pixels as one buffer, not as bands) and shared with the
  // workers, which write each band's rows in place: no copy, and no band buffers left for the collector (handing
  // bands back by transfer peaked at 1.31x the image for 16384 x 16384, this at 1.2x).
  const shared = new SharedArrayBuffer(o.width * o.height * 3);
  const output = { kind: 'rgb' as const, image: shared, ...o.colouring };
  const stats = await render(pool, { ...o, output }, () => progress.tick(), { signal });
  progress.stop(); // before encoding, which has no bar of its own
  const encodeStarted = performance.now();
  const parameters = {
    software: `mandel-par ${version}`,
    command: reproduceCommand(o),
    region: o.region,
    width: o.width,
    height: o.height,
    maxIter: o.maxIter,
    aa: o.aa,
    colouring: o.colouring,
  };
  await writePng(path, Buffer.from(shared), o.width, o.height, {
    compression: o.compression,
    creator: parameters.software,
    parameters,
    signal,
  });
  return { stats, encodeMs: performance.now() - encodeStarted };
}

async function run(o: RenderOptions): Promise<void> {
  const started = performance.now();
  checkMemory(o);
  if (o.output !== undefined) await prepareOutputPath(o.output);
  const bands = planBands(o.height, o.bandRows).length;
  // No more workers than bands: a thread with nothing to do would only cost its start-up.
  const pool = createRenderPool(Math.min(o.threads, bands), await compileKernel());
  const progress = await startProgress(bands, o.quiet);
  const note =
    o.output === undefined ? '; standard output is incomplete' : `; ${JSON.stringify(o.output)} was left as it was`;
  const interrupt = abortOnSignals(note);
  try {
    const { stats, encodeMs } =
      o.out === 'png' && o.output !== undefined
        ? await renderPng(o, pool, progress, o.output, interrupt.signal)
        : { stats: await renderAscii(o, pool, progress, interrupt.signal), encodeMs: 0 };
    progress.stop();
    if (o.stats && !o.quiet) process.stderr.write(statsReport(stats, encodeMs, performance.now() - started));
  } finally {
    progress.stop();
    await pool.destroy();
    interrupt.dispose();
  }
}

async function scale(o: ScaleOptions, argv: string[]): Promise<void> {
  // The experiment's modules (and the charting libraries) load only for `scale`: renders start faster.
  const [{ runScale }, { toTable, writeReport }] = await Promise.all([
    import('./scale/experiment.js'),
    import('./scale/report.js'),
  ]);
  await prepareOutputPath(`${o.output}/results.json`);
  const machine = machineInfo();
  const log = (line: string) => process.stderr.isTTY && process.stderr.write(`${line}\n`);
  const result = await runScale(o, await compileKernel(), machine.cores, log);
  process.stdout.write(toTable(result, o, machine));
  const files = await writeReport(result, o, machine, ['mandel-par', ...argv].join(' '));
  process.stdout.write(`Wrote ${files.csv}, ${files.json}, ${files.svg}, ${files.png}\n`);
}

/** Runs the CLI on `argv` (without node and the script) and returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  try {
    const raw = await commandLine(argv, version).parseAsync();
    if (raw.help || raw.version) return 0;
    if (raw._[0] === 'scale') await scale(resolveScaleOptions(raw), argv);
    else await run(resolveOptions(raw));
    return 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof RenderError || err instanceof InterruptedError) {
      process.stderr.write(`mandel-par: ${oneLine(err.message)}\n`);
      return err.exitCode;
    }
    // A bug, not a user's mistake: one line unless MANDEL_PAR_DEBUG asks for the stack.
    const detail = process.env.MANDEL_PAR_DEBUG
      ? (err as Error).stack
      : oneLine(String((err as Error)?.message ?? err));
    process.stderr.write(`mandel-par: unexpected failure: ${detail}\n`);
    return 1;
  }
}

// A reader that goes away (`mandel-par | head`) is not a failure: stop quietly, as other command-line tools do.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
});
process.exitCode = await main(hideBin(process.argv));
