/**
 * The escape-time algorithm in plain TypeScript: the test oracle for the WASM kernels and the "without
 * WebAssembly" baseline. Same operations in the same order as assembly/scalar.ts, so results agree bit for bit.
 */

import { wrongKernelJob } from '../errors.js';
import { EXTRA_STEPS } from '../model/colouring.js';
import type { Engine, KernelJob } from '../model/task.js';

/** |z|^2 after EXTRA_STEPS more steps from an escaped z, with the operations of assembly/smooth.ts. */
export function normAfterEscape(zx: number, zy: number, cx: number, cy: number): number {
  let x2 = zx * zx;
  let y2 = zy * zy;
  for (let k = 0; k < EXTRA_STEPS; k++) {
    zy = zx * zy * 2.0 + cy;
    zx = x2 - y2 + cx;
    x2 = zx * zx;
    y2 = zy * zy;
  }
  return x2 + y2;
}

/**
 * Same margin and save schedule as assembly/shortcuts.ts (see there for why they are safe); the kernel exports its
 * own, which test/kernel-layout.test.ts holds to these.
 */
export const MARGIN = 1e-6;
export const FIRST_SAVE_GAP = 8;
export const MAX_SAVE_GAP = 1 << 29;

/** True when c lies inside the main cardioid or the period-2 bulb, by MARGIN: its orbit never escapes. */
export function insideCardioidOrBulb(cx: number, cy: number): boolean {
  const y2 = cy * cy;
  const xq = cx - 0.25;
  const p = Math.sqrt(xq * xq + y2);
  const x1 = cx + 1.0;
  return cx < p - 2.0 * p * p + 0.25 - MARGIN || x1 * x1 + y2 < (0.25 - MARGIN) * (0.25 - MARGIN);
}

/** What the kernel knows of a pixel: its escape count (-1: never escaped) and |z|^2 EXTRA_STEPS past the escape (0 inside). */
export interface Escape {
  count: number;
  norm: number;
}

/**
 * The original loop from z = zx + i*zy for c = cx + i*cy (the same point for the Mandelbrot set; the pixel and a
 * fixed c for a Julia set), writing pixel p's count and |z|^2 at escape into `counts` and `norms`
 * (typed arrays keep the hot loop free of allocation and of mixed number shapes, which V8 deoptimises on).
 * With `shortcuts`, points in the cardioid or bulb and orbits that repeat exactly are decided early, with the
 * same result. The two loops stay apart: V8 runs the first long call of a loop on its on-stack-replacement code,
 * which carried the periodicity branch at 2.5x the plain loop's time even when shortcuts were off.
 */
function iteratePixel(
  julia: boolean,
  zx0: number,
  zy0: number,
  cx: number,
  cy: number,
  maxIter: number,
  shortcuts: boolean,
  counts: Int32Array,
  norms: Float64Array,
  p: number,
): void {
  if (shortcuts) {
    iterateWithShortcuts(julia, zx0, zy0, cx, cy, maxIter, counts, norms, p);
    return;
  }
  let zx = zx0;
  let zy = zy0;
  let i = 1;
  let x2 = zx * zx;
  let y2 = zy * zy;
  while (i < maxIter && x2 + y2 < 4.0) {
    zy = zx * zy * 2.0 + cy;
    zx = x2 - y2 + cx;
    i++;
    x2 = zx * zx;
    y2 = zy * zy;
  }
  counts[p] = i < maxIter ? i : -1;
  norms[p] = i < maxIter ? normAfterEscape(zx, zy, cx, cy) : 0;
}

/**
 * iteratePixel with periodicity detection (a saved point compared, Brent's way) and, for the Mandelbrot set, the
 * cardioid/bulb test (it says nothing of Julia sets).
 */
function iterateWithShortcuts(
  julia: boolean,
  zx0: number,
  zy0: number,
  cx: number,
  cy: number,
  maxIter: number,
  counts: Int32Array,
  norms: Float64Array,
  p: number,
): void {
  counts[p] = -1;
  norms[p] = 0;
  if (!julia && insideCardioidOrBulb(cx, cy)) return;
  let zx = zx0;
  let zy = zy0;
  let i = 1;
  let x2 = zx * zx;
  let y2 = zy * zy;
  let sx = zx;
  let sy = zy;
  let gap = FIRST_SAVE_GAP;
  let saveAt = 1 + gap;
  while (i < maxIter && x2 + y2 < 4.0) {
    zy = zx * zy * 2.0 + cy;
    zx = x2 - y2 + cx;
    i++;
    x2 = zx * zx;
    y2 = zy * zy;
    if (zx === sx && zy === sy) return;
    if (i === saveAt) {
      sx = zx;
      sy = zy;
      if (gap < MAX_SAVE_GAP) gap *= 2;
      saveAt = i + gap;
    }
  }
  if (i < maxIter) {
    counts[p] = i;
    norms[p] = normAfterEscape(zx, zy, cx, cy);
  }
}

/** One pixel's escape count (-1: never escaped) and |z|^2 at escape (0 inside), by iteratePixel. */
export function escapeOf(cx: number, cy: number, maxIter: number, shortcuts = false): Escape {
  const counts = new Int32Array(1);
  const norms = new Float64Array(1);
  iteratePixel(false, cx, cy, cx, cy, maxIter, shortcuts, counts, norms, 0);
  return { count: counts[0], norm: norms[0] };
}

/** Escape count of c = cx + i*cy by the original loop, or -1 when it has not escaped after maxIter - 1 steps. */
export function escapeCount(cx: number, cy: number, maxIter: number): number {
  return escapeOf(cx, cy, maxIter).count;
}

/** Creates a JS engine that reuses its buffers across calls, like a WASM instance's memory. */
export function createJsEngine(): Engine {
  let counts = new Int32Array(0);
  let norms = new Float64Array(0);
  return (job: KernelJob) => {
    if (job.perturb) throw wrongKernelJob('js');
    const { mapping, colStart, width, rowStart, rowCount, maxIter, shortcuts, julia } = job;
    const pixels = width * rowCount;
    if (counts.length < pixels) {
      counts = new Int32Array(pixels);
      norms = new Float64Array(pixels);
    }
    let p = 0;
    for (let r = 0; r < rowCount; r++) {
      const y = mapping.yMax - (rowStart + r) * mapping.stepY;
      for (let col = colStart; col < colStart + width; col++, p++) {
        const x = mapping.xMin + col * mapping.stepX;
        if (julia) iteratePixel(true, x, y, julia[0], julia[1], maxIter, shortcuts, counts, norms, p);
        else iteratePixel(false, x, y, x, y, maxIter, shortcuts, counts, norms, p);
      }
    }
    return { counts: counts.subarray(0, pixels), norms: norms.subarray(0, pixels) };
  };
}
