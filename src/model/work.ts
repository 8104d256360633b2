/** Tallies of perturbation work (PerturbWork): summed over tasks, and taken between two readings of the counters. */
import type { PerturbWork } from './task.js';

const KEYS = ['steps', 'runSteps', 'runs', 'precise', 'exact', 'inside', 'axis'] as const;

/** a + b, key by key (a absent: b). */
export function addWork(a: PerturbWork | undefined, b: PerturbWork): PerturbWork {
  return Object.fromEntries(KEYS.map((k) => [k, (a?.[k] ?? 0) + b[k]])) as unknown as PerturbWork;
}

/**
 * The work between two readings of a kernel's running totals.
 *
 * @example workSince(before, wasm.perturbCounters()).steps
 */
export function workSince(before: PerturbWork, now: PerturbWork): PerturbWork {
  return Object.fromEntries(KEYS.map((k) => [k, now[k] - before[k]])) as unknown as PerturbWork;
}
