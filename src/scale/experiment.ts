/**
 * The scaling experiment behind `mandel-par scale`: the picture's size calibrated at one thread, then for each
 * thread count a pool started and warmed and every schedule timed `repeat` times, round by round so that background
 * load hits all alike, with the machine's load sampled around every run. Each run renders the picture (iterate and
 * colour) into a fresh shared image; its digest proves every schedule made the same one. Speedups carry bootstrap
 * intervals; per-row costs at one thread feed the predictions past this machine's cores.
 */

import { totalmem } from 'node:os';
import { machineBusy, scalePictureTooLarge, schedulesDisagree } from '../errors.js';
import type { Schedule } from '../model/plan.js';
import { planBands, planSchedule } from '../model/plan.js';
import type { RenderSpec } from '../model/spec.js';
import { TASKS_PER_WORKER } from '../render/pool.js';
import { Renderer } from '../render/renderer.js';
import { serialFraction } from './amdahl.js';
import type { Calibration, Timing } from './calibrate.js';
import { calibrateSize, measureCosts, timeRender } from './calibrate.js';
import { ratioInterval } from './interval.js';
import type { Load, Snapshot } from './load.js';
import { combineLoads, cpuSample, isBusy, loadBetween, snapshot, waitForQuiet } from './load.js';
import { median } from './median.js';
import type { CostModel } from './simulate.js';
import { predictMs } from './simulate.js';

/** An experiment: the picture, and the thread counts and schedules to time it with. */
export interface ScaleOptions {
  threads: number[];
  schedules: Schedule[];
  bandRows: number[];
  repeat: number;
  /** The picture at a size (the view stays; its region follows the size's aspect). */
  specAt: (width: number, height: number) => RenderSpec;
  /** The size given, or where calibration starts from (its aspect is kept). */
  width: number;
  height: number;
  /** Calibrate the size so that one render at one thread takes this long; null when the size was given. */
  targetSeconds: number | null;
  /** Weak scaling: the picture's pixels grow with the threads, so each thread's share stays the same. */
  weak: boolean;
  /** Core counts to predict for (none in weak scaling). */
  predict: number[];
  /** Wait up to this many seconds for a quiet machine, and refuse a busy one; null to measure regardless. */
  quietSeconds: number | null;
  /** The folder for CSV, JSON and charts. */
  output: string;
}

/** One schedule as timed: static and interleaved have no band height. */
export interface ScheduleConfig {
  schedule: Schedule;
  bandRows: number | null;
  label: string;
}

export interface ScalePoint extends ScheduleConfig {
  threads: number;
  /** The picture's size at this point (it grows with the threads in weak scaling). */
  width: number;
  height: number;
  tasks: number;
  runsMs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Strong: the base's median time over this one's, times the base threads. Weak: the same per pixel (Gustafson). */
  speedup: number;
  /** The speedup's 95% bootstrap interval (interval.ts). */
  speedupInterval: [number, number];
  efficiency: number;
  /** The busiest worker's busy time over the mean (1 is perfect), median over the runs. */
  loadBalance: number;
  /**
   * All workers' busy time per pixel here over that at the base thread count (medians): above 1 when cores slow each
   * other down (shared caches, memory, a core's two hyperthreads, turbo), which the predictions do not model.
   */
  workInflation: number;
  /** Other processes and steal over this point's runs. */
  load: Load;
  /** Others used a quarter core or more, or the hypervisor took 5% (load.ts): the point measured a smaller machine. */
  busy: boolean;
  /** More threads than the machine's cores. */
  oversubscribed: boolean;
  imageSha256: string;
}

/** At one thread count: the fastest schedule, those not told apart from it, and those clearly slower. */
export interface Comparison {
  threads: number;
  best: string;
  tied: string[];
  slower: string[];
  /** Whether every point had enough runs to call one slower (MIN_RUNS_TO_COMPARE). */
  decided: boolean;
}

/** A simulated render of a schedule on `threads` cores (simulate.ts); `measuredMs` where it was also measured. */
export interface Prediction {
  label: string;
  threads: number;
  ms: number;
  speedup: number;
  measuredMs: number | null;
}

export interface ScaleResult {
  mode: 'strong' | 'weak';
  /** The machine's cores (available parallelism). */
  cores: number;
  /** The picture at the base thread count. */
  width: number;
  height: number;
  calibration: Calibration | null;
  /** The thread count speedups are measured against (1 unless the list has no 1). */
  baseThreads: number;
  points: ScalePoint[];
  comparisons: Comparison[];
  /** Pool start-up per thread count: the first (untimed) render, pool creation included, less the median run. */
  startupMs: { threads: number; ms: number }[];
  /** Amdahl's serial fraction per schedule, fitted on 1 < threads <= cores; null without such points. */
  serialFractions: { label: string; serialFraction: number | null }[];
  /** The machine before and after (a quiet window of this process, and the load averages). */
  load: { before: Snapshot; after: Snapshot };
  /** The cost model and what it predicts; null when not asked for. */
  prediction: { model: CostModel; depth: number; points: Prediction[] } | null;
}

