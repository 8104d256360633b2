/**
 * The render command: plan, check memory and the output path, render through the core into ASCII or PBM (standard
 * output or a file) or an image or NumPy file, with a progress bar and signals that stop cleanly.
 */
import { stat } from 'node:fs/promises';
import { checkMemory } from '../core/memory.js';
import type { Plan } from '../core/plan.js';
import { planBands } from '../core/plan.js';
import type { RenderCall, Renderer, RenderStats } from '../core/renderer.js';
import { defaultPlan } from '../core/renderer.js';
import type { RenderSpec } from '../core/spec.js';
import { pixelKind } from '../core/spec.js';
import { formatBytes } from '../errors.js';
import { asciiText, pbmBitmap, pixelData, rgbImage } from '../outputs/destinations.js';
import type { Sink } from '../outputs/files.js';
import { atomicFileSink, prepareOutputPath, stdoutSink } from '../outputs/files.js';
import { writeImage } from '../outputs/images.js';
import { writeNpy } from '../outputs/npy.js';
import { pictureMetadata } from '../outputs/provenance.js';
import { mark } from '../trace.js';
import { printLine } from './print.js';
import { startProgress } from './progress.js';
import type { RenderCommand } from './render-options.js';
import { statsReport } from './report.js';
import { abortOnSignals } from './signals.js';

type Call = Omit<RenderCall, 'destination'>;

/** ASCII or PBM, streamed to standard output or a file as rows complete. */
async function renderStream(renderer: Renderer, spec: RenderSpec, output: string | undefined, call: Call) {
  const sink: Sink = output === undefined ? stdoutSink() : await atomicFileSink(output);
  try {
    const write = (bytes: Uint8Array) => sink.write(bytes);
    const { width, height } = spec;
    const destination =
      spec.output.format === 'pbm' ? pbmBitmap(width, height, write) : asciiText(width, height, write);
    const stats = await renderer.render(spec, { ...call, destination });
    call.signal?.throwIfAborted();
    await sink.finish();
    return { stats, encodeMs: 0 };
  } catch (err) {
    await sink.discard();
    throw err;
  }
}

/** A colour image or the NumPy data: rendered whole in memory, then encoded into the file. */
async function renderFile(renderer: Renderer, spec: RenderSpec, path: string, call: Call, beforeEncode: () => void) {
  const { width, height } = spec;
  const data = pixelKind(spec.output.format) === 'data';
  const destination = data ? pixelData(width, height) : rgbImage(width, height);
  const stats = await renderer.render(spec, { ...call, destination });
  beforeEncode();
  const encodeStarted = performance.now();
  if (data) {
    await writeNpy(path, destination.pixels, width, height, call.signal);
  } else {
    const o = { ...pictureMetadata(spec), signal: call.signal };
    await writeImage(path, destination.pixels, width, height, spec.output, o);
  }
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
      pixelKind(spec.output.format) === 'membership' || c.output === undefined
        ? await renderStream(renderer, spec, c.output, call)
        : await renderFile(renderer, spec, c.output, call, () => progress.stop());
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
