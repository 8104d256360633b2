/**
 * The scaling experiment behind `mandel-par scale`: for each thread count, a pool is started and warmed, then
 * every schedule is timed `repeat` times, round by round so that background load hits all alike. Each run renders
 * the picture (iterate and colour) into a fresh shared image; its digest proves every schedule made the same one.
 */
import { createHash } from 'node:crypto';
import type { Plan, Schedule } from '../core/plan.js';
import { planSchedule } from '../core/plan.js';
import { Renderer } from '../core/renderer.js';
import type { RenderSpec } from '../core/spec.js';
import { schedulesDisagree } from '../errors.js';
import { rgbImage } from '../outputs/destinations.js';
import { serialFraction } from './amdahl.js';
import { median } from './median.js';

/** An experiment: the picture, and the thread counts and schedules to time it with. */
export interface ScaleOptions {
  threads: number[];
  schedules: Schedule[];
  bandRows: number[];
  repeat: number;
  /** The picture every run renders (to RGB in memory). */
  spec: RenderSpec;
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
  tasks: number;
  runsMs: number[];
  medianMs: number;
  minMs: number;
  maxMs: number;
  /** Median time at the base thread count over median time here. */
  speedup: number;
  efficiency: number;
  /** The busiest worker's busy time over the mean (1 is perfect), median over the runs. */
  loadBalance: number;
  imageSha256: string;
}

export interface ScaleResult {
  points: ScalePoint[];
  /** Pool start-up per thread count: the first (untimed) render, pool creation included, less the median run. */
  startupMs: { threads: number; ms: number }[];
  /** The thread count speedups are measured against (1 unless the list has no 1). */
  baseThreads: number;
  /** Amdahl's serial fraction per schedule, fitted on 1 < threads <= cores; null without such points. */
  serialFractions: { label: string; serialFraction: number | null }[];
}

function configsOf(o: ScaleOptions): ScheduleConfig[] {
  return o.schedules.flatMap((schedule): ScheduleConfig[] =>
    schedule === 'dynamic'
      ? o.bandRows.map((bandRows) => ({ schedule, bandRows, label: `dynamic/${bandRows}` }))
      : [{ schedule, bandRows: null, label: schedule }],
  );
}

interface Run {
  ms: number;
  loadBalance: number;
  sha256: string;
}

async function timeRun(renderer: Renderer, o: ScaleOptions, threads: number, plan: Plan): Promise<Run> {
  const image = rgbImage(o.spec.width, o.spec.height);
  const started = performance.now();
  const stats = await renderer.render(o.spec, { plan, destination: image });
  const ms = performance.now() - started;
  const busy = [...stats.iterateMsByThread.keys()].map(
    (t) => (stats.iterateMsByThread.get(t) ?? 0) + (stats.outputMsByThread.get(t) ?? 0),
  );
  const mean = busy.reduce((a, b) => a + b, 0) / threads;
  const sha256 = createHash('sha256').update(image.pixels).digest('hex');
  return { ms, loadBalance: Math.max(...busy) / mean, sha256 };
}

/** Runs the experiment; `log` receives a line per finished thread count. */
export async function runScale(
  o: ScaleOptions,
  wasmModule: WebAssembly.Module,
  cores: number,
  log: (line: string) => void,
): Promise<ScaleResult> {
  const { width, height } = o.spec;
  const configs = configsOf(o);
  const runs = new Map<string, Run[]>();
  const startupMs: ScaleResult['startupMs'] = [];
  for (const threads of o.threads) {
    const plans = configs.map((c) => planSchedule(c.schedule, width, height, threads, c.bandRows ?? 1));
    const started = performance.now();
    // Exactly `threads` workers, all started up front: the experiment times thread counts, not pool growth.
    const renderer = await Renderer.create({ threads, minThreads: threads, wasmModule, logger: { warn: log } });
    try {
      await timeRun(renderer, o, threads, plans[plans.length - 1]); // warm-up: workers started, kernels compiled
      const firstMs = performance.now() - started;
      for (let r = 0; r < o.repeat; r++) {
        for (const [k, c] of configs.entries()) {
          const key = `${c.label}@${threads}`;
          runs.set(key, [...(runs.get(key) ?? []), await timeRun(renderer, o, threads, plans[k])]);
        }
      }
      const typical = median(runs.get(`${configs[configs.length - 1].label}@${threads}`)?.map((x) => x.ms) ?? []);
      startupMs.push({ threads, ms: Math.max(0, firstMs - typical) });
    } finally {
      await renderer.close();
    }
    log(`threads ${threads}: done`);
  }
  const baseThreads = Math.min(...o.threads);
  const points: ScalePoint[] = [];
  for (const c of configs) {
    const base = median((runs.get(`${c.label}@${baseThreads}`) ?? []).map((x) => x.ms));
    for (const threads of o.threads) {
      const own = runs.get(`${c.label}@${threads}`) ?? [];
      const runsMs = own.map((x) => x.ms);
      const medianMs = median(runsMs);
      const speedup = base / medianMs;
      const digests = new Set(own.map((x) => x.sha256));
      if (digests.size !== 1) throw schedulesDisagree(c.label, threads);
      points.push({
        ...c,
        threads,
        tasks: planSchedule(c.schedule, width, height, threads, c.bandRows ?? 1).length,
        runsMs,
        medianMs,
        minMs: Math.min(...runsMs),
        maxMs: Math.max(...runsMs),
        speedup: speedup * baseThreads,
        efficiency: (speedup * baseThreads) / threads,
        loadBalance: median(own.map((x) => x.loadBalance)),
        imageSha256: [...digests][0],
      });
    }
  }
  const serialFractions = configs.map((c) => ({
    label: c.label,
    serialFraction:
      baseThreads === 1 ? serialFraction(points.filter((p) => p.label === c.label && p.threads <= cores)) : null,
  }));
  return { points, startupMs, baseThreads, serialFractions };
}
