/**
 * The render command: plan, check memory and the output path, render through the renderer into ASCII or PBM (standard
 * output or a file), or into a picture held whole (an image, a pyramid, NumPy data) in memory or, when large, in a
 * canvas file on disk that survives an interruption and can be shared by shards. A progress bar, and signals that
 * stop cleanly.
 */
import { stat, statfs } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import {
  diskTooSmall,
  failedResumable,
  formatBytes,
  invalidOption,
  keptAsItGoes,
  keptForResume,
  memoryParts,
  nothingToResume,
  outputFailed,
  RenderError,
  UsageError,
  unfinishedRender,
  uniformPicture,
} from '../errors.js';
import type { Plan } from '../model/plan.js';
import { planBands } from '../model/plan.js';
import type { OutputFormat, RenderSpec } from '../model/spec.js';
import { dataFormat, isPyramid, pixelKind } from '../model/spec.js';
import { uniformity } from '../model/tally.js';
import { assembleParts } from '../outputs/assemble.js';
import { canvasBytes } from '../outputs/canvas.js';
import { asciiText, diskCanvas, pbmBitmap, pixelData, rgbImage } from '../outputs/destinations.js';
import type { Sink } from '../outputs/files.js';
import { atomicFileSink, checkOutputPath, isDevice, prepareOutputPath, stdoutSink } from '../outputs/files.js';
import type { PartsJob } from '../outputs/parts.js';
import {
  canvasKind,
  checkSameJob,
  finishedRects,
  openParts,
  partsBandRows,
  partsFolder,
  readJob,
  shardTasks,
  startRecorder,
  unfinished,
} from '../outputs/parts.js';
import { writePicture } from '../outputs/picture.js';
import { pyramidSize } from '../outputs/pyramid.js';
import { centreDecimals } from '../plane/view.js';
import type { MemoryEstimate } from '../render/memory.js';
import { checkMemory } from '../render/memory.js';
import type { RenderCall, Renderer, RenderStats } from '../render/renderer.js';
import { defaultPlan } from '../render/renderer.js';
import { mark } from '../trace.js';
import { counted } from '../words.js';
import { autoCycle } from './auto-cycle.js';
import { autoIterations } from './auto-iterations.js';
import type { Estimate } from './estimate.js';
import { ANNOUNCE_FROM_MS, duration, estimateRender, keepFromMs, mayBeLong } from './estimate.js';
import { printLine } from './print.js';
import type { Progress } from './progress.js';
import { startProgress } from './progress.js';
import type { RenderCommand } from './render-options.js';
import { statsReport } from './report.js';
import { arrayLayout, resolveShard } from './shard.js';
import { abortOnSignals } from './signals.js';

type Call = Omit<RenderCall, 'destination'>;
type Outcome = { stats: RenderStats; encodeMs: number };

/**
 * Pictures larger than this are rendered into a canvas on disk when --canvas is auto: memory stays flat, and a render
 * long enough to be interrupted can be resumed. Below it, memory is as fast and leaves nothing on disk.
 */
const DISK_CANVAS_BYTES = 2 ** 28;

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

/** A picture held whole in memory, then written (encoded) into the file. */
async function renderInMemory(
  renderer: Renderer,
  spec: RenderSpec,
  path: string,
  call: Call,
  beforeEncode: () => void,
) {
  const { width, height } = spec;
  const destination =
    pixelKind(spec.output.format) === 'data'
      ? pixelData(width, height, dataFormat(spec.output))
      : rgbImage(width, height);
  const stats = await renderer.render(spec, { ...call, destination });
  beforeEncode();
  const encodeStarted = performance.now();
  await writePicture(path, spec, { pixels: destination.pixels, width, height }, call.signal);
  return { stats, encodeMs: performance.now() - encodeStarted };
}

/** Refuses a render on disk whose canvas the disk cannot hold (what a resumed canvas already holds is counted). */
async function checkDiskSpace(folder: string, job: PartsJob): Promise<void> {
  const { width, height } = job.spec;
  const needed = canvasBytes(canvasKind(job.spec), width, height);
  const existing = await stat(folder).then(
    () => needed,
    () => 0,
  );
  const fs = await statfs(dirname(folder));
  const free = fs.bavail * fs.bsize;
  if (needed - existing > free) throw diskTooSmall(dirname(folder), needed, free);
}

