/**
 * The render command: plan, check memory and the output path, render through the core into ASCII (standard output
 * or a file) or a PNG file, with a progress bar and signals that stop cleanly.
 */
import { stat } from 'node:fs/promises';
import { checkMemory } from '../core/memory.js';
import type { Plan } from '../core/plan.js';
import { planBands } from '../core/plan.js';
import type { RenderCall, Renderer, RenderStats } from '../core/renderer.js';
import { defaultPlan } from '../core/renderer.js';
import type { RenderSpec } from '../core/spec.js';
import { formatBytes } from '../errors.js';
import { asciiText, rgbImage } from '../outputs/destinations.js';
import type { Sink } from '../outputs/files.js';
import { atomicFileSink, prepareOutputPath, stdoutSink } from '../outputs/files.js';
import { writePng } from '../outputs/png.js';
import { pictureParameters } from '../outputs/provenance.js';
import { mark } from '../trace.js';
import { printLine } from './print.js';
import { startProgress } from './progress.js';
import type { RenderCommand } from './render-options.js';
import { statsReport } from './report.js';
import { abortOnSignals } from './signals.js';

type Call = Omit<RenderCall, 'destination'>;

async function renderAscii(renderer: Renderer, spec: RenderSpec, output: string | undefined, call: Call) {
  const sink: Sink = output === undefined ? stdoutSink() : await atomicFileSink(output);
  try {
    const destination = asciiText(spec.width, spec.height, (bytes) => sink.write(bytes));
    const stats = await renderer.render(spec, { ...call, destination });
    call.signal?.throwIfAborted();
    await sink.finish();
    return { stats, encodeMs: 0 };
  } catch (err) {
    await sink.discard();
    throw err;
  }
}

async function renderPng(renderer: Renderer, spec: RenderSpec, path: string, call: Call, beforeEncode: () => void) {
  const image = rgbImage(spec.width, spec.height);
  const stats = await renderer.render(spec, { ...call, destination: image });
  beforeEncode();
  const encodeStarted = performance.now();
  const parameters = pictureParameters(spec);
  const compression = spec.output.format === 'png' ? spec.output.compression : 1;
  await writePng(path, image.pixels, spec.width, spec.height, {
    compression,
    creator: parameters.software as string,
    parameters,
    signal: call.signal,
  });
  return { stats, encodeMs: performance.now() - encodeStarted };
}

/** "wrote output/mandel-3000x2000.png (2.5 MB, 3000 x 2000 pixels, 0.61 s)": the time since the process started. */
async function writtenLine(path: string, spec: RenderSpec): Promise<string> {
  const { size } = await stat(path);
  const seconds = (performance.now() / 1000).toFixed(2);
  return `wrote ${path} (${formatBytes(size)}, ${spec.width} x ${spec.height} pixels, ${seconds} s)`;
}

/** Runs one render as the command line asked, on `renderer` (which the caller closes). */
export async function runRender(c: RenderCommand, renderer: Renderer): Promise<void> {
  const started = performance.now();
  const { spec } = c;
  const plan: Plan =
    c.bandRows === undefined ? defaultPlan(spec, c.threads) : planBands(spec.width, spec.height, c.bandRows);
  checkMemory(spec, c.threads, plan, c.maxMemory);
  if (c.output !== undefined) await prepareOutputPath(c.output);
  const progress = await startProgress(plan.length, c.quiet);
  const note =
    c.output === undefined ? '; standard output is incomplete' : `; ${JSON.stringify(c.output)} was left as it was`;
  const interrupt = abortOnSignals(note);
  try {
    const call: Call = { plan, maxThreads: c.threads, signal: interrupt.signal, onProgress: () => progress.tick() };
    const { stats, encodeMs }: { stats: RenderStats; encodeMs: number } =
      spec.output.format === 'png' && c.output !== undefined
        ? await renderPng(renderer, spec, c.output, call, () => progress.stop())
        : await renderAscii(renderer, spec, c.output, call);
    mark('render: output written');
    progress.stop();
    // --quiet silences what is routine (the bar, the written-file line); --stats is asked for, so it is printed.
    if (c.output !== undefined && !c.quiet) printLine(await writtenLine(c.output, spec));
    if (c.stats) process.stderr.write(statsReport(stats, encodeMs, performance.now() - started));
  } finally {
    progress.stop();
    interrupt.dispose();
  }
}
