/**
 * Measurements at one thread that shape the experiment: the picture size at which one render takes the target time
 * (a render of 50 ms is too small to share among threads: pool overheads and the timer's noise are then what is
 * measured), and the per-row costs the predictions simulate (simulate.ts).
 */
import { createHash } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { Plan } from '../model/plan.js';
import { planBands } from '../model/plan.js';
import type { RenderSpec } from '../model/spec.js';
import { LIMITS } from '../model/spec.js';
import { rgbImage } from '../outputs/destinations.js';
import type { Renderer } from '../render/renderer.js';
import type { Load } from './load.js';
import { cpuSample, loadBetween } from './load.js';
import { median } from './median.js';
import type { CostModel } from './simulate.js';

/**
 * One timed render: wall time, each task's time in its worker, each worker's busy time (iterating and colouring),
 * the main thread's busy time, the picture's digest.
 */
export interface Timing {
  ms: number;
  taskMs: number[];
  busyMs: number[];
  mainMs: number;
  sha256: string;
}

export async function timeRender(renderer: Renderer, spec: RenderSpec, plan: Plan): Promise<Timing> {
  const image = rgbImage(spec.width, spec.height);
  const loop = performance.eventLoopUtilization();
  const started = performance.now();
  const stats = await renderer.render(spec, { plan, destination: image });
  const ms = performance.now() - started;
  const mainMs = performance.eventLoopUtilization(loop).active;
  const busyMs = [...stats.iterateMsByThread].map(([t, iterate]) => iterate + (stats.outputMsByThread.get(t) ?? 0));
  const sha256 = createHash('sha256').update(image.pixels).digest('hex');
  return { ms, taskMs: stats.taskMs, busyMs, mainMs, sha256 };
}

/** The calibrated size, and what one render at it took at one thread. */
export interface Calibration {
  width: number;
  height: number;
  ms: number;
  targetMs: number;
  /** Other processes and steal while calibrating: a busy machine makes the picture too small. */
  load: Load;
}

/** Calibration stops once a render lands within this share of the target. */
const CLOSE_ENOUGH = 0.15;

/**
 * The size with the aspect of `width` x `height` at which one whole-picture render takes `targetMs` at one thread:
 * a quarter-size probe, doubled until it takes a tenth of the target, then scaled by the square root of the time
 * ratio (time grows with pixels for a fixed view) and checked, up to three times.
 */
export async function calibrateSize(
  renderer: Renderer,
  specAt: (width: number, height: number) => RenderSpec,
  width: number,
  height: number,
  targetMs: number,
  maxPixels: number,
): Promise<Calibration> {
  const sizeAt = (wanted: number) => {
    // No larger than memory allows (each run holds a fresh picture): a cheap view would otherwise grow without end.
    const scale = Math.min(wanted, Math.sqrt(maxPixels / (width * height)));
    return {
      width: Math.min(LIMITS.size, Math.max(16, Math.round(width * scale))),
      height: Math.min(LIMITS.size, Math.max(9, Math.round(height * scale))),
    };
  };
  const timeAt = async (scale: number) => {
    const size = sizeAt(scale);
    const { ms } = await timeRender(
      renderer,
      specAt(size.width, size.height),
      planBands(size.width, size.height, size.height),
    );
    return { ...size, ms, targetMs };
  };
  const before = cpuSample();
  let scale = 1 / 4;
  await timeAt(scale); // warm-up: the worker's kernel compiled
  let last = await timeAt(scale);
  while (last.ms < targetMs / 10 && scale < 64 && !(last.width * last.height >= maxPixels * 0.99)) {
    scale *= 2;
    last = await timeAt(scale);
  }
  const capped = () => last.width * last.height >= maxPixels * 0.99;
  for (let step = 0; step < 3 && Math.abs(last.ms / targetMs - 1) > CLOSE_ENOUGH && !capped(); step++) {
    scale *= Math.sqrt(targetMs / last.ms);
    last = await timeAt(scale);
  }
  return { ...last, load: loadBetween(before, cpuSample()) };
}

/**
 * The cost model of `spec` at one thread, from `repeat` rounds of two renders: the whole picture as one task, and
 * one task per row. Per-row costs are medians over the rounds; what the row-per-task render spent beyond its rows
 * and the whole render's fixed part is the pool's share per task.
 */
export async function measureCosts(renderer: Renderer, spec: RenderSpec, repeat: number): Promise<CostModel> {
  const { width, height } = spec;
  const whole: Timing[] = [];
  const rows: Timing[] = [];
  for (let r = 0; r < repeat; r++) {
    whole.push(await timeRender(renderer, spec, planBands(width, height, height)));
    rows.push(await timeRender(renderer, spec, planBands(width, height, 1)));
  }
  const rowMs = Array.from({ length: height }, (_, y) => median(rows.map((t) => t.taskMs[y])));
  const rowSum = rowMs.reduce((a, b) => a + b, 0);
  const wholeBusy = median(whole.map((t) => t.taskMs[0]));
  const renderFixedMs = Math.max(0, median(whole.map((t) => t.ms)) - wholeBusy);
  const taskFixedMs = height > 1 ? Math.min(Math.max(0, (rowSum - wholeBusy) / (height - 1)), ...rowMs) : 0;
  return {
    rowMs,
    taskFixedMs,
    dispatchMs: Math.max(0, (median(rows.map((t) => t.ms)) - renderFixedMs - rowSum) / height),
    mainMs: median(rows.map((t) => t.mainMs)) / height,
    renderFixedMs,
  };
}
