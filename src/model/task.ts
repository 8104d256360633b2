/** What crosses the thread boundary: one task for a worker (a few rectangles to render), and what comes back. */

import type { RealSegment } from '../plane/axis.js';
import type { BlaTable } from '../plane/bla.js';
import type { SampleGrid } from '../plane/grid.js';
import type { PlaneMapping } from '../plane/viewport.js';
import type { Colouring } from './colouring.js';
import type { Rect } from './plan.js';
import type { Tally } from './tally.js';

/**
 * The engines: the first is the default, the SIMD kernel; wasm and js stay as baselines (and js as the oracle);
 * perturb iterates offsets from an arbitrary-precision reference orbit, for views deeper than f64 (src/engines/perturbation.ts, src/plane/).
 *
 * @example createSpec({ engine: ENGINES[1] }) // the scalar WASM kernel
 */
export const ENGINES = ['wasm-simd', 'wasm', 'js', 'perturb'] as const;

/**
 * The engines that iterate each sample's own point in f64 (all but perturb): they give the same counts bit for bit.
 *
 * @example DIRECT_ENGINES.includes('perturb') // false
 */
export const DIRECT_ENGINES = ['wasm-simd', 'wasm', 'js'] as const satisfies readonly EngineName[];
export type EngineName = (typeof ENGINES)[number];

/**
 * The forms a rectangle's pixels can take:
 * - `ascii`: one byte a pixel, '*' inside and '-' outside;
 * - `bits`: each row packed 8 pixels a byte, most significant bit first, 1 inside (PBM); the rectangle's left edge
 *   must fall on a multiple of 8 so that its bytes are whole bytes of the image's rows;
 * - `rgb`: 3 bytes a pixel, coloured (with `aa` x `aa` samples averaged);
 * - `data`: 8 bytes a pixel, the escape count as int32 (-1 inside) and the smooth value as float32 (NaN inside),
 *   little-endian;
 * - `data-distance`: 12 bytes a pixel, `data`'s and then the distance estimate to the set's boundary, in pixels, as
 *   float32 (NaN inside).
 *
 * @example rectBytes(PIXEL_FORMATS[1], (rect, bits) => shard.write(rect, bits))
 */
export const PIXEL_FORMATS = ['ascii', 'bits', 'rgb', 'data', 'data-distance'] as const;
export type PixelFormat = (typeof PIXEL_FORMATS)[number];

/** Bytes of a rectangle's pixels in `format`. @example rectByteLength('bits', { x: 0, y: 0, w: 10, h: 2 }) // 4 */
export function rectByteLength(format: PixelFormat, rect: Rect): number {
  if (format === 'bits') return Math.ceil(rect.w / 8) * rect.h;
  return rect.w * rect.h * PIXEL_BYTES[format];
}

/** Bytes a pixel of the byte-aligned formats. @example PIXEL_BYTES.rgb // 3 */
export const PIXEL_BYTES = { ascii: 1, rgb: 3, data: 8, 'data-distance': 12 } as const;

/** A whole image shared with the workers, which write rectangles into it in place (`width` pixels a row). */
export interface SharedImage {
  buffer: SharedArrayBuffer;
  width: number;
}

/**
 * A whole image in a file on disk, which workers write rectangles into at their places: `offset` bytes of header,
 * then the rows, `width` pixels each. Memory stays flat whatever the image's size (see outputs/canvas.ts).
 */
export interface CanvasFile {
  path: string;
  offset: number;
  width: number;
}

/**
 * What a worker makes of a rectangle's pixels: bytes in `format`, handed back (the rectangle's rows, concatenated),
 * or, for `rgb` and `data`, written straight into the rectangle's place in a shared `image` or a `canvas` file.
 */
export interface TaskOutput {
  format: PixelFormat;
  colouring: Colouring;
  image?: SharedImage;
  canvas?: CanvasFile;
}

/**
 * Where a task's samples lie: on the f64 sample grid over the whole image ((width * aa) x (height * aa) samples,
 * `mapping`), for the direct engines, or around a reference orbit (`perturb`), for the perturbation engine.
 */
export type TaskPlacement =
  | { mapping: PlaneMapping; perturb?: undefined }
  | { perturb: PerturbJob; mapping?: undefined };

/** One task for a worker. */
export type RenderTask = TaskPlacement & {
  /** Samples per pixel along each axis; each pixel is aa x aa samples, averaged. */
  aa: number;
  maxIter: number;
  shortcuts: boolean;
  /** See KernelJob. */
  julia?: readonly [number, number];
  engine: EngineName;
  /** In pixels of the whole image. */
  rects: Rect[];
  /** The task's place in its plan. */
  index: number;
  /**
   * One slot per task of the plan, shared with the main thread: 0 waiting, 1 running, 2 finished (TASK_RUNNING,
   * TASK_FINISHED). A worker that dies fails every task it holds, and perhaps one whose result was still on its way;
   * this tells the task that was running from the others. One more slot at the end: not 0 once the render was
   * stopped, so that workers drop the tasks they still hold, between chunks too.
   */
  states: Int32Array;
  output: TaskOutput;
};

export const TASK_RUNNING = 1;
export const TASK_FINISHED = 2;

