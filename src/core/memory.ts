/** What a render will need in memory, estimated before anything is allocated, and the check against the limit. */
import { constants } from 'node:buffer';
import { totalmem } from 'node:os';
import { bufferTooLarge, memoryOverLimit } from '../errors.js';
import type { Plan } from './plan.js';
import type { RenderSpec } from './spec.js';
import { pixelKind } from './spec.js';

/** Node, its worker threads and sharp before any picture: measured about 150 MB here, rounded up. */
const BASELINE = 200 * 2 ** 20;
/** Bytes per sample in a worker: i32 count and f64 |z|^2 in WASM memory. */
const SAMPLE_BYTES = 12;

export interface MemoryEstimate {
  /** The whole output held in the main thread (the RGB image, or ASCII rows waiting for their turn). */
  image: number;
  /** Every worker's task buffers (a worker's WASM memory keeps its largest task). */
  tasks: number;
  total: number;
}

/** @example estimateMemory(spec of a 3000 x 2000 PNG, 2, plan) // image 18 MB, tasks ~2 x 12 MB, total ~240 MB */
export function estimateMemory(spec: RenderSpec, threads: number, plan: Plan): MemoryEstimate {
  // Bytes a pixel of the whole output held in memory: text and bitmaps stream (rows wait at most), the rest do not.
  const perPixel = { membership: 1, colour: 3, data: 8 }[pixelKind(spec.output.format)];
  const image = perPixel === 1 ? (spec.width + 1) * spec.height : spec.width * spec.height * perPixel;
  const taskPixels = Math.max(0, ...plan.map((rects) => rects.reduce((n, r) => n + r.w * r.h, 0)));
  const taskSamples = taskPixels * spec.aa * spec.aa;
  const taskOutput = taskPixels * perPixel;
  const tasks = Math.min(threads, plan.length) * (taskSamples * SAMPLE_BYTES + 2 * taskOutput);
  return { image, tasks, total: BASELINE + image + tasks };
}

/**
 * Refuses, before anything is allocated, a render whose estimate exceeds `limit` (default: 80% of the machine's
 * memory) or one buffer's maximum.
 *
 * @example checkMemory(spec, 8, defaultPlan(spec, 8), 2 * 2 ** 30) // throws a UsageError over 2 GiB
 */
export function checkMemory(
  spec: RenderSpec,
  threads: number,
  plan: Plan,
  limit: number | undefined,
  machine = totalmem(),
): MemoryEstimate {
  const estimate = estimateMemory(spec, threads, plan);
  const format = spec.output.format;
  const what = `a ${spec.width} x ${spec.height} ${format === 'ascii' ? 'ASCII picture' : format.toUpperCase()}`;
  if (estimate.image > constants.MAX_LENGTH) throw bufferTooLarge(what, estimate, constants.MAX_LENGTH);
  const allowed = limit ?? Math.floor(machine * 0.8);
  if (estimate.total > allowed) throw memoryOverLimit(what, estimate, allowed, limit === undefined);
  return estimate;
}
