/**
 * Colour density chosen from the view (`--cycle auto`, the command line's default): deep views at high iteration
 * counts come out as noise at 64 iterations per palette cycle, because neighbouring pixels there differ by tens or
 * hundreds of iterations. The cycle is made long enough that the median step between horizontal neighbours is at
 * most 1/32 of it, in powers of two times 64, so a view whose neighbours differ by little (every shallow view
 * measured: the classic view's median step is 0.04) keeps 64 and its picture, and a deep one gets 2048 or 8192.
 */

/** The cycle of a view whose neighbours differ by little, and the shortest auto chooses. */
export const BASE_CYCLE = 64;

/** The median neighbour step may be at most this fraction of the cycle. */
const STEPS_PER_CYCLE = 32;

/** The longest cycle auto chooses. */
const MOST = 2 ** 24;

/**
 * The steps |mu(x+1) - mu(x)| between horizontal neighbours that both escaped, in a rectangle's numbers (8 bytes
 * a pixel: int32 count, -1 inside; float32 smooth value), appended to `steps`.
 */
export function neighbourSteps(data: Uint8Array, width: number, height: number, steps: number[]): void {
  const view = new DataView(data.buffer, data.byteOffset, width * height * 8);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x + 1 < width; x++) {
      const p = (y * width + x) * 8;
      if (view.getInt32(p, true) === -1 || view.getInt32(p + 8, true) === -1) continue;
      steps.push(Math.abs(view.getFloat32(p + 12, true) - view.getFloat32(p + 4, true)));
    }
  }
}

/** The median of the steps (0 for none). */
export function medianStep(steps: number[]): number {
  if (steps.length === 0) return 0;
  const sorted = Float64Array.from(steps).sort();
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

/**
 * The cycle for a view whose median neighbour step is `step`: BASE_CYCLE x 2^k, the least at which the step is at
 * most 1/STEPS_PER_CYCLE of it.
 *
 * @example densityCycle(0.04) // 64; densityCycle(65.7) // 4096
 */
export function densityCycle(step: number): number {
  let cycle = BASE_CYCLE;
  while (cycle < STEPS_PER_CYCLE * step && cycle < MOST) cycle *= 2;
  return cycle;
}
