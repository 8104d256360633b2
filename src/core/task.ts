/** What crosses the thread boundary: one task for a worker (a few rectangles to render), and what comes back. */
import type { Colouring } from '../outputs/colour.js';
import type { Rect } from './plan.js';
import type { PlaneMapping } from './viewport.js';

/**
 * The engines: the first is the default, the SIMD kernel; the others stay as baselines (and js as the oracle).
 *
 * @example createSpec({ engine: ENGINES[1] }) // the scalar WASM kernel
 */
export const ENGINES = ['wasm-simd', 'wasm', 'js'] as const;
export type EngineName = (typeof ENGINES)[number];

/**
 * What a worker makes of a rectangle's pixels: `ascii`, one byte a pixel ('*' inside, '-' outside); `rgb`,
 * 3 bytes a pixel, coloured. Either is handed back (the rectangle's rows, concatenated), or, for `rgb` with an
 * `image`, written straight into the rectangle's place in that shared whole image (`width` pixels a row).
 */
export type TaskOutput =
  | { kind: 'ascii' }
  | { kind: 'rgb'; colouring: Colouring; image?: { buffer: SharedArrayBuffer; width: number } };

/** One task for a worker. */
export interface RenderTask {
  /** The sample grid over the whole image: (width * aa) x (height * aa) samples. */
  mapping: PlaneMapping;
  /** Samples per pixel along each axis; each pixel is aa x aa samples, averaged. */
  aa: number;
  maxIter: number;
  shortcuts: boolean;
  engine: EngineName;
  /** In pixels of the whole image. */
  rects: Rect[];
  /** The task's place in its plan. */
  index: number;
  /**
   * One slot per task of the plan, shared with the main thread: 0 waiting, 1 running, 2 finished (TASK_RUNNING,
   * TASK_FINISHED). A worker that dies fails every task it holds, and perhaps one whose result was still on its way;
   * this tells the task that was running from the others.
   */
  states: Int32Array;
  output: TaskOutput;
}

export const TASK_RUNNING = 1;
export const TASK_FINISHED = 2;

export interface TaskResult {
  /** Every rectangle's output bytes, in task order (empty when written into a shared image). */
  bytes: Uint8Array;
  /** Worker identity, for load-balance figures and the one-instance-per-worker check. */
  threadId: number;
  instanceId: string;
  /** Time the worker spent on this task, in milliseconds: iterating, and turning counts into output. */
  iterateMs: number;
  outputMs: number;
}

/**
 * The samples an engine computes in one call: the rectangle of `width` x `rowCount` samples at column
 * `colStart`, row `rowStart` of the sample grid.
 */
export interface KernelJob {
  mapping: PlaneMapping;
  colStart: number;
  width: number;
  rowStart: number;
  rowCount: number;
  maxIter: number;
  /** Decide inside points early where that cannot change the result (cardioid/bulb test, periodicity). */
  shortcuts: boolean;
}

/** A rectangle's samples: escape count (-1: never escaped) and |z|^2 at escape (0 inside), row-major. */
export interface SamplePixels {
  counts: Int32Array;
  norms: Float64Array;
}

/** Renders a job into views the engine owns until its next call. */
export type Engine = (job: KernelJob) => SamplePixels;
