/**
 * The parameter block a render export reads: the caller writes it into linear memory and passes its address,
 * so the kernels share one signature instead of eleven positional arguments. The layout is defined here only:
 * each field's offset is exported by name (the end of this file), and src/engines/wasm.ts writes by those names
 * (byte offsets in the comments are for reading).
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

// Every field's offset, exported by name: src/engines/wasm.ts writes blocks by these, never by numbers of its own
// (it refuses a kernel whose names differ from the ones it writes).
export const RENDER_xMin: i32 = offsetof<RenderParams>('xMin');
export const RENDER_stepX: i32 = offsetof<RenderParams>('stepX');
export const RENDER_yMax: i32 = offsetof<RenderParams>('yMax');
export const RENDER_stepY: i32 = offsetof<RenderParams>('stepY');
export const RENDER_colStart: i32 = offsetof<RenderParams>('colStart');
export const RENDER_width: i32 = offsetof<RenderParams>('width');
export const RENDER_rowStart: i32 = offsetof<RenderParams>('rowStart');
export const RENDER_rowCount: i32 = offsetof<RenderParams>('rowCount');
export const RENDER_maxIter: i32 = offsetof<RenderParams>('maxIter');
export const RENDER_shortcuts: i32 = offsetof<RenderParams>('shortcuts');
export const RENDER_counts: i32 = offsetof<RenderParams>('counts');
export const RENDER_norms: i32 = offsetof<RenderParams>('norms');
export const RENDER_julia: i32 = offsetof<RenderParams>('julia');
export const RENDER_cRe: i32 = offsetof<RenderParams>('cRe');
export const RENDER_cIm: i32 = offsetof<RenderParams>('cIm');

/**
 * Every field of the block at `params`, as f64 in declaration order from `out`: read by the kernel's own names, for
 * the test that writes sentinel values through the TS writer (test/kernel-layout.test.ts).
 */
export function echoRenderParams(params: usize, out: usize): void {
  const p = changetype<RenderParams>(params);
  store<f64>(out, <f64>p.xMin);
  store<f64>(out, <f64>p.stepX, 8);
  store<f64>(out, <f64>p.yMax, 16);
  store<f64>(out, <f64>p.stepY, 24);
  store<f64>(out, <f64>p.colStart, 32);
  store<f64>(out, <f64>p.width, 40);
  store<f64>(out, <f64>p.rowStart, 48);
  store<f64>(out, <f64>p.rowCount, 56);
  store<f64>(out, <f64>p.maxIter, 64);
  store<f64>(out, <f64>p.shortcuts, 72);
  store<f64>(out, <f64>p.counts, 80);
  store<f64>(out, <f64>p.norms, 88);
  store<f64>(out, <f64>p.julia, 96);
  store<f64>(out, <f64>p.cRe, 104);
  store<f64>(out, <f64>p.cIm, 112);
}