/** The most pixels a picture of the experiment may have: each run holds one (3 bytes a pixel), 1/8 of the memory, 1 GiB at most. */
export function maxPicturePixels(memory = totalmem()): number {
  return Math.floor(Math.min(2 ** 30, memory / 8) / 3);
}

/** A one-thread render shorter than this is reported as too small to share among threads. */
export const TOO_SHORT_MS = 250;

/** The window in which the machine is observed at rest before and after the runs. */
const REST_WINDOW_MS = 500;

function configsOf(o: ScaleOptions): ScheduleConfig[] {
  return o.schedules.flatMap((schedule): ScheduleConfig[] =>
    schedule === 'dynamic'
      ? o.bandRows.map((bandRows) => ({ schedule, bandRows, label: `dynamic/${bandRows}` }))
      : [{ schedule, bandRows: null, label: schedule }],
  );
}

/** The picture's size at `threads`: the base size, or in weak scaling its pixels times threads / base threads. */
export function sizeAt(
  base: { width: number; height: number },
  threads: number,
  baseThreads: number,
  weak: boolean,
): { width: number; height: number } {
  if (!weak) return base;
  const grow = Math.sqrt(threads / baseThreads);
  return { width: Math.round(base.width * grow), height: Math.round(base.height * grow) };
}

interface Run extends Timing {
  loadBalance: number;
  load: Load;
}

async function timeRun(renderer: Renderer, spec: RenderSpec, threads: number, config: ScheduleConfig): Promise<Run> {
  const { width, height } = spec;
  const plan = planSchedule(config.schedule, width, height, threads, config.bandRows ?? 1);
  const before = cpuSample();
  const timing = await timeRender(renderer, spec, plan);
  const load = loadBetween(before, cpuSample());
  // A worker that took no task counts as idle: the mean is over all the pool's workers.
  const mean = timing.busyMs.reduce((a, b) => a + b, 0) / threads;
  return { ...timing, load, loadBalance: Math.max(...timing.busyMs) / mean };
}

/** Fewer runs a point than this, and no schedule is called slower than another: intervals from 2-4 runs mislead. */
export const MIN_RUNS_TO_COMPARE = 5;

/**
 * At each thread count: the fastest schedule by median wall time, and each other one called slower only when the
 * 95% bootstrap interval of its time over the fastest's lies wholly above 1 (tied otherwise). Compared by time at
 * that count, not by speedup: each schedule's speedup has its own one-thread base.
 */
export function compareSchedules(points: ScalePoint[]): Comparison[] {
  const counts = [...new Set(points.map((p) => p.threads))];
  return counts.map((threads) => {
    const [best, ...rest] = points.filter((p) => p.threads === threads).sort((a, b) => a.medianMs - b.medianMs);
    const decided = [best, ...rest].every((p) => p.runsMs.length >= MIN_RUNS_TO_COMPARE);
    const slower = (p: ScalePoint) => decided && ratioInterval(p.runsMs, best.runsMs)[0] > 1;
    return {
      threads,
      best: best.label,
      tied: rest.filter((p) => !slower(p)).map((p) => p.label),
      slower: rest.filter(slower).map((p) => p.label),
      decided,
    };
  });
}

function predictions(
  model: CostModel,
  configs: ScheduleConfig[],
  size: { width: number; height: number },
  counts: number[],
  measured: ScalePoint[],
): Prediction[] {
  const at = (c: ScheduleConfig, threads: number) =>
    predictMs(
      model,
      planSchedule(c.schedule, size.width, size.height, threads, c.bandRows ?? 1),
      threads,
      TASKS_PER_WORKER,
    );
  return configs.flatMap((c) => {
    const one = at(c, 1);
    return counts.map((threads) => {
      const ms = at(c, threads);
      const point = measured.find((p) => p.label === c.label && p.threads === threads);
      return { label: c.label, threads, ms, speedup: one / ms, measuredMs: point ? point.medianMs : null };
    });
  });
}