/** The parts folder's job that rendering `c` on disk at `path` writes or joins, and this process's shard. */
async function partsJob(
  c: RenderCommand,
  path: string,
): Promise<{ job: PartsJob; shard: { index: number; count: number } }> {
  const { spec } = c;
  const existing = c.shard?.task && (await readJob(partsFolder(path)));
  const shard = c.shard ? resolveShard(c.shard, existing ? existing.array : undefined) : { index: 1, count: 1 };
  const array = existing ? existing.array : arrayLayout(shard);
  const job: PartsJob = {
    spec,
    bandRows: c.bandRows ?? partsBandRows(spec.width, spec.height),
    shards: shard.count,
    output: basename(path),
    ...(array && { array }),
  };
  return { job, shard };
}

/**
 * A picture rendered into the canvas of its parts folder (outputs/parts.ts), only the bands of this shard that are
 * not finished yet, each recorded durably as it is written. A whole render (one shard) then writes the picture and
 * removes the folder; a shard leaves it for `mandel-par assemble`.
 */
async function renderOnDisk(
  renderer: Renderer,
  c: RenderCommand,
  path: string,
  call: Call,
  progress: (done: number, total: number) => Promise<Progress>,
): Promise<Outcome & { shardDone?: string }> {
  const { spec } = c;
  const folder = partsFolder(path);
  const { job, shard } = await partsJob(c, path);
  await checkDiskSpace(folder, job);
  const canvas = await openParts(folder, job).catch((err) => {
    throw err instanceof UsageError ? err : outputFailed(folder, err);
  });
  const plan = planBands(spec.width, spec.height, job.bandRows);
  const mine = shardTasks(plan.length, shard.index, shard.count);
  const todo = unfinished(plan, await finishedRects(folder), mine);
  const bar = await progress(mine.length - todo.length, mine.length);
  const recorder = await startRecorder(folder, canvas, shard.index, shard.count);
  try {
    const destination = diskCanvas(canvas, canvasKind(spec), (rect) => recorder.record(rect));
    const onProgress = () => bar.tick();
    const stats = await renderer.render(spec, { ...call, plan: todo.map((k) => plan[k]), destination, onProgress });
    await recorder.close();
    bar.stop();
    // A shard leaves the assembling to `assemble`, even the one shard of a one-task array (a job array's assemble step
    // that follows it found nothing to assemble, and failed).
    if (c.shard) {
      const shardDone =
        `shard ${shard.index}/${shard.count}: ${mine.length} of ${plan.length} bands are in ${folder}; ` +
        `when every shard is done: mandel-par assemble ${folder}`;
      return { stats, encodeMs: 0, shardDone };
    }
    const encodeStarted = performance.now();
    await assembleParts(folder, call.signal);
    return { stats, encodeMs: performance.now() - encodeStarted };
  } catch (err) {
    await recorder.close().catch(() => {});
    throw err instanceof RenderError ? failedResumable(err, folder) : err;
  }
}

/** A file's size in words, or "a device". */
async function fileSize(path: string): Promise<string> {
  // A descriptor's file (-o /dev/stdout >> log) holds more than this run wrote.
  if (await isDevice(path)) return 'a device';
  return formatBytes((await stat(path)).size);
}

/** "wrote output/mandel-3000x2000.png (2.5 MB, 3000 x 2000 pixels, 0.61 s)": the time since the process started. */
export async function writtenLine(path: string, spec: RenderSpec): Promise<string> {
  const seconds = (performance.now() / 1000).toFixed(2);
  const what = isPyramid(spec.output.format) ? await pyramidSize(path, spec.output.format) : await fileSize(path);
  // A Deep Zoom pyramid is named by its descriptor, NAME.dzi, whatever -o ended in.
  const named = spec.output.format === 'dzi' && !path.endsWith('.dzi') ? `${path}.dzi` : path;
  return `wrote ${named} (${what}, ${spec.width} x ${spec.height} pixels, ${seconds} s)`;
}

