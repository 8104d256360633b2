/** The worker pool: Piscina over workers/render-worker.js, every worker started up front. */
import { Piscina } from 'piscina';
import type { RenderWorkerData } from '../workers/render-worker.js';
import type { BandResult, BandTask } from './band-job.js';
import { oneLine } from './errors.js';

/** Compiled JS, even under tests: Node cannot start a worker from a .ts file. */
const WORKER_URL = new URL('../workers/render-worker.js', import.meta.url);

/**
 * Piscina loads a worker file with require() first. On Node 20 that require()s our ES module, and a worker
 * terminated in the middle of it (a render that failed while another worker was still starting) aborted the
 * whole process with a V8 fatal error, seen once in CI. Without require(esm), Piscina goes straight to import().
 */
const WORKER_EXEC_ARGV = process.allowedNodeEnvironmentFlags.has('--experimental-require-module')
  ? ['--no-experimental-require-module']
  : [];

export type RenderPool = Piscina<BandTask, BandResult>;

/**
 * Starts `threads` workers, each instantiating its own copy of `kernel` (compiled once, here, and shared with
 * the workers through workerData instead of each worker compiling it again).
 */
export function createRenderPool(threads: number, kernel: WebAssembly.Module): RenderPool {
  const workerData: RenderWorkerData = { kernel };
  const pool = new Piscina<BandTask, BandResult>({
    filename: WORKER_URL.href,
    minThreads: threads,
    maxThreads: threads,
    // Workers live as long as the pool: a render never waits for a thread to start again.
    idleTimeout: Number.POSITIVE_INFINITY,
    execArgv: WORKER_EXEC_ARGV,
    workerData,
  });
  // Piscina reports here what belongs to no task. A result that arrives after its task was cancelled (a render
  // stopped by a failure or a signal) is one: the render already ended with the reason. Anything else is a
  // worker failing outside any task: its tasks fail too, so it needs only a line, not an uncaught exception.
  pool.on('error', (err: Error) => {
    if (!err.message.startsWith('Unexpected message from Worker')) {
      process.stderr.write(`mandel-par: worker error: ${oneLine(err.message)}\n`);
    }
  });
  return pool;
}
