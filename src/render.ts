/** One render: plan the bands, run them through the pool, hand each finished band on in image order. */

import { setMaxListeners } from 'node:events';
import type { BandResult, EngineName, OutputFormat } from './band-job.js';
import { bandFailed } from './errors.js';
import type { Band } from './planner.js';
import { planBands } from './planner.js';
import type { RenderPool } from './pool.js';
import { InOrderStitcher } from './stitch.js';
import type { Region } from './viewport.js';
import { planeMapping } from './viewport.js';

export interface RenderRequest {
  region: Region;
  width: number;
  height: number;
  maxIter: number;
  bandRows: number;
  engine: EngineName;
  shortcuts: boolean;
  format: OutputFormat;
}

export interface RenderStats {
  bands: number;
  wallMs: number;
  /** Busy time per worker thread, in milliseconds, keyed by thread id. */
  busyMsByThread: Map<number, number>;
  /** The WASM instances each thread reported using (one per thread when the pool is right). */
  instancesByThread: Map<number, Set<string>>;
}

/**
 * Renders `request` on `pool`, passing each band's bytes to `write` in image order. On the first failed band the
 * bands not yet started are cancelled and the error names the band.
 */
export async function render(
  pool: RenderPool,
  request: RenderRequest,
  write: (bytes: Uint8Array) => void,
): Promise<RenderStats> {
  const started = performance.now();
  const { width, height, maxIter, engine, shortcuts, format } = request;
  const mapping = planeMapping(request.region, width, height);
  const stitcher = new InOrderStitcher(write);
  const busyMsByThread = new Map<number, number>();
  const instancesByThread = new Map<number, Set<string>>();
  const cancel = new AbortController();
  // Every queued band listens for cancellation: that is by design, not a leak.
  setMaxListeners(Number.POSITIVE_INFINITY, cancel.signal);

  const runBand = async (band: Band) => {
    let result: BandResult;
    try {
      result = await pool.run(
        { mapping, width, maxIter, engine, shortcuts, format, ...band },
        { signal: cancel.signal },
      );
    } catch (err) {
      throw cancel.signal.aborted ? cancel.signal.reason : bandFailed(band, err);
    }
    busyMsByThread.set(result.threadId, (busyMsByThread.get(result.threadId) ?? 0) + result.busyMs);
    const instances = instancesByThread.get(result.threadId) ?? new Set<string>();
    instancesByThread.set(result.threadId, instances.add(result.instanceId));
    stitcher.add(band.index, result.bytes);
  };

  const bands = planBands(height, request.bandRows);
  const outcomes = bands.map((band) =>
    runBand(band).catch((err: unknown) => {
      if (!cancel.signal.aborted) cancel.abort(err);
      throw err;
    }),
  );
  await Promise.allSettled(outcomes);
  if (cancel.signal.aborted) throw cancel.signal.reason;
  return { bands: bands.length, wallMs: performance.now() - started, busyMsByThread, instancesByThread };
}
