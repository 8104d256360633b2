/**
 * What the perturbation kernel needs of a render, computed once in the main thread: the reference orbit at the
 * grid's centre (in a SharedArrayBuffer, so every task of the render shares it without a copy) and the sample
 * steps in the kernel's scaled form (assembly/perturb.ts).
 */
import type { PerturbJob } from '../core/task.js';
import type { SampleGrid } from './grid.js';
import { STEP_BITS } from './grid.js';
import { ORBIT_GUARD_BITS, referenceOrbit } from './orbit.js';

/**
 * Below this power of two, a sample's first offset starts scaled (an extended exponent): it would otherwise come
 * near f64's subnormal range (2^-1022) within a few squarings. The kernel's PLAIN_K (700) is where it goes back.
 */
const SCALED_BELOW = -680;

/**
 * The reference orbit and steps for a grid, up to maxIter.
 *
 * @example perturbSetup(sampleGrid({ view }, 64, 40, 1), 1000).orbit.length // 2 * (points up to the escape)
 */
export function perturbSetup(grid: SampleGrid, maxIter: number): PerturbJob {
  const guard = BigInt(ORBIT_GUARD_BITS);
  const points = referenceOrbit(
    grid.centre[0] << guard,
    grid.centre[1] << guard,
    grid.fractionBits + ORBIT_GUARD_BITS,
    maxIter,
  );
  const orbit = new Float64Array(new SharedArrayBuffer(points.byteLength));
  orbit.set(points);
  const low = Math.min(grid.halfStepX.exponent, grid.halfStepY.exponent);
  const scale = low + STEP_BITS < SCALED_BELOW ? -low : 0;
  // A 29-bit whole number times a power of two that stays in f64's normal range: exact.
  const step = ({ mantissa, exponent }: { mantissa: bigint; exponent: number }) =>
    Number(mantissa) * 2 ** (exponent + scale);
  return {
    orbit,
    stepX: step(grid.halfStepX),
    stepY: step(grid.halfStepY),
    scale,
    sampleWidth: grid.width,
    sampleHeight: grid.height,
  };
}
