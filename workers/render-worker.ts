/**
 * Piscina worker entry: one WebAssembly instance per worker thread, created once when the thread starts. Each
 * task renders its rectangles and turns them into output: ASCII or RGB bytes handed back by transfer, or RGB
 * pixels written straight into their place in the shared image.
 */
import { randomUUID } from 'node:crypto';
import { threadId } from 'node:worker_threads';
import { move, transferableSymbol, valueSymbol, workerData } from 'piscina';
import type { Rect } from '../src/core/plan.js';
import type { Engine, EngineName, RenderTask, TaskResult } from '../src/core/task.js';
import { createJsEngine } from '../src/engines/js.js';
import { instantiateWasm } from '../src/engines/wasm.js';
import { countsToAscii } from '../src/outputs/ascii.js';

export interface RenderWorkerData {
  wasmModule: WebAssembly.Module;
}

const { wasmModule } = workerData as RenderWorkerData;
const wasm = await instantiateWasm(wasmModule);
const engines: Record<EngineName, Engine> = {
  'wasm-simd': wasm.engine('renderRectSimd'),
  wasm: wasm.engine('renderRect'),
  js: createJsEngine(),
};
const instanceId = randomUUID();

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

/** Copies a rectangle's RGB rows into their place in the shared image. */
function placeRows(rgb: Uint8Array, rect: Rect, image: { buffer: SharedArrayBuffer; width: number }): void {
  const target = new Uint8Array(image.buffer);
  const rowBytes = rect.w * 3;
  for (let r = 0; r < rect.h; r++) {
    target.set(rgb.subarray(r * rowBytes, (r + 1) * rowBytes), ((rect.y + r) * image.width + rect.x) * 3);
  }
}

/** The parts in one buffer of its own (Buffer.concat may return a slice of Node's shared pool: not transferable). */
function concat(parts: Uint8Array[]): Uint8Array {
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

export default function renderTask(task: RenderTask): TaskResult {
  injectFault(task);
  const { aa, output } = task;
  const parts: Uint8Array[] = [];
  let iterateMs = 0;
  let outputMs = 0;
  for (const rect of task.rects) {
    const started = performance.now();
    const pixels = engines[task.engine]({
      mapping: task.mapping,
      colStart: rect.x * aa,
      width: rect.w * aa,
      rowStart: rect.y * aa,
      rowCount: rect.h * aa,
      maxIter: task.maxIter,
      shortcuts: task.shortcuts,
    });
    const iterated = performance.now();
    if (output.kind === 'ascii') {
      parts.push(countsToAscii(pixels.counts));
    } else {
      const rgb = wasm.colour(pixels, rect.w, rect.h, aa, output.colouring);
      if (output.image) placeRows(rgb, rect, output.image);
      else parts.push(rgb.slice());
    }
    iterateMs += iterated - started;
    outputMs += performance.now() - iterated;
  }
  const bytes = parts.length === 1 ? parts[0] : concat(parts);
  const result: TaskResult = { bytes, threadId, instanceId, iterateMs, outputMs };
  // Wrapped this way, Piscina transfers the task's buffer instead of cloning it.
  return move({ [transferableSymbol]: [bytes.buffer], [valueSymbol]: result } as never) as unknown as TaskResult;
}
