/** Writes a rendered picture in its format, from memory or from a canvas on disk: one place for every path. */

import { rename } from 'node:fs/promises';
import { outputFailed } from '../errors.js';
import type { RenderSpec } from '../model/spec.js';
import { dataFormat, pixelKind } from '../model/spec.js';
import { outputTarget, writeThrough } from './files.js';
import type { PixelSource } from './images.js';
import { writeImage } from './images.js';
import { writeNpy } from './npy.js';
import { pictureMetadata } from './provenance.js';
import { writePyramid } from './pyramid.js';

/** A canvas that is already the output file (NumPy data on disk) is moved into place, not copied. */
async function moveIntoPlace(canvas: string, given: string): Promise<void> {
  const target = await outputTarget(given);
  try {
    if (target.direct) await writeThrough(target, canvas);
    else await rename(canvas, target.path);
  } catch (err) {
    throw outputFailed(given, err);
  }
}

/**
 * Writes `spec`'s picture at `path`, atomically: an image or a pyramid from RGB pixels, or NumPy data (8 bytes a
 * pixel). `source` is the pixels in memory, or the canvas file they were rendered into.
 */
export async function writePicture(path: string, spec: RenderSpec, source: PixelSource, signal?: AbortSignal) {
  const { width, height, output } = spec;
  if (pixelKind(output.format) === 'data') {
    if ('canvas' in source) await moveIntoPlace(source.canvas, path);
    else await writeNpy(path, source.pixels, dataFormat(output), { width, height }, signal);
    return;
  }
  const o = { ...pictureMetadata(spec), signal };
  if (output.format === 'dzi' || output.format === 'iiif') await writePyramid(path, source, output, o);
  else await writeImage(path, source, output, o);
}
