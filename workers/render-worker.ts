/**
 * Piscina worker entry: one WebAssembly instance per worker thread, created once when the thread starts; each
 * task renders one band and hands its bytes back by transfer, not by copy.
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
const wasm = instantiateKernel(kernel);
const engines: Record<EngineName, Engine> = {
  'wasm-simd': wasm('renderBandSimd'),
  wasm: wasm('renderBand'),
  js: createJsEngine(),
};
const instanceId = randomUUID();

export default function renderBand(task: BandTask): BandResult {
  const started = performance.now();
  const { counts } = engines[task.engine](task);
  const bytes = countsToAscii(counts, task.width, task.rowCount);
  const result: BandResult = { bytes, threadId, instanceId, busyMs: performance.now() - started };
  // Wrapped this way, Piscina transfers the band's buffer instead of cloning it.
  return move({ [transferableSymbol]: [bytes.buffer], [valueSymbol]: result } as never) as unknown as BandResult;
}