/** Runs the experiment; `log` receives a line per step. */
export async function runScale(
  o: ScaleOptions,
  wasmModule: WebAssembly.Module,
  cores: number,
  log: (line: string) => void,
): Promise<ScaleResult> {
  const configs = configsOf(o);
  const baseThreads = Math.min(...o.threads);
  const before = o.quietSeconds === null ? await snapshot(REST_WINDOW_MS) : await waitForQuiet(o.quietSeconds);
  if (o.quietSeconds !== null && isBusy(before)) throw machineBusy(before, o.quietSeconds);

  let base = { width: o.width, height: o.height };
  const checkSize = () => {
    const largest = sizeAt(base, Math.max(...o.threads), baseThreads, o.weak);
    if (largest.width * largest.height > maxPicturePixels()) {
      throw scalePictureTooLarge(largest.width, largest.height, maxPicturePixels() * 3);
    }
  };
  if (o.targetSeconds === null) checkSize(); // before anything is rendered at that size
  let calibration: Calibration | null = null;
  let model: CostModel | null = null;
  if (o.targetSeconds !== null || o.predict.length > 0) {
    const one = await Renderer.create({ threads: 1, minThreads: 1, wasmModule, logger: { warn: log } });
    try {
      if (o.targetSeconds !== null) {
        // Weak scaling grows the picture with the threads: the largest must fit too.
        const growth = o.weak ? Math.max(...o.threads) / baseThreads : 1;
        const limit = maxPicturePixels() / growth;
        calibration = await calibrateSize(one, o.specAt, o.width, o.height, o.targetSeconds * 1000, limit);
        base = { width: calibration.width, height: calibration.height };
        log(`calibrated: ${base.width} x ${base.height} takes ${(calibration.ms / 1000).toFixed(2)} s at 1 thread`);
      }
      if (o.predict.length > 0) {
        const spec = o.specAt(base.width, base.height);
        await timeRender(one, spec, planBands(spec.width, spec.height, 1)); // warm-up at this size
        model = await measureCosts(one, spec, o.repeat);
        log('per-row costs measured at 1 thread');
      }
    } finally {
      await one.close();
    }
  }

  checkSize();
  const runs = new Map<string, Run[]>();
  const startupMs: ScaleResult['startupMs'] = [];
  for (const threads of o.threads) {
    const size = sizeAt(base, threads, baseThreads, o.weak);
    const spec = o.specAt(size.width, size.height);
    const started = performance.now();
    // Exactly `threads` workers, all started up front: the experiment times thread counts, not pool growth.
    const renderer = await Renderer.create({ threads, minThreads: threads, wasmModule, logger: { warn: log } });
    try {
      await timeRun(renderer, spec, threads, configs[configs.length - 1]); // warm-up: workers started, kernels compiled
      const firstMs = performance.now() - started;
      for (let r = 0; r < o.repeat; r++) {
        for (const c of configs) {
          const key = `${c.label}@${threads}`;
          runs.set(key, [...(runs.get(key) ?? []), await timeRun(renderer, spec, threads, c)]);
        }
      }
      const typical = median(runs.get(`${configs[configs.length - 1].label}@${threads}`)?.map((x) => x.ms) ?? []);
      startupMs.push({ threads, ms: Math.max(0, firstMs - typical) });
    } finally {
      await renderer.close();
    }
    log(`threads ${threads}: done`);
  }
  const after = await snapshot(REST_WINDOW_MS);

  const pixels = (threads: number) => {
    const s = sizeAt(base, threads, baseThreads, o.weak);
    return s.width * s.height;
  };
  const busyPerPixel = (own: Run[], threads: number) =>
    median(own.map((x) => x.busyMs.reduce((a, b) => a + b, 0))) / pixels(threads);
  const points: ScalePoint[] = [];
  for (const c of configs) {
    const baseMs = (runs.get(`${c.label}@${baseThreads}`) ?? []).map((x) => x.ms);
    for (const threads of o.threads) {
      const own = runs.get(`${c.label}@${threads}`) ?? [];
      const runsMs = own.map((x) => x.ms);
      // Strong: baseThreads * T_base / T. Weak: the same per pixel, so each thread's share is compared.
      const factor = (baseThreads * pixels(threads)) / pixels(baseThreads);
      const speedup = (factor * median(baseMs)) / median(runsMs);
      const digests = new Set(own.map((x) => x.sha256));
      if (digests.size !== 1) throw schedulesDisagree(c.label, threads);
      const load = combineLoads(own.map((x) => x.load));
      const size = sizeAt(base, threads, baseThreads, o.weak);
      points.push({
        ...c,
        threads,
        ...size,
        tasks: planSchedule(c.schedule, size.width, size.height, threads, c.bandRows ?? 1).length,
        runsMs,
        medianMs: median(runsMs),
        minMs: Math.min(...runsMs),
        maxMs: Math.max(...runsMs),
        speedup,
        speedupInterval: threads === baseThreads ? [speedup, speedup] : ratioInterval(baseMs, runsMs, factor),
        efficiency: speedup / threads,
        loadBalance: median(own.map((x) => x.loadBalance)),
        workInflation:
          busyPerPixel(own, threads) / busyPerPixel(runs.get(`${c.label}@${baseThreads}`) ?? [], baseThreads),
        load,
        busy: isBusy(load),
        oversubscribed: threads > cores,
        imageSha256: [...digests][0],
      });
    }
  }
  const serialFractions = configs.map((c) => ({
    label: c.label,
    serialFraction:
      baseThreads === 1 && !o.weak
        ? serialFraction(points.filter((p) => p.label === c.label && p.threads <= cores))
        : null,
  }));
  const counts = [...new Set([...o.threads.filter((t) => t <= cores), ...o.predict])].sort((a, b) => a - b);
  return {
    mode: o.weak ? 'weak' : 'strong',
    cores,
    ...base,
    calibration,
    baseThreads,
    points,
    comparisons: compareSchedules(points),
    startupMs,
    serialFractions,
    load: { before, after },
    prediction: model && {
      model,
      depth: TASKS_PER_WORKER,
      points: predictions(model, configs, base, counts, points),
    },
  };
}
