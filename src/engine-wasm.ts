/**
 * The AssemblyScript kernels: compiled once (in the main thread), instantiated once per worker thread.
 */
import { readFile } from 'node:fs/promises';
import { setFlagsFromString } from 'node:v8';
import type { BandJob, Engine } from './band-job.js';

type RenderExport = (
  xMin: number,
  stepX: number,
  yMax: number,
  stepY: number,
  width: number,
  rowStart: number,
  rowCount: number,
  maxIter: number,
  shortcuts: boolean,
  counts: number,
  norms: number,
) => void;

/** The kernel module's exports (assembly/index.ts). */
interface KernelExports {
  memory: WebAssembly.Memory;
  outputPtr(): number;
  renderBand: RenderExport;
  renderBandSimd: RenderExport;
}

export type WasmKernelName = 'renderBand' | 'renderBandSimd';

const WASM_PAGE = 65536;
const KERNEL_URL = new URL('../../build/mandel.wasm', import.meta.url);

/**
 * Reads and compiles build/mandel.wasm (made by `npm run build:wasm`) with V8's optimising compiler up front.
 * By default V8 starts WASM on its baseline compiler and swaps in optimised code only for later calls, so a long
 * band would run at baseline speed to its end: measured 2.5x slower for the SIMD kernel (bench/README.md).
 */
export async function compileKernel(): Promise<WebAssembly.Module> {
  setFlagsFromString('--no-liftoff');
  return WebAssembly.compile(await readFile(KERNEL_URL));
}

/** Instantiates the kernel module once; `engine(name)` gives engines that share this instance's memory. */
export function instantiateKernel(module: WebAssembly.Module): (name: WasmKernelName) => Engine {
  const instance = new WebAssembly.Instance(module, {
    env: {
      // Only a debug build imports abort; make its failures readable instead of a bare trap.
      abort(_msg: number, _file: number, line: number, column: number) {
        throw new Error(`WASM kernel assertion failed at ${line}:${column}`);
      },
    },
  });
  const kernel = instance.exports as unknown as KernelExports;
  const base = kernel.outputPtr();
  return (name) =>
    ({ mapping, width, rowStart, rowCount, maxIter, shortcuts }: BandJob) => {
      const pixels = width * rowCount;
      const countsAt = base;
      const normsAt = base + Math.ceil((pixels * 4) / 8) * 8;
      const needed = normsAt + pixels * 8;
      const have = kernel.memory.buffer.byteLength;
      // Grow before the call: growth detaches old views, so the views below are made after it.
      if (needed > have) kernel.memory.grow(Math.ceil((needed - have) / WASM_PAGE));
      const { xMin, stepX, yMax, stepY } = mapping;
      kernel[name](xMin, stepX, yMax, stepY, width, rowStart, rowCount, maxIter, shortcuts, countsAt, normsAt);
      return {
        counts: new Int32Array(kernel.memory.buffer, countsAt, pixels),
        norms: new Float64Array(kernel.memory.buffer, normsAt, pixels),
      };
    };
}
