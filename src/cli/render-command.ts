/**
 * The render command: plan, check memory and the output path, render through the core into ASCII (standard output
 * or a file) or a PNG file, with a progress bar and signals that stop cleanly.
 */
import { checkMemory } from '../core/memory.js';
import type { Plan } from '../core/plan.js';
import { planBands } from '../core/plan.js';
import type { RenderCall, Renderer, RenderStats } from '../core/renderer.js';
import { defaultPlan } from '../core/renderer.js';
import type { RenderSpec } from '../core/spec.js';
import { asciiText, rgbImage } from '../outputs/destinations.js';
import type { Sink } from '../outputs/files.js';
import { atomicFileSink, prepareOutputPath, stdoutSink } from '../outputs/files.js';
import { writePng } from '../outputs/png.js';
import { pictureParameters } from '../outputs/provenance.js';
import { mark } from '../trace.js';
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
    if (c.stats && !c.quiet) process.stderr.write(statsReport(stats, encodeMs, performance.now() - started));
  } finally {
    progress.stop();
    interrupt.dispose();
  }
}
