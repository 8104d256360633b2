/** Texts about a render: the command that reproduces it, and where its time went. */
import type { RenderOptions } from './args.js';
import type { RenderStats } from './render.js';

const hex = ([r, g, b]: readonly number[]) => `#${[r, g, b].map((v) => v.toString(16).padStart(2, '0')).join('')}`;

/** A mandel-par command line that renders the same picture (the region written out exactly). */
export function reproduceCommand(o: RenderOptions): string {
  const { xMin, xMax, yMin, yMax } = o.region;
  const args = [`--out ${o.out}`, `--width ${o.width}`, `--height ${o.height}`, `--max-iter ${o.maxIter}`];
  args.push(`--region=${xMin},${xMax},${yMin},${yMax}`);
  if (o.out === 'png') {
    args.push(`--palette "${o.colouring.palette.map(hex).join(',')}"`, `--inside "${hex(o.colouring.inside)}"`);
    args.push(`--cycle ${o.colouring.cycle}`, `--aa ${o.aa}`);
  }
  return `mandel-par ${args.join(' ')}`;
}

const sum = (m: Map<number, number>) => [...m.values()].reduce((a, b) => a + b, 0);
const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** Where the time went, for --stats: wall time per phase, and the workers' own time split. */
export function statsReport(stats: RenderStats, encodeMs: number, totalMs: number): string {
  const iterate = sum(stats.iterateMsByThread);
  const output = sum(stats.outputMsByThread);
  return [
    `render: ${seconds(stats.wallMs)} wall, ${stats.bands} bands on ${stats.iterateMsByThread.size} threads;`,
    ` worker time: iterate ${seconds(iterate)}, colour/format ${seconds(output)}\n`,
    encodeMs > 0 ? `encode and write: ${seconds(encodeMs)}\n` : '',
    `total: ${seconds(totalMs)}\n`,
  ].join('');
}
