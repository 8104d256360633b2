/**
 * The AssemblyScript kernel: compiled once (in the main thread), instantiated once per worker thread.
 */
import { readFile } from 'node:fs/promises';
import type { BandJob, Engine } from './band-job.js';

/** The kernel module's exports (assembly/index.ts). */
interface KernelExports {
  memory: WebAssembly.Memory;
  outputPtr(): number;
  renderBand(
    xMin: number,
    stepX: number,
    yMax: number,
    stepY: number,
    width: number,
    rowStart: number,
    rowCount: number,
    maxIter: number,
  ): void;
}

const WASM_PAGE = 65536;
const KERNEL_URL = new URL('../../build/mandel.wasm', import.meta.url);

/** Reads and compiles build/mandel.wasm (made by `npm run build:wasm`). */
export async function compileKernel(): Promise<WebAssembly.Module> {
  return WebAssembly.compile(await readFile(KERNEL_URL));
}

/** Instantiates the kernel and wraps it as an engine whose counts view lives in the instance's memory. */
export function instantiateKernel(module: WebAssembly.Module): Engine {
  const instance = new WebAssembly.Instance(module, {
    env: {
      // Only a debug build imports abort; make its failures readable instead of a bare trap.
      abort(_msg: number, _file: number, line: number, column: number) {
        throw new Error(`WASM kernel assertion failed at ${line}:${column}`);
      },
    },
  });
  const kernel = instance.exports as unknown as KernelExports;
  const out = kernel.outputPtr();
  return ({ mapping, width, rowStart, rowCount, maxIter }: BandJob) => {
    const pixels = width * rowCount;
    const needed = out + pixels * 4;
    const have = kernel.memory.buffer.byteLength;
    // Grow before the call: growth detaches old views, so the view below is made after it.
    if (needed > have) kernel.memory.grow(Math.ceil((needed - have) / WASM_PAGE));
    kernel.renderBand(mapping.xMin, mapping.stepX, mapping.yMax, mapping.stepY, width, rowStart, rowCount, maxIter);
    return new Int32Array(kernel.memory.buffer, out, pixels);
  };
}
