/**
 * Colouring, done in the workers rectangle by rectangle: escape count and |z|^2 past the escape -> a continuous
 * ("smooth") iteration count -> a colour from a cyclic palette; supersampled pixels are averaged. The per-sample
 * loop runs in WASM (assembly/colour.ts); this module holds the definitions and builds the palette table.
 */
import type { Palette } from './palettes.js';

/**
 * Steps past the escape before |z|^2 is kept, as assembly/smooth.ts (see there for why); the kernel exports its
 * own, which test/kernel-layout.test.ts holds to this one.
 */
export const EXTRA_STEPS = 3;

/**
 * The continuous iteration count of an escaped point: mu = n + 1 + EXTRA_STEPS - log2(log2 |z_n+EXTRA_STEPS|),
 * from the escape count n and |z|^2 three steps past the escape, which the engines report (assembly/smooth.ts).
 * Far out, |z_k+1| = |z_k|^2 to within |c|, so log2 log2 |z| grows by exactly 1 a step and mu does not jump where
 * the count does; at the escape radius 2 it would (the seams in the halo that the earlier formula drew).
 *
 * @example smoothIteration(5, 144131442.16239) // c = 0.5: 9 - log2(log2(12005.4755...)) = 5.2396...
 */
export function smoothIteration(count: number, norm: number): number {
  return count + 1 + EXTRA_STEPS - Math.log2(0.5 * Math.log2(norm));
}

/**
 * How escaped samples are shaded, besides their palette colour (assembly/colour.ts, shadeOf): not at all (`smooth`),
 * darkened by the distance estimate near the set's boundary (`distance`), lit by the slope of the smooth count
 * (`slope`), or both (`blend`). All but `smooth` need each sample's derivative (assembly/derivative.ts).
 */
export const SHADINGS = ['smooth', 'distance', 'slope', 'blend'] as const;
export type Shading = (typeof SHADINGS)[number];

/** The kernel's bits for each shading (assembly/colour.ts: DISTANCE 1, SLOPE 2). */
export const SHADING_BITS: Record<Shading, number> = { smooth: 0, distance: 1, slope: 2, blend: 3 };

/** Where slope light comes from unless said: degrees anticlockwise from the image's right, and above the plane. */
export const DEFAULT_LIGHT: readonly [azimuth: number, elevation: number] = [135, 45];

/** The light's unit vector (x right, y up, z towards the viewer) from its azimuth and elevation in degrees. */
export function lightVector([azimuth, elevation]: readonly [number, number]): [number, number, number] {
  const a = (azimuth * Math.PI) / 180;
  const e = (elevation * Math.PI) / 180;
  return [Math.cos(e) * Math.cos(a), Math.cos(e) * Math.sin(a), Math.sin(e)];
}

/** True when a colouring shades by the derivative, which the workers then compute. */
export function needsDerivatives(colouring: Colouring): boolean {
  return (colouring.shading ?? 'smooth') !== 'smooth';
}

export interface Colouring {
  palette: Palette;
  /** Colour for points that never escaped. */
  inside: [number, number, number];
  /** Continuous iterations per pass through the palette. */
  cycle: number;
  /** Absent: `smooth`. */
  shading?: Shading;
  /** For slope shading: azimuth and elevation in degrees; absent: DEFAULT_LIGHT. */
  light?: readonly [number, number];
}

/** Entries in a palette table: finer than 8-bit colour can show across a gradient's stops. */
export const TABLE_SIZE = 4096;

/**
 * The palette as a table of TABLE_SIZE colours (r, g, b floats) over one cycle, interpolated linearly between
 * the stops: entry k is the colour at position k / TABLE_SIZE of the cycle.
 */
export function paletteTable(palette: Palette): Float64Array {
  const table = new Float64Array(TABLE_SIZE * 3);
  for (let k = 0; k < TABLE_SIZE; k++) {
    const position = (k / TABLE_SIZE) * palette.length;
    const stop = Math.floor(position);
    const f = position - stop;
    const a = palette[stop];
    const b = palette[(stop + 1) % palette.length];
    for (let c = 0; c < 3; c++) table[k * 3 + c] = a[c] + (b[c] - a[c]) * f;
  }
  return table;
}

/** Index into a palette table of the continuous iteration count `mu`, for `cycle` iterations per cycle. */
export function tableIndex(mu: number, cycle: number): number {
  const t = mu / cycle;
  return ((t - Math.floor(t)) * TABLE_SIZE) | 0;
}

/**
 * The distance estimate from an escaped sample to the set's boundary, in sample steps, from its |z|^2 and u = z / E
 * (assembly/derivative.ts): |z| ln |z| / |dz/dc| over the step, which is |u| ln |z|. The colour kernel's DISTANCE
 * shading takes the same. NaN where the sample has no derivative.
 *
 * @example distanceEstimate(1e6, 3, 4) // 34.538...
 */
export function distanceEstimate(norm: number, ux: number, uy: number): number {
  return Math.hypot(ux, uy) * 0.5 * Math.log(norm);
}

/**
 * The numbers of each pixel for `--out npy`: its escape count as int32 (-1 inside) and its smooth value as float32
 * (NaN inside), little-endian, 8 bytes a pixel, into `target` from byte `at`; given the samples' derivatives `derivs`
 * (two f64 a sample, see distanceEstimate), 12 bytes a pixel, the distance estimate in pixels as a third float32.
 *
 * @example writeData(Int32Array.of(5), Float64Array.of(144131442.16239), bytes, 0) // int32 5, float32 5.2396...
 */
export function writeData(
  counts: Int32Array,
  norms: Float64Array,
  target: Uint8Array,
  at: number,
  derivs?: Float64Array,
): void {
  const size = derivs ? 12 : 8;
  const view = new DataView(target.buffer, target.byteOffset + at, counts.length * size);
  for (let p = 0; p < counts.length; p++) {
    const count = counts[p];
    const inside = count === -1;
    view.setInt32(p * size, count, true);
    view.setFloat32(p * size + 4, inside ? Number.NaN : smoothIteration(count, norms[p]), true);
    if (!derivs) continue;
    const distance = inside ? Number.NaN : distanceEstimate(norms[p], derivs[2 * p], derivs[2 * p + 1]);
    view.setFloat32(p * size + 8, distance, true);
  }
}
