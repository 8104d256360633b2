/**
 * How long a render will take, said before it starts: a sample of the view is rendered (its strips on the render's
 * threads, which then start the render warm), and its time per pixel in the workers scaled to the whole picture and
 * the threads. Long renders are announced, and kept on disk so that they can be resumed. An estimate, not a promise:
 * the sample is small, and the threads are taken to scale linearly.
 */
import { needsDerivatives } from '../model/colouring.js';
import type { Plan } from '../model/plan.js';
import { numberSetting } from '../model/setting.js';
import type { RenderSpec } from '../model/spec.js';
import { dataFormat, pixelKind } from '../model/spec.js';
import type { PixelFormat } from '../model/task.js';
import type { Destination } from '../outputs/destinations.js';
import type { Renderer } from '../render/renderer.js';
import { counted } from '../words.js';

/** The sample's grid of strips: across and down, at most. */
const TILES_ACROSS = 12;
const TILES_DOWN = 8;

/**
 * About the least a step of each engine costs here, in ns (the SIMD kernel's 4 lanes; the perturbation kernel's
 * BLA runs skip many steps). Every sample at --max-iter at these rates is more than a render can take, short of
 * the exact fallbacks: a bound good enough to skip sampling renders that cannot take seconds.
 */
const STEP_NS: Readonly<Record<string, number>> = { 'wasm-simd': 0.25, wasm: 1, js: 2, perturb: 0.5 };

/**
 * From this estimate on, a picture held whole is rendered on disk, so that a kill or Ctrl-C loses nothing:
 * MANDEL_PAR_KEEP_FROM_MS, or 10 s, as ANNOUNCE_FROM_MS. (It was 3 s: a render that could take 3 to 10 s then paid for
 * its sample, about 0.1 s and its strips' work thrown away, 4% of the 1e30 seahorse frame's 2.5 s, to keep at most 10 s
 * of work.)
 */
export function keepFromMs(env: NodeJS.ProcessEnv = process.env): number {
  return numberSetting(env.MANDEL_PAR_KEEP_FROM_MS, 10_000);
}
/** From this estimate on, the estimate is said before the render starts. */
export const ANNOUNCE_FROM_MS = 10_000;

/** Sampled pixels stay under this share of the picture, so that sampling a heavy deep view costs little. */
const SAMPLE_SHARE = 1 / 64;

/**
 * The sample: up to 96 strips of `tile` on an even grid over the picture (fewer on a small picture: at most 1/64 of
 * it), after `PROBES` one-pixel tasks that measure what a task costs apart from its pixels (the first also warms
 * the worker).
 */
export function sampleTiles(width: number, height: number, tile: { w: number; h: number }): Plan {
  const w = Math.min(tile.w, width);
  const h = Math.min(tile.h, height);
  const room = Math.max(1, Math.floor((width * height * SAMPLE_SHARE) / (w * h)));
  const scale = Math.min(1, Math.sqrt(room / (TILES_ACROSS * TILES_DOWN)));
  const across = Math.max(1, Math.min(Math.floor(width / w), Math.round(TILES_ACROSS * scale)));
  const down = Math.max(1, Math.min(Math.floor(height / h), Math.round(TILES_DOWN * scale)));
  const probes: Plan = Array.from({ length: PROBES }, () => [{ x: 0, y: 0, w: 1, h: 1 }]);
  const plan: Plan = [];
  for (let j = 0; j < down; j++) {
    for (let i = 0; i < across; i++) {
      const x = Math.floor(((i + 0.5) * width) / across - w / 2);
      const y = Math.floor(((j + 0.5) * height) / down - h / 2);
      plan.push([{ x: Math.max(0, Math.min(width - w, x)), y: Math.max(0, Math.min(height - h, y)), w, h }]);
    }
  }
  return [...probes, ...plan];
}

/** One-pixel tasks before the tiles: the first warms the worker, the rest measure a task's fixed cost. */
const PROBES = 4;

/** The sample stops taking strips once it has run this long (at least one strip is taken). */
const SAMPLE_BUDGET_MS = 500;

/**
 * Whether a render may take long enough to sample: every sample at --max-iter, at the engine's STEP_NS, shared by
 * `threads`, would take KEEP_FROM_MS or more; twice that many steps where the colouring shades by the derivative,
 * whose pass follows each orbit again. (The default 3000 x 2000 picture: 0.75 s, not sampled: the sample, about 0.1 s
 * with its worker warming up, would be a tenth of it. A 960 x 540 blend at 1e30, 64000 iterations, came to 8.3 s
 * without the second pass and took 31 s: neither announced nor kept.)
 */
export function mayBeLong(spec: RenderSpec, threads: number): boolean {
  const passes = needsDerivatives(spec.colouring) ? 2 : 1;
  const steps = spec.width * spec.height * spec.aa * spec.aa * spec.maxIter * passes;
  return (steps * STEP_NS[spec.engine]) / 1e6 / threads >= keepFromMs();
}

/**
 * The encoder's time by format, in ns a pixel, where it is more than a few: libvips' AVIF took 1300 (the classic view)
 * to 5500 (the seahorse at 1e8) over the PNG at 3 megapixels here, WebP 60 to 100, a pyramid's tiles about 30 (a
 * 12000^2 DZI spent 4.3 s of its 7.3 writing them); PNG, JPEG and TIFF a few. It follows the render: a 4000 x 3000
 * AVIF estimated at 0.4 s took 11.5 s.
 */
const ENCODE_NS: Readonly<Partial<Record<string, number>>> = { avif: 2000, webp: 100, dzi: 30, iiif: 30 };

export interface Estimate {
  ms: number;
  /** What was rendered to measure it, in words, and how long that took. */
  sample: string;
  sampleMs: number;
}

