/**
 * The fallback for samples the reference orbit cannot serve (the kernel's GLITCHED: they outlived a reference that
 * escaped), and for the few whose count rounding may have changed (INEXACT) that the kernel's double-double path
 * cannot settle either (assembly/precise.ts): the plain loop in BigInt fixed point at the sample's exact point, slow
 * (microseconds a step) but right. The reference is chosen so that GLITCHED samples are rare
 * (src/engines/reference.ts).
 */

import { EXTRA_STEPS } from '../model/colouring.js';
import type { Engine, KernelJob } from '../model/task.js';
import type { SampleGrid } from '../plane/grid.js';
import { samplePoint } from '../plane/grid.js';
import { FIXED_MOST_BITS, fixedToNumber, nextDerivative, type Scaled } from '../plane/orbit.js';
import { normAfterEscape } from './js.js';
import { fixedJulia, orbitBits } from './perturbation.js';

/** The kernel's count for a sample that outlived the reference (assembly/perturb-view.ts; a test holds them equal). */
export const GLITCHED = -2;

/** The kernel's count for a sample whose count rounding may have changed, that double-double could not settle. */
export const INEXACT = -3;

/**
 * The exact orbit's start for sample (col, row): z_1 (the sample's point) and c (the same point, or a Julia set's c)
 * in fixed point with the reference orbit's bits (perturbation.ts, orbitBits).
 */
function exactStart(grid: SampleGrid, col: number, row: number, julia?: readonly [number, number]) {
  const bits = orbitBits(grid, julia);
  const guard = BigInt(bits - grid.fractionBits);
  const [x0, y0] = samplePoint(grid, col, row);
  const [cx, cy] = julia ? fixedJulia(julia, bits) : [x0 << guard, y0 << guard];
  return { bits, shift: BigInt(bits), x: x0 << guard, y: y0 << guard, cx, cy };
}

/**
 * exactEscape's loop run elsewhere, bit for bit: in WASM (assembly/orbit.ts, escapeCount), without BigInt's
 * allocations. From z = (x, y), c = (cx, cy) with `bits` fraction bits: the count (-1: never) and, at an escape, z's
 * f64 parts (fixedToNumber's). It shares its instance's state with the orbit's loop (FixedOrbit): not while an orbit
 * is under way there.
 */
export type FixedEscape = (
  start: { x: bigint; y: bigint; cx: bigint; cy: bigint; bits: number },
  maxIter: number,
) => { count: number; x: number; y: number };

/**
 * Sample (col, row)'s escape count (-1: never) and |z|^2 a few steps past the escape (for colour), by the direct
 * loop z -> z^2 + c from z = c (the Mandelbrot set) or from z = the sample's point with c = `julia`, count from 1,
 * in fixed point with the reference orbit's bits (perturbation.ts, orbitBits); by `fixed` when given (the same
 * count and norm, faster; up to FIXED_MOST_BITS, as the orbit).
 *
 * @example exactEscape(grid, 10, 4, 5000) // { count: 4211, norm: 1.2e9 }
 */
export function exactEscape(
  grid: SampleGrid,
  col: number,
  row: number,
  maxIter: number,
  julia?: readonly [number, number],
  fixed?: FixedEscape,
): { count: number; norm: number } {
  const { bits, shift, x: x1, y: y1, cx, cy } = exactStart(grid, col, row, julia);
  if (fixed && bits <= FIXED_MOST_BITS) {
    const { count, x, y } = fixed({ x: x1, y: y1, cx, cy, bits }, maxIter);
    if (count < 0) return { count, norm: 0 };
    return { count, norm: normAfterEscape(x, y, fixedToNumber(cx, bits), fixedToNumber(cy, bits)) };
  }
  const four = 4n << (2n * shift);
  let x = x1;
  let y = y1;
  for (let i = 1; i < maxIter; i++) {
    const x2 = x * x;
    const y2 = y * y;
    if (x2 + y2 >= four) {
      const norm = normAfterEscape(
        fixedToNumber(x, bits),
        fixedToNumber(y, bits),
        fixedToNumber(cx, bits),
        fixedToNumber(cy, bits),
      );
      return { count: i, norm };
    }
    const xy = x * y;
    x = ((x2 - y2) >> shift) + cx;
    y = ((xy + xy) >> shift) + cy;
  }
  return { count: -1, norm: 0 };
}

