/** What crosses the thread boundary: one band to render, and what comes back. Shared by pool and worker. */
import type { PlaneMapping } from './viewport.js';

export const ENGINES = ['wasm', 'js'] as const;
export type EngineName = (typeof ENGINES)[number];

export const OUTPUT_FORMATS = ['ascii'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** The pixels of one band, as every engine computes them. */
export interface BandJob {
  mapping: PlaneMapping;
  width: number;
  rowStart: number;
  rowCount: number;
  maxIter: number;
}

export interface BandTask extends BandJob {
  engine: EngineName;
  format: OutputFormat;
}

export interface BandResult {
  /** The band's finished output bytes (for ASCII: rowCount lines of width characters and a newline). */
  bytes: Uint8Array;
  /** Worker identity, for load-balance figures and the one-instance-per-worker check. */
  threadId: number;
  instanceId: string;
  /** Time the worker spent on this band, in milliseconds. */
  busyMs: number;
}

/** Renders a band's escape counts (-1 for "never escaped") into a view the engine owns until its next call. */
export type Engine = (job: BandJob) => Int32Array;
