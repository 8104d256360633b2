/** What a render will need in memory, estimated before anything is allocated, and the check against the limit. */
import { constants } from 'node:buffer';
import { totalmem } from 'node:os';
import type { RenderOptions } from './args.js';
import { UsageError } from './errors.js';

/** Node, its worker threads and sharp before any picture: measured about 150 MB here, rounded up. */
const BASELINE = 200 * 2 ** 20;
/** Bytes per sample in a worker: i32 count and f64 |z|^2 in WASM memory. */
const SAMPLE_BYTES = 12;

export interface MemoryEstimate {
  /** The whole output held in the main thread (the RGB image, or ASCII bands waiting for their turn). */
  image: number;
  /** Every worker's band buffers (a worker's WASM memory keeps its largest band). */
  bands: number;
  total: number;
}

/** @example estimateMemory(3000 x 2000 PNG, 2 threads) // image 18 MB, bands ~2 x 12 MB, total ~240 MB */
export function estimateMemory(o: RenderOptions): MemoryEstimate {
  const aa = o.out === 'png' ? o.aa : 1;
  const image = o.out === 'png' ? o.width * o.height * 3 : (o.width + 1) * o.height;
  const bandRows = Math.min(o.bandRows, o.height);
  const bandSamples = o.width * aa * bandRows * aa;
  const bandOutput = o.out === 'png' ? o.width * bandRows * 3 : (o.width + 1) * bandRows;
  const bands = o.threads * (bandSamples * SAMPLE_BYTES + 2 * bandOutput);
  return { image, bands, total: BASELINE + image + bands };
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 && unit > 0 ? 1 : 0)} ${units[unit]}`;
}

/** Refuses, before anything is allocated, a render whose estimate exceeds the limit or one buffer's maximum. */
export function checkMemory(o: RenderOptions, machine = totalmem()): MemoryEstimate {
  const estimate = estimateMemory(o);
  const limit = o.maxMemory ?? Math.floor(machine * 0.8);
  const what = `a ${o.width} x ${o.height} ${o.out === 'png' ? 'PNG' : 'ASCII picture'}`;
  const need = `needs about ${formatBytes(estimate.total)} (image ${formatBytes(estimate.image)}, bands ${formatBytes(estimate.bands)})`;
  if (estimate.image > constants.MAX_LENGTH) {
    throw new UsageError(
      `${what} ${need}, but one buffer can hold at most ${formatBytes(constants.MAX_LENGTH)}: ` +
        'render it in tiles with --region, or at a smaller --width/--height',
    );
  }
  if (estimate.total > limit) {
    const source = o.maxMemory === undefined ? "80% of this machine's memory" : '--max-memory';
    throw new UsageError(
      `${what} ${need}, more than the ${formatBytes(limit)} allowed (${source}): ` +
        'use a smaller --width/--height or --aa, fewer --threads or --band-rows, or raise --max-memory',
    );
  }
  return estimate;
}
