/** One render: plan the bands, run them through the pool, hand each finished band on as it arrives. */
import { setMaxListeners } from 'node:events';
import type { BandOutput, BandResult, EngineName } from './band-job.js';
import { bandFailed } from './errors.js';
import type { Band } from './planner.js';
import { planBands } from './planner.js';
import type { RenderPool } from './pool.js';
import type { Region } from './viewport.js';
import { planeMapping } from './viewport.js';

export interface RenderRequest {
  region: Region;
  width: number;
  height: number;
  maxIter: number;
  bandRows: number;
  /** Samples per pixel along each axis (PNG supersampling); 1 for ASCII. */
  aa: number;
  engine: EngineName;
  shortcuts: boolean;
  output: BandOutput;
}

export interface RenderStats {
  bands: number;
  wallMs: number;
  /** Time per worker thread, in milliseconds, keyed by thread id: iterating, and making output. */
  iterateMsByThread: Map<number, number>;
  outputMsByThread: Map<number, number>;
  /** The WASM instances each thread reported using (one per thread when the pool is right). */
  instancesByThread: Map<number, Set<string>>;
}

function add(map: Map<number, number>, key: number, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

export interface RenderControl {
  /** The tasks to run; by default bands of the request's band rows (see planSchedule for others). */
  bands?: Band[];
  /** Stops the render: bands not started are dropped, running ones abandoned; render() rejects with the reason. */
  signal?: AbortSignal;
}

/**
 * Renders `request` on `pool`, passing each band's bytes to `onBand` as the band finishes (in any order). On the
 * first failed band, or when `control.signal` aborts, the remaining bands are cancelled; a failure names its band.
 */
export async function render(
  pool: RenderPool,
  request: RenderRequest,
  onBand: (band: Band, bytes: Uint8Array) => void,
  control: RenderControl = {},
): Promise<RenderStats> {
  const bands = control.bands ?? planBands(request.height, request.bandRows);
  const started = performance.now();
  const { width, height, maxIter, engine, shortcuts, output, aa } = request;
  const mapping = planeMapping(request.region, width * aa, height * aa);
  const stats: RenderStats = {
    bands: 0,
    wallMs: 0,
    iterateMsByThread: new Map(),
    outputMsByThread: new Map(),
    instancesByThread: new Map(),
  };
  const cancel = new AbortController();
  // Every queued band listens for cancellation: that is by design, not a leak.
  setMaxListeners(Number.POSITIVE_INFINITY, cancel.signal);
  const stop = () => cancel.abort(control.signal?.reason);
  if (control.signal?.aborted) stop();
  control.signal?.addEventListener('abort', stop, { once: true });

  const runBand = async (band: Band) => {
    const task = { ...band, mapping, width, aa, maxIter, engine, shortcuts, output };
    let result: BandResult;
    try {
      result = await pool.run(task, { signal: cancel.signal });
    } catch (err) {
      throw cancel.signal.aborted ? cancel.signal.reason : bandFailed(band, err);
    }
    add(stats.iterateMsByThread, result.threadId, result.iterateMs);
    add(stats.outputMsByThread, result.threadId, result.outputMs);
    const instances = stats.instancesByThread.get(result.threadId) ?? new Set<string>();
    stats.instancesByThread.set(result.threadId, instances.add(result.instanceId));
    onBand(band, result.bytes);
  };

  const outcomes = bands.map((band) =>
    runBand(band).catch((err: unknown) => {
      if (!cancel.signal.aborted) cancel.abort(err);
      throw err;
    }),
  );
  await Promise.allSettled(outcomes);
  control.signal?.removeEventListener('abort', stop);
  if (cancel.signal.aborted) throw cancel.signal.reason;
  return { ...stats, bands: bands.length, wallMs: performance.now() - started };
}