/**
 * The perturbation engine with its fallback: every GLITCHED or INEXACT sample of a call is computed by exactEscape,
 * by `fixed` when given (the engine's own WASM instance's loop: the counts are then copied out of its memory first,
 * as the loop may grow it).
 *
 * @example const perturb = withExactFallback(wasm.engine('renderPerturb'), wasm.escape);
 */
export function withExactFallback(engine: Engine, fixed?: FixedEscape): Engine {
  return (job) => {
    const pixels = engine(job);
    const perturb = job.perturb;
    const left = (count: number) => count === GLITCHED || count === INEXACT;
    // A plain loop: some() with a callback was a tenth of a light deep view's kernel calls.
    let any = false;
    for (let p = 0; perturb && !any && p < pixels.counts.length; p++) any = left(pixels.counts[p]);
    if (!perturb || !any) return pixels;
    const counts = fixed ? Int32Array.from(pixels.counts) : pixels.counts;
    const norms = fixed ? Float64Array.from(pixels.norms) : pixels.norms;
    for (let p = 0; p < counts.length; p++) {
      if (!left(counts[p])) continue;
      const col = job.colStart + (p % job.width);
      const row = job.rowStart + Math.floor(p / job.width);
      const result = exactEscape(perturb.grid, col, row, job.maxIter, job.julia, fixed);
      counts[p] = result.count;
      norms[p] = result.norm;
    }
    return { counts, norms };
  };
}

/**
 * u = z / E of sample (col, row) that escapes at `count` (see assembly/derivative.ts: E = dz/dc times the sample
 * step, EXTRA_STEPS past the escape), along the exact orbit: for the samples whose orbit the perturbation pass cannot
 * follow (GLITCHED ones). The derivative rides in f64 with its own exponent (orbit.ts, nextDerivative), so that it
 * can be as large as the view is deep.
 */
export function exactDerivative(
  grid: SampleGrid,
  col: number,
  row: number,
  count: number,
  julia?: readonly [number, number],
): [number, number] {
  const { bits, shift, x: x1, y: y1, cx, cy } = exactStart(grid, col, row, julia);
  const one = julia ? 0 : 1;
  let x = x1;
  let y = y1;
  let d: Scaled = { re: 1, im: 0, exponent: 0 };
  for (let i = 1; i < count; i++) {
    d = nextDerivative(d, fixedToNumber(x, bits), fixedToNumber(y, bits), one);
    const xy = x * y;
    x = ((x * x - y * y) >> shift) + cx;
    y = ((xy + xy) >> shift) + cy;
  }
  // E = D h, h = 2 half steps, in f64 (a sample near the boundary has E of a few units).
  const h = Number(grid.halfStepX.mantissa) * 2;
  const toE = (v: number) => v * h * 2 ** (d.exponent + grid.halfStepX.exponent);
  let ex = toE(d.re);
  let ey = toE(d.im);
  let zx = fixedToNumber(x, bits);
  let zy = fixedToNumber(y, bits);
  const c = [fixedToNumber(cx, bits), fixedToNumber(cy, bits)];
  const added = julia ? 0 : h * 2 ** grid.halfStepX.exponent;
  for (let k = 0; k < EXTRA_STEPS; k++) {
    [ex, ey] = [2 * (zx * ex - zy * ey) + added, 2 * (zx * ey + zy * ex)];
    [zx, zy] = [zx * zx - zy * zy + c[0], 2 * zx * zy + c[1]];
  }
  const e2 = ex * ex + ey * ey;
  return [(zx * ex + zy * ey) / e2, (zy * ex - zx * ey) / e2];
}

/**
 * Fills in, by exactDerivative, the derivatives (u pairs, see assembly/derivative.ts) that the perturbation pass left
 * NaN for samples that did escape.
 */
export function fillExactDerivatives(job: KernelJob, counts: Int32Array, derivs: Float64Array): void {
  const perturb = job.perturb;
  for (let p = 0; perturb && p < counts.length; p++) {
    if (counts[p] < 0 || !Number.isNaN(derivs[2 * p])) continue;
    const col = job.colStart + (p % job.width);
    const row = job.rowStart + Math.floor(p / job.width);
    const [ux, uy] = exactDerivative(perturb.grid, col, row, counts[p], job.julia);
    derivs[2 * p] = ux;
    derivs[2 * p + 1] = uy;
  }
}
