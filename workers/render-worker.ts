/**
 * Piscina worker entry: one WebAssembly instance per worker thread, created once when the thread starts. Each
 * task renders its rectangles and turns them into output: ASCII or RGB bytes handed back by transfer, or RGB
 * pixels written straight into their place in the shared image.
 */
import { mark } from '../src/trace.js';

mark('worker: modules loaded');

import { closeSync, openSync, writeSync } from 'node:fs';
import { threadId, workerData } from 'node:worker_threads';
import { fillExactDerivatives, withExactFallback } from '../src/engines/exact.js';
import { createJsEngine } from '../src/engines/js.js';
import type { WasmInstance } from '../src/engines/wasm.js';
import { keptWasmBytes, wasmInstance } from '../src/engines/wasm.js';
import { needsDerivatives, writeData } from '../src/model/colouring.js';
import type { Rect } from '../src/model/plan.js';
import { addTally, EMPTY_TALLY, tallyBits, tallyCounts } from '../src/model/tally.js';
import type {
  CanvasFile,
  Engine,
  EngineName,
  KernelJob,
  RenderTask,
  SamplePixels,
  SharedImage,
  TaskResult,
} from '../src/model/task.js';
import { PIXEL_BYTES, rectByteLength, TASK_FINISHED, TASK_RUNNING } from '../src/model/task.js';
import { workSince } from '../src/model/work.js';
import { writeAscii, writeBits } from '../src/outputs/ascii.js';

export interface RenderWorkerData {
  wasmModule: WebAssembly.Module;
}

const { wasmModule } = workerData as RenderWorkerData;

/** This thread's WASM instance, its engines, its name in the render's stats, and the deep job it last ran. */
interface Kernel {
  wasm: WasmInstance;
  engines: Record<EngineName, Engine>;
  instanceId: string;
  key: string | undefined;
}

function freshKernel(): Kernel {
  const wasm = wasmInstance(wasmModule);
  const engines: Record<EngineName, Engine> = {
    'wasm-simd': wasm.engine('renderRectSimd'),
    wasm: wasm.engine('renderRect'),
    js: createJsEngine(),
    perturb: withExactFallback(wasm.engine('renderPerturb'), wasm.escape),
  };
  // Not randomUUID(): loading node:crypto cost each worker's start about 5 ms here.
  return { wasm, engines, instanceId: `${threadId}:${performance.timeOrigin}:${Math.random()}`, key: undefined };
}

let kernel = freshKernel();
const kept = keptWasmBytes();

/**
 * Iterations up to which outputs that need only inside or outside (ASCII, PBM) take the SIMD membership kernel
 * (assembly/membership.ts): it has no per-pixel bookkeeping, but no periodicity detection and no refilling of lanes
 * either. Measured on one thread here against the counting SIMD kernel, Benchmarks Game region: with shortcuts 1.9x
 * at 1000 iterations, 1.4x at 2000, 0.9x at 3000, 0.6x at 5000; without, 1.2x at 3000 to 10000 there, but 1.04x at
 * 3000 and 0.95x at 5000 and up on the classic view (mixed groups wait for their slowest lane).
 */
const MEMBERSHIP_MAX_ITER = 2000;

/**
 * A job's PBM bits (rows padded to whole bytes): from the membership kernel where it gives the same bits faster,
 * else packed from the counts of the engine asked for.
 */
function membershipBits(task: RenderTask, job: KernelJob, rect: Rect): Uint8Array {
  if (task.engine === 'wasm-simd' && !job.perturb && task.maxIter <= MEMBERSHIP_MAX_ITER) {
    return kernel.wasm.membership(job);
  }
  const bits = new Uint8Array(rectByteLength('bits', rect));
  writeBits(kernel.engines[task.engine](job).counts, rect.w, rect.h, bits, 0);
  return bits;
}
mark('worker: ready');

