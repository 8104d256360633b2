/**
 * Interior at depth: a sample inside a minibrot or a bulb is attracted to a cycle and never escapes, so it costs
 * maxIter steps, and where the reference orbit passes near 0 every period (a reference at the nucleus) no BLA run
 * crosses those steps. When the reference has a period p (src/engines/perturbation.ts: where |Z| is least), a lane
 * stops at the steps where its place in the orbit is a multiple of p (where Z is near 0, so z = Z + dz keeps all of
 * dz's digits; after a rebase, at once), records z there, and one period on tries to prove the sample inside; it
 * finishes it so when it can (perturb.ts).
 *
 * The proof: z is now w1 (one period before, w0). Take the disk D of radius R = REACH |w1 - w0| + 2 e around w1 (e: the
 * lane's error estimate, so that D holds the true z). One period from w1, step by step, bound how far D's image strays
 * from the computed orbit: rho -> (2 |z| + rho) rho + this step's rounding (|f(z + d) - f(z)| <= 2|z||d| + |d|^2 for
 * f(z) = z^2 + c). If every point of that image stays inside |z| < 2 and the image of D after the period lies in D
 * (|G(w1) - w1| + rho <= R), then the orbit returns into D every p steps for ever and never escapes: the sample's
 * count is maxIter's (-1), whatever maxIter. No escaping sample can come out so; a sample whose period map does not
 * contract enough is iterated on, and tried again after twice as many periods.
 *
 * The same holds for the map over K periods, G^K, with w0 taken K periods before w1: a sample in a satellite of the
 * minibrot, attracted to a cycle of period q p, cycles among q points at the multiples of p and never comes back
 * near w1 one period on, but does q periods on; and near the minibrot's edge, where one period contracts little, K
 * periods contract K times as much. So the span K grows over a sample's tries (SPANS): 1, then 6 (q = 1, 2, 3, 6),
 * 12 (4 and 12 too), 24 (8, 24) and 60 (5, 10, 15, 20, 30 and 60 too). At the period-44 minibrot seen whole
 * (bench/deep-views.sh) a third of its inside samples had gone to maxIter with one period alone.
 *
 * Most of a proof's cost is its steps, and a span too long for the sample is paid in full: at that view, with spans
 * 1, 12 and 60, half of the samples proven inside took a 60-period proof (2640 steps) after a 12-period one failed,
 * though their periods contract by 0.8 to 0.95 each (12 periods would do, once the orbit has settled near its cycle).
 * A short span tried again, periods later, costs less: the spans below took its proofs from 128 M steps to 82 M and
 * its samples' other steps from 138 M to 122 M, the same 51.6 k samples proven.
 */
import { f64At, i32At } from './lanes';
import { DCX, DCY, DZX, DZY, M, ROUNDING } from './perturb-lanes';
import { PROVEN_INSIDE, tally } from './perturb-stats';
import { lastOf, View, zAt } from './perturb-view';
import { SAFETY } from './rounding';

// perturb-lanes.ts's LANES: memory.data needs a constant that this module's place in the import cycle cannot import.
const LANES = 4;
export const CHECK_M = memory.data(LANES * 4, 16); // i32: the place where the lane next records or compares z
const RECORD_N = memory.data(LANES * 4, 16); // i32: the count at the last record; -1 none
const CHECK_N = memory.data(LANES * 4, 16); // i32: no record before this count (after a proof that failed)
const WAIT = memory.data(LANES * 4, 16); // i32: periods to wait after the next proof that fails
const RECORD_X = memory.data(LANES * 8, 16); // f64: z at the last record
const RECORD_Y = memory.data(LANES * 8, 16);
export const INSIDE = memory.data(LANES * 4, 16); // i32: 1 once proven inside
const SPAN = memory.data(LANES * 4, 16); // i32: the index in SPANS of the periods the next proof spans

/** The periods a proof spans, try after try (see the top); the last stays. */
const SPANS = memory.data<i32>([1, 6, 6, 12, 12, 12, 24, 60]);
const LAST_SPAN: i32 = 7;

/** SPANS[index]. */
// @ts-ignore: decorator
@inline
function spanAt(index: i32): i32 {
  return load<i32>(SPANS + ((<usize>index) << 2));
}

/** A step's rounding, relative to the size of its terms, with room to spare (2^-49). */
const STEP_ROUNDING: f64 = 1.7763568394002505e-15;

/** |z| stays this far below 2 in the proof. */
const ESCAPE_MARGIN: f64 = 1.4901161193847656e-8; // 2^-26

/** Periods that must be left before maxIter for a proof to be tried (and twice its span). */
const WORTH_IT = 16;

