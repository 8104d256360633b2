/**
 * Choosing the reference orbit, and how long it is. The view's centre first; but a sample that outlives a
 * reference that escapes cannot be computed from it (assembly/perturb.ts, GLITCHED) and falls back on BigInt, which
 * is slow. So before a render a survey runs the kernel over a few rows of the image; while some of their samples
 * outlive the reference, the one nearest the centre becomes the next reference (its orbit is longer than the last),
 * a few times at most. The orbit is computed only as far as the survey needs: first as many points as cost about
 * FIRST_ORBIT_MS (firstOrbitLength), then four times longer, from where it stopped, each time the survey's samples
 * outlive it, up to maxIter. An orbit that reaches Z_maxIter without escaping, or is seen to be on a cycle (a
 * reference at a nucleus, taken to maxIter at once), outlives every sample: no survey then. (A survey could still
 * find samples undecided near |z| = 2, GLITCHED too, and move the reference to one of them, an orbit that escapes;
 * they are left to the exact fallback instead.) A point costs microseconds at depth (8.7 us at 1e1000), and at c = i,
 * 1e1000, every sample but the one exactly at i escapes within 2700 steps whatever maxIter is; but each round costs
 * a setup and a survey of the samples that outlived the last from their first step, so the first is as long as it
 * is cheap. Every choice depends on the spec alone, so the image does not depend on the plan or the threads. A Julia
 * set's samples also need its critical orbit (where they rebase), computed once to maxIter or its escape; they
 * outlive only a reference cut short (assembly/perturb.ts).
 */
import type { Engine, PerturbJob } from '../model/task.js';
import type { BlaBuilder } from '../plane/bla.js';
import type { SampleGrid } from '../plane/grid.js';
import type { FixedOrbit } from '../plane/orbit.js';
import { mark } from '../trace.js';
import { GLITCHED } from './exact.js';
import { criticalOrbit, orbitBits, perturbSetup, referenceAt } from './perturbation.js';

/** Rows of the image the survey runs over, evenly spread (each a full row of samples). */
export const SURVEY_ROWS = 9;

/** Most reference points tried for one render (each costs up to maxIter BigInt steps). */
export const MAX_REFERENCES = 6;

/** Points of the first orbit computed, at the least; the survey asks for more when its samples outlive them. */
export const FIRST_ORBIT_LENGTH = 1024;

/**
 * What the first orbit may cost, in ms of its loop here (assembly/orbit.ts), by orbitPointUs: an orbit to maxIter
 * that does not escape needs no survey, which costs more (at the 1e30 seahorse view, 5760 samples to 100000
 * iterations, about 130 ms; its 100001 points, 41 ms).
 */
const FIRST_ORBIT_MS = 60;

/**
 * A reference point's cost in us, by its fraction bits, as the WASM loop takes it here: 0.41 at 231 bits (1e30),
 * 0.65 at 463 (1e100), 1.2 at 796, 1.9 at 1128 (1e300); BigInt, past 2048 bits, takes less than this says.
 */
function orbitPointUs(bits: number): number {
  return 0.35 + 1.2e-6 * bits * bits;
}

/**
 * The first orbit's length for orbits of `bits` fraction bits: the points that cost about FIRST_ORBIT_MS, at least
 * FIRST_ORBIT_LENGTH, at most maxIter. A function of the spec alone, as every choice here is. From 1024 points, the
 * 1e30 seahorse view (100000 iterations) took five rounds to 100001 (their surveys found 5760, 5760, 1902 and 1
 * samples outliving them), now one orbit and no survey; c = 0.25 at 1e100 (10000 iterations) three, now none.
 *
 * @example firstOrbitLength(231, 100000) // 100000
 */
export function firstOrbitLength(bits: number, maxIter: number): number {
  const affordable = Math.floor((FIRST_ORBIT_MS * 1000) / orbitPointUs(bits));
  return Math.min(maxIter, Math.max(FIRST_ORBIT_LENGTH, affordable));
}

/**
 * Samples a survey hands the kernel in one call. V8 swaps its optimised code in only between calls, so a first
 * survey of whole rows runs longer on baseline code: at c = i, 1e1000, 1920 samples wide, 17 ms against 14 ms in
 * calls of 256 samples (medians of 5 fresh processes each).
 */
const SURVEY_CALL = 256;

/**
 * Samples the reference leaves GLITCHED, as [col, row]: of the survey rows, or of `among` when given. The kernel is
 * told not to settle samples in doubt (the double-double path): the survey only looks for GLITCHED ones.
 */
