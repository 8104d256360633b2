/**
 * `--cycle auto` (the default for colour pictures): the cycle chosen from a sample of the view (the strips of the
 * time estimate, a 64th of the picture at most; a small picture whole: SAMPLED_WHOLE), by outputs/density.ts. The
 * sample depends on the spec alone, so the choice does too: shards, a resumed render and the tiles of one view agree.
 */

import { planBands } from '../model/plan.js';
import type { RenderSpec } from '../model/spec.js';
import { densityCycle, medianStep, neighbourSteps } from '../outputs/density.js';
import { rectBytes } from '../outputs/destinations.js';
import type { Renderer } from '../render/renderer.js';
import { sampleStrips } from './estimate.js';

export interface AutoCycle {
  cycle: number;
  /** The median step between neighbours it was chosen from. */
  step: number;
}

/**
 * Pixels under which a picture is sampled whole: its strips held too few neighbours for a steady median (a 64 x 36
 * picture's two strips of 8 x 2: 32768 at the 1e30 seahorse view, against 4096 from 128 x 72 up), and rendering it
 * twice costs little.
 */
const SAMPLED_WHOLE = 128 * 72;

/** The cycle `spec` should have (its own cycle is ignored), sampled on `maxThreads` threads at most. */
export async function autoCycle(renderer: Renderer, spec: RenderSpec, maxThreads?: number): Promise<AutoCycle> {
  const steps: number[] = [];
  const destination = rectBytes('data', (rect, bytes) => neighbourSteps(bytes, rect.w, rect.h, steps));
  const whole = spec.width * spec.height < SAMPLED_WHOLE;
  const plan = whole ? planBands(spec.width, spec.height, spec.height) : sampleStrips(spec);
  await renderer.render(spec, { plan, destination, maxThreads });
  const step = medianStep(steps);
  return { cycle: densityCycle(step), step };
}
