/** Where a render's time went, for --stats. */

import type { Tally } from '../model/tally.js';
import { edgeUnresolved, lateShare } from '../model/tally.js';
import type { PerturbWork } from '../model/task.js';
import type { RenderStats } from '../render/renderer.js';
import { counted } from '../words.js';

const sum = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/**
 * Wall time per phase, and the workers' own time split; `threads` when fewer were used than asked for. The total is the
 * command's, and the process's as the "wrote" line says it (Node's start and the modules come before the command).
 */
export function statsReport(
  stats: RenderStats,
  encodeMs: number,
  total: { commandMs: number; processMs: number },
  threads?: { used: number; asked: number },
  maxIter?: number,
): string {
  const iterate = sum(stats.iterateMsByThread);
  const output = sum(stats.outputMsByThread);
  return [
    threads && threads.asked > threads.used
      ? `threads: at most ${threads.used} of the ${threads.asked} asked for: this machine runs ${threads.used} at once, and a worker past the cores only shares one\n`
      : '',
    `render: ${seconds(stats.wallMs)} wall, ${counted(stats.tasks, 'task')} on ${counted(stats.iterateMsByThread.size, 'thread')};`,
    ` worker time: iterate ${seconds(iterate)}, colour/format ${seconds(output)}`,
    stats.setupMs > 0 ? `, deep setup ${seconds(stats.setupMs)}\n` : '\n',
    stats.reference ? referenceReport(stats.reference) : '',
    stats.perturbWork ? perturbReport(stats.perturbWork) : '',
    maxIter === undefined ? '' : insideReport(stats.tally, maxIter),
    encodeMs > 0 ? `encode and write: ${seconds(encodeMs)}\n` : '',
    `total: ${seconds(total.commandMs)}, ${seconds(total.processMs)} since the process started\n`,
  ].join('');
}

/**
 * The reference's time: in the render's wall time, or before it (a sample of the view, for the time estimate or the
 * colour cycle, computed it and the render reused it).
 */
function referenceReport(r: NonNullable<RenderStats['reference']>): string {
  const when = r.kept ? 'before the render, for a sample of it' : "of the render's wall time";
  return `reference orbit: ${seconds(r.ms)} ${when} (${r.points} points)\n`;
}

/**
 * What share of the samples reached --max-iter, and, where the set's edge is not resolved yet (model/tally.ts,
 * edgeUnresolved), a --max-iter to try.
 */
function insideReport(t: Tally, maxIter: number): string {
  const samples = t.inside + t.escaped;
  if (samples === 0) return '';
  const share = ((100 * t.inside) / samples).toFixed(1);
  const known = !Number.isNaN(t.maxCount);
  const late = known ? `; ${(100 * lateShare(t)).toFixed(1)}% escaped in its second half` : '';
  const advice =
    known && edgeUnresolved(t)
      ? `: the edge is not resolved, try --max-iter ${Math.min(2 ** 31 - 1, 4 * maxIter)}`
      : '';
  return `inside: ${share}% of ${amount(samples)} samples reached --max-iter ${maxIter}${late}${advice}\n`;
}

/** A count in words: 1234567 as 1.23 M. */
function amount(n: number): string {
  if (n < 1e4) return String(n);
  return n < 1e6 ? `${(n / 1e3).toFixed(1)} k` : n < 1e9 ? `${(n / 1e6).toFixed(1)} M` : `${(n / 1e9).toFixed(2)} G`;
}

/** Where a deep render's iterations went: BLA runs against single steps, and the samples that took the slow paths. */
function perturbReport(work: PerturbWork): string {
  const all = work.steps + work.runSteps;
  const share = all > 0 ? ((100 * work.runSteps) / all).toFixed(1) : '0.0';
  return (
    `iterations: ${amount(all)}, ${share}% of them in ${amount(work.runs)} BLA runs, ${amount(work.steps)} stepped;` +
    ` samples recomputed: ${amount(work.precise)} in double-double, ${amount(work.exact)} in BigInt;` +
    ` proven inside: ${amount(work.inside)}, on the real axis: ${amount(work.axis)}\n`
  );
}