/**
 * Test-only fault injection, so that tests can watch the real pool meet a failing worker:
 * MANDEL_PAR_TEST_FAULT=throw:ROW (the task holding image row ROW throws), exit:ROW (its worker exits),
 * slow:MS (every task first sleeps MS milliseconds, leaving time to send a signal mid-render).
 */
const fault = /^(throw|exit|slow):(\d+)$/.exec(process.env.MANDEL_PAR_TEST_FAULT ?? '');

function injectFault(task: RenderTask): void {
  if (!fault) return;
  const [, kind, value] = fault;
  const n = Number(value);
  if (kind === 'slow') {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, n);
    return;
  }
  if (!task.rects.some((r) => n >= r.y && n < r.y + r.h)) return;
  if (kind === 'throw') throw new Error(`injected fault at row ${n}`);
  process.exit(70);
}

/** Copies a rectangle's rows (`size` bytes a pixel) into their place in the shared image. */
function placeRows(bytes: Uint8Array, rect: Rect, size: number, image: SharedImage): void {
  const target = new Uint8Array(image.buffer);
  const rowBytes = rect.w * size;
  for (let r = 0; r < rect.h; r++) {
    target.set(bytes.subarray(r * rowBytes, (r + 1) * rowBytes), ((rect.y + r) * image.width + rect.x) * size);
  }
}

/**
 * Writes a rectangle's rows (`size` bytes a pixel) into their places in the canvas file open as `fd`: one write when
 * they are whole rows, which are contiguous in the file.
 */
function writeRows(fd: number, bytes: Uint8Array, rect: Rect, size: number, canvas: CanvasFile): void {
  const rowBytes = rect.w * size;
  const at = (row: number) => canvas.offset + ((rect.y + row) * canvas.width + rect.x) * size;
  if (rect.w === canvas.width) writeAll(fd, bytes.subarray(0, rect.h * rowBytes), at(0));
  else for (let r = 0; r < rect.h; r++) writeAll(fd, bytes.subarray(r * rowBytes, (r + 1) * rowBytes), at(r));
}

/** writeSync may write less than asked (a signal, a file system's limit): go on until all of it is written. */
function writeAll(fd: number, bytes: Uint8Array, position: number): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
}

/**
 * The samples' derivatives (see assembly/derivative.ts) where the output needs them, for a colouring that shades or
 * the npy distance field; undefined elsewhere, so that smooth colour and plain numbers pay nothing for them.
 */
function sampleDerivatives(job: KernelJob, pixels: SamplePixels, task: RenderTask): Float64Array | undefined {
  const { format, colouring } = task.output;
  if (format === 'rgb' ? !needsDerivatives(colouring) : format !== 'data-distance') return undefined;
  const derivs = kernel.wasm.derivatives(job, pixels.counts);
  if (task.engine === 'perturb') fillExactDerivatives(job, pixels.counts, derivs);
  return derivs;
}

/**
 * Brute-force iterations one kernel call may take at most. V8 runs a WASM function on its baseline code until it
 * has run hot, and swaps in optimised code only for later calls: short calls reach the fast code within
 * milliseconds (1920 x 1080 at 3000 iterations in one call: 2.2 s; in calls of 16 rows: 1.4 s).
 */
const CALL_BUDGET = 2 ** 26;

/** The rectangle as runs of whole pixel rows, each worth at most about CALL_BUDGET iterations (one row at least). */
function* chunks(rect: Rect, aa: number, maxIter: number): Generator<Rect> {
  const rows = Math.max(1, Math.floor(CALL_BUDGET / (rect.w * aa * aa * maxIter)));
  for (let y = rect.y; y < rect.y + rect.h; y += rows) yield { ...rect, y, h: Math.min(rows, rect.y + rect.h - y) };
}