function survey(
  job: PerturbJob,
  grid: SampleGrid,
  maxIter: number,
  engine: Engine,
  among?: [number, number][],
): [number, number][] {
  const found: [number, number][] = [];
  const perturb = { ...job, settle: false };
  const run = (colStart: number, width: number, row: number) => {
    const { counts } = engine({ colStart, width, rowStart: row, rowCount: 1, maxIter, perturb });
    for (let col = 0; col < width; col++) if (counts[col] === GLITCHED) found.push([colStart + col, row]);
  };
  if (among) {
    // In runs of neighbours along a row: one call each (the survey finds them in row order).
    for (let i = 0; i < among.length; ) {
      const [col, row] = among[i];
      let end = i + 1;
      while (end < among.length && among[end][1] === row && among[end][0] === col + (end - i)) end++;
      run(col, end - i, row);
      i = end;
    }
    return found;
  }
  for (let k = 0; k < SURVEY_ROWS; k++) {
    const row = Math.floor(((k + 0.5) * grid.height) / SURVEY_ROWS);
    for (let colStart = 0; colStart < grid.width; colStart += SURVEY_CALL) {
      run(colStart, Math.min(SURVEY_CALL, grid.width - colStart), row);
    }
  }
  return found;
}

/**
 * The perturbation setup of a render: the reference orbit (see above) and the steps, of the Mandelbrot set or of the
 * Julia set of c = `julia`. `engine` is the bare kernel (without the exact fallback), which marks GLITCHED samples;
 * `native`, the orbit's loop and the BLA table's build in WASM (the same results, faster: see referenceAt and
 * perturbSetup).
 *
 * @example chooseReference(sampleGrid(spec, 640, 360, 1), 5000, wasm.engine('renderPerturb'), undefined, wasm)
 */
export function chooseReference(
  grid: SampleGrid,
  maxIter: number,
  engine: Engine,
  julia?: readonly [number, number],
  native?: { orbit: FixedOrbit; bla: BlaBuilder },
): PerturbJob {
  const fixed = native?.orbit;
  const critical = julia && criticalOrbit(grid, julia, maxIter);
  let origin: [number, number] = [grid.width, grid.height];
  let length = firstOrbitLength(orbitBits(grid, julia), maxIter);
  let orbit = referenceAt(grid, origin, length, undefined, julia, fixed);
  // A reference on a cycle (at a nucleus) never escapes, and its points cost nothing more: as long as maxIter, no
  // sample outlives it.
  const setup = () =>
    perturbSetup(
      grid,
      maxIter,
      origin,
      orbit.cycle > 0 && orbit.points.length / 2 <= maxIter
        ? referenceAt(grid, origin, maxIter, orbit, julia, fixed)
        : orbit,
      critical,
      native?.bla,
    );
  let job = setup();
  mark(`reference: ${job.orbit.length / 2} points set up`);
  // A longer orbit from the same point leaves the samples that did not outlive the shorter one as they were (all but
  // rarely: its linear start and BLA runs near the old end may differ, and a sample missed here costs only the exact
  // fallback's time): then only those that did are surveyed again.
  let left: [number, number][] | undefined;
  let references = 1;
  // An orbit that reaches Z_maxIter without escaping outlives every sample, as one on a cycle does: nothing to survey
  // (samples undecided near |z| = 2 may still be GLITCHED, for the exact fallback; see the top).
  const outlivesAll = () => orbit.cycle > 0 || (!orbit.escaped && orbit.points.length / 2 > maxIter);
  while (!outlivesAll()) {
    left = survey(job, grid, maxIter, engine, left);
    mark(`reference: surveyed, ${left.length} samples outlive it`);
    if (left.length === 0) break;
    if (!orbit.escaped && length < maxIter) {
      // Whole but too short: the same orbit, longer.
      length = Math.min(4 * length, maxIter);
      orbit = referenceAt(grid, origin, length, orbit, julia, fixed);
    } else {
      if (++references > MAX_REFERENCES) break;
      const distance = ([col, row]: [number, number]) => (2 * col - grid.width) ** 2 + (2 * row - grid.height) ** 2;
      const [col, row] = left.reduce((best, c) => (distance(c) < distance(best) ? c : best));
      origin = [2 * col, 2 * row];
      orbit = referenceAt(grid, origin, length, undefined, julia, fixed);
      left = undefined;
    }
    job = setup();
    mark(`reference: ${job.orbit.length / 2} points set up`);
  }
  return job;
}