export interface TaskResult {
  /** Every rectangle's output bytes, in task order (empty when written into a shared image). */
  bytes: Uint8Array;
  /** Worker identity, for load-balance figures and the one-instance-per-worker check. */
  threadId: number;
  instanceId: string;
  /**
   * Time the worker spent on this task, in milliseconds: iterating, and turning counts into output; and, apart from
   * those, on a deep job's one-time setup in its WASM instance (WasmInstance.takeSetupMs).
   */
  iterateMs: number;
  outputMs: number;
  setupMs: number;
  /** For a perturbation task: what the kernel did (see PerturbWork). */
  perturbWork?: PerturbWork;
  /** What the task's samples came to (model/tally.ts). */
  tally: Tally;
}

/**
 * Where a perturbation render's work went: steps taken one at a time and in BLA runs (assembly/perturb-bla.ts), the
 * runs, the samples recomputed by the double-double path and by BigInt (src/engines/exact.ts), and those proven inside.
 */
export interface PerturbWork {
  steps: number;
  runSteps: number;
  runs: number;
  precise: number;
  exact: number;
  /** Samples proven inside (assembly/perturb-interior.ts) rather than iterated to maxIter. */
  inside: number;
  /** Samples inside on the real axis (src/plane/axis.ts), written so without a step. */
  axis: number;
}

/**
 * The samples an engine computes in one call: the rectangle of `width` x `rowCount` samples at column `colStart`,
 * row `rowStart` of the sample grid, iterated up to `maxIter`.
 */
interface SampleRect {
  colStart: number;
  width: number;
  rowStart: number;
  rowCount: number;
  maxIter: number;
  /** For a Julia set, its fixed c [re, im]: z starts at the sample point. Absent: the Mandelbrot set. */
  julia?: readonly [number, number];
}

/** A call of a direct kernel (wasm-simd, wasm, js): the samples placed in f64 by `mapping`. */
export interface DirectJob extends SampleRect {
  mapping: PlaneMapping;
  /** Decide inside points early where that cannot change the result (cardioid/bulb test, periodicity). */
  shortcuts: boolean;
  perturb?: undefined;
}

/** A call of the perturbation kernel: the samples placed around the reference orbit of `perturb`. */
export interface PerturbKernelJob extends SampleRect {
  perturb: PerturbJob;
  mapping?: undefined;
}

/** One engine call: direct or by perturbation, told apart by `perturb`. */
export type KernelJob = DirectJob | PerturbKernelJob;

/**
 * A deep view's samples as the perturbation kernel takes them (assembly/perturb-params.ts, src/engines/perturbation.ts):
 * sample (col, row) lies at the reference point plus dc = ((2 col - originX) stepX, (originY - 2 row) stepY), the
 * steps scaled by a power of two where dc would underflow f64; the reference is the point (originX / 2, originY / 2)
 * of the grid (its centre: the grid's width and height).
 */
export interface PerturbJob {
  /** The reference orbit Z_0 = 0, Z_1 = the reference point, ... as f64 pairs, in a SharedArrayBuffer (see restart). */
  orbit: Float64Array;
  /** Each point's low part (Z = orbit + orbitLow to about 106 bits) for the double-double path, or empty. */
  orbitLow: Float64Array;
  /** Each point's |Z|^2 - 4 where that is within 2^-28 of 0, else 0 (src/plane/orbit.ts, OrbitSoFar), one f64 a point. */
  margins: Float64Array;
  stepX: number;
  stepY: number;
  /** Half a sample step, unscaled, for the double-double path (assembly/precise.ts); 0 where too deep for it. */
  plainStepX: number;
  plainStepY: number;
  /** k: the deltas at jumpTo are scaled by 2^-k (0: plain f64). */
  scale: number;
  originX: number;
  originY: number;
  /** The exact grid, for the samples the reference cannot serve (GLITCHED; see src/engines/exact.ts). */
  grid: SampleGrid;
  /**
   * Where every sample starts: at iteration jumpTo, dz = (jumpX + i jumpY) dc and dc scaled by jumpDc (the linear
   * growth of a tiny dz, the same for all samples; see src/engines/perturbation.ts). 1, 1, 0, 1: from the start.
   */
  jumpTo: number;
  jumpX: number;
  jumpY: number;
  jumpDc: number;
  /**
   * Where rebasing goes in `orbit`: 0 for the Mandelbrot set; for a Julia set, the index of its critical orbit
   * W_0 = 0, W_1 = c, ..., which follows the reference's (assembly/perturb.ts).
   */
  restart: number;
  /** The orbit's bilinear approximation (src/plane/bla.ts); an empty index: none. */
  bla: BlaTable;
  /**
   * False: samples whose rounding may have decided their count are left INEXACT rather than settled by the
   * double-double path (assembly/perturb-view.ts), for callers that only look for GLITCHED ones (the survey).
   */
  settle?: boolean;
  /**
   * The reference's period when it returns near 0 (|Z_p| < 2^-64: a reference at a nucleus), else 0; the kernel
   * proves samples inside by it (assembly/perturb-interior.ts).
   */
  period: number;
  /**
   * The samples on the real axis with -2 < re <= 1/4 (src/plane/axis.ts), which the kernel writes inside without
   * iterating; absent for a Julia set, and where the grid has none.
   */
  axis?: RealSegment;
  /** Names this setup within the process, so that a worker copies its orbit and tables into WASM memory once. */
  key: string;
}

/** A rectangle's samples: escape count (-1: never escaped) and |z|^2 at escape (0 inside), row-major. */
export interface SamplePixels {
  counts: Int32Array;
  norms: Float64Array;
}

/**
 * Renders a job into views the engine owns until its next call (or, after the exact fallback's loop in WASM, arrays of
 * their own: src/engines/exact.ts).
 */
export type Engine = (job: KernelJob) => SamplePixels;
