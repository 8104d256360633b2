/**
 * `--cycle auto` (the default for colour pictures): the cycle chosen from a sample of the view (the strips of the
 * time estimate, a 64th of the picture at most), by outputs/density.ts. The sample depends on the spec alone, so
 * the choice does too: shards, a resumed render and the tiles of one view agree.
 */

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

/** The cycle `spec` should have (its own cycle is ignored), sampled on `maxThreads` threads at most. */
export async function autoCycle(renderer: Renderer, spec: RenderSpec, maxThreads?: number): Promise<AutoCycle> {
  const steps: number[] = [];
  const destination = rectBytes('data', (rect, bytes) => neighbourSteps(bytes, rect.w, rect.h, steps));
  await renderer.render(spec, { plan: sampleStrips(spec), destination, maxThreads });
  const step = medianStep(steps);
  return { cycle: densityCycle(step), step };
}