/** The command with --max-iter auto chosen (cli/auto-iterations.ts), said in one line unless --quiet. */
async function withAutoIterations(c: RenderCommand, renderer: Renderer): Promise<RenderCommand> {
  const auto = await autoIterations(renderer, c.spec);
  if (!c.quiet) {
    const late = `of a sample ${(auto.insideShare * 100).toFixed(1)}% inside, ${(auto.lateShare * 100).toFixed(1)}% escaped in its second half`;
    printLine(`--max-iter auto: ${auto.maxIter} (tried ${auto.tried.join(', ')}; ${late})`);
  }
  return { ...c, spec: { ...c.spec, maxIter: auto.maxIter } };
}

/** The command with its spec's cycle chosen from a sample of the view (`--cycle auto`); said with --stats. */
async function withAutoCycle(c: RenderCommand, renderer: Renderer): Promise<RenderCommand> {
  // On the render's threads: the command line's renderer may run up to MAX_THREADS (a deep view started a worker
  // a 4096 samples ahead of its setup: 126 on this 2-core machine for 960 x 540).
  const auto = await autoCycle(renderer, c.spec, c.threads);
  if (c.stats)
    printLine(`--cycle auto: ${auto.cycle} (neighbours differ by ${auto.step.toPrecision(3)} iterations, median)`);
  return { ...c, spec: { ...c.spec, colouring: { ...c.spec.colouring, cycle: auto.cycle } } };
}

/** Whether the disk has room for the canvas of a render on disk. */
async function canvasFits(c: RenderCommand): Promise<boolean> {
  const { width, height } = c.spec;
  const fs = await statfs(dirname(resolve(c.output as string))).catch(() => undefined);
  return fs !== undefined && canvasBytes(canvasKind(c.spec), width, height) <= fs.bavail * fs.bsize;
}

/** The plan of a render on disk: bands of the parts folder's height. */
function partsPlan(c: RenderCommand): Plan {
  const { width, height } = c.spec;
  return planBands(width, height, c.bandRows ?? partsBandRows(width, height));
}

/**
 * What --dry-run prints: the picture, its --cycle auto, the plan, where it is held, the memory and the time, and that
 * nothing was written.
 */
function dryRunReport(c: RenderCommand, plan: Plan, onDisk: boolean, memory: MemoryEstimate, e: Estimate): string {
  const { spec } = c;
  const format = spec.output.format;
  const rows = plan[0]?.[0]?.h ?? 0;
  const streamed = pixelKind(format) === 'membership';
  const where = onDisk
    ? `on disk in ${JSON.stringify(partsFolder(c.output as string))} (resumable)`
    : c.output === undefined
      ? 'streamed to standard output'
      : streamed
        ? 'streamed to the file'
        : 'held in memory';
  const shard = c.shard ? `; shard ${c.shard.index}/${c.shard.count} renders one band in ${c.shard.count}` : '';
  const resumed = c.resume ? ' for the whole picture: the bands the parts folder holds are not subtracted' : '';
  return [
    `dry run: a ${spec.width} x ${spec.height} ${format === 'ascii' ? 'ASCII picture' : format.toUpperCase()} at --max-iter ${spec.maxIter}, engine ${spec.engine}, on ${counted(c.threads, 'thread')}`,
    ...(c.autoCycle ? [`colour: --cycle ${spec.colouring.cycle}, chosen from a sample of the view`] : []),
    `plan: ${counted(plan.length, 'task')} (bands of ${counted(rows, 'row')}), ${where}${shard}`,
    `memory: about ${formatBytes(memory.total)} (${memoryParts(memory)})`,
    `time: about ${duration(e.ms)}${resumed} (from ${e.sample}, rendered in ${duration(e.sampleMs)})`,
    'nothing was written',
    '',
  ].join('\n');
}

