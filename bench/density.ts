/**
 * The automatic colour density (`--cycle auto`, the default) against the old default (`--cycle 64`) on deep views
 * at high iteration counts and on shallow ones: the cycle chosen, and noise as the mean absolute difference of
 * neighbouring pixels' luminance (Rec. 709 weights), over horizontal and vertical neighbours. With `--gallery FILE`
 * it also writes the pictures side by side (old default left, new right), as in the README.
 *
 *   npm run build && node dist/bench/density.js [--gallery docs/images/density-gallery.png]
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
const M8007 =
  '-0.74364388703715870475219150611477977821525620794818128981688390181856073578379647863478782276214446187918642038936880299662817286545110520767960840151961612169600011410978855834453298496505671358565521,' +
  '0.13182590420531197049313205638514067897295227932891896620912767746551348173829833723473896418036763808191262395427428298644579017388714892904528969956399105812795657463829735478902461512624313210666268';
const VIEWS: [string, string[]][] = [
  ['seahorse valley 1e30, 64000 iterations', [`--center=${SEA}`, '--zoom', '1e30', '--max-iter', '64000']],
  ['period-8007 minibrot (3e-32 wide), 100000', [`--center=${M8007}`, '--scale', '3e-32', '--max-iter', '100000']],
  ['around it (3e-29 wide), 100000', [`--center=${M8007}`, '--scale', '3e-29', '--max-iter', '100000']],
  [
    'seahorse spirals 1e5, 5000 iterations',
    ['--center=-0.7436438870371587,0.1318259043091895', '--zoom', '1e5', '--max-iter', '5000'],
  ],
  ['the classic view, 1000 iterations', ['--max-iter', '1000']],
];
const SIZE = ['--width', '320', '--height', '180'];

async function noise(file: string): Promise<number> {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  const lum = (p: number) => 0.2126 * data[3 * p] + 0.7152 * data[3 * p + 1] + 0.0722 * data[3 * p + 2];
  let sum = 0;
  let pairs = 0;
  for (let y = 0; y < info.height; y++) {
    for (let x = 0; x < info.width; x++) {
      const p = y * info.width + x;
      if (x + 1 < info.width) sum += Math.abs(lum(p) - lum(p + 1));
      if (y + 1 < info.height) sum += Math.abs(lum(p) - lum(p + info.width));
      pairs += (x + 1 < info.width ? 1 : 0) + (y + 1 < info.height ? 1 : 0);
    }
  }
  return sum / pairs;
}

function render(args: string[], file: string): string {
  const run = spawnSync(process.execPath, [CLI, ...args, ...SIZE, '--stats', '--quiet', '-o', file], {
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return /--cycle auto: (\d+)/.exec(run.stderr)?.[1] ?? '64 (given)';
}

const dir = mkdtempSync(join(tmpdir(), 'mandel-par-density-'));
try {
  console.log(`colour density, --cycle auto against --cycle 64, 320 x 180: ${machineLine()}`);
  console.log('view | auto cycle | noise at 64 | noise auto | ratio');
  const pairs: string[] = [];
  for (const [k, [name, args]] of VIEWS.entries()) {
    const old = join(dir, `${k}-64.png`);
    const now = join(dir, `${k}-auto.png`);
    render([...args, '--cycle', '64'], old);
    const cycle = render(args, now);
    const [a, b] = [await noise(old), await noise(now)];
    console.log(`${name} | ${cycle} | ${a.toFixed(1)} | ${b.toFixed(1)} | ${(a / b).toFixed(2)}`);
    if (k < 3) pairs.push(old, now);
  }
  const at = process.argv.indexOf('--gallery');
  if (at > 0) {
    const tiles = pairs.map((input, k) => ({ input, left: (k % 2) * 324, top: Math.floor(k / 2) * 184 }));
    await sharp({ create: { width: 644, height: 548, channels: 3, background: '#ffffff' } })
      .composite(tiles)
      .png()
      .toFile(process.argv[at + 1]);
    console.log(`gallery: ${process.argv[at + 1]}`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
