/** The scalar kernel: one pixel at a time, the original loop verbatim (plus optional exact shortcuts). */
import { FIRST_SAVE_GAP, MAX_SAVE_GAP, insideCardioidOrBulb } from './shortcuts';

/**
 * Renders rows rowStart .. rowStart + rowCount - 1 of an image `width` pixels wide: each pixel's escape count
 * (-1: never escaped) as i32 at `counts`, and |z|^2 at escape (0 inside) as f64 at `norms`.
 */
export function renderBand(
  xMin: f64,
  stepX: f64,
  yMax: f64,
  stepY: f64,
  width: i32,
  rowStart: i32,
  rowCount: i32,
  maxIter: i32,
  shortcuts: bool,
  counts: usize,
  norms: usize,
): void {
  for (let r = 0; r < rowCount; r++) {
    const cy = yMax - <f64>(rowStart + r) * stepY;
    for (let col = 0; col < width; col++) {
      const cx = xMin + <f64>col * stepX;
      let count = -1;
      let norm = 0.0;
      if (!shortcuts || !insideCardioidOrBulb(cx, cy)) {
        let zx = cx;
        let zy = cy;
        let i = 1;
        let x2 = zx * zx;
        let y2 = zy * zy;
        let sx = zx;
        let sy = zy;
        let gap = FIRST_SAVE_GAP;
        let saveAt = 1 + gap;
        while (i < maxIter && x2 + y2 < 4.0) {
          zy = zx * zy * 2.0 + cy;
          zx = x2 - y2 + cx;
          i++;
          x2 = zx * zx;
          y2 = zy * zy;
          if (shortcuts) {
            if (zx == sx && zy == sy) {
              i = maxIter; // the orbit is a cycle: it never escapes
              break;
            }
            if (i == saveAt) {
              sx = zx;
              sy = zy;
              if (gap < MAX_SAVE_GAP) gap <<= 1;
              saveAt = i + gap;
            }
          }
        }
        if (i < maxIter) {
          count = i;
          norm = x2 + y2;
        }
      }
      store<i32>(counts, count);
      store<f64>(norms, norm);
      counts += 4;
      norms += 8;
    }
  }
}
