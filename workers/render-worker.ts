/**
 * Piscina worker entry: one WebAssembly instance per worker thread, created once when the thread starts; each
 * task renders one band and turns it into output: ASCII lines handed back by transfer, or RGB pixels written
 * straight into the band's rows of the shared image.
 */
import { randomUUID } from 'node:crypto';
import { threadId } from 'node:worker_threads';
import { move, transferableSymbol, valueSymbol, workerData } from 'piscina';
import { countsToAscii } from '../src/ascii.js';
import type { BandPixels, BandResult, BandTask, Engine, EngineName } from '../src/band-job.js';
import { colourBand } from '../src/colour.js';
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

function toOutput({ counts, norms }: BandPixels, task: BandTask): Uint8Array {
  const { output } = task;
  if (output.kind === 'ascii') return countsToAscii(counts, task.width, task.rowCount);
  const width = task.width / output.aa;
  const rows = task.rowCount / output.aa;
  const target = new Uint8Array(output.image, (task.rowStart / output.aa) * width * 3, rows * width * 3);
  colourBand(counts, norms, width, rows, output.aa, output, target);
  return new Uint8Array(0);
}

export default function renderBand(task: BandTask): BandResult {
  const started = performance.now();
  const pixels = engines[task.engine](task);
  const iterated = performance.now();
  const bytes = toOutput(pixels, task);
  const result: BandResult = {
    bytes,
    threadId,
    instanceId,
    iterateMs: iterated - started,
    outputMs: performance.now() - iterated,
  };
  // Wrapped this way, Piscina transfers the band's buffer instead of cloning it.
  return move({ [transferableSymbol]: [bytes.buffer], [valueSymbol]: result } as never) as unknown as BandResult;
}
