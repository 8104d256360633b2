/** What crosses the thread boundary: one band to render, and what comes back. Shared by pool and worker. */
import type { Colouring } from './colour.js';
import type { PlaneMapping } from './viewport.js';

/** The first is the default: the SIMD kernel; the others stay as baselines (and the js one as the oracle). */
export const ENGINES = ['wasm-simd', 'wasm', 'js'] as const;
export type EngineName = (typeof ENGINES)[number];

export const OUTPUT_FORMATS = ['ascii', 'png'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/**
 * What a worker makes of a band's pixels: ASCII lines (returned), or RGB colour with `aa` x `aa` samples a pixel,
 * written straight into its rows of the shared image (3 bytes a pixel, row-major).
 */
export type BandOutput = { kind: 'ascii' } | ({ kind: 'rgb'; image: SharedArrayBuffer } & Colouring);

/** The samples of one band, as every engine computes them (with supersampling, rows and width are in samples). */
export interface BandJob {
  mapping: PlaneMapping;
  width: number;
  rowStart: number;
  rowCount: number;
  maxIter: number;
  /** Decide inside points early where that cannot change the result (cardioid/bulb test, periodicity). */
  shortcuts: boolean;
}

/** One task for a worker: a set of image rows (see Band), in pixels; with `aa`, each pixel is aa x aa samples. */
export interface BandTask {
  /** The sample grid: (width * aa) x (height * aa) samples over the region. */
  mapping: PlaneMapping;
  width: number;
  aa: number;
  rowStart: number;
  rowCount: number;
  rowStride: number;
  maxIter: number;
  shortcuts: boolean;
  engine: EngineName;
  output: BandOutput;
}

export interface BandResult {
  /** The rows' ASCII lines in task order, each with its newline (empty for RGB: that is in the shared image). */
  bytes: Uint8Array;
  /** Worker identity, for load-balance figures and the one-instance-per-worker check. */
  threadId: number;
  instanceId: string;
  /** Time the worker spent on this band, in milliseconds: iterating, and turning counts into output. */
  iterateMs: number;
  outputMs: number;
}

/** A band's pixels: escape count (-1: never escaped) and |z|^2 at escape (0 inside), row-major. */
export interface BandPixels {
  counts: Int32Array;
  norms: Float64Array;
}

/** Renders a band into views the engine owns until its next call. */
export type Engine = (job: BandJob) => BandPixels;