/** The line said before a long render. */
function announce(c: RenderCommand, e: Estimate, onDisk: boolean): string {
  const kept = onDisk && c.output !== undefined ? `; ${keptAsItGoes(partsFolder(c.output))}` : '';
  return `this render will take about ${duration(e.ms)} on ${counted(c.threads, 'thread')} (estimated from a sample)${kept}`;
}

/** Formats written as one stream, which a device or FIFO can take (TIFF seeks; pyramids are folders of files). */
const DEVICE_FORMATS: readonly OutputFormat[] = ['ascii', 'pbm', 'npy', 'png', 'jpeg', 'webp', 'avif'];

/** Refuses what cannot be written into a device or FIFO: a format that is not one stream, or parts beside it. */
function checkDevice(c: RenderCommand): void {
  const path = c.output as string;
  const format = c.spec.output.format;
  if (!DEVICE_FORMATS.includes(format)) {
    throw invalidOption(
      'output',
      path,
      `a file path: ${format} cannot be written into a device (only ${DEVICE_FORMATS.join(', ')})`,
      format === 'dzi' ? '-o poster.dzi' : format === 'iiif' ? '-o poster' : '-o pic.tif',
    );
  }
  if (c.canvas === 'disk' || c.resume || c.shard) {
    throw invalidOption(
      'output',
      path,
      'a file path: a render into a device keeps no parts beside it (--canvas disk, --resume, --shard)',
      '-o pic.png',
    );
  }
}

/**
 * Whether the picture is held on disk: the user's choice, else when it is large or would not fit in memory. Throws
 * when it does not fit where it goes.
 */
function chooseCanvas(c: RenderCommand, plan: Plan): boolean {
  const { spec } = c;
  const inMemory = () => checkMemory(spec, c.threads, plan, c.maxMemory);
  const onDisk = () => {
    checkMemory(spec, c.threads, partsPlan(c), c.maxMemory, { onDisk: true, encodes: !c.shard });
    return true;
  };
  if (pixelKind(spec.output.format) === 'membership' || c.canvas === 'memory') {
    inMemory();
    return false;
  }
  if (c.canvas === 'disk' || c.resume || c.shard !== undefined) return onDisk();
  try {
    if (inMemory().image <= DISK_CANVAS_BYTES) return false;
  } catch {}
  return onDisk();
}

