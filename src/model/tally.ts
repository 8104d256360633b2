/**
 * What a render's samples came to: how many stayed inside, how many escaped and the range of their escape counts.
 * Counted in the workers as the counts pass by (a loop over numbers already in cache), summed in the main thread;
 * it tells a picture with nothing in it (every sample inside, or every one escaping at about the same count) from
 * one worth looking at.
 */
export interface Tally {
  inside: number;
  escaped: number;
  /** Least and greatest escape count; NaN where only membership was computed (ASCII, PBM) or nothing escaped. */
  minCount: number;
  maxCount: number;
  /** Samples that escaped in the second half of --max-iter: many say that more iterations would change the picture. */
  late: number;
}

export const EMPTY_TALLY: Tally = { inside: 0, escaped: 0, minCount: Number.NaN, maxCount: Number.NaN, late: 0 };

/**
 * Escape counts, -1 for inside, of a render at `maxIter`.
 *
 * @example tallyCounts(Int32Array.of(-1, 5, 7), 10) // inside 1, escaped 2, 5..7, 1 late
 */
export function tallyCounts(counts: Int32Array, maxIter: number): Tally {
  const half = maxIter / 2;
  let late = 0;
  let inside = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let p = 0; p < counts.length; p++) {
    const count = counts[p];
    if (count === -1) inside++;
    else {
      if (count < min) min = count;
      if (count > max) max = count;
      if (count >= half) late++;
    }
  }
  const escaped = counts.length - inside;
  return { inside, escaped, minCount: escaped ? min : Number.NaN, maxCount: escaped ? max : Number.NaN, late };
}

/** PBM bits (1 inside; rows padded to whole bytes) of `rows` rows of `width` pixels: membership only. */
export function tallyBits(bits: Uint8Array, width: number, rows: number): Tally {
  const rowBytes = Math.ceil(width / 8);
  let inside = 0;
  for (let r = 0; r < rows; r++) {
    for (let col = 0; col < width; col++) inside += (bits[r * rowBytes + (col >> 3)] >> (7 - (col & 7))) & 1;
  }
  return { inside, escaped: width * rows - inside, minCount: Number.NaN, maxCount: Number.NaN, late: 0 };
}

/** Two tallies as one (NaN ranges give way to known ones). */
export function addTally(a: Tally, b: Tally): Tally {
  const pick = (f: (x: number, y: number) => number, x: number, y: number) =>
    Number.isNaN(x) ? y : Number.isNaN(y) ? x : f(x, y);
  return {
    inside: a.inside + b.inside,
    escaped: a.escaped + b.escaped,
    minCount: pick(Math.min, a.minCount, b.minCount),
    maxCount: pick(Math.max, a.maxCount, b.maxCount),
    late: a.late + b.late,
  };
}

/** Escape counts this close together make a picture of one colour (a band or two of the palette at most). */
export const UNIFORM_SPREAD = 2;

/** Fewer samples than this are left alone: a thumbnail of one colour surprises nobody. */
export const UNIFORM_MIN_SAMPLES = 1024;

/** How a picture came out uniform, or undefined when it did not. */
export function uniformity(t: Tally): 'inside' | 'outside' | 'flat' | undefined {
  if (t.inside + t.escaped < UNIFORM_MIN_SAMPLES) return undefined;
  if (t.escaped === 0) return 'inside';
  if (t.inside > 0) return undefined;
  if (Number.isNaN(t.minCount)) return 'outside';
  return t.maxCount - t.minCount <= UNIFORM_SPREAD ? 'flat' : undefined;
}

/**
 * A share of samples escaping in the second half of --max-iter from which the edge counts as unresolved: more
 * iterations would move pixels from inside to outside. (Some late escapes there always are, next to the boundary;
 * the classic view at 1000 iterations has 0.1%.)
 */
export const LATE_SHARE = 0.01;

/** The share of samples that escaped in the second half of --max-iter. */
export function lateShare(t: Tally): number {
  return t.late / Math.max(1, t.inside + t.escaped);
}

/**
 * A share of samples inside (and one sample) under which more iterations are not worth it however late the others
 * escape: isolated points, as c = i at the centre of a deep view around it (it never escapes; every other sample
 * escapes late there because the view is deep, not because the edge is unresolved).
 */
const INSIDE_SHARE = 0.001;

/**
 * Whether the set's edge is unresolved at --max-iter: more than one sample and INSIDE_SHARE of them inside, and
 * LATE_SHARE or more escaping in its second half. Said by --stats, and what `--max-iter auto` grows the count against.
 */
export function edgeUnresolved(t: Tally): boolean {
  const inside = t.inside > Math.max(1, INSIDE_SHARE * (t.inside + t.escaped));
  return inside && lateShare(t) >= LATE_SHARE;
}
