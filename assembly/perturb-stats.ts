/**
 * Where a perturbation call's work went, for --stats (src/render/renderer.ts): running totals the kernel adds to and
 * the caller reads before and after its calls. f64, so that a render's billions of steps stay exact.
 */
export const STEPS = 0; // steps taken one at a time, by the fast loop and the scaled start
export const RUN_STEPS = 1; // steps taken in BLA runs (perturb-bla.ts)
export const RUNS = 2; // BLA runs taken
export const PRECISE = 3; // samples recomputed by the double-double path (precise.ts)
export const LEFT_INEXACT = 4; // samples left INEXACT for the BigInt fallback
export const LEFT_GLITCHED = 5; // samples left GLITCHED for it
export const PROVEN_INSIDE = 6; // samples proven inside (perturb-interior.ts)
export const ON_AXIS = 7; // samples inside on the real axis (perturb-lanes.ts, src/plane/axis.ts)
export const COUNTER_SLOTS = 8;

export const COUNTERS = memory.data(COUNTER_SLOTS * 8, 16);

/** Adds `value` to counter `slot`. */
// @ts-ignore: decorator
@inline
export function tally(slot: i32, value: f64): void {
  const at = COUNTERS + ((<usize>slot) << 3);
  store<f64>(at, load<f64>(at) + value);
}

/** The counters' address (COUNTER_SLOTS f64s in the order above). */
export function perturbCounters(): usize {
  return COUNTERS;
}
