/**
 * `--max-iter auto`: as many iterations as the view needs. Deeper views and views nearer the set need more; the
 * signs that there are too few: no sample escapes at all (a deep view whose escapes all lie further), or many
 * escape late (in the second half of the allowance: their neighbours that did not escape would, given more). So a
 * sample of the picture (the strips of the time estimate) is rendered at 1000, then 4x as many, until some samples
 * escape and the edge is resolved (model/tally.ts, edgeUnresolved: fewer than 1% escape late, or almost none stay
 * inside, and then not most of them late: MOSTLY_LATE), or the next round would take sampling past 3 s (a view wholly
 * inside never resolves).
 */

import type { RenderSpec } from '../model/spec.js';
import { LIMITS } from '../model/spec.js';
import type { Tally } from '../model/tally.js';
import { edgeUnresolved, lateShare } from '../model/tally.js';
import type { Renderer } from '../render/renderer.js';
import { dropping, sampleStrips } from './estimate.js';

/** Where `auto` starts, and how many times it may grow 4x (1000 to 16 M). */
const FIRST = 1000;
const ROUNDS = 8;
/** Sampling stops growing once it has taken this long. */
const BUDGET_MS = 3000;

/**
 * A share of the sample escaping late from which it takes another round even with none inside: its strips may have
 * missed an interior (a minibrot seen at 160 x 90: every sample escaped late at 64000, and the render then had 10%
 * inside and the rest late), and where they did not, the next round shows the escapes early (a deep view round c = i,
 * where all escape near the same count).
 */
const MOSTLY_LATE = 0.5;

/**
 * Whether a sample's tally says its --max-iter is enough: some samples escape (a deep view's escapes may all lie
 * further), the edge is resolved, and not most of them escape late (MOSTLY_LATE).
 *
 * @example resolvedAt({ inside: 0, escaped: 100, late: 100, minCount: 40000, maxCount: 60000 }) // false
 */
export function resolvedAt(tally: Tally): boolean {
  return tally.escaped > 0 && !edgeUnresolved(tally) && lateShare(tally) < MOSTLY_LATE;
}

export interface AutoIterations {
  maxIter: number;
  /** The shares inside and escaping late at the chosen count, and the counts tried, for the line said about it. */
  insideShare: number;
  lateShare: number;
  tried: number[];
}

/** The --max-iter `spec` should have (its own maxIter is ignored); `signal` stops the sampling. */
export async function autoIterations(
  renderer: Renderer,
  spec: RenderSpec,
  signal?: AbortSignal,
): Promise<AutoIterations> {
  const plan = sampleStrips(spec);
  // Escape counts are what is measured: the numbers, whatever the picture's format.
  const destination = dropping('data');
  const tried: number[] = [];
  let maxIter = FIRST;
  const started = performance.now();
  for (let round = 0; ; round++) {
    tried.push(maxIter);
    const roundStarted = performance.now();
    const { tally } = await renderer.render({ ...spec, maxIter }, { plan, destination, maxThreads: 1, signal });
    // The next round costs up to 4x this one: it is not started if it would pass the budget.
    const nextEnds = performance.now() + 4 * (performance.now() - roundStarted);
    const late = lateShare(tally);
    const next = Math.min(LIMITS.maxIter, maxIter * 4);
    const resolved = resolvedAt(tally);
    const spent = round + 1 >= ROUNDS || next === maxIter || nextEnds - started > BUDGET_MS;
    if (resolved || spent) {
      return { maxIter, insideShare: tally.inside / Math.max(1, tally.inside + tally.escaped), lateShare: late, tried };
    }
    maxIter = next;
  }
}
