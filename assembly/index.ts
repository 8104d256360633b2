/**
 * mandel-par escape-time kernel.
 *
 * One export renders a band (a range of rows) of the image into this instance's linear memory, as one i32
 * escape count per pixel, row-major, starting at `outputPtr()`. The caller makes sure memory is large enough
 * (it grows memory before the call, so its views stay valid afterwards). Colouring and I/O stay outside.
 *
 * The arithmetic is the original program's, in the same order and in f64, so every engine agrees bit for bit:
 *   count(cx, cy, max): zx = cx; zy = cy; i = 1; x2 = zx*zx; y2 = zy*zy
 *     while i < max and x2 + y2 < 4: zy = zx*zy*2 + cy; zx = x2 - y2 + cx; i += 1; x2 = zx*zx; y2 = zy*zy
 *     return -1 if i >= max else i
 * Pixel (col, row) samples the plane at cx = xMin + col*stepX, cy = yMax - row*stepY.
 */

/** Where band output starts: past the static data, 16-byte aligned so later SIMD stores stay aligned. */
export function outputPtr(): usize {
  return (__heap_base + 15) & ~(<usize>15);
}

/** Escape count of c = cx + i*cy, or -1 when the orbit has not escaped after maxIter - 1 steps. */
// @ts-ignore: decorator
@inline
function escapeCount(cx: f64, cy: f64, maxIter: i32): i32 {
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

/** Renders rows rowStart .. rowStart + rowCount - 1 of an image `width` pixels wide (scalar f64). */
export function renderBand(
  xMin: f64,
  stepX: f64,
  yMax: f64,
  stepY: f64,
  width: i32,
  rowStart: i32,
  rowCount: i32,
  maxIter: i32,
): void {
  let out = outputPtr();
  for (let r = 0; r < rowCount; r++) {
    const cy = yMax - <f64>(rowStart + r) * stepY;
    for (let col = 0; col < width; col++) {
      store<i32>(out, escapeCount(xMin + <f64>col * stepX, cy, maxIter));
      out += 4;
    }
  }
}
