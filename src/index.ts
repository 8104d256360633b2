/**
 * mandel-par's public API: render the Mandelbrot set in parallel from a program. A render is described by a
 * RenderSpec (plain JSON), cut into rectangles by a Plan, computed by a long-lived Renderer (a pool of worker
 * threads, each with its own WebAssembly instance) and handed, rectangle by rectangle, to a Destination.
 *
 * The convenience functions below start a renderer for one call and close it; pass `{ renderer }` to reuse one.
 */

import { constants } from 'node:buffer';
import { availableParallelism } from 'node:os';
import { invalidArgument, invalidSpecField } from './errors.js';
import type { Rect } from './model/plan.js';
import type { RenderSpec, SpecInput } from './model/spec.js';
import { createSpec } from './model/spec.js';
import { asciiText, rectBytes, rgbImage } from './outputs/destinations.js';
import { encodeImage } from './outputs/images.js';
import { pictureMetadata } from './outputs/provenance.js';
import { checkMemory } from './render/memory.js';
import type { RendererOptions } from './render/renderer.js';
import { defaultPlan, Renderer } from './render/renderer.js';

export { InterruptedError, RenderError, UsageError } from './errors.js';
export type { Colouring } from './model/colouring.js';
export type { Palette } from './model/palettes.js';
export { PALETTES } from './model/palettes.js';
export type { Plan, Rect, Schedule } from './model/plan.js';
export { planBands, planTiles } from './model/plan.js';
export type {
  Formula,
  ImageFormat,
  OutputFormat,
  OutputSettings,
  OutputSpec,
  PyramidFormat,
  RenderSpec,
  SpecInput,
  TileFormat,
} from './model/spec.js';
export { createSpec, LIMITS, OUTPUT_FORMATS, specFromJson, specToJson, validateSpec } from './model/spec.js';
export type { Tally } from './model/tally.js';
export type { CanvasFile, EngineName, PerturbWork, PixelFormat, SharedImage } from './model/task.js';
export { ENGINES } from './model/task.js';
export { VERSION } from './model/version.js';
export type { Destination } from './outputs/destinations.js';
export { asciiText, pbmBitmap, pixelData, rectBytes, rgbImage } from './outputs/destinations.js';
export type { ImageOptions } from './outputs/images.js';
export { encodeImage, parametersFromXmp } from './outputs/images.js';
export { reproduceCommand } from './outputs/provenance.js';
export type { PrecisionCheck } from './plane/precision.js';
export type { DeepView } from './plane/view.js';
export type { PlaneMapping, Region } from './plane/viewport.js';
// The public API: what a program needs to describe, render and write pictures. Its surface is recorded in
// docs/api.md and checked by test/api.test.ts, so that a change to it is a decision, not an accident.
export type { MemoryCheck, MemoryEstimate } from './render/memory.js';
export { checkMemory, estimateMemory } from './render/memory.js';
export type { Logger, RenderCall, RendererOptions, RenderStats } from './render/renderer.js';
export { defaultPlan, Renderer } from './render/renderer.js';

/** Options of the one-call functions: reuse a renderer, or let them start one with these options. */
export interface OneCallOptions extends RendererOptions {
  renderer?: Renderer;
  signal?: AbortSignal;
}

/**
 * Refuses a picture held whole in memory (the one-call functions hold it) that would not fit, as the CLI does,
 * before any worker starts: a 2^20 x 2^20 ASCII picture grew to 2 GB before it was killed, and a large image threw
 * "Array buffer allocation failed".
 */
function checkHeld(spec: RenderSpec, o: OneCallOptions): void {
  const threads = o.renderer?.threads ?? o.threads ?? availableParallelism();
  checkMemory(spec, threads, defaultPlan(spec, threads), undefined, { api: true });
}

async function withRenderer<T>(o: OneCallOptions, work: (renderer: Renderer) => Promise<T>): Promise<T> {
  // The renderer's own options: the call's (renderer, signal, a rectangle's format) are not the pool's.
  const { renderer: given, signal: _signal, format: _format, ...options } = o as OneCallOptions & { format?: unknown };
  const renderer = given ?? (await Renderer.create(options));
  try {
    return await work(renderer);
  } finally {
    if (!given) await renderer.close();
  }
}

