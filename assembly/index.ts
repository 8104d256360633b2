/**
 * mandel-par escape-time kernels, and the colouring that turns their output into RGB (colour.ts).
 *
 * Each render export renders a rectangle of the image (described by a parameter block, params.ts) into this
 * instance's linear memory: per pixel the escape count as i32 (-1: never escaped) at `counts` and |z|^2 at
 * escape as f64 (0 inside) at `norms`, row-major. The caller grows memory to fit before the call (so its views
 * made afterwards stay valid). I/O stays outside.
 *
 * The arithmetic is the original program's, in the same order and in f64, so every kernel agrees bit for bit:
 *   count(cx, cy, max): zx = cx; zy = cy; i = 1; x2 = zx*zx; y2 = zy*zy
 *     while i < max and x2 + y2 < 4: zy = zx*zy*2 + cy; zx = x2 - y2 + cx; i += 1; x2 = zx*zx; y2 = zy*zy
 *     return -1 if i >= max else i
 * Pixel (col, row) samples the plane at cx = xMin + col*stepX, cy = yMax - row*stepY. For a Julia set, z starts
 * at that sample point instead and c is fixed (the parameter block's cRe, cIm); the loop is the same.
 * With `shortcuts`, pixels inside the main cardioid or period-2 bulb, and orbits that repeat exactly, are
 * decided early (see shortcuts.ts); the results do not change.
 *
 * renderPerturb (perturb.ts) is the kernel for views deeper than f64: the same count rule, on samples given as
 * offsets from a reference orbit computed outside (src/plane/, src/engines/).
 */
export * from './params';
export { renderRect } from './scalar';
export { renderRectSimd } from './simd';
export { membershipBits } from './membership';
export {
  COLOUR_aa,
  COLOUR_counts,
  COLOUR_cycle,
  COLOUR_derivs,
  COLOUR_insideB,
  COLOUR_insideG,
  COLOUR_insideR,
  COLOUR_lightX,
  COLOUR_lightY,
  COLOUR_lightZ,
  COLOUR_norms,
  COLOUR_out,
  COLOUR_rows,
  COLOUR_shading,
  COLOUR_sums,
  COLOUR_table,
  COLOUR_tableBytes,
  COLOUR_tableSize,
  COLOUR_width,
  colourBand,
  colourParamsSize,
  echoColourParams,
} from './colour';
export { derivePerturb, deriveRect } from './derivative';
// The constants the TS side repeats (src/engines/js.ts, exact.ts, src/model/colouring.ts), exported so that a test
// holds them equal.
export { FIRST_SAVE_GAP, MARGIN, MAX_SAVE_GAP } from './shortcuts';
export { GLITCHED, INEXACT } from './perturb-view';
export { EXTRA_STEPS } from './smooth';
export * from './perturb-params';
export { renderPerturb } from './perturb';
export { ddBuildMs } from './precise-bla';
export { perturbCounters } from './perturb-stats';
export { BLA_SCRATCH, blaLevels } from './bla-table';
export {
  escapeCount,
  ORBIT_CHUNK,
  orbitBegin,
  orbitBytes,
  orbitCycle,
  orbitEscaped,
  orbitDerivative,
  orbitDropped,
  orbitDropping,
  orbitOut,
  orbitSteps,
  orbitWords,
} from './orbit';

/** Where the parameter block and output may start: past the static data, 16-byte aligned. */
export function outputPtr(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}
