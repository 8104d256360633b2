/**
 * The parameter block of the perturbation kernel (perturb.ts), as params.ts is the direct kernels': the caller
 * writes it into linear memory and passes its address; src/engines/wasm.ts writes it by the offsets exported at the
 * end of this file.
 */

/**
 * Sample (col, row) of the whole grid has dc = ((2 col - originX) * stepX, (originY - 2 row) * stepY)
 * scaled as stepX says: products of whole numbers and dyadic steps, exact in f64; each sample starts at jumpTo with
 * dz = A dc (see perturb.ts, start).
 */
@unmanaged
export class PerturbParams {
  orbit!: usize; // 0: f64 pairs Z_0 .. Z_{orbitLength - 1}
  orbitLength!: i32; // 4
  scale!: i32; // 8: k of the deltas at jumpTo (scaled by 2^-k; plain f64 when k <= PLAIN_K, see perturb.ts)
  maxIter!: i32; // 12
  stepX!: f64; // 16: half a sample step, times 2^k of the first deltas (0 when they are plain f64)
  stepY!: f64; // 24
  colStart!: i32; // 32
  width!: i32; // 36
  rowStart!: i32; // 40
  rowCount!: i32; // 44
  originX!: i32; // 48: twice the reference's sample column (the grid's width for its centre)
  originY!: i32; // 52: twice its row
  counts!: usize; // 56: i32 per sample, row-major over the rectangle
  norms!: usize; // 60: f64 per sample
  jumpTo!: i32; // 64: the iteration every sample starts at (1: none skipped)
  jumpX!: f64; // 72: A's mantissa (A's exponent is the difference between stepX's k and scale)
  jumpY!: f64; // 80
  jumpDc!: f64; // 88: 2^-(A's exponent), dc's factor at jumpTo, 0 where negligible (and for a Julia set)
  orbitLow!: usize; // 96: the orbit's low parts (Z = orbit + orbitLow to about 106 bits), in the same layout
  plainStepX!: f64; // 104: half a sample step, unscaled, for the double-double path (0: too deep for it)
  plainStepY!: f64; // 112
  restart!: i32; // 120: where rebasing goes in orbit: 0 (the Mandelbrot set), or a Julia set's critical orbit
  bla!: usize; // 124: the orbit's BLA blocks (src/plane/bla.ts); 0: none
  blaIndex!: usize; // 128: i32 pairs (first block, blocks) for each segment and level
  settle!: i32; // 132: 1: samples in doubt go to the double-double path; 0: left INEXACT (the reference survey)
  margins!: usize; // 136: f64 per orbit point: |Z|^2 - 4 where within 2^-28 of 0, else 0 (src/plane/orbit.ts)
  period!: i32; // 140: the reference's period where it returns near 0 (a nucleus), else 0 (perturb-interior.ts)
  ddRuns!: usize; // 144: room for the double-double path's BLA runs (precise-bla.ts): a flag, then the blocks; 0: none
  runDc!: f64; // 152: the bound on every sample's |dc| that the f64 table was built for (src/plane/bla.ts)
  axisRow!: i32; // 160: the grid row on the real axis, or -1; its columns [axisFrom, axisTo) are inside the set
  axisFrom!: i32; // 164: (src/plane/axis.ts: -2 < c <= 1/4 on the real axis), written inside without iterating
  axisTo!: i32; // 168
}

/** The block's size in bytes (176), checked by the caller. */
export function perturbParamsSize(): i32 {
  return offsetof<PerturbParams>();
}