/**
 * The sample's pieces: strips of the picture itself, at its own resolution (neighbouring pixels cost alike, and the
 * SIMD kernel's lanes run together as they do in the render: a view at fewer pixels measured 3x too slow), wide
 * for a direct view (its kernels run rows), small for a deep one (a pixel there costs microseconds).
 */
const DIRECT_TILE = { w: 256, h: 4 };
const DEEP_TILE = { w: 16, h: 4 };

/**
 * The estimate's tile for a deep picture whose sample holds fewer than SPREAD of DEEP_TILE: smaller, so that they
 * spread over it (160 x 90 held two, both on the middle row, through a minibrot's costly interior: 2.5 s estimated
 * for a 0.3 s render).
 */
const SMALL_DEEP_TILE = { w: 8, h: 2 };
const SPREAD = 12;

/** The tile the estimate samples `spec` with (see SMALL_DEEP_TILE). */
export function estimateTile(spec: RenderSpec): { w: number; h: number } {
  if (spec.engine !== 'perturb') return DIRECT_TILE;
  const fit = (spec.width * spec.height * SAMPLE_SHARE) / (DEEP_TILE.w * DEEP_TILE.h);
  return fit < SPREAD ? SMALL_DEEP_TILE : DEEP_TILE;
}

/**
 * The estimated wall time of `spec` on `threads` threads (see the module's comment). On a deep view the sample
 * computes the reference orbit that the render then reuses.
 */
export async function estimateRender(
  renderer: Renderer,
  spec: RenderSpec,
  threads: number,
  encodes = true,
): Promise<Estimate> {
  const started = performance.now();
  const tile = estimateTile(spec);
  const [probes, strips] = [sampleTiles(spec.width, spec.height, tile).slice(0, PROBES), sampleStrips(spec, tile)];
  const kind = pixelKind(spec.output.format);
  // The pixels in the render's own form: a distance field's derivative pass is timed too.
  const destination = dropping(kind === 'colour' ? 'rgb' : kind === 'data' ? dataFormat(spec.output) : 'ascii');
  const run = (plan: Plan, maxThreads: number) =>
    renderer.render(spec, { plan, destination, maxThreads, startThreads: threads });
  // The probes on one thread, which the first warms: on fresh workers (V8 has not yet optimised a worker's code for
  // its first task) a task's fixed cost would come out too large, and the estimate, less it, too small. The render's
  // other workers start meanwhile, and a later probe may land on one of them: the smallest of them is taken.
  const first = await run(probes, 1);
  // The budget starts once the probes (and with them a deep view's reference orbit, which the render reuses) are done.
  const sampling = performance.now();
  // What any task costs apart from its pixels: the smallest probe's time (one pixel's work is nothing).
  const fixedMs = Math.min(...first.taskMs.slice(1));
  let pixels = 0;
  let workMs = 0;
  let measured = 0;
  // Strips spread over the picture: one a thread first, then as many as the strips so far say fit in what is left of
  // the time budget: a heavy view gets few, a light one all the rest in one more call (batches of 1, 2, 4, ... took
  // six calls at the seahorse view, each waiting for its slowest strip).
  for (let batch = threads; measured < strips.length && performance.now() - sampling <= SAMPLE_BUDGET_MS; ) {
    const plan = strips.slice(measured, measured + batch);
    // On every thread: a strip that is some worker's first task costs a little more, which errs on the long side.
    const stats = await run(plan, threads);
    for (const [k, [rect]] of plan.entries()) {
      workMs += Math.max(0, stats.taskMs[k] - fixedMs);
      pixels += rect.w * rect.h;
    }
    measured += plan.length;
    const elapsed = performance.now() - sampling;
    batch = Math.max(1, Math.floor(((SAMPLE_BUDGET_MS - elapsed) * measured) / Math.max(elapsed, 1)));
  }
  const referenceMs = first.reference?.ms ?? 0;
  // A shard encodes nothing (`encodes` false): its bands go into the canvas, and assemble encodes.
  const encodeMs = encodes ? (spec.width * spec.height * (ENCODE_NS[spec.output.format] ?? 0)) / 1e6 : 0;
  const ms = referenceMs + ((workMs / pixels) * spec.width * spec.height) / threads + encodeMs;
  const { w, h } = strips[0][0];
  const sample = `${counted(measured, 'strip')} of ${w} x ${h} pixels`;
  return { ms, sample, sampleMs: performance.now() - started };
}

/** A destination whose rectangles arrive and are dropped: no picture-sized buffer for a sample. */
export function dropping(format: PixelFormat): Destination {
  return { format, receive() {} };
}

/**
 * The sample's strips of `spec` (without the probes), in an order that spreads the first few over the whole picture
 * (a stride through the grid); of `tile`, or the engine's.
 */
export function sampleStrips(spec: RenderSpec, tile = spec.engine === 'perturb' ? DEEP_TILE : DIRECT_TILE): Plan {
  const strips = sampleTiles(spec.width, spec.height, tile).slice(PROBES);
  const stride = strips.length > 7 && strips.length % 7 !== 0 ? 7 : 1;
  return strips.map((_, k) => strips[(k * stride) % strips.length]);
}

/** @example duration(125_000) // "2 min 5 s" */
export function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (ms < 10_000) return `${(ms / 1000).toFixed(1)} s`;
  if (s < 60) return `${s} s`;
  const units: [number, string][] = [
    [86_400, 'd'],
    [3600, 'h'],
    [60, 'min'],
    [1, 's'],
  ];
  const parts: string[] = [];
  let left = s;
  for (const [size, name] of units) {
    if (left >= size && parts.length < 2) {
      parts.push(`${Math.floor(left / size)} ${name}`);
      left %= size;
    } else if (parts.length > 0) break;
  }
  return parts.join(' ');
}
