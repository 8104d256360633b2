/**
 * The derivative of each escaped sample's orbit, for the colourings that shade by it (distance estimation, slope
 * light: colour.ts): a second pass over a rectangle whose counts are known, run only when a colouring asks for it,
 * so the counting kernels carry nothing for it. Per sample it writes u = z / E as two f64 (NaN, NaN where it has
 * none: inside, or an orbit this pass cannot follow), with z and E taken EXTRA_STEPS past the escape as the norms
 * are (smooth.ts), and E = (dz/dc) h: the derivative in units of the sample step h (for a Julia set, dz/dz_1). Then
 *   the distance estimate, in samples:  |u| ln |z|   (|z| ln |z| / |dz/dc|, over h),
 *   the slope's direction (the normal of the smooth count's surface): u / |u|.
 * E follows z:  E_1 = h,  E -> 2 z E + h  (no + h for a Julia set), with the orbit's own z: the direct pass repeats
 * the direct kernels' operations (the same z, bit for bit), the perturbation pass the perturbation kernel's steps
 * (perturb.ts): the linear start (E there is A h, as dz is A dc), the extended exponent (E scaled with dz), BLA runs
 * (E -> (A + 2 P dz + Q dc) E + (B + Q dz + 2 S dc) h) and rebasing (E stays: z is the same). Shading needs E to a
 * few digits, not to the last bit, so this pass may round otherwise than the counting did; it stops at the count
 * the counting kernels found, exact.
 */
import { RenderParams } from './params';
import { applyRun, MIN_LEVEL, NO_RUN, Run, runAt } from './perturb-bla';
import { PLAIN_K, powerOfTwoBelow, RESCALE, RESCALE_BITS } from './perturb-start';
import { lastOf, setView, View, zAt } from './perturb-view';
import { EXTRA_STEPS } from './smooth';

/** Where one sample's orbit stands, handed to writeRatio: z and E there. */
namespace Follow {
  export let zx: f64 = 0;
  export let zy: f64 = 0;
  export let ex: f64 = 0;
  export let ey: f64 = 0;
}

/**
 * Writes u = z / E at `out` after `steps` more steps of z -> z^2 + c (the direct kernels' operations, in their order)
 * and E -> 2 z E + h, from Follow.zx .. Follow.ey.
 */
function writeRatio(out: usize, cx: f64, cy: f64, h: f64, steps: i32): void {
  let zx = Follow.zx;
  let zy = Follow.zy;
  let ex = Follow.ex;
  let ey = Follow.ey;
  for (let k = 0; k < steps; k++) {
    const nx = 2.0 * (zx * ex - zy * ey) + h;
    ey = 2.0 * (zx * ey + zy * ex);
    ex = nx;
    const x2 = zx * zx;
    const y2 = zy * zy;
    zy = zx * zy * 2.0 + cy;
    zx = x2 - y2 + cx;
  }
  const e2 = ex * ex + ey * ey;
  store<f64>(out, (zx * ex + zy * ey) / e2);
  store<f64>(out, (zy * ex - zx * ey) / e2, 8);
}

/** Writes NaN, NaN: no derivative for this sample. */
// @ts-ignore: decorator
@inline
function writeNone(out: usize): void {
  store<f64>(out, NaN);
  store<f64>(out, NaN, 8);
}

/**
 * The direct kernels' rectangle (params.ts) after a render: u for each sample with a count at `counts`, to `out`
 * (16 bytes a sample, row-major). Its z is the direct kernels' (the same operations in the same order).
 */
export function deriveRect(params: usize, out: usize): void {
  const p = changetype<RenderParams>(params);
  const julia = p.julia != 0;
  const h = p.stepX;
  const added = julia ? 0.0 : h;
  const colEnd = p.colStart + p.width;
  let counts = p.counts;
  for (let r = 0; r < p.rowCount; r++) {
    const y = p.yMax - <f64>(p.rowStart + r) * p.stepY;
    const cy = julia ? p.cIm : y;
    for (let col = p.colStart; col < colEnd; col++, counts += 4, out += 16) {
      const count = load<i32>(counts);
      if (count < 0) {
        writeNone(out);
        continue;
      }
      const x = p.xMin + <f64>col * p.stepX;
      // From z_1 (the sample) and E_1 = h to the escape at `count`, then EXTRA_STEPS on.
      Follow.zx = x;
      Follow.zy = y;
      Follow.ex = h;
      Follow.ey = 0.0;
      writeRatio(out, julia ? p.cRe : x, cy, added, count - 1 + EXTRA_STEPS);
    }
  }
}

/**
 * One sample of a perturbation rectangle, with dc from the grid (in the kernel's scaled units, see perturb-start.ts),
 * up to its count: leaves its z and E (in true units) in Follow.zx .. Follow.ey and returns true, or false where its
 * orbit outlives the reference (a GLITCHED sample's: the caller has the BigInt path for it, src/engines/exact.ts).
 */
