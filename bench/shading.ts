/**
 * What shading by the derivative costs (`--colour distance | slope | blend`, assembly/derivative.ts: a second pass
 * over the escaped samples): each view rendered whole by the CLI with the default smooth colour and with `blend`,
 * interleaved, medians of REPS runs, and the ratio measured in the same run. With `--gallery FILE` it also writes the
 * four colourings of two views side by side (smooth, distance, slope, blend), as in the README.
 *
 *   npm run build && node dist/bench/shading.js [--reps 3] [--gallery docs/images/shading-gallery.jpg]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { machineLine } from '../src/machine.js';

const CLI = fileURLToPath(new URL('../src/bin/mandel-par.js', import.meta.url));
const SEA = '-0.743643887037158704752191506114774,0.131825904205311970493132056385139';
const VIEWS: [string, string[]][] = [
  ['the classic view, 1000 iterations, 640 x 360', ['--max-iter', '1000']],
  [
    'seahorse spirals 1e5, 5000 iterations, 640 x 360',
    ['--center=-0.7436438870371587,0.1318259043091895', '--zoom', '1e5', '--max-iter', '5000'],
  ],
  ['c = i at 1e100, 3000 iterations, 640 x 360', ['--center=0,1', '--zoom', '1e100', '--max-iter', '3000']],
  ['seahorse valley 1e30, 64000 iterations, 640 x 360', [`--center=${SEA}`, '--zoom', '1e30', '--max-iter', '64000']],
];
const SHADINGS = ['smooth', 'distance', 'slope', 'blend'];

function option(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at < 0 ? undefined : process.argv[at + 1];
}

/** Seconds for one whole CLI run. */
function seconds(args: string[], file: string, size = ['--width', '640', '--height', '360']): number {
  const started = performance.now();
  const run = spawnSync(process.execPath, [CLI, ...size, ...args, '--quiet', '-o', file], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(run.stderr);
  return (performance.now() - started) / 1000;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

const reps = Number(option('--reps') ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'mandel-par-shading-'));
try {
  console.log(`shading by the derivative, whole CLI runs, medians of ${reps}: ${machineLine()}`);
  console.log(`${'view'.padEnd(52)} ${'smooth s'.padStart(9)} ${'blend s'.padStart(9)} ${'ratio'.padStart(6)}`);
  for (const [name, args] of VIEWS) {
    const smooth: number[] = [];
    const blend: number[] = [];
    for (let r = 0; r < reps; r++) {
      smooth.push(seconds(args, join(dir, 'a.png')));
      blend.push(seconds([...args, '--colour', 'blend'], join(dir, 'b.png')));
    }
    const [a, b] = [median(smooth), median(blend)];
    console.log(
      `${name.padEnd(52)} ${a.toFixed(2).padStart(9)} ${b.toFixed(2).padStart(9)} ${(b / a).toFixed(2).padStart(6)}`,
    );
  }
  const gallery = option('--gallery');
  if (gallery) {
    const rows = [VIEWS[1][1], VIEWS[3][1]];
    const [w, h] = [320, 180];
    const panels = [];
    for (const [row, args] of rows.entries()) {
      for (const [column, shading] of SHADINGS.entries()) {
        const file = join(dir, `g-${row}-${column}.png`);
        seconds([...args, '--colour', shading, '--aa', '2'], file, ['--width', String(w), '--height', String(h)]);
        panels.push({ input: file, left: column * (w + 4), top: row * (h + 4) });
      }
    }
    const size = { width: 4 * w + 12, height: rows.length * h + 4 * (rows.length - 1) };
    await sharp({ create: { ...size, channels: 3, background: '#ffffff' } })
      .composite(panels)
      .jpeg({ quality: 85 })
      .toFile(gallery);
    console.log(`gallery: ${gallery} (smooth, distance, slope, blend; ${rows.length} views)`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
