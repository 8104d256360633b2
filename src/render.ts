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

/**
 * Renders `request` on `pool`, passing each band's bytes to `onBand` as the band finishes (in any order). The
 * bands are the request's band rows unless a plan is given (see planSchedule). On the first failed band the bands
 * not yet started are cancelled and the error names the band.
 */
export async function render(
  pool: RenderPool,
  request: RenderRequest,
  onBand: (band: Band, bytes: Uint8Array) => void,
  bands: Band[] = planBands(request.height, request.bandRows),
): Promise<RenderStats> {
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
  if (cancel.signal.aborted) throw cancel.signal.reason;
  return { ...stats, bands: bands.length, wallMs: performance.now() - started };
}
