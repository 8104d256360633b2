/**
 * The parameter block of the perturbation kernel (perturb.ts), as params.ts is the direct kernels': the caller
 * writes it into linear memory and passes its address; src/engines/wasm.ts writes the same layout (PERTURB_PARAMS).
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
  bla!: usize; // 124: the orbit's BLA blocks (src/deep/bla.ts); 0: none
  blaIndex!: usize; // 128: i32 pairs (first block, blocks) for each segment and level
  settle!: i32; // 132: 1: samples in doubt go to the double-double path; 0: left INEXACT (the reference survey)
  margins!: usize; // 136: f64 per orbit point: |Z|^2 - 4 where within 2^-28 of 0, else 0 (src/deep/orbit.ts)
  period!: i32; // 140: the reference's period where it returns near 0 (a nucleus), else 0 (perturb-interior.ts)
  ddRuns!: usize; // 144: room for the double-double path's BLA runs (precise-bla.ts): a flag, then the blocks; 0: none
  runDc!: f64; // 152: the bound on every sample's |dc| that the f64 table was built for (src/deep/bla.ts)
}

/** The block's size in bytes (160), checked by the caller. */
export function perturbParamsSize(): i32 {
  return offsetof<PerturbParams>();
}
