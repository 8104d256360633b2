/**
 * The disk-backed canvas: a whole picture in one file, which workers fill rectangle by rectangle at their places, so
 * that memory stays flat whatever the size. Colour pictures live in libvips' own `.v` format (a 64-byte header, then
 * the RGB rows), which sharp reads from disk in pieces; NumPy data lives in the .npy file itself, which becomes the
 * output as it is.
 */
import type { FileHandle } from 'node:fs/promises';
import { link, open, stat, unlink } from 'node:fs/promises';
import { damagedCanvas } from '../errors.js';
import type { CanvasFile } from '../model/task.js';
import { PIXEL_BYTES } from '../model/task.js';
import { uniqueTag } from './files.js';
import { npyHeader } from './npy.js';

/** What a canvas holds: coloured pixels (3 bytes) or the numbers (see PixelFormat `data` and `data-distance`). */
export type CanvasKind = 'rgb' | 'data' | 'data-distance';

/**
 * libvips' `.v` header for an 8-bit sRGB image: the magic `b6 a6 f2 08` (this byte order says the other fields are
 * little-endian), width, height, 3 bands, band format 0 (uchar), coding 0 (none), interpretation 22 (sRGB) and a
 * resolution of 1 pixel a millimetre, as libvips writes it.
 *
 * @example vipsHeader(800, 600).length // 64
 */
export function vipsHeader(width: number, height: number): Buffer {
  const header = Buffer.alloc(64);
  header.writeUInt32BE(0xb6a6f208, 0);
  header.writeUInt32LE(width, 4);
  header.writeUInt32LE(height, 8);
  header.writeUInt32LE(3, 12);
  header.writeUInt32LE(22, 28);
  header.writeFloatLE(1, 32);
  header.writeFloatLE(1, 36);
  return header;
}

function header(kind: CanvasKind, width: number, height: number): Buffer {
  return kind === 'rgb' ? vipsHeader(width, height) : npyHeader(width, height, kind);
}

/** The file name a canvas of `kind` gets: the extension says how to read it. */
export const CANVAS_NAMES: Readonly<Record<CanvasKind, string>> = {
  rgb: 'canvas.v',
  data: 'canvas.npy',
  'data-distance': 'canvas.npy',
};

/** Bytes of a whole canvas file: header and pixels. @example canvasBytes('rgb', 100, 10) // 3064 */
export function canvasBytes(kind: CanvasKind, width: number, height: number): number {
  return header(kind, width, height).length + width * height * PIXEL_BYTES[kind];
}

/**
 * Makes the canvas file at `path` (header, then room for every pixel, unwritten: sparse where the file system
 * allows), unless one is there already, which is kept as it is: several processes (shards) may race to make it,
 * and the one made is whole before it appears, because it is made under another name and linked into place. One of
 * another size, or none where `holdsWork` (bands are recorded as done), is a damaged folder: refused.
 */
export async function createCanvas(
  path: string,
  kind: CanvasKind,
  width: number,
  height: number,
  holdsWork = false,
): Promise<CanvasFile> {
  const head = header(kind, width, height);
  const canvas: CanvasFile = { path, offset: head.length, width };
  const size = canvasBytes(kind, width, height);
  const existing = await stat(path).catch(() => undefined);
  if (existing?.size === size) return canvas;
  // Another size is never one a process made (it links the canvas in whole); none, where work is recorded as done in
  // it, would leave those bands black.
  if (existing || holdsWork) throw damagedCanvas(path, existing?.size, size);
  const temp = `${path}.${uniqueTag()}.new`;
  let handle: FileHandle | undefined;
  try {
    // 'wx': a name that exists is another process's, never truncated.
    handle = await open(temp, 'wx');
    await handle.write(head, 0, head.length, 0);
    await handle.truncate(size);
    await handle.sync();
    await handle.close();
    handle = undefined;
    await link(temp, path).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'EEXIST') throw err;
    });
  } finally {
    await handle?.close().catch(() => {});
    await unlink(temp).catch(() => {});
  }
  return canvas;
}
