/**
 * The AssemblyScript kernels: compiled once (in the main thread), instantiated once per worker thread.
 */
import { readFile } from 'node:fs/promises';
import { setFlagsFromString } from 'node:v8';
import type { BandJob, BandPixels, Engine } from './band-job.js';
import type { Colouring } from './colour.js';
import { paletteTable, TABLE_SIZE } from './colour.js';

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
  colourBand(
    counts: number,
    norms: number,
    width: number,
    rows: number,
    aa: number,
    table: number,
    tableSize: number,
    cycle: number,
    insideR: number,
    insideG: number,
    insideB: number,
    sums: number,
    out: number,
  ): void;
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

/** One WASM instance: its engines, and its colouring (see assembly/colour.ts). */
export interface KernelInstance {
  engine(name: WasmKernelName): Engine;
  /**
   * Colours a band's samples (from any engine) into `target`: rows x width pixels of 3 bytes, `aa` x `aa` samples
   * averaged per pixel.
   */
  colour(pixels: BandPixels, width: number, rows: number, aa: number, colouring: Colouring, target: Uint8Array): void;
}

/** Instantiates the kernel module once, for one thread; everything it returns shares this instance's memory. */
export async function instantiateKernel(module: WebAssembly.Module): Promise<KernelInstance> {
  const instance = await WebAssembly.instantiate(module, {
    env: {
      // Only a debug build imports abort; make its failures readable instead of a bare trap.
      abort(_msg: number, _file: number, line: number, column: number) {
        throw new Error(`WASM kernel assertion failed at ${line}:${column}`);
      },
    },
  });
  const kernel = instance.exports as unknown as KernelExports;
  // Layout: the palette table first (kept across bands), then counts, |z|^2, colour sums and RGB bytes.
  const tableAt = kernel.outputPtr();
  const countsAt = tableAt + TABLE_SIZE * 24;
  const normsAt = (samples: number) => countsAt + Math.ceil((samples * 4) / 8) * 8;
  // Grow before a call: growth detaches old views, so views are made after it.
  const reserve = (bytes: number) => {
    const have = kernel.memory.buffer.byteLength;
    if (bytes > have) kernel.memory.grow(Math.ceil((bytes - have) / WASM_PAGE));
  };
  let tableKey = '';

  return {
    engine:
      (name) =>
      ({ mapping, width, rowStart, rowCount, maxIter, shortcuts }: BandJob) => {
        const samples = width * rowCount;
        reserve(normsAt(samples) + samples * 8);
        const { xMin, stepX, yMax, stepY } = mapping;
        kernel[name](
          xMin,
          stepX,
          yMax,
          stepY,
          width,
          rowStart,
          rowCount,
          maxIter,
          shortcuts,
          countsAt,
          normsAt(samples),
        );
        return {
          counts: new Int32Array(kernel.memory.buffer, countsAt, samples),
          norms: new Float64Array(kernel.memory.buffer, normsAt(samples), samples),
        };
      },
    colour: ({ counts, norms }, width, rows, aa, colouring, target) => {
      const samples = counts.length;
      const inMemory = counts.buffer === kernel.memory.buffer;
      const sumsAt = normsAt(samples) + samples * 8;
      const outAt = sumsAt + width * 24;
      reserve(outAt + width * rows * 3);
      const memory = kernel.memory.buffer;
      if (!inMemory) {
        new Int32Array(memory, countsAt, samples).set(counts);
        new Float64Array(memory, normsAt(samples), samples).set(norms);
      }
      const key = colouring.palette.join(';');
      if (key !== tableKey) {
        new Float64Array(memory, tableAt, TABLE_SIZE * 3).set(paletteTable(colouring.palette));
        tableKey = key;
      }
      const [r, g, b] = colouring.inside;
      kernel.colourBand(
        countsAt,
        normsAt(samples),
        width,
        rows,
        aa,
        tableAt,
        TABLE_SIZE,
        colouring.cycle,
        r,
        g,
        b,
        sumsAt,
        outAt,
      );
      target.set(new Uint8Array(memory, outAt, width * rows * 3));
    },
  };
}
