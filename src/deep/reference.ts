/**
 * Choosing the reference orbit. The view's centre first; but a sample that outlives a reference that escapes cannot
 * be computed from it (assembly/perturb.ts, GLITCHED) and falls back on BigInt, which is slow. So before a render a
 * survey runs the kernel over a few rows of the image; while some of their samples outlive the reference, the one
 * nearest the centre becomes the next reference (its orbit is longer than the last), a few times at most. Every
 * choice depends on the spec alone, so the image does not depend on the plan or the threads.
 */
import type { Engine, PerturbJob } from '../core/task.js';
import { GLITCHED } from './exact.js';
import type { SampleGrid } from './grid.js';
import { perturbSetup } from './perturbation.js';

/** Rows of the image the survey runs over, evenly spread (each a full row of samples). */
export const SURVEY_ROWS = 9;

/** Most reference orbits computed for one render (each costs maxIter BigInt steps at most). */
export const MAX_REFERENCES = 6;

/** Samples of the survey rows that the reference leaves GLITCHED, as [col, row]. */
function survey(job: PerturbJob, grid: SampleGrid, maxIter: number, engine: Engine): [number, number][] {
  const found: [number, number][] = [];
  const mapping = { xMin: 0, stepX: 0, yMax: 0, stepY: 0 }; // unused by the perturbation kernel
  for (let k = 0; k < SURVEY_ROWS; k++) {
    const row = Math.floor(((k + 0.5) * grid.height) / SURVEY_ROWS);
    const job1 = { mapping, colStart: 0, width: grid.width, rowStart: row, rowCount: 1, maxIter, shortcuts: false };
    const { counts } = engine({ ...job1, perturb: job });
    for (let col = 0; col < counts.length; col++) if (counts[col] === GLITCHED) found.push([col, row]);
  }
  return found;
}

/**
 * The perturbation setup of a render: the reference orbit (see above) and the steps. `engine` is the bare kernel
 * (without the exact fallback), which marks GLITCHED samples.
 *
 * @example chooseReference(sampleGrid(spec, 640, 360, 1), 5000, wasm.engine('renderPerturb'))
 */
export function chooseReference(grid: SampleGrid, maxIter: number, engine: Engine): PerturbJob {
  let job = perturbSetup(grid, maxIter);
  for (let round = 1; round < MAX_REFERENCES && job.orbit.length / 2 <= maxIter; round++) {
    const left = survey(job, grid, maxIter, engine);
    if (left.length === 0) break;
    const distance = ([col, row]: [number, number]) => (2 * col - grid.width) ** 2 + (2 * row - grid.height) ** 2;
    const [col, row] = left.reduce((best, c) => (distance(c) < distance(best) ? c : best));
    job = perturbSetup(grid, maxIter, [2 * col, 2 * row]);
  }
  return job;
}