export default function renderTask(task: RenderTask): TaskResult {
  mark('worker: task starts');
  // Another job than the instance's last, whose memory grew large: a fresh instance (the new job copies its orbit in
  // either way), so that the thread does not keep what its largest job needed.
  const key = task.perturb?.key;
  if (key !== kernel.key && kernel.wasm.memoryBytes() > kept) kernel = freshKernel();
  kernel.key = key;
  const { wasm, engines, instanceId } = kernel;
  // The render was stopped: whatever this worker still holds is no longer wanted.
  const stopped = () => Atomics.load(task.states, task.states.length - 1) !== 0;
  if (stopped())
    return {
      bytes: new Uint8Array(0),
      threadId,
      instanceId,
      iterateMs: 0,
      outputMs: 0,
      setupMs: 0,
      tally: EMPTY_TALLY,
    };
  Atomics.store(task.states, task.index, TASK_RUNNING);
  injectFault(task);
  const { aa, output } = task;
  const { format, image, canvas } = output;
  const engine = engines[task.engine];
  // Shared with the main thread, so the result crosses without a copy. (Piscina's move() would transfer a buffer
  // too, but importing piscina in the worker cost every worker's start-up about 50 ms.)
  const inPlace = image !== undefined || canvas !== undefined;
  const length = inPlace ? 0 : task.rects.reduce((n, r) => n + rectByteLength(format, r), 0);
  const bytes = new Uint8Array(new SharedArrayBuffer(length));
  const fd = canvas ? openSync(canvas.path, 'r+') : -1;
  let at = 0;
  let iterateMs = 0;
  let outputMs = 0;
  let setupMs = 0;
  let tally = EMPTY_TALLY;
  const work = task.engine === 'perturb' ? wasm.perturbCounters() : undefined;
  try {
    for (const rect of task.rects.flatMap((r) => [...chunks(r, aa, task.maxIter)])) {
      if (stopped()) break;
      const started = performance.now();
      const samples = {
        colStart: rect.x * aa,
        width: rect.w * aa,
        rowStart: rect.y * aa,
        rowCount: rect.h * aa,
        maxIter: task.maxIter,
        julia: task.julia,
      };
      const job: KernelJob = task.perturb
        ? { ...samples, perturb: task.perturb }
        : { ...samples, mapping: task.mapping, shortcuts: task.shortcuts };
      let iterated: number;
      if (format === 'ascii' || format === 'bits') {
        // aa is 1 here: supersampling is for colour.
        const bits = membershipBits(task, job, rect);
        iterated = performance.now();
        tally = addTally(tally, tallyBits(bits, rect.w, rect.h));
        if (format === 'bits') bytes.set(bits, at);
        else writeAscii(bits, rect.w, rect.h, bytes, at);
      } else {
        const pixels = engine(job);
        iterated = performance.now();
        tally = addTally(tally, tallyCounts(pixels.counts, task.maxIter));
        const size = PIXEL_BYTES[format];
        const derivs = sampleDerivatives(job, pixels, task);
        const values =
          format === 'rgb'
            ? wasm.colour(pixels, rect.w, rect.h, aa, output.colouring, derivs)
            : new Uint8Array(rect.w * rect.h * size);
        if (format !== 'rgb') writeData(pixels.counts, pixels.norms, values, 0, derivs);
        if (image) placeRows(values, rect, size, image);
        else if (canvas) writeRows(fd, values, rect, size, canvas);
        else bytes.set(values, at);
      }
      at += inPlace ? 0 : rectByteLength(format, rect);
      // A deep job's first call copies its orbit in, and the first sample in doubt builds the double-double runs:
      // kept apart, so that iterateMs is the samples' own cost (the estimate scales it to the picture).
      const setup = wasm.takeSetupMs();
      setupMs += setup;
      iterateMs += iterated - started - setup;
      outputMs += performance.now() - iterated;
    }
  } finally {
    if (fd >= 0) closeSync(fd);
  }
  Atomics.store(task.states, task.index, TASK_FINISHED);
  const result = { bytes, threadId, instanceId, iterateMs, outputMs, setupMs, tally };
  if (!work) return result;
  return { ...result, perturbWork: workSince(work, wasm.perturbCounters()) };
}
