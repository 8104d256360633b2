/**
 * Piscina worker entry: one WebAssembly instance per worker thread, created once when the thread starts. Each
 * task renders a set of rows and turns them into output: ASCII lines handed back by transfer, or RGB pixels written
 * straight into their rows of the shared image.
 */
import { randomUUID } from 'node:crypto';
import { threadId } from 'node:worker_threads';
import { move, transferableSymbol, valueSymbol, workerData } from 'piscina';
import { countsToAscii } from '../src/ascii.js';
import type { BandResult, BandTask, Engine, EngineName } from '../src/band-job.js';
import { createJsEngine } from '../src/engine-js.js';
import { instantiateKernel } from '../src/engine-wasm.js';

export interface RenderWorkerData {
  kernel: WebAssembly.Module;
}

const { kernel } = workerData as RenderWorkerData;
const wasm = await instantiateKernel(kernel);
const engines: Record<EngineName, Engine> = {
  'wasm-simd': wasm.engine('renderBandSimd'),
  wasm: wasm.engine('renderBand'),
  js: createJsEngine(),
};
const instanceId = randomUUID();

/**
 * Test-only fault injection, so that tests can watch the real pool meet a failing worker:
 * MANDEL_PAR_TEST_FAULT=throw:ROW (the task holding image row ROW throws), exit:ROW (its worker exits),
 * slow:MS (every task first sleeps MS milliseconds, leaving time to send a signal mid-render).
 */
const fault = /^(throw|exit|slow):(\d+)$/.exec(process.env.MANDEL_PAR_TEST_FAULT ?? '');

function injectFault(task: BandTask): void {
  if (!fault) return;
  const [, kind, value] = fault;
  const n = Number(value);
  if (kind === 'slow') {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, n);
    return;
  }
  const offset = n - task.rowStart;
  const holds = offset >= 0 && offset % task.rowStride === 0 && offset / task.rowStride < task.rowCount;
  if (!holds) return;
  if (kind === 'throw') throw new Error(`injected fault at row ${n}`);
  process.exit(70);
}

/** The task's rows as runs of consecutive rows: the whole band at once, or each row of a strided set alone. */
function runsOf(task: BandTask): [start: number, count: number][] {
  if (task.rowStride === 1) return [[task.rowStart, task.rowCount]];
  return Array.from({ length: task.rowCount }, (_, k) => [task.rowStart + k * task.rowStride, 1]);
}

export default function renderBand(task: BandTask): BandResult {
  injectFault(task);
  const { width, aa, output } = task;
  const lines: Uint8Array[] = [];
  let iterateMs = 0;
  let outputMs = 0;
  for (const [start, count] of runsOf(task)) {
    const started = performance.now();
    const pixels = engines[task.engine]({
      mapping: task.mapping,
      width: width * aa,
      rowStart: start * aa,
      rowCount: count * aa,
      maxIter: task.maxIter,
      shortcuts: task.shortcuts,
    });
    const iterated = performance.now();
    if (output.kind === 'ascii') {
      lines.push(countsToAscii(pixels.counts, width, count));
    } else {
      const rows = new Uint8Array(output.image, start * width * 3, count * width * 3);
      wasm.colour(pixels, width, count, aa, output, rows);
    }
    iterateMs += iterated - started;
    outputMs += performance.now() - iterated;
  }
  const bytes = lines.length === 1 ? lines[0] : Buffer.concat(lines);
  const result: BandResult = { bytes, threadId, instanceId, iterateMs, outputMs };
  // Wrapped this way, Piscina transfers the band's buffer instead of cloning it.
  return move({ [transferableSymbol]: [bytes.buffer], [valueSymbol]: result } as never) as unknown as BandResult;
}
