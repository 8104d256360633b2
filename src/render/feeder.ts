/**
 * Feeds a render's tasks to the pool a few at a time, so that workers start only when the work needs them. Piscina
 * starts a new worker whenever a task has to wait and the pool is below its maximum; handing it every task at once
 * would start every worker even for a picture that takes 5 ms. Here a task goes to the pool only while fewer than
 * `allowed` are in flight, and `allowed` grows to the render's thread limit once the work measured so far says the
 * queue would outlast a worker's start-up.
 */

/** What a worker costs before its first task: its start-up, measured 60-80 ms here; a little more on busy machines. */
export const WORKER_START_MS = 80;

export interface Growth {
  /** Tasks in flight allowed now. */
  current: number;
  /** The render's thread limit. */
  cap: number;
  /** Tasks not yet handed to the pool. */
  queued: number;
  /**
   * Mean time a finished task took in its worker, in ms; undefined before the first one finishes. (The larger of
   * the mean and the latest task would notice costly rows after cheap ones sooner, but a cold first task then
   * started every worker for the classic picture's 5 ms of work: measured, and dropped.)
   */
  meanTaskMs: number | undefined;
}

/**
 * How many tasks may be in flight: all the render may use once the queued work, shared by the current workers,
 * would take longer than starting another; otherwise as many as now.
 *
 * @example allowedInFlight({ current: 1, cap: 12, queued: 12, meanTaskMs: 0.4 }) // 1: 5 ms of work left
 * @example allowedInFlight({ current: 1, cap: 12, queued: 12, meanTaskMs: 50 }) // 12
 */
export function allowedInFlight(g: Growth): number {
  if (g.meanTaskMs === undefined || g.queued === 0) return g.current;
  return (g.queued * g.meanTaskMs) / g.current > WORKER_START_MS ? g.cap : g.current;
}

/**
 * The least a pixel costs in any engine and format, in ns: the membership kernel deciding whole groups at once takes
 * about 2 here. Used to know before any task has finished that a render is long.
 */
export const PIXEL_FLOOR_NS = 1;

/**
 * Workers to start a render with: all it may use (`cap`) when even its cheapest pixels, shared by the `current`
 * workers, would outlast a worker's start-up; otherwise the workers it has. (The feeder would come to that after its
 * first task, a worker's start-up later: for the Benchmarks Game's 16000 x 16000 PBM, a tenth of its time.)
 *
 * @example initialWorkers(16000 * 16000, 1, 2) // 2
 * @example initialWorkers(1920 * 1080, 1, 12) // 1
 */
export function initialWorkers(pixels: number, current: number, cap: number): number {
  return (pixels * PIXEL_FLOOR_NS) / 1e6 / current > WORKER_START_MS ? cap : current;
}

/**
 * Samples a deep render's worker is started for, before its reference orbit is ready (see deepWorkers): a deep sample
 * costs 100 ns at the least (every sample escaping early along BLA runs) and usually microseconds.
 */
export const DEEP_SAMPLES_PER_WORKER = 4096;

/**
 * Workers a deep render starts ahead of its setup: one for each DEEP_SAMPLES_PER_WORKER samples, up to `cap`. The
 * setup (the reference orbit and its survey, in BigInt in the main thread: tens of ms to seconds) leaves the other
 * cores idle, so the workers' start-up then costs no wall time; a deep ASCII picture of 80 x 24 starts none.
 *
 * @example deepWorkers(640 * 360, 12) // 12
 * @example deepWorkers(80 * 24, 12) // 1
 */
export function deepWorkers(samples: number, cap: number): number {
  return Math.max(1, Math.min(cap, Math.ceil(samples / DEEP_SAMPLES_PER_WORKER)));
}

/**
 * Tasks that may be in flight: `perWorker` for each worker that is ready, and one for each allowed worker not yet
 * started (`live` counts those started, ready or not). Piscina starts a worker for every task that has to wait, so a
 * task for a worker that is still starting would start yet another, past the render's thread limit: such a worker
 * gets its tasks once it is ready (the feeder is woken then, and when a worker goes).
 *
 * @example tasksInFlight(2, 1, 1, 2) // 3: two for the ready worker, one that starts the second
 * @example tasksInFlight(2, 1, 2, 2) // 2: the second is starting already
 */
export function tasksInFlight(allowed: number, ready: number, live: number, perWorker: number): number {
  return Math.min(allowed, ready) * perWorker + Math.max(0, allowed - Math.max(ready, live));
}

/**
 * Runs tasks 0 .. count - 1 through `runOne` (which resolves to the task's time in its worker, and never rejects:
 * a failure aborts `signal` instead), `perWorker` tasks for each of `allowedInFlight` workers at once (see
 * tasksInFlight; `ready()` and `live()` say how many workers are ready and started, `onChange` calls back when one
 * becomes ready or goes, and returns how to stop), starting with `initial` workers. When no task has finished after twice a worker's start-up, the queue is taken to be long and
 * all the render may use are allowed. Returns when every task is done, or at once when `signal` aborts (tasks
 * still running are abandoned: their results are ignored).
 */
export async function feedTasks(
  count: number,
  workers: {
    initial: number;
    cap: number;
    perWorker: number;
    ready(): number;
    live(): number;
    onChange(listener: () => void): () => void;
  },
  runOne: (index: number) => Promise<number>,
  signal: AbortSignal,
): Promise<void> {
  const { cap, perWorker } = workers;
  const inFlight = new Set<Promise<void>>();
  let next = 0;
  let allowed = Math.max(1, Math.min(workers.initial, cap));
  let finished = 0;
  let busyMs = 0;
  // Whatever may let more tasks go: a task done, the fallback, the end. One waiter at a time.
  let wake = () => {};
  const fallback = setTimeout(() => {
    allowed = cap;
    wake();
  }, 2 * WORKER_START_MS);
  const onAbort = () => wake();
  signal.addEventListener('abort', onAbort, { once: true });
  const stopWatching = workers.onChange(() => wake());
  const limit = () => tasksInFlight(allowed, workers.ready(), workers.live(), perWorker);
  try {
    while (!signal.aborted && (inFlight.size > 0 || next < count)) {
      while (inFlight.size < limit() && next < count && !signal.aborted) {
        const task: Promise<void> = runOne(next++).then((ms) => {
          inFlight.delete(task);
          finished++;
          busyMs += ms;
          if (finished === 1) clearTimeout(fallback);
          const g = { current: allowed, cap, queued: count - next, meanTaskMs: busyMs / finished };
          allowed = allowedInFlight(g);
          wake();
        });
        inFlight.add(task);
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  } finally {
    clearTimeout(fallback);
    stopWatching();
    signal.removeEventListener('abort', onAbort);
  }
}
