/**
 * Destinations receive finished rectangles, in whatever order they finish. A destination says which pixel
 * format it wants and, for RGB, may offer a shared image for workers to write into in place; it knows nothing
 * of the pool, and the pool nothing of it (the renderer passes rectangles from one to the other).
 */
import type { Rect } from '../core/plan.js';
import { NEWLINE } from './ascii.js';

export interface Destination {
  /** `ascii`: one byte a pixel ('*' or '-'); `rgb`: 3 bytes a pixel. */
  readonly format: 'ascii' | 'rgb';
  /** For `rgb`: a whole image (width x height x 3 bytes) that workers fill in place; `receive` then gets no bytes. */
  readonly sharedImage?: { buffer: SharedArrayBuffer; width: number };
  /** A finished rectangle: its rows, concatenated (empty when written into `sharedImage`). */
  receive(rect: Rect, bytes: Uint8Array): void;
}

/**
 * ASCII text in image order: each row, with its newline, goes to `write` as soon as it and every row above it
 * are complete, so text streams out while the render goes on, whatever the order rectangles finish in.
 *
 * @example asciiText(140, 50, (bytes) => process.stdout.write(bytes))
 */
export function asciiText(width: number, height: number, write: (bytes: Uint8Array) => void): Destination {
  const pending = new Map<number, Uint8Array>();
  const filled = new Int32Array(height);
  let next = 0;
  return {
    format: 'ascii',
    receive(rect, bytes) {
      for (let r = 0; r < rect.h; r++) {
        const y = rect.y + r;
        let line = pending.get(y);
        if (!line) {
          line = new Uint8Array(width + 1);
          line[width] = NEWLINE;
          pending.set(y, line);
        }
        line.set(bytes.subarray(r * rect.w, (r + 1) * rect.w), rect.x);
        filled[y] += rect.w;
      }
      if (rect.y > next) return;
      const lines: Uint8Array[] = [];
      for (let line = pending.get(next); line && filled[next] === width; line = pending.get(next)) {
        pending.delete(next++);
        lines.push(line);
      }
      if (lines.length > 0) write(Buffer.concat(lines));
    },
  };
}

/**
 * The whole picture as RGB in memory (3 bytes a pixel, row-major), shared with the workers, which colour their
 * rectangles straight into it: no copy, and no rectangle buffers left for the collector.
 *
 * @example const image = rgbImage(800, 600); await renderer.render(spec, { destination: image }); image.pixels
 */
export function rgbImage(width: number, height: number): Destination & { readonly pixels: Buffer } {
  const buffer = new SharedArrayBuffer(width * height * 3);
  return { format: 'rgb', sharedImage: { buffer, width }, pixels: Buffer.from(buffer), receive() {} };
}

/**
 * Hands each finished rectangle's bytes to `onRect` as it arrives (what a remote shard or a tile server needs).
 * The bytes are the caller's to keep.
 *
 * @example rectBytes('rgb', (rect, rgb) => tiles.set(`${rect.x},${rect.y}`, rgb))
 */
export function rectBytes(format: 'ascii' | 'rgb', onRect: (rect: Rect, bytes: Uint8Array) => void): Destination {
  return { format, receive: onRect };
}
