/** The scalar kernel: one pixel at a time, the original loop verbatim (plus optional exact shortcuts). */
import { RenderParams } from './params';
import { FIRST_SAVE_GAP, MAX_SAVE_GAP, insideCardioidOrBulb } from './shortcuts';
import { normAfterEscape } from './smooth';

/**
 * Renders the rectangle described by the block at `params` (see params.ts): each sample's escape count
 * (-1: never escaped) as i32 at `counts`, and |z|^2 at escape (0 inside) as f64 at `norms`.
 */
export function renderRect(params: usize): void {
  const p = changetype<RenderParams>(params);
  const xMin = p.xMin;
  const stepX = p.stepX;
  const maxIter = p.maxIter;
  const shortcuts = p.shortcuts != 0;
  const julia = p.julia != 0;
  const colEnd = p.colStart + p.width;
  let counts = p.counts;
  let norms = p.norms;
  for (let r = 0; r < p.rowCount; r++) {
    const y = p.yMax - <f64>(p.rowStart + r) * p.stepY;
    const cy = julia ? p.cIm : y;
    for (let col = p.colStart; col < colEnd; col++) {
      const x = xMin + <f64>col * stepX;
      const cx = julia ? p.cRe : x;
      let count = -1;
      let norm = 0.0;
      if (!shortcuts || julia || !insideCardioidOrBulb(cx, cy)) {
        let zx = x;
        let zy = y;
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
          norm = normAfterEscape(zx, zy, cx, cy);
        }
      }
      store<i32>(counts, count);
      store<f64>(norms, norm);
      counts += 4;
      norms += 8;
    }
  }
}
