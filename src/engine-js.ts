/**
 * The escape-time algorithm in plain TypeScript: the test oracle for the WASM kernels and the "without
 * WebAssembly" baseline. Same operations in the same order as assembly/index.ts, so results agree bit for bit.
 */
import type { BandJob, Engine } from './band-job.js';

/** Escape count of c = cx + i*cy, or -1 when the orbit has not escaped after maxIter - 1 steps. */
export function escapeCount(cx: number, cy: number, maxIter: number): number {
  let zx = cx;
  let zy = cy;
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
  return i >= maxIter ? -1 : i;
}

/** Creates a JS engine that reuses one counts buffer across bands, like a WASM instance's memory. */
export function createJsEngine(): Engine {
  let buffer = new Int32Array(0);
  return ({ mapping, width, rowStart, rowCount, maxIter }: BandJob) => {
    if (buffer.length < width * rowCount) buffer = new Int32Array(width * rowCount);
    const counts = buffer.subarray(0, width * rowCount);
    let p = 0;
    for (let r = 0; r < rowCount; r++) {
      const cy = mapping.yMax - (rowStart + r) * mapping.stepY;
      for (let col = 0; col < width; col++) {
        counts[p++] = escapeCount(mapping.xMin + col * mapping.stepX, cy, maxIter);
      }
    }
    return counts;
  };
}