/**
 * Renders a spec as ASCII text ('*' inside, '-' outside, a newline after each row). With no spec, the classic
 * 140 x 50 picture at 100000 iterations, byte for byte the original program's.
 *
 * @example
 * import { renderAscii } from 'mandel-par';
 * process.stdout.write(await renderAscii());
 */
export async function renderAscii(spec: SpecInput | RenderSpec = {}, o: OneCallOptions = {}): Promise<string> {
  const full = createSpec({ ...spec, output: { format: 'ascii' } });
  const characters = (full.width + 1) * full.height;
  if (characters > constants.MAX_STRING_LENGTH) {
    const most = `a picture of at most ${constants.MAX_STRING_LENGTH} characters with its newlines (one string's most)`;
    throw invalidArgument('renderAscii', `${full.width} x ${full.height}`, `${most}: renderRect gives it in parts`);
  }
  checkHeld(full, o);
  const chunks: Uint8Array[] = [];
  await withRenderer(o, (r) =>
    r.render(full, { destination: asciiText(full.width, full.height, (b) => chunks.push(b)), signal: o.signal }),
  );
  return Buffer.concat(chunks).toString('latin1');
}

/** The formats renderImage encodes: the colour images held in memory. */
const IMAGE_OUTPUTS = ['png', 'jpeg', 'webp', 'avif', 'tiff'] as const;

/**
 * Renders a spec as an image file's bytes in its output format (png, jpeg, webp, avif or tiff; png when the spec
 * names none), the spec and a reproducing command embedded as XMP. Defaults: 3000 x 2000 at 1000 iterations, the
 * classic palette.
 *
 * @example
 * import { writeFile } from 'node:fs/promises';
 * import { renderImage } from 'mandel-par';
 * await writeFile('seahorse.webp', await renderImage({ width: 800, height: 600, output: { format: 'webp' } }));
 * // Past f64: a view as decimal strings, drawn by perturbation.
 * await writeFile('deep.png', await renderImage({ width: 800, height: 600, maxIter: 5000, view: { center: ['0', '1'], width: '1e-300' } }));
 */
export async function renderImage(spec: SpecInput | RenderSpec = {}, o: OneCallOptions = {}): Promise<Buffer> {
  const full = createSpec({ ...spec, output: spec.output ?? { format: 'png' } });
  const format = full.output.format;
  if (!(IMAGE_OUTPUTS as readonly string[]).includes(format)) {
    throw invalidSpecField('output.format', format, `an image held in memory (${IMAGE_OUTPUTS.join(', ')})`);
  }
  checkHeld(full, o);
  const image = rgbImage(full.width, full.height);
  await withRenderer(o, (r) => r.render(full, { destination: image, signal: o.signal }));
  return encodeImage(image.pixels, full.width, full.height, full.output, pictureMetadata(full));
}

/** renderImage as PNG, whatever format the spec names (as in the first releases). */
export async function renderPng(spec: SpecInput | RenderSpec = {}, o: OneCallOptions = {}): Promise<Buffer> {
  const compression = spec.output?.format === 'png' ? spec.output.compression : undefined;
  return renderImage({ ...spec, output: { format: 'png', compression } }, o);
}

/**
 * Renders one rectangle of a view: its pixels, bit for bit those of the same pixels in the whole picture, as
 * RGB (3 bytes a pixel, `format: 'rgb'`, the default) or ASCII bytes (one a pixel), row after row.
 *
 * @example
 * import { renderRect } from 'mandel-par';
 * const tile = await renderRect({ width: 4096, height: 4096, output: { format: 'png' } }, { x: 1024, y: 2048, w: 256, h: 256 });
 */
export async function renderRect(
  spec: SpecInput | RenderSpec,
  rect: Rect,
  o: OneCallOptions & { format?: 'ascii' | 'rgb' } = {},
): Promise<Uint8Array> {
  const full = createSpec(spec);
  let bytes: Uint8Array = new Uint8Array(0);
  const destination = rectBytes(o.format ?? 'rgb', (_, received) => {
    bytes = received;
  });
  await withRenderer(o, (r) => r.render(full, { destination, plan: [[rect]], signal: o.signal }));
  return bytes;
}
