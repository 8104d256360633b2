/** The worker pool: Piscina over workers/render-worker.js, every worker started up front. */
import { Piscina } from 'piscina';
import type { RenderWorkerData } from '../workers/render-worker.js';
import type { BandResult, BandTask } from './band-job.js';

/** Compiled JS, even under tests: Node cannot start a worker from a .ts file. */
const WORKER_URL = new URL('../workers/render-worker.js', import.meta.url);

export type RenderPool = Piscina<BandTask, BandResult>;

/**
 * Starts `threads` workers, each instantiating its own copy of `kernel` (compiled once, here, and shared with
 * the workers through workerData instead of each worker compiling it again).
 */
export function createRenderPool(threads: number, kernel: WebAssembly.Module): RenderPool {
  const workerData: RenderWorkerData = { kernel };
  return new Piscina<BandTask, BandResult>({
    filename: WORKER_URL.href,
    minThreads: threads,
    maxThreads: threads,
    // Workers live as long as the pool: a render never waits for a thread to start again.
    idleTimeout: Number.POSITIVE_INFINITY,
    workerData,
  });
}
