/**
 * Colouring, done in the workers band by band: escape count and |z|^2 at escape -> a continuous ("smooth")
 * iteration count -> a colour from a cyclic palette; supersampled pixels are averaged.
 */
import type { Palette } from './palettes.js';

/**
 * The continuous iteration count of an escaped point: mu = n + 1 - log2(log2 |z_n|), with the escape radius 2
 * of the loop. It is continuous across iteration counts: a point that escapes with |z_n| = 2 gets n + 1, the same
 * as a neighbour that needed one more step and escaped with |z_n+1| = |z_n|^2 = 4.
 *
 * @example smoothIteration(5, 9.9435...) // 5 + 1 - log2(log2(3.1533...)) = 5.269...
 */
export function smoothIteration(count: number, norm: number): number {
  return count + 1 - Math.log2(0.5 * Math.log2(norm));
}

export interface Colouring {
  palette: Palette;
  /** Colour for points that never escaped. */
  inside: [number, number, number];
  /** Continuous iterations per pass through the palette. */
  cycle: number;
}

/** Entries in a palette table: finer than 8-bit colour can show across a gradient's stops. */
export const TABLE_SIZE = 4096;

/** Tables already built in this thread, by palette: every band of a render would otherwise build its own. */
const tables = new Map<string, Float64Array>();

/**
 * The palette as a table of TABLE_SIZE colours (r, g, b floats) over one cycle, interpolated linearly between
 * the stops: entry k is the colour at position k / TABLE_SIZE of the cycle.
 */
export function paletteTable(palette: Palette): Float64Array {
  const key = palette.join(';');
  const cached = tables.get(key);
  if (cached) return cached;
  const table = new Float64Array(TABLE_SIZE * 3);
  for (let k = 0; k < TABLE_SIZE; k++) {
    const position = (k / TABLE_SIZE) * palette.length;
    const stop = Math.floor(position);
    const f = position - stop;
    const a = palette[stop];
    const b = palette[(stop + 1) % palette.length];
    for (let c = 0; c < 3; c++) table[k * 3 + c] = a[c] + (b[c] - a[c]) * f;
  }
  tables.set(key, table);
  return table;
}

/** Index into a palette table of the continuous iteration count `mu`, for `cycle` iterations per cycle. */
export function tableIndex(mu: number, cycle: number): number {
  const t = mu / cycle;
  return ((t - Math.floor(t)) * TABLE_SIZE) | 0;
}

/**
 * Colours a band of samples (`aa` x `aa` samples per pixel, row-major, `width * aa` samples a row) into `rgb`:
 * rowCount x width pixels, 3 bytes each, averaging each pixel's samples before rounding.
 */
export function colourBand(
  counts: Int32Array,
  norms: Float64Array,
  width: number,
  rowCount: number,
  aa: number,
  colouring: Colouring,
  rgb: Uint8Array,
): void {
  const table = paletteTable(colouring.palette);
  const { cycle } = colouring;
  const [ir, ig, ib] = colouring.inside;
  const sampleWidth = width * aa;
  const sum = new Float64Array(width * 3);
  const samples = aa * aa;
  for (let row = 0; row < rowCount; row++) {
    sum.fill(0);
    for (let sy = 0; sy < aa; sy++) {
      let s = (row * aa + sy) * sampleWidth;
      for (let col = 0; col < width * 3; col += 3) {
        for (let sx = 0; sx < aa; sx++, s++) {
          if (counts[s] < 0) {
            sum[col] += ir;
            sum[col + 1] += ig;
            sum[col + 2] += ib;
          } else {
            const k = tableIndex(smoothIteration(counts[s], norms[s]), cycle) * 3;
            sum[col] += table[k];
            sum[col + 1] += table[k + 1];
            sum[col + 2] += table[k + 2];
          }
        }
      }
    }
    const base = row * width * 3;
    for (let k = 0; k < width * 3; k++) rgb[base + k] = Math.round(sum[k] / samples);
  }
}
