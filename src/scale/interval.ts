/**
 * Confidence intervals for a ratio of medians (a speedup, an efficiency) by the percentile bootstrap: both lists of
 * run times are resampled with replacement, the ratio recomputed, and the middle 95% of those ratios kept. It assumes
 * nothing about how run times are spread (they are skewed: a run can only be slowed down), and it is seeded, so the
 * interval is a function of the stored runs and can be recomputed from results.json.
 */
import { median } from './median.js';

/** Resamples per interval; the seed is fixed so that the same runs give the same interval. */
export const BOOTSTRAP = { resamples: 2000, level: 0.95, seed: 1 } as const;

/** A small, seeded generator of uniform numbers in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

function resampledMedian(values: number[], random: () => number): number {
  return median(values.map(() => values[Math.floor(random() * values.length)]));
}

/**
 * The interval [low, high] of `factor * median(numerator) / median(denominator)` at BOOTSTRAP.level.
 *
 * @example ratioInterval([10, 10, 10], [5, 5, 5]) // [2, 2]: runs that agree leave no doubt
 */
export function ratioInterval(numerator: number[], denominator: number[], factor = 1): [number, number] {
  const random = seededRandom(BOOTSTRAP.seed);
  const ratios = Array.from(
    { length: BOOTSTRAP.resamples },
    () => (factor * resampledMedian(numerator, random)) / resampledMedian(denominator, random),
  ).sort((a, b) => a - b);
  const tail = (1 - BOOTSTRAP.level) / 2;
  const at = (q: number) => ratios[Math.min(ratios.length - 1, Math.max(0, Math.round(q * (ratios.length - 1))))];
  return [at(tail), at(1 - tail)];
}
