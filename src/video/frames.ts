/**
 * From keyframes to frames. A keyframe's numbers (escape count and smooth value per sample, as `--out npy` holds
 * them) are coloured once per keyframe, so colours can change without rendering again; a frame pixel is then the
 * average of 2 x 2 bilinear taps spread over its footprint in the keyframe (`span` keyframe pixels across). At span
 * 2 the taps fall on the four samples under the pixel: the frame is the keyframe's 2 x 2 average.
 */
import type { Colouring } from '../outputs/colour.js';
import { paletteTable, TABLE_SIZE, tableIndex } from '../outputs/colour.js';

/** A coloured keyframe: RGB bytes, row-major. */
export interface KeyImage {
  rgb: Uint8Array;
  width: number;
  height: number;
}

/**
 * Colours a keyframe's numbers (8 bytes a sample: int32 count, -1 inside; float32 smooth value) as the CLI's
 * colour pictures do: a palette table over `cycle` iterations, the inside colour for the set.
 */
export function colourKey(data: Uint8Array, width: number, height: number, colouring: Colouring): KeyImage {
  const table = paletteTable(colouring.palette);
  const view = new DataView(data.buffer, data.byteOffset, width * height * 8);
  const rgb = new Uint8Array(width * height * 3);
  const [ir, ig, ib] = colouring.inside;
  for (let p = 0; p < width * height; p++) {
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
  return { rgb, width, height };
}

/**
 * The `width` x `height` frame whose pixels each span `span` pixels of the keyframe, about the same centre, as RGB
 * bytes into `out`.
 */
export function resampleFrame(key: KeyImage, span: number, width: number, height: number, out: Uint8Array): void {
  const { rgb, width: kw, height: kh } = key;
  const quarter = span / 4;
  // Keyframe pixel i has its centre at i + 0.5; a tap at x samples between the centres around it.
  const place = (frame: number, half: number, keyHalf: number, offset: number) =>
    keyHalf + (frame + 0.5 - half) * span + offset - 0.5;
  const xs = new Float64Array(2 * width);
  for (let x = 0; x < width; x++) {
    xs[2 * x] = place(x, width / 2, kw / 2, -quarter);
    xs[2 * x + 1] = place(x, width / 2, kw / 2, quarter);
  }
  const sum = new Float64Array(3);
  const tap = (fx: number, fy: number, weight: number) => {
    const x0 = Math.min(kw - 1, Math.max(0, Math.floor(fx)));
    const y0 = Math.min(kh - 1, Math.max(0, Math.floor(fy)));
    const x1 = Math.min(kw - 1, x0 + 1);
    const y1 = Math.min(kh - 1, y0 + 1);
    const ax = Math.min(1, Math.max(0, fx - x0));
    const ay = Math.min(1, Math.max(0, fy - y0));
    const a = (1 - ax) * (1 - ay) * weight;
    const b = ax * (1 - ay) * weight;
    const c = (1 - ax) * ay * weight;
    const d = ax * ay * weight;
    const p00 = (y0 * kw + x0) * 3;
    const p10 = (y0 * kw + x1) * 3;
    const p01 = (y1 * kw + x0) * 3;
    const p11 = (y1 * kw + x1) * 3;
    for (let ch = 0; ch < 3; ch++)
      sum[ch] += a * rgb[p00 + ch] + b * rgb[p10 + ch] + c * rgb[p01 + ch] + d * rgb[p11 + ch];
  };
  for (let y = 0; y < height; y++) {
    const fy0 = place(y, height / 2, kh / 2, -quarter);
    const fy1 = place(y, height / 2, kh / 2, quarter);
    for (let x = 0; x < width; x++) {
      sum.fill(0);
      tap(xs[2 * x], fy0, 0.25);
      tap(xs[2 * x + 1], fy0, 0.25);
      tap(xs[2 * x], fy1, 0.25);
      tap(xs[2 * x + 1], fy1, 0.25);
      const o = (y * width + x) * 3;
      out[o] = Math.round(sum[0]);
      out[o + 1] = Math.round(sum[1]);
      out[o + 2] = Math.round(sum[2]);
    }
  }
}
