/** What a render will need in memory, estimated before anything is allocated, and the check against the limit. */
import { constants } from 'node:buffer';
import { totalmem } from 'node:os';
import { bufferTooLarge, memoryOverLimit } from '../errors.js';
import type { Plan } from '../model/plan.js';
import type { RenderSpec } from '../model/spec.js';
import { dataFormat, pixelKind } from '../model/spec.js';
import { PIXEL_BYTES } from '../model/task.js';

/** Node and sharp in the main thread before any picture: about 80 MB measured here, rounded up. */
const PROCESS_BYTES = 120 * 2 ** 20;
/** A worker thread's own memory (its V8 isolate and WASM instance) before its task buffers: about 11 MB measured. */
const WORKER_BYTES = 16 * 2 ** 20;
/** Bytes per sample in a worker: i32 count and f64 |z|^2 in WASM memory. */
const SAMPLE_BYTES = 12;

/**
 * A deep render's bytes per point of its reference orbit (at most maxIter + 1 points): in the main thread its
 * shared arrays (the orbit, its low parts and margins, the BLA table) and the setup's WASM memory; in each worker
 * their copy and the double-double runs. Measured at a 10^6-point orbit on 2 threads: 448 MB resident at the peak,
 * 289 MB over the rest of this estimate.
 */
const MAIN_POINT_BYTES = 80;
const WORKER_POINT_BYTES = 112;

/**
 * The encoder's own memory by format, where it is more than a few bytes a pixel: libvips' AVIF encoder, measured
 * here at 130 MB over the PNG at 3 megapixels and about 300 MB at 12, whether the picture is in memory or in a canvas
 * on disk (a 4000 x 3000 AVIF estimated at 222 MB peaked at 514 MB): 64 MB and 22 bytes a pixel.
 */
const ENCODER: Readonly<Partial<Record<string, { bytes: number; perPixel: number }>>> = {
  avif: { bytes: 64 * 2 ** 20, perPixel: 22 },
};

export interface MemoryEstimate {
  /** The whole output held in the main thread (the RGB image, or ASCII rows waiting for their turn). */
  image: number;
  /** Every worker's task buffers (a worker's WASM memory keeps its largest task). */
  tasks: number;
  /** The process and its worker threads themselves, before any picture. */
  runtime: number;
  /** A deep render's reference orbit and its tables, in the main thread and in every worker (at most). */
  reference: number;
  /** The image encoder's working memory, where it is large (AVIF). */
  encoder: number;
  total: number;
}

/**
 * `onDisk`: the picture is rendered into a canvas file (outputs/canvas.ts), so none of it is held in memory;
 * `encodes` false: nothing is encoded (a shard's bands), so the encoder needs nothing.
 *
 * @example estimateMemory(spec of a 3000 x 2000 PNG, 2, plan) // image 18 MB, tasks 14 MB, runtime 152 MiB, total ~192 MB
 */
export function estimateMemory(
  spec: RenderSpec,
  threads: number,
  plan: Plan,
  onDisk = false,
  encodes = true,
): MemoryEstimate {
  // What waits in the main thread: text and bitmaps stream (rows wait, at most all of them), the rest are held whole.
  const kind = pixelKind(spec.output.format);
  const perPixel = kind === 'membership' ? 1 : PIXEL_BYTES[kind === 'colour' ? 'rgb' : dataFormat(spec.output)];
  const image = onDisk
    ? 0
    : spec.output.format === 'pbm'
      ? Math.ceil(spec.width / 8) * spec.height
      : perPixel === 1
        ? (spec.width + 1) * spec.height
        : spec.width * spec.height * perPixel;
  // A loop, not Math.max(...): a plan can hold more tasks than a call can take arguments.
  let taskPixels = 0;
  for (const rects of plan)
    taskPixels = Math.max(
      taskPixels,
      rects.reduce((n, r) => n + r.w * r.h, 0),
    );
  const taskSamples = taskPixels * spec.aa * spec.aa;
  const taskOutput = taskPixels * perPixel;
  const workers = Math.min(threads, plan.length);
  const tasks = workers * (taskSamples * SAMPLE_BYTES + 2 * taskOutput);
  const runtime = PROCESS_BYTES + workers * WORKER_BYTES;
  const points = spec.engine === 'perturb' ? spec.maxIter + 1 : 0;
  const reference = points * (MAIN_POINT_BYTES + workers * WORKER_POINT_BYTES);
  // A shard renders its bands into the canvas and never encodes: `encodes` false.
  const coder = encodes ? ENCODER[spec.output.format] : undefined;
  const encoder = coder ? coder.bytes + spec.width * spec.height * coder.perPixel : 0;
  return { image, tasks, runtime, reference, encoder, total: runtime + image + tasks + reference + encoder };
}

/** How a render is held, for checkMemory: the machine's memory, on disk (see estimateMemory), encoding, words. */
export interface MemoryCheck {
  /** Bytes of memory the default limit is 80% of [default: this machine's]. */
  machine?: number;
  onDisk?: boolean;
  encodes?: boolean;
  /** Refusals in the API's words (a spec's fields) rather than the command line's options. */
  api?: boolean;
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
  { machine = totalmem(), onDisk = false, encodes = true, api = false }: MemoryCheck = {},
): MemoryEstimate {
  const estimate = estimateMemory(spec, threads, plan, onDisk, encodes);
  const format = spec.output.format;
  const what = `a ${spec.width} x ${spec.height} ${format === 'ascii' ? 'ASCII picture' : format.toUpperCase()}`;
  // Streamed output is never one buffer; the rest is.
  const streamed = pixelKind(format) === 'membership' || onDisk;
  if (!streamed && estimate.image > constants.MAX_LENGTH) {
    throw bufferTooLarge(what, estimate, constants.MAX_LENGTH, api);
  }
  const allowed = limit ?? Math.floor(machine * 0.8);
  if (estimate.total > allowed) throw memoryOverLimit(what, estimate, allowed, limit === undefined, api);
  return estimate;
}
