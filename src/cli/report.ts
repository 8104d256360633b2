/** Where a render's time went, for --stats. */
import type { RenderStats } from '../core/renderer.js';

const sum = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Wall time per phase, and the workers' own time split. */
export function statsReport(stats: RenderStats, encodeMs: number, totalMs: number): string {
  const iterate = sum(stats.iterateMsByThread);
  const output = sum(stats.outputMsByThread);
  return [
    `render: ${seconds(stats.wallMs)} wall, ${stats.tasks} tasks on ${stats.iterateMsByThread.size} thread${stats.iterateMsByThread.size === 1 ? '' : 's'};`,
    ` worker time: iterate ${seconds(iterate)}, colour/format ${seconds(output)}\n`,
    stats.reference
      ? `reference orbit: ${seconds(stats.reference.ms)} of the render's wall time (${stats.reference.points} points)\n`
      : '',
    encodeMs > 0 ? `encode and write: ${seconds(encodeMs)}\n` : '',
    `total: ${seconds(totalMs)}\n`,
  ].join('');
}
