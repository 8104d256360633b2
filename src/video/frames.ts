/**
 * From keyframes to frames. A keyframe's numbers (escape count and smooth value per sample, as `--out npy` holds
 * them) are coloured once per keyframe, so colours can change without rendering again; a frame pixel is then the
 * average of 2 x 2 bilinear taps spread over its footprint in the keyframe (`span` keyframe pixels across). At span
 * 2 the taps fall on the four samples under the pixel: the frame is the keyframe's 2 x 2 average.
 */
import type { Colouring } from '../model/colouring.js';
import { paletteTable, TABLE_SIZE, tableIndex } from '../model/colouring.js';

/** A coloured keyframe: RGB bytes, row-major. */
export interface KeyImage {
  rgb: Uint8Array;
  width: number;
  height: number;
}

/** The rows and columns of a keyframe a frame reads: [x0, x1) x [y0, y1). */
export interface KeyRegion {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** The part of a `kw` x `kh` keyframe that a `width` x `height` frame spanning `span` of its pixels reads. */
export function regionRead(kw: number, kh: number, span: number, width: number, height: number): KeyRegion {
  // Its taps reach half a frame pixel past its edge pixels' centres, and bilinear reads one sample further.
  const half = (frame: number) => (frame / 2) * span + 2;
  return {
    x0: Math.max(0, Math.floor(kw / 2 - half(width))),
    x1: Math.min(kw, Math.ceil(kw / 2 + half(width))),
    y0: Math.max(0, Math.floor(kh / 2 - half(height))),
    y1: Math.min(kh, Math.ceil(kh / 2 + half(height))),
  };
}

/**
 * Colours a keyframe's numbers (8 bytes a sample: int32 count, -1 inside; float32 smooth value) as the CLI's
 * colour pictures do: a palette table over `cycle` iterations, the inside colour for the set; only `region` when
 * given (the rest stays black).
 */
export function colourKey(
  data: Uint8Array,
  width: number,
  height: number,
  colouring: Colouring,
  region: KeyRegion = { x0: 0, x1: width, y0: 0, y1: height },
): KeyImage {
  const table = paletteTable(colouring.palette);
  const view = new DataView(data.buffer, data.byteOffset, width * height * 8);
  const rgb = new Uint8Array(width * height * 3);
  const [ir, ig, ib] = colouring.inside;
  for (let y = region.y0; y < region.y1; y++) {
    for (let p = y * width + region.x0; p < y * width + region.x1; p++) {
      const o = p * 3;
      if (view.getInt32(p * 8, true) === -1) {
        rgb[o] = ir;
        rgb[o + 1] = ig;
        rgb[o + 2] = ib;
      } else {
        const k = Math.min(TABLE_SIZE - 1, tableIndex(view.getFloat32(p * 8 + 4, true), colouring.cycle)) * 3;
        rgb[o] = Math.round(table[k]);
        rgb[o + 1] = Math.round(table[k + 1]);
        rgb[o + 2] = Math.round(table[k + 2]);
      }
    }
  }
  return { rgb, width, height };
}

/** Where taps fall along one axis: for each frame pixel, two taps, each a sample index and its neighbour's weight. */
function taps(frame: number, key: number, span: number): { at: Int32Array; next: Int32Array; weight: Float64Array } {
  const at = new Int32Array(2 * frame);
  const next = new Int32Array(2 * frame);
  const weight = new Float64Array(2 * frame);
  for (let p = 0; p < frame; p++) {
    for (const side of [0, 1]) {
      // Keyframe pixel i has its centre at i + 0.5; the taps lie a quarter of the footprint either side of the
      // frame pixel's centre.
      const x = key / 2 + (p + 0.5 - frame / 2) * span + (side === 0 ? -span / 4 : span / 4) - 0.5;
      const i = Math.min(key - 1, Math.max(0, Math.floor(x)));
      at[2 * p + side] = i;
      next[2 * p + side] = Math.min(key - 1, i + 1);
      weight[2 * p + side] = Math.min(1, Math.max(0, x - i));
    }
  }
  return { at, next, weight };
}

/**
 * The `width` x `height` frame whose pixels each span `span` pixels of the keyframe, about the same centre, as RGB
 * bytes into `out`: each pixel the mean of 2 x 2 bilinear taps.
 */
export function resampleFrame(key: KeyImage, span: number, width: number, height: number, out: Uint8Array): void {
  const { rgb, width: kw, height: kh } = key;
  const xs = taps(width, kw, span);
  const ys = taps(height, kh, span);
  // One bilinear tap of channel c: rows r0, r1 (as offsets), columns c0, c1, weights ax, ay.
  const tap = (r0: number, r1: number, ay: number, c0: number, c1: number, ax: number) => {
    const a = rgb[r0 + c0];
    const top = a + ax * (rgb[r0 + c1] - a);
    const b = rgb[r1 + c0];
    const bottom = b + ax * (rgb[r1 + c1] - b);
    return top + ay * (bottom - top);
  };
  let o = 0;
  for (let y = 0; y < height; y++) {
    const ra0 = ys.at[2 * y] * kw * 3;
    const ra1 = ys.next[2 * y] * kw * 3;
    const aya = ys.weight[2 * y];
    const rb0 = ys.at[2 * y + 1] * kw * 3;
    const rb1 = ys.next[2 * y + 1] * kw * 3;
    const ayb = ys.weight[2 * y + 1];
    for (let x = 0; x < width; x++) {
      const ca0 = xs.at[2 * x] * 3;
      const ca1 = xs.next[2 * x] * 3;
      const axa = xs.weight[2 * x];
      const cb0 = xs.at[2 * x + 1] * 3;
      const cb1 = xs.next[2 * x + 1] * 3;
      const axb = xs.weight[2 * x + 1];
      for (let c = 0; c < 3; c++) {
        const sum =
          tap(ra0 + c, ra1 + c, aya, ca0, ca1, axa) +
          tap(ra0 + c, ra1 + c, aya, cb0, cb1, axb) +
          tap(rb0 + c, rb1 + c, ayb, ca0, ca1, axa) +
          tap(rb0 + c, rb1 + c, ayb, cb0, cb1, axb);
        out[o++] = Math.round(sum / 4);
      }
    }
  }
}
