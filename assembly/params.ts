/**
 * The parameter block a render export reads: the caller writes it into linear memory and passes its address,
 * so the kernels share one signature instead of eleven positional arguments. src/engines/wasm.ts writes the
 * same layout (byte offsets in the comments); a change here must change RENDER_PARAMS there.
 *
 * A block renders the rectangle of samples with columns colStart .. colStart + width - 1 and rows
 * rowStart .. rowStart + rowCount - 1 of the whole sample grid, sample (col, row) at
 * cx = xMin + col*stepX, cy = yMax - row*stepY: the same f64 values whatever rectangle it falls in, so a
 * rectangle's samples are bit for bit those of the whole image.
 */
@unmanaged
export class RenderParams {
  xMin!: f64; // 0
  stepX!: f64; // 8
  yMax!: f64; // 16
  stepY!: f64; // 24
  colStart!: i32; // 32
  width!: i32; // 36
  rowStart!: i32; // 40
  rowCount!: i32; // 44
  maxIter!: i32; // 48
  shortcuts!: i32; // 52: 0 or 1
  counts!: usize; // 56: i32 per sample, row-major over the rectangle (the membership kernel: its PBM bits)
  norms!: usize; // 60: f64 per sample (the membership kernel: its scratch, see there)
  julia!: i32; // 64: 0 for the Mandelbrot set (z starts at c = the sample); 1 for a Julia set (z starts at the
  // sample, c = cRe + i*cIm)
  cRe!: f64; // 72
  cIm!: f64; // 80
}

/** The block's size in bytes (88), checked by the caller against its own layout. */
export function renderParamsSize(): i32 {
  return offsetof<RenderParams>();
}
