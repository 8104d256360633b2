/**
 * Destinations receive finished rectangles, in whatever order they finish. A destination says which pixel
 * format it wants and, for RGB, may offer a shared image for workers to write into in place; it knows nothing
 * of the pool, and the pool nothing of it (the renderer passes rectangles from one to the other).
 */

import { constants } from 'node:buffer';
import { formatBytes, invalidArgument, misalignedBits } from '../errors.js';
import type { Rect } from '../model/plan.js';
import type { CanvasFile, PixelFormat, SharedImage } from '../model/task.js';
import { PIXEL_BYTES } from '../model/task.js';
import { NEWLINE } from './ascii.js';
import type { CanvasKind } from './canvas.js';

const NEWLINE_BYTE = Uint8Array.of(NEWLINE);

export interface Destination {
  /** The form each rectangle's pixels arrive in (see PixelFormat). */
  readonly format: PixelFormat;
  /** For `rgb` and `data`: a whole image that workers fill in place; `receive` then gets no bytes. */
  readonly sharedImage?: SharedImage;
  /** For `rgb` and `data`: a file on disk that workers fill in place (see outputs/canvas.ts); no bytes either. */
  readonly canvas?: CanvasFile;
  /** A finished rectangle: its rows, concatenated (empty when written into `sharedImage`). */
  receive(rect: Rect, bytes: Uint8Array): void;
}

/**
 * Gathers rows that arrive in pieces, in any order, and passes each complete row on in image order, as soon as it
 * and every row above it are complete: text streams out while the render goes on. A row is `rowBytes` long; a
 * piece is `bytes` placed at byte `offset` of row `y`.
 */
function inOrderRows(height: number, rowBytes: number, emit: (rows: Uint8Array[]) => void) {
  const pending = new Map<number, Uint8Array>();
  const filled = new Int32Array(height);
  let next = 0;
  return {
    place(y: number, offset: number, bytes: Uint8Array) {
      let row = pending.get(y);
      if (!row) {
        row = new Uint8Array(rowBytes);
        pending.set(y, row);
      }
      row.set(bytes, offset);
      filled[y] += bytes.length;
    },
    flush() {
      const rows: Uint8Array[] = [];
      for (let row = pending.get(next); row && filled[next] === rowBytes; row = pending.get(next)) {
        pending.delete(next++);
        rows.push(row);
      }
      if (rows.length > 0) emit(rows);
    },
  };
}

/**
 * Refuses a destination's size that is not whole numbers of pixels, or one whose bytes no buffer holds (rgbImage(-1,
 * 10) and pixelData(50000, 50000) threw RangeErrors from inside; rgbImage('10', 10) and asciiText(NaN, 5) were taken).
 */
function checkSize(where: string, width: number, height: number, bytesPerPixel: number): void {
  const whole = (v: unknown) => Number.isSafeInteger(v) && (v as number) >= 1;
  if (!(whole(width) && whole(height))) {
    throw invalidArgument(`${where} width, height`, [width, height], 'whole numbers of pixels, 1 or more');
  }
  // The pixels are read through one Buffer.
  if (width * height * bytesPerPixel > constants.MAX_LENGTH) {
    throw invalidArgument(
      `${where} width, height`,
      [width, height],
      `a picture of at most ${formatBytes(constants.MAX_LENGTH)} in memory (a canvas on disk holds larger)`,
    );
  }
}

/**
 * ASCII text in image order ('*' inside, '-' outside, a newline after each row), written as rows complete.
 *
 * @example asciiText(140, 50, (bytes) => process.stdout.write(bytes))
 */
export function asciiText(width: number, height: number, write: (bytes: Uint8Array) => void): Destination {
  checkSize('asciiText', width, height, 1);
  const rows = inOrderRows(height, width + 1, (done) => write(Buffer.concat(done)));
  return {
    format: 'ascii',
    receive(rect, bytes) {
      for (let r = 0; r < rect.h; r++) {
        rows.place(rect.y + r, rect.x, bytes.subarray(r * rect.w, (r + 1) * rect.w));
        if (rect.x + rect.w === width) rows.place(rect.y + r, width, NEWLINE_BYTE);
      }
      rows.flush();
    },
  };
}

/**
 * A Netpbm P4 bitmap (1 = inside), the header then the packed rows in image order, written as rows complete.
 * Rectangles must start at a multiple of 8 pixels (full-width bands always do).
 *
 * @example pbmBitmap(16000, 16000, (bytes) => out.write(bytes))
 */
export function pbmBitmap(width: number, height: number, write: (bytes: Uint8Array) => void): Destination {
  checkSize('pbmBitmap', width, height, 1 / 8);
  write(Buffer.from(`P4\n${width} ${height}\n`, 'latin1'));
  const rowBytes = Math.ceil(width / 8);
  const rows = inOrderRows(height, rowBytes, (done) => write(Buffer.concat(done)));
  return {
    format: 'bits',
    receive(rect, bytes) {
      if (rect.x % 8 !== 0) throw misalignedBits(rect);
      const pieceBytes = Math.ceil(rect.w / 8);
      for (let r = 0; r < rect.h; r++) {
        rows.place(rect.y + r, rect.x / 8, bytes.subarray(r * pieceBytes, (r + 1) * pieceBytes));
      }
      rows.flush();
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
  checkSize('rgbImage', width, height, 3);
  const buffer = new SharedArrayBuffer(width * height * 3);
  return { format: 'rgb', sharedImage: { buffer, width }, pixels: Buffer.from(buffer), receive() {} };
}

/**
 * The picture's numbers in memory, shared with the workers, row-major: 8 bytes a pixel (PixelFormat `data`), or 12
 * with the distance estimate (`data-distance`).
 *
 * @example const data = pixelData(640, 480); await renderer.render(spec, { destination: data }); data.pixels
 */
export function pixelData(
  width: number,
  height: number,
  format: 'data' | 'data-distance' = 'data',
): Destination & { readonly pixels: Buffer } {
  checkSize('pixelData', width, height, PIXEL_BYTES[format]);
  const buffer = new SharedArrayBuffer(width * height * PIXEL_BYTES[format]);
  return { format, sharedImage: { buffer, width }, pixels: Buffer.from(buffer), receive() {} };
}

/**
 * The picture in a canvas file on disk (see outputs/canvas.ts), which workers write their rectangles into: memory
 * stays flat whatever the size. `onRect` hears of each rectangle once it is written (to record it, for a resume).
 *
 * @example diskCanvas(await createCanvas('big.v', 'rgb', 65536, 65536), 'rgb', (rect) => parts.record(rect))
 */
export function diskCanvas(canvas: CanvasFile, format: CanvasKind, onRect: (rect: Rect) => void): Destination {
  return { format, canvas, receive: (rect) => onRect(rect) };
}

/**
 * Hands each finished rectangle's bytes to `onRect` as it arrives (what a remote shard or a tile server needs).
 * The bytes are the caller's to keep.
 *
 * @example rectBytes('rgb', (rect, rgb) => tiles.set(`${rect.x},${rect.y}`, rgb))
 */
export function rectBytes(format: PixelFormat, onRect: (rect: Rect, bytes: Uint8Array) => void): Destination {
  return { format, receive: onRect };
}