/**
 * Periods a new sample runs before its first record: orbits take a few to settle near their cycle. At the period-44
 * minibrot (with REACH 4), 4, 8 and 12: 79.9, 69.3 and 64.5 M steps of proofs, 116 to 118 M other steps. A short
 * period settles in SHORT_SETTLE: at the period-3 nucleus at 1e100, every sample proven inside, 8 periods took its
 * steps from 3.9 M to 6.7 M (a sample there costs about 20 steps).
 */
const SETTLE = 8;
const SHORT_SETTLE = 4;

/** Periods shorter than this are short (see SETTLE). */
const SHORT_PERIOD = 16;

/**
 * Whether a proof over `span` periods would cost more than iterating on through the `left` iterations to maxIter: a
 * proof steps one by one, span times the period; iterating on takes about log2(period) + 4 BLA runs and steps a
 * period (runs end where the reference passes near 0, every period). At a period-8007 minibrot with 10^6 iterations
 * (124 periods), proofs took 77% of the kernel's time and saved almost nothing: a sample iterated to maxIter there
 * costs about 2 k runs.
 */
function costsMore(span: i32, left: i64): bool {
  const perPeriod = <f64>(36 - clz(View.period));
  return <f64>span * <f64>View.period > (<f64>left / <f64>View.period) * perPeriod;
}

/** The first multiple of the period after place m (of the reference: rebased lanes start it again), or never. */
export function nextCheck(m: i32): i32 {
  if (View.period == 0 || m > lastOf(0) || View.restart > 0) return i32.MAX_VALUE;
  const next = (m / View.period + 1) * View.period;
  return next < lastOf(m) ? next : i32.MAX_VALUE;
}

/** Lane l starts a sample at count n, place m. */
export function resetInterior(l: i32, n: i32, m: i32): void {
  store<i32>(i32At(CHECK_M, l), nextCheck(m));
  store<i32>(i32At(RECORD_N, l), -1);
  store<i32>(i32At(CHECK_N, l), n + (View.period < SHORT_PERIOD ? SHORT_SETTLE : SETTLE) * View.period);
  store<i32>(i32At(WAIT, l), 1);
  store<i32>(i32At(INSIDE, l), 0);
  store<i32>(i32At(SPAN, l), 0);
}

/**
 * Lane l is at count n at a multiple of the period (CHECK_M, or just rebased), its z's squared error error2 (in
 * ROUNDING units): records z, or compares it with the record K periods ago (K: its span) and tries the proof.
 * Returns true when the sample is proven inside (INSIDE is set).
 */
export function atPeriod(l: i32, n: i32, error2: f64): bool {
  const m = load<i32>(i32At(M, l));
  store<i32>(i32At(CHECK_M, l), nextCheck(m));
  if (n < load<i32>(i32At(CHECK_N, l))) return false;
  const recorded = load<i32>(i32At(RECORD_N, l));
  let index = load<i32>(i32At(SPAN, l));
  let span = spanAt(index);
  const zx = load<f64>(zAt(m)) + load<f64>(f64At(DZX, l));
  const zy = load<f64>(zAt(m), 8) + load<f64>(f64At(DZY, l));
  if (recorded < 0 || n - recorded > span * View.period) {
    // A proof steps one by one through its periods, where the lane takes BLA runs: worth it only with many periods
    // left (at a period-8007 minibrot, 100000 iterations, failed proofs took 5 of 8 seconds), and twice its span:
    // the lane's span, or a shorter one of SPANS where that one no longer fits.
    const left = <i64>View.maxIter - n;
    while (index > 0 && (left < <i64>(2 * span) * View.period || costsMore(span, left))) span = spanAt(--index);
    if (left < <i64>max(WORTH_IT, 2 * span) * View.period || costsMore(span, left)) return false;
    store<i32>(i32At(SPAN, l), index);
    store<i32>(i32At(RECORD_N, l), n);
    store<f64>(f64At(RECORD_X, l), zx);
    store<f64>(f64At(RECORD_Y, l), zy);
    return false;
  }
  if (n - recorded < span * View.period) return false;
  if (contracts(l, span, zx, zy, load<f64>(f64At(RECORD_X, l)), load<f64>(f64At(RECORD_Y, l)), error2)) {
    store<i32>(i32At(INSIDE, l), 1);
    tally(PROVEN_INSIDE, 1);
    return true;
  }
  const wait = load<i32>(i32At(WAIT, l));
  store<i32>(i32At(CHECK_N, l), n + <i32>min(<i64>View.maxIter, <i64>View.period * <i64>wait));
  store<i32>(i32At(WAIT, l), min(wait << 1, 1 << 20));
  store<i32>(i32At(RECORD_N, l), -1);
  store<i32>(i32At(SPAN, l), min(index + 1, LAST_SPAN));
  return false;
}

