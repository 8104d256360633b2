/** The worker pool: Piscina over workers/render-worker.js. It reports, never prints: problems go to `onError`. */
import { Piscina } from 'piscina';
import type { RenderWorkerData } from '../../workers/render-worker.js';
import type { RenderTask, TaskResult } from '../model/task.js';

/** Compiled JS, even under tests: Node cannot start a worker from a .ts file. */
const WORKER_URL = new URL('../../workers/render-worker.js', import.meta.url);

/**
 * Piscina loads a worker file with require() first. On Node 20 that require()s our ES module, and a worker
 * terminated in the middle of it (a render that failed while another worker was still starting) aborted the
 * whole process with a V8 fatal error, seen once in CI. Without require(esm), Piscina goes straight to import().
 */
const WORKER_EXEC_ARGV = process.allowedNodeEnvironmentFlags.has('--experimental-require-module')
  ? ['--no-experimental-require-module']
  : [];

export type RenderPool = Piscina<RenderTask, TaskResult>;

/** Tasks a worker may hold at once: the one it runs and the next. */
export const TASKS_PER_WORKER = 2;

export interface PoolOptions {
  /** The compiled WASM module: compiled once, in this thread, and shared with the workers through workerData. */
  wasmModule: WebAssembly.Module;
  /** Workers started up front and kept. */
  minThreads: number;
  /** Most workers at once; more start, up to this, while tasks wait in the queue. */
  maxThreads: number;
  /** Workers above minThreads that have had no task this long exit [default: never]. */
  idleMs?: number;
  /** A worker failing outside any task (its tasks fail too and say so). */
  onError(message: string): void;
}

/** Starts a pool whose workers each instantiate their own copy of the WASM module. */
export function createRenderPool(o: PoolOptions): RenderPool {
  const workerData: RenderWorkerData = { wasmModule: o.wasmModule };
  const pool = new Piscina<RenderTask, TaskResult>({
    filename: WORKER_URL.href,
    minThreads: o.minThreads,
    maxThreads: o.maxThreads,
    // A worker holds its next task while it runs one, so it never waits for a round trip to the main thread
    // (about 1.5 ms a task here, 26 ms over the classic picture's 50 one-row tasks at --threads 12).
    concurrentTasksPerWorker: TASKS_PER_WORKER,
    // Workers live as long as the pool unless the caller says otherwise: a render never waits for a thread to start
    // again.
    idleTimeout: o.idleMs ?? Number.POSITIVE_INFINITY,
    execArgv: WORKER_EXEC_ARGV,
    workerData,
  });
  // Piscina reports here what belongs to no task. A result that arrives after its task was cancelled (a render
  // stopped by a failure or a signal) is one: the render already ended with the reason.
  pool.on('error', (err: Error) => {
    if (!err.message.startsWith('Unexpected message from Worker')) o.onError(err.message);
  });
  return pool;
}
