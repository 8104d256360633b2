/**
 * What else the machine did while the experiment timed: other processes' CPU time and the hypervisor's steal (from
 * Linux's /proc/stat, less this process's own CPU time) and the load average. A timing taken while others used a
 * core is a timing of a smaller machine; points measured so are flagged rather than silently mixed in.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';

/** /proc/stat counts in USER_HZ, which Linux fixes at 100 per second on every architecture. */
const USER_HZ = 100;

/**
 * Other processes' mean CPU use, in cores, from which a window counts as busy: a quarter core, or on a large machine
 * one core in 32 (a background daemon there is noise, not a smaller machine).
 */
export function busyCores(cores = availableParallelism()): number {
  return Math.max(0.25, cores / 32);
}
/** Share of the machine's CPU time the hypervisor took away, from which a window counts as busy. */
export const BUSY_STEAL = 0.05;

/** Counters at one moment; the system's are null where the platform does not report them. */
export interface CpuSample {
  atMs: number;
  ownUs: number;
  busyTicks: number | null;
  stealTicks: number | null;
}

/** What a window between two samples saw. */
export interface Load {
  ms: number;
  /** Other processes' mean CPU use over the window, in cores; null where not reported. */
  othersCores: number | null;
  /** The hypervisor's steal as a share of all cores' time; null where not reported. */
  stealShare: number | null;
}

/** The CPUs this process may run on (Linux's Cpus_allowed_list), or undefined: then every CPU counts. */
function allowedCpus(): Set<number> | undefined {
  try {
    const line = /^Cpus_allowed_list:\s*(.+)$/m.exec(readFileSync('/proc/self/status', 'latin1'))?.[1];
    if (!line) return undefined;
    const cpus = new Set<number>();
    for (const part of line.trim().split(',')) {
      const [from, to = from] = part.split('-').map(Number);
      for (let cpu = from; cpu <= to; cpu++) cpus.add(cpu);
    }
    return cpus;
  } catch {
    return undefined;
  }
}

const ALLOWED = allowedCpus();

/**
 * Busy and steal ticks of the CPUs this process may use (under a cpuset, others' work on other CPUs is not a load on
 * this experiment): the per-CPU lines of /proc/stat, or its total line where the allowed CPUs are not known.
 */
function systemTicks(): { busyTicks: number | null; stealTicks: number | null } {
  try {
    let busy = 0;
    let steal = 0;
    for (const line of readFileSync('/proc/stat', 'latin1').split('\n')) {
      const m = /^cpu(\d*)\s+(.*)$/.exec(line);
      if (!m) continue;
      const total = m[1] === '';
      if (total !== (ALLOWED === undefined) || (!total && !ALLOWED?.has(Number(m[1])))) continue;
      // user nice system idle iowait irq softirq steal ...: busy is what ran, idle and iowait are not.
      const [user, nice, system, , , irq, softirq, stolen] = m[2].trim().split(/\s+/).map(Number);
      busy += user + nice + system + irq + softirq;
      steal += stolen ?? 0;
    }
    return { busyTicks: busy, stealTicks: steal };
  } catch {
    return { busyTicks: null, stealTicks: null };
  }
}

export function cpuSample(): CpuSample {
  const own = process.cpuUsage();
  return { atMs: performance.now(), ownUs: own.user + own.system, ...systemTicks() };
}

/** The load over the window from `a` to `b`. */
export function loadBetween(a: CpuSample, b: CpuSample, cores = availableParallelism()): Load {
  const ms = b.atMs - a.atMs;
  const ticksMs = (x: number | null, y: number | null) =>
    x === null || y === null ? null : ((y - x) * 1000) / USER_HZ;
  const busyMs = ticksMs(a.busyTicks, b.busyTicks);
  const stealMs = ticksMs(a.stealTicks, b.stealTicks);
  const ownMs = (b.ownUs - a.ownUs) / 1000;
  return {
    ms,
    // At most the machine's cores: a window of a few 10 ms ticks can count more ("others 3.22 cores" on 2).
    othersCores: busyMs === null || ms <= 0 ? null : Math.min(cores, Math.max(0, busyMs - ownMs) / ms),
    stealShare: stealMs === null || ms <= 0 ? null : stealMs / (ms * cores),
  };
}

/**
 * Several windows as one: their CPU times summed over their summed duration (a single short window is at the
 * mercy of the 10 ms tick; many together are not).
 */
export function combineLoads(loads: Load[]): Load {
  const ms = loads.reduce((sum, l) => sum + l.ms, 0);
  const mean = (field: 'othersCores' | 'stealShare') =>
    loads.some((l) => l[field] === null) || ms <= 0
      ? null
      : loads.reduce((sum, l) => sum + (l[field] ?? 0) * l.ms, 0) / ms;
  return { ms, othersCores: mean('othersCores'), stealShare: mean('stealShare') };
}

/** Whether a window's timings were shared with other work (see busyCores, BUSY_STEAL). */
export function isBusy(load: Load, cores = availableParallelism()): boolean {
  return (load.othersCores ?? 0) >= busyCores(cores) || (load.stealShare ?? 0) >= BUSY_STEAL;
}

/** The machine at rest: one window of `ms` in which this process only waits, and the load averages. */
export interface Snapshot extends Load {
  loadAverage: number[];
}

export async function snapshot(ms: number): Promise<Snapshot> {
  const before = cpuSample();
  await sleep(ms);
  return { ...loadBetween(before, cpuSample()), loadAverage: loadavg() };
}

/** @example loadLine(load) // "others 1.02 cores, steal 0%" */
export function loadLine(load: Load): string {
  if (load.othersCores === null) return 'not reported on this platform';
  return `others ${load.othersCores.toFixed(2)} cores, steal ${((load.stealShare ?? 0) * 100).toFixed(0)}%`;
}

/**
 * Waits until a one-second window is quiet (other processes under busyCores, steal under BUSY_STEAL), for at most
 * `maxSeconds`; resolves to the last window, quiet or not.
 */
export async function waitForQuiet(maxSeconds: number, windowMs = 1000): Promise<Snapshot> {
  const deadline = performance.now() + maxSeconds * 1000;
  for (;;) {
    const window = await snapshot(windowMs);
    if (!isBusy(window) || performance.now() + windowMs > deadline) return window;
  }
}