/**
 * D's radius in steps of the last period: the proof holds where the period map contracts by REACH / (REACH + 1) or
 * better (its image lies within |G(w1) - w1| ~ lambda |w1 - w0| plus lambda R of w1). Any value is sound; this one is
 * the fastest measured: at the period-44 minibrot seen whole (with SETTLE 8 and the spans above), 2, 3, 4, 8: 51.3 k,
 * 51.6 k, 51.6 k, 51.6 k samples proven, in 72.6, 69.8, 69.3, 70.4 M steps of proofs and 120, 116, 117, 122 M others
 * (a smaller disk is proven inside sooner, where the map contracts enough; a larger one strays further).
 */
const REACH: f64 = 4;

/** The reference's Z at a multiple of the period is at most this times |z| there (else no proof: see contracts). */
const NEAR_ZERO: f64 = 9.313225746154785e-10; // 2^-30

/**
 * The proof of the top, for lane l now at w1 = (w1x, w1y), `span` periods after w0. It works on dz, the offset from
 * the reference (exact in BigInt): along the periods the f64 orbit's rounding enters only times dz (2 Z dz), and at
 * the multiples of the period, where the reference is near 0, z = Z + dz keeps dz's digits. So it holds for a
 * reference at the nucleus (its Z near 0 at the multiples of the period, far below the sample's z there) that the
 * sample does not rebase off between them; elsewhere it declines.
 */
function contracts(l: i32, span: i32, w1x: f64, w1y: f64, w0x: f64, w0y: f64, error2: f64): bool {
  const dcx = load<f64>(f64At(DCX, l));
  const dcy = load<f64>(f64At(DCY, l));
  const dc = Math.sqrt(dcx * dcx + dcy * dcy);
  const w1 = Math.sqrt(w1x * w1x + w1y * w1y);
  let m = load<i32>(i32At(M, l));
  if (!(Math.sqrt(load<f64>(zAt(m)) ** 2 + load<f64>(zAt(m), 8) ** 2) <= NEAR_ZERO * w1)) return false;
  // Room for the rounding of a period's steps (each 2^-49 of dz, grown as dz grows), and for the error estimate.
  const e = SAFETY * Math.sqrt(error2 * ROUNDING);
  const moved0 = Math.sqrt((w1x - w0x) * (w1x - w0x) + (w1y - w0y) * (w1y - w0y));
  const steps = span * View.period;
  const radius = Math.max(REACH * moved0 + 2.0 * e, <f64>steps * 1024.0 * STEP_ROUNDING * w1) + 1e-300;
  let dzx = load<f64>(f64At(DZX, l));
  let dzy = load<f64>(f64At(DZY, l));
  let rho = radius;
  for (let j = 0; j < steps; j++) {
    if (m == lastOf(m)) return false;
    const rx = load<f64>(zAt(m));
    const ry = load<f64>(zAt(m), 8);
    const zx = rx + dzx;
    const zy = ry + dzy;
    const r2 = zx * zx + zy * zy;
    const d2 = dzx * dzx + dzy * dzy;
    if (j > 0 && j % View.period == 0) {
      // A multiple of the period inside the span: the reference must be near 0 here too (as at the ends), where z
      // and dz are as near as makes no difference, so whether the lane would rebase here does not matter.
      if (!(Math.sqrt(rx * rx + ry * ry) <= NEAR_ZERO * Math.sqrt(r2))) return false;
    } else if (j > 0 && r2 < d2) {
      // The lane would rebase off the reference here: this proof does not follow it.
      return false;
    }
    const r = Math.sqrt(r2);
    if (!(r + rho < 2.0 - ESCAPE_MARGIN)) return false;
    // |dz| and |Z| enter only the rounding's term: bounds above them (at most sqrt 2 over) do, without two roots.
    const d = abs(dzx) + abs(dzy);
    const big = abs(rx) + abs(ry);
    // As the fast loop steps: dz -> (Z + z) dz + dc.
    const ax = rx + zx;
    const ay = ry + zy;
    const nx = ax * dzx - ay * dzy + dcx;
    dzy = ax * dzy + ay * dzx + dcy;
    dzx = nx;
    // D's image grows as f does (2|z| rho + rho^2), and by this step's rounding and Z's (2^-53 |Z|, times 2 dz and
    // 2 rho).
    rho = (2.0 * r + rho) * rho + STEP_ROUNDING * (2.0 * big * (d + rho) + d2 + dc);
    m++;
  }
  const rx = load<f64>(zAt(m));
  const ry = load<f64>(zAt(m), 8);
  const zx = rx + dzx;
  const zy = ry + dzy;
  const end = Math.sqrt(zx * zx + zy * zy);
  if (!(Math.sqrt(rx * rx + ry * ry) <= NEAR_ZERO * end)) return false;
  const moved = Math.sqrt((zx - w1x) * (zx - w1x) + (zy - w1y) * (zy - w1y));
  return moved + rho + STEP_ROUNDING * end <= radius;
}