// Every field's offset, exported by name, as params.ts does for RenderParams.
export const PERTURB_orbit: i32 = offsetof<PerturbParams>('orbit');
export const PERTURB_orbitLength: i32 = offsetof<PerturbParams>('orbitLength');
export const PERTURB_scale: i32 = offsetof<PerturbParams>('scale');
export const PERTURB_maxIter: i32 = offsetof<PerturbParams>('maxIter');
export const PERTURB_stepX: i32 = offsetof<PerturbParams>('stepX');
export const PERTURB_stepY: i32 = offsetof<PerturbParams>('stepY');
export const PERTURB_colStart: i32 = offsetof<PerturbParams>('colStart');
export const PERTURB_width: i32 = offsetof<PerturbParams>('width');
export const PERTURB_rowStart: i32 = offsetof<PerturbParams>('rowStart');
export const PERTURB_rowCount: i32 = offsetof<PerturbParams>('rowCount');
export const PERTURB_originX: i32 = offsetof<PerturbParams>('originX');
export const PERTURB_originY: i32 = offsetof<PerturbParams>('originY');
export const PERTURB_counts: i32 = offsetof<PerturbParams>('counts');
export const PERTURB_norms: i32 = offsetof<PerturbParams>('norms');
export const PERTURB_jumpTo: i32 = offsetof<PerturbParams>('jumpTo');
export const PERTURB_jumpX: i32 = offsetof<PerturbParams>('jumpX');
export const PERTURB_jumpY: i32 = offsetof<PerturbParams>('jumpY');
export const PERTURB_jumpDc: i32 = offsetof<PerturbParams>('jumpDc');
export const PERTURB_orbitLow: i32 = offsetof<PerturbParams>('orbitLow');
export const PERTURB_plainStepX: i32 = offsetof<PerturbParams>('plainStepX');
export const PERTURB_plainStepY: i32 = offsetof<PerturbParams>('plainStepY');
export const PERTURB_restart: i32 = offsetof<PerturbParams>('restart');
export const PERTURB_bla: i32 = offsetof<PerturbParams>('bla');
export const PERTURB_blaIndex: i32 = offsetof<PerturbParams>('blaIndex');
export const PERTURB_settle: i32 = offsetof<PerturbParams>('settle');
export const PERTURB_margins: i32 = offsetof<PerturbParams>('margins');
export const PERTURB_period: i32 = offsetof<PerturbParams>('period');
export const PERTURB_ddRuns: i32 = offsetof<PerturbParams>('ddRuns');
export const PERTURB_runDc: i32 = offsetof<PerturbParams>('runDc');
export const PERTURB_axisRow: i32 = offsetof<PerturbParams>('axisRow');
export const PERTURB_axisFrom: i32 = offsetof<PerturbParams>('axisFrom');
export const PERTURB_axisTo: i32 = offsetof<PerturbParams>('axisTo');

/**
 * Every field of the block at `params`, as f64 in declaration order from `out`: read by the kernel's own names, for
 * the test that writes sentinel values through the TS writer (test/kernel-layout.test.ts).
 */
export function echoPerturbParams(params: usize, out: usize): void {
  const p = changetype<PerturbParams>(params);
  store<f64>(out, <f64>p.orbit);
  store<f64>(out, <f64>p.orbitLength, 8);
  store<f64>(out, <f64>p.scale, 16);
  store<f64>(out, <f64>p.maxIter, 24);
  store<f64>(out, <f64>p.stepX, 32);
  store<f64>(out, <f64>p.stepY, 40);
  store<f64>(out, <f64>p.colStart, 48);
  store<f64>(out, <f64>p.width, 56);
  store<f64>(out, <f64>p.rowStart, 64);
  store<f64>(out, <f64>p.rowCount, 72);
  store<f64>(out, <f64>p.originX, 80);
  store<f64>(out, <f64>p.originY, 88);
  store<f64>(out, <f64>p.counts, 96);
  store<f64>(out, <f64>p.norms, 104);
  store<f64>(out, <f64>p.jumpTo, 112);
  store<f64>(out, <f64>p.jumpX, 120);
  store<f64>(out, <f64>p.jumpY, 128);
  store<f64>(out, <f64>p.jumpDc, 136);
  store<f64>(out, <f64>p.orbitLow, 144);
  store<f64>(out, <f64>p.plainStepX, 152);
  store<f64>(out, <f64>p.plainStepY, 160);
  store<f64>(out, <f64>p.restart, 168);
  store<f64>(out, <f64>p.bla, 176);
  store<f64>(out, <f64>p.blaIndex, 184);
  store<f64>(out, <f64>p.settle, 192);
  store<f64>(out, <f64>p.margins, 200);
  store<f64>(out, <f64>p.period, 208);
  store<f64>(out, <f64>p.ddRuns, 216);
  store<f64>(out, <f64>p.runDc, 224);
  store<f64>(out, <f64>p.axisRow, 232);
  store<f64>(out, <f64>p.axisFrom, 240);
  store<f64>(out, <f64>p.axisTo, 248);
}
