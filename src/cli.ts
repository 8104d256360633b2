#!/usr/bin/env node
/** mandel-par's command line: parse, render through the pool, write the output, map errors to exit codes. */
import { readFileSync } from 'node:fs';
import { hideBin } from 'yargs/helpers';
import type { RenderOptions } from './args.js';
import { commandLine, resolveOptions } from './args.js';
import { compileKernel } from './engine-wasm.js';
import { RenderError, UsageError } from './errors.js';
import { planBands } from './planner.js';
import { createRenderPool } from './pool.js';
import { render } from './render.js';
import type { Sink } from './sink.js';
import { atomicFileSink, stdoutSink } from './sink.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

async function renderToOutput(options: RenderOptions): Promise<void> {
  const sink: Sink = options.output === undefined ? stdoutSink() : await atomicFileSink(options.output);
  // No more workers than bands: a thread with nothing to do would only cost its start-up.
  const threads = Math.min(options.threads, planBands(options.height, options.bandRows).length);
  const pool = createRenderPool(threads, await compileKernel());
  try {
    await render(pool, { ...options, format: options.out }, (bytes) => sink.write(bytes));
    await sink.finish();
  } catch (err) {
    await sink.discard();
    throw err;
  } finally {
    await pool.destroy();
  }
}

/** Runs the CLI on `argv` (without node and the script) and returns the exit status. */
export async function main(argv: string[]): Promise<number> {
  try {
    const raw = await commandLine(argv, version).parseAsync();
    if (raw.help || raw.version) return 0;
    await renderToOutput(resolveOptions(raw));
    return 0;
  } catch (err) {
    if (err instanceof UsageError || err instanceof RenderError) {
      process.stderr.write(`mandel-par: ${err.message}\n`);
      return err.exitCode;
    }
    const detail = process.env.MANDEL_PAR_DEBUG ? (err as Error).stack : String((err as Error)?.message ?? err);
    process.stderr.write(`mandel-par: unexpected failure: ${detail}\n`);
    return 1;
  }
}

process.exitCode = await main(hideBin(process.argv));