/** Runs one render as the command line asked, on `renderer` (which the caller closes). */
export async function runRender(given: RenderCommand, renderer: Renderer): Promise<void> {
  const started = performance.now();
  const iterated = given.autoIter ? await withAutoIterations(given, renderer) : given;
  // A dry run too: its sample warms the workers as the render's does, so the two estimates of the time agree (on cold
  // workers a dry run's came out 10-25% longer, and could say "resumable" of a render that then kept nothing).
  const c = iterated.autoCycle ? await withAutoCycle(iterated, renderer) : iterated;
  const { spec } = c;
  const plan: Plan =
    c.bandRows === undefined ? defaultPlan(spec, c.threads) : planBands(spec.width, spec.height, c.bandRows);
  const device = c.output !== undefined && (await isDevice(c.output));
  if (device) checkDevice(c);
  // What does not fit where it would go is refused before anything is written (a long render's estimate can only
  // move it from memory to disk, which needs less).
  const needsDisk = !device && chooseCanvas(c, plan);
  // An IIIF pyramid is a folder: one already there is replaced if it is one.
  const folder = spec.output.format === 'iiif' ? { marker: 'info.json' } : undefined;
  if (c.output !== undefined)
    await (c.dryRun ? checkOutputPath(c.output, folder) : prepareOutputPath(c.output, folder));
  // Whatever the canvas, an interrupted render's parts are not silently left behind, nor overwritten.
  const parts = c.output === undefined ? undefined : partsFolder(c.output);
  const left = parts && pixelKind(spec.output.format) !== 'membership' ? await readJob(parts) : undefined;
  if (parts && left && !c.resume && !c.shard) throw unfinishedRender(parts);
  if (parts && !left && c.resume && !c.shard && !c.quiet) printLine(nothingToResume(parts));
  // Not on --resume: an estimate is of the whole picture, not of what is left, and the parts decide the canvas. A dry
  // run samples any render, for its time, but keeps only what the render would (it said "resumable" of a render whose
  // bound said short, which then kept nothing).
  const mayKeep = mayBeLong(spec, c.threads) && !c.resume;
  const sampled = c.dryRun || mayKeep;
  const whole = sampled ? await estimateRender(renderer, spec, c.threads, !c.shard) : undefined;
  if (whole) mark(`estimate: ${whole.sample}, ${(whole.ms / 1000).toFixed(2)} s`);
  // A shard renders its share of the bands.
  const estimate = whole && { ...whole, ms: whole.ms / (c.shard?.count ?? 1) };
  // A long render keeps its finished part on disk as it goes, so that a kill or Ctrl-C loses nothing: on disk only to
  // be kept (not for its size), and where the disk has no room for the canvas, in memory as before.
  const long = mayKeep && estimate !== undefined && estimate.ms >= keepFromMs();
  const keep = long && !device && !needsDisk && c.canvas === 'auto' && pixelKind(spec.output.format) !== 'membership';
  const onDisk = needsDisk || (keep && c.output !== undefined && (await canvasFits(c)));
  if (c.dryRun) {
    // What --resume or a shard would refuse, this refuses too: a parts folder of another render (a job array checked
    // by a dry run was given a plan, then every task failed).
    if (parts && left && (c.resume || c.shard) && onDisk) {
      checkSameJob(parts, left, (await partsJob(c, c.output as string)).job);
    }
    const used = onDisk ? partsPlan(c) : plan;
    const memory = checkMemory(spec, c.threads, used, c.maxMemory, { onDisk, encodes: !c.shard });
    process.stdout.write(dryRunReport(c, used, onDisk, memory, estimate as Estimate));
    return;
  }
  if (estimate && estimate.ms >= ANNOUNCE_FROM_MS && !c.quiet) printLine(announce(c, estimate, onDisk));
  const note =
    c.output === undefined
      ? '; standard output is incomplete'
      : onDisk
        ? keptForResume(partsFolder(c.output))
        : `; ${JSON.stringify(c.output)} was left as it was`;
  const interrupt = abortOnSignals(note);
  let progress: Progress | undefined;
  const startBar = async (done: number, total: number) => {
    progress = await startProgress(total, c.quiet, done);
    return progress;
  };
  try {
    const call: Call = { plan, maxThreads: c.threads, signal: interrupt.signal, onProgress: () => progress?.tick() };
    const outcome: Outcome & { shardDone?: string } =
      pixelKind(spec.output.format) === 'membership' || c.output === undefined
        ? await startBar(0, plan.length).then(() => renderStream(renderer, spec, c.output, call))
        : onDisk
          ? await renderOnDisk(renderer, c, c.output, call, startBar)
          : await startBar(0, plan.length).then(() =>
              renderInMemory(renderer, spec, c.output as string, call, () => progress?.stop()),
            );
    mark('render: output written');
    progress?.stop();
    // Of a whole render only: a shard or a resumed remainder holds part of the picture.
    const how = c.shard || c.resume ? undefined : uniformity(outcome.stats.tally);
    if (how) {
      const decimals = spec.view && centreDecimals(spec.view);
      printLine(uniformPicture(how, outcome.stats.tally, spec.maxIter, decimals, given.autoIter));
    }
    // --quiet silences what is routine (the bar, the written-file line); --stats is asked for, so it is printed.
    if (outcome.shardDone !== undefined) {
      if (!c.quiet) printLine(outcome.shardDone);
    } else if (c.output !== undefined && !c.quiet) printLine(await writtenLine(c.output, spec));
    if (c.stats) {
      const threads = { used: c.threads, asked: c.threadsAsked };
      const total = { commandMs: performance.now() - started, processMs: performance.now() };
      const report = statsReport(outcome.stats, outcome.encodeMs, total, threads, spec.maxIter);
      process.stderr.write(report);
    }
  } finally {
    progress?.stop();
    interrupt.dispose();
  }
}
