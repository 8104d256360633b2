/**
 * The perturbation kernel, for views deeper than f64 can place pixels in (see src/plane/ and src/engines/): every
 * sample is iterated as a small offset dz from a reference orbit Z computed once in arbitrary precision (Z_0 = 0,
 * Z_1 = C, the view's centre or a better point of the grid), with dc the sample's offset from C:
 *   z_n = Z_m + dz,   dz -> (Z_m + z_n) dz + dc   (that is 2 Z_m dz + dz^2 + dc),   m -> m + 1.
 * The count rule is the direct kernels' (z_1 = c, count from 1, stop at maxIter or |z|^2 >= 4).
 *
 * Rebasing: when |z| < |dz| the sample goes on from the start of the reference (Z_0 = 0) with dz := z. dz then
 * stays small against z wherever the reference itself is small, which is where plain perturbation loses precision
 * (glitches). A sample that outlives a reference that escaped is another matter: going on from the start with dz := z
 * would drop dc beside |z| ~ 1 (measured: 85% of the counts wrong at a 1e31 view). Such a sample is GLITCHED, left
 * for its caller to compute otherwise (src/engines/exact.ts), and a reference is chosen to make them rare
 * (src/engines/reference.ts). So is one that outlives a reference cut short (not escaped), whatever the set.
 *
 * Julia sets (restart > 0): z_1 is the sample's point and c is fixed, so there is no dc (it is 0 from the start:
 * jumpDc = 0), and the reference Z_1 = C is followed in the orbit block by the critical orbit W_0 = 0, W_1 = c, ...
 * at index restart. Rebasing goes to W_0 (dz := z, m := restart): the step from there gives z^2 + c, as it must.
 * With no dc to lose, a sample that outlives an orbit that escaped (the reference, or W when c lies outside the
 * Mandelbrot set) is rebased too, not GLITCHED. The double-double path (precise.ts) assumes the Mandelbrot set: a
 * Julia sample in doubt is left INEXACT for the BigInt fallback.
 *
 * Extended exponent: past a magnification of about 1e290 dc and dz underflow f64, so a sample starts with dz and
 * dc scaled by a shared 2^k (k > 0). While it is that small, dz^2 is far below 2 Z dz (it is kept when 2^-k is
 * representable, dropped when it would underflow), the escape and rebase tests see z = Z_m, and whenever |dz|
 * passes 2^RESCALE_BITS the scale comes down by that much. Once k reaches PLAIN_K the deltas are plain f64 and the
 * fast loop takes over: only the first iterations pay for the exponent, and usually none, since every sample starts
 * where the linear growth of dz ends (perturb-start.ts), which at 1e1000 is past the scaled range.
 *
 * The fast loop keeps four samples in flight, two to an f64x2 vector, each at its own place m in the reference (the
 * step's latency, not its arithmetic, bounds one sample, as in simd.ts). Eight, as simd.ts has, were no faster
 * here (their deltas and offsets fill the sixteen vector registers of x86-64): 0.44 G it/s at 1e30 against 0.43.
 * Every lane does the operations of one sample in its order, so the counts do not depend on which lane or neighbours a sample had. A burst runs until a
 * lane escapes or reaches maxIter; rebasing and BLA runs leave the vectors for a scalar fix-up and come back.
 *
 * Rounding: at a 1e31 seahorse-valley view, f64's rounding of dz, amplified along orbits of 35000 steps, changed 13
 * of 3072 counts (by 1 to 256). So each lane also carries an estimate of its z's squared error, grown as an error
 * grows (times |2z|^2 a step, from the sample's start: an estimate that only followed |dz| until a first rebase
 * missed the error a sample keeps where its dz shrinks again, every period along a reference at a nucleus) plus each
 * step's own rounding (ROUNDING |dz|^2: independent roundings add as a random walk does; against a double-double
 * computation of the same samples, the actual error was 0.58 of the estimate in the median and at most 2.1 of it;
 * rounding.ts). A sample whose count that error could have changed, or whose error passed |z| / 16 on the way
 * (perturb-lanes.ts, LOST), is computed again in double-double (precise.ts), and left INEXACT for its caller
 * (src/engines/exact.ts) when that is in doubt too.
 *
 * The parts: perturb-view.ts (the call's reference, rectangle and results), perturb-start.ts (a sample's start: the
 * linear start and the extended exponent), perturb-lanes.ts (the lanes between bursts: refilling, rebasing),
 * perturb-burst.ts (the fast loop), and here the driver that runs bursts and finishes lanes.
 */
import { f64At, i32At } from './lanes';
import { burst } from './perturb-burst';
import {
  DCX,
  DCY,
  DZX,
  DZY,
  ERR,
  ESCAPED,
  laneEvent,
  LANES,
  LastEscape,
  LOST_TRACK,
  M,
  N,
  park,
  PIXEL,
  refill,
  rewind,
  ROUNDING,
  stepsLeft,
  UNDECIDED,
} from './perturb-lanes';
import { STEPS, tally } from './perturb-stats';
import { finish, finishInside, GLITCHED, setView, settlePending, View, zAt } from './perturb-view';
import { INSIDE } from './perturb-interior';

/** Renders the rectangle described by the block at `params`: each sample's count and |z|^2, as the others do. */
export function renderPerturb(params: usize): void {
  setView(params);
  rewind();
  for (let l = 0; l < LANES; l++) refill(l);
  while (true) {
    // Run to the first lane's maxIter.
    const steps = stepsLeft();
    if (steps == i32.MAX_VALUE) break;
    const k = burst(steps);
    for (let l = 0; l < LANES; l++) {
      const pixel = load<i32>(i32At(PIXEL, l));
      const m = load<i32>(i32At(M, l));
      const dzx = load<f64>(f64At(DZX, l));
      const dzy = load<f64>(f64At(DZY, l));
      const zx = load<f64>(zAt(m)) + dzx;
      const zy = load<f64>(zAt(m), 8) + dzy;
      const event = laneEvent(l);
      if (pixel < 0) {
        if (event == ESCAPED || event == UNDECIDED) park(l);
        continue;
      }
      const n = load<i32>(i32At(N, l)) + k;
      store<i32>(i32At(N, l), n);
      tally(STEPS, <f64>k);
      if (load<i32>(i32At(INSIDE, l)) != 0) {
        finishInside(pixel);
        refill(l);
      } else if (event == LOST_TRACK) {
        // Lost (perturb-lanes.ts, LOST): an infinite error sends it to the double-double path.
        finish(pixel, n, zx, zy, load<f64>(f64At(DCX, l)), load<f64>(f64At(DCY, l)), Infinity);
        refill(l);
      } else if (event == ESCAPED || event == UNDECIDED || n >= View.maxIter) {
        const dcx = load<f64>(f64At(DCX, l));
        const dcy = load<f64>(f64At(DCY, l));
        const error2 = ROUNDING * load<f64>(f64At(ERR, l));
        finish(
          pixel,
          event == UNDECIDED && n < View.maxIter ? GLITCHED : n,
          zx,
          zy,
          dcx,
          dcy,
          error2,
          event == ESCAPED ? LastEscape.excess : NaN,
        );
        refill(l);
      }
    }
  }
  settlePending();
}