function followSample(dcx: f64, dcy: f64, count: i32, julia: bool): bool {
  // The linear start: dz = A dc, E = A h, with h the sample step (2 half steps) in dc's units.
  let dzx = View.jumpX * dcx - View.jumpY * dcy;
  let dzy = View.jumpX * dcy + View.jumpY * dcx;
  let ex = View.jumpX * 2.0 * View.stepX;
  let ey = View.jumpY * 2.0 * View.stepX;
  let h = julia ? 0.0 : 2.0 * View.stepX * View.jumpDc;
  dcx *= View.jumpDc;
  dcy *= View.jumpDc;
  let m = View.jumpTo;
  let n = View.jumpTo;
  let k = View.scale;
  let factor = powerOfTwoBelow(k);
  // The extended exponent: dz, dc, E and h scaled by 2^k while dz is below f64's range (perturb-start.ts).
  while (k > PLAIN_K && n < count) {
    const rx = load<f64>(zAt(m));
    const ry = load<f64>(zAt(m), 8);
    const zx = rx + dzx * factor;
    const zy = ry + dzy * factor;
    const nx = 2.0 * (zx * ex - zy * ey) + h;
    ey = 2.0 * (zx * ey + zy * ex);
    ex = nx;
    const sq = (dzx * dzx - dzy * dzy) * factor;
    const cross = dzx * dzy * factor;
    const dx = 2.0 * (rx * dzx - ry * dzy) + sq + dcx;
    dzy = 2.0 * (rx * dzy + ry * dzx) + (cross + cross) + dcy;
    dzx = dx;
    m++;
    n++;
    if (max(max(Math.abs(dzx), Math.abs(dzy)), max(Math.abs(ex), Math.abs(ey))) > RESCALE) {
      dzx /= RESCALE;
      dzy /= RESCALE;
      dcx /= RESCALE;
      dcy /= RESCALE;
      ex /= RESCALE;
      ey /= RESCALE;
      h /= RESCALE;
      k -= RESCALE_BITS;
      factor = powerOfTwoBelow(k);
    }
  }
  dzx *= factor;
  dzy *= factor;
  dcx *= factor;
  dcy *= factor;
  ex *= factor;
  ey *= factor;
  h *= factor;
  const base = View.restart;
  while (n < count) {
    const rx = load<f64>(zAt(m));
    const ry = load<f64>(zAt(m), 8);
    const zx = rx + dzx;
    const zy = ry + dzy;
    const d2 = dzx * dzx + dzy * dzy;
    if (zx * zx + zy * zy < d2) {
      dzx = zx;
      dzy = zy;
      m = base;
      continue;
    }
    if (View.bla != 0 && d2 < NO_RUN && ((m - (m <= View.viewLast ? 0 : base) - 1) & ((1 << MIN_LEVEL) - 1)) == 0) {
      const run = runAt(m, n, d2, count);
      if (run != 0) {
        // E follows the run's derivative in dz (A + 2 P dz + Q dc) and in dc (B + Q dz + 2 S dc).
        applyRun(run, dzx, dzy, dcx, dcy);
        const qr = load<f64>(run, 48);
        const qi = load<f64>(run, 56);
        const fr =
          load<f64>(run, 16) + (qr * dzx - qi * dzy) + 2.0 * (load<f64>(run, 64) * dcx - load<f64>(run, 72) * dcy);
        const fi =
          load<f64>(run, 24) + (qr * dzy + qi * dzx) + 2.0 * (load<f64>(run, 64) * dcy + load<f64>(run, 72) * dcx);
        const nx = Run.slopeX * ex - Run.slopeY * ey + fr * h;
        ey = Run.slopeX * ey + Run.slopeY * ex + fi * h;
        ex = nx;
        dzx = Run.linearX + Run.secondX;
        dzy = Run.linearY + Run.secondY;
        const length = <i32>load<f64>(run, 88);
        m += length;
        n += length;
        continue;
      }
    }
    if (m == lastOf(m)) {
      // A Julia set's orbit that escaped: rebase (no dc to lose); otherwise the sample outlived the reference.
      if (!(julia && rx * rx + ry * ry >= 4.0)) return false;
      dzx = zx;
      dzy = zy;
      m = base;
      continue;
    }
    const nx = 2.0 * (zx * ex - zy * ey) + h;
    ey = 2.0 * (zx * ey + zy * ex);
    ex = nx;
    // dz -> (Z + z) dz + dc, as the kernel steps it.
    const ax = rx + zx;
    const ay = ry + zy;
    const dx = ax * dzx - ay * dzy + dcx;
    dzy = ax * dzy + ay * dzx + dcy;
    dzx = dx;
    m++;
    n++;
  }
  Follow.zx = load<f64>(zAt(m)) + dzx;
  Follow.zy = load<f64>(zAt(m), 8) + dzy;
  Follow.ex = ex;
  Follow.ey = ey;
  return true;
}

/**
 * The perturbation kernel's rectangle (perturb-params.ts) after a render and its fallbacks: u for each sample with a
 * count at `counts`, to `out` (16 bytes a sample); NaN, NaN for one whose orbit outlives the reference.
 */
export function derivePerturb(params: usize, out: usize): void {
  setView(params);
  const julia = View.restart > 0;
  const width = View.colEnd - View.colStart;
  // c for the extra steps: the orbit's Z_1 (W_1 = c for a Julia set), plus the sample's dc; dc and h in true units
  // (0 for a Julia set, and where they underflow: negligible then).
  const c = zAt(View.restart + 1);
  const unscale = julia ? 0.0 : View.jumpDc * powerOfTwoBelow(View.scale);
  const h = 2.0 * View.stepX * unscale;
  for (let pixel = 0; pixel < View.pixels; pixel++, out += 16) {
    const count = load<i32>(View.counts + ((<usize>pixel) << 2));
    if (count < 0) {
      writeNone(out);
      continue;
    }
    const col = View.colStart + (pixel % width);
    const row = View.rowStart + pixel / width;
    const dcx = <f64>(2 * col - View.originX) * View.stepX;
    const dcy = <f64>(View.originY - 2 * row) * View.stepY;
    if (!followSample(dcx, dcy, count, julia)) {
      writeNone(out);
      continue;
    }
    writeRatio(out, load<f64>(c) + dcx * unscale, load<f64>(c, 8) + dcy * unscale, h, EXTRA_STEPS);
  }
}
