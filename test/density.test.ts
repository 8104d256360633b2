/**
 * The automatic colour density (`--cycle auto`, the default for colour pictures): the rule, and the real CLI on a
 * shallow view (the picture of --cycle 64, byte for byte) and a deep one at a high iteration count (a longer cycle,
 * embedded in the picture's spec, and at most half the noise of --cycle 64).
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { densityCycle, medianStep, neighbourSteps } from '../dist/src/outputs/density.js';
import { closeSharedRenderer, runMain } from './helpers.js';

afterAll(closeSharedRenderer);

const SEA = '-0.743643887037158704752191506114774,0.131825904205311970493132056385139';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mandel-par-density-'));
});

/** Mean absolute difference of neighbouring pixels' luminance (horizontal and vertical). */
async function noise(file: string): Promise<number> {
  const { data, info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
  const lum = (p: number) => 0.2126 * data[3 * p] + 0.7152 * data[3 * p + 1] + 0.0722 * data[3 * p + 2];
  let sum = 0;
  let pairs = 0;
  for (let p = 0; p < info.width * info.height; p++) {
    if ((p + 1) % info.width !== 0) {
      sum += Math.abs(lum(p) - lum(p + 1));
      pairs++;
    }
    if (p + info.width < info.width * info.height) {
      sum += Math.abs(lum(p) - lum(p + info.width));
      pairs++;
    }
  }
  return sum / pairs;
}

describe('the rule', () => {
  it.each([
    [0, 64],
    [0.04, 64],
    [2, 64],
    [2.01, 128],
    [65.7, 4096],
    [246, 8192],
    [1e12, 2 ** 24],
  ])('median step %f: cycle %i', (step, cycle) => {
    expect(densityCycle(step)).toBe(cycle);
  });

  it('steps between horizontal neighbours that both escaped, median', () => {
    // Two rows of three: counts and smooth values; -1 is inside.
    const data = new Uint8Array(6 * 8);
    const view = new DataView(data.buffer);
    const put = (p: number, count: number, mu: number) => {
      view.setInt32(8 * p, count, true);
      view.setFloat32(8 * p + 4, mu, true);
    };
    [
      [10, 10.5],
      [12, 12.5],
      [-1, Number.NaN],
      [20, 20],
      [26, 26],
      [30, 30],
    ].forEach(([count, mu], p) => {
      put(p, count, mu);
    });
    const steps: number[] = [];
    neighbourSteps(data, 3, 2, steps);
    expect(steps).toEqual([2, 6, 4]);
    expect(medianStep(steps)).toBe(4);
  });
});

describe('the CLI default', () => {
  it('a shallow view keeps the picture of --cycle 64, byte for byte', async () => {
    const auto = join(dir, 'classic-auto.png');
    const fixed = join(dir, 'classic-64.png');
    expect((await runMain(['--width', '300', '--height', '200', '--quiet', '-o', auto])).status).toBe(0);
    expect((await runMain(['--width', '300', '--height', '200', '--cycle', '64', '--quiet', '-o', fixed])).status).toBe(
      0,
    );
    expect((await readFile(auto)).equals(await readFile(fixed))).toBe(true);
  });

  it('a deep view at 64000 iterations gets a longer cycle, said by --stats and kept in its spec, and half the noise', async () => {
    const view = [`--center=${SEA}`, '--zoom', '1e30', '--max-iter', '64000', '--width', '160', '--height', '90'];
    const auto = join(dir, 'sea-auto.png');
    const fixed = join(dir, 'sea-64.png');
    const run = await runMain([...view, '--stats', '--quiet', '-o', auto]);
    const cycle = Number(
      /--cycle auto: (\d+) \(neighbours differ by [\d.]+ iterations, median\)/.exec(run.stderr)?.[1],
    );
    expect(cycle).toBeGreaterThanOrEqual(1024);
    expect((await runMain([...view, '--cycle', '64', '--quiet', '-o', fixed])).status).toBe(0);
    expect(await noise(auto)).toBeLessThan((await noise(fixed)) / 2);
    // Rendered again from its own spec: the same picture, the cycle given.
    const again = join(dir, 'sea-again.png');
    expect((await runMain(['--from', auto, '--quiet', '-o', again])).status).toBe(0);
    expect((await readFile(again)).equals(await readFile(auto))).toBe(true);
    const explicit = join(dir, 'sea-explicit.png');
    expect((await runMain([...view, '--cycle', String(cycle), '--quiet', '-o', explicit])).status).toBe(0);
    expect((await readFile(explicit)).equals(await readFile(auto))).toBe(true);
  });

  it("a picture under 128 x 72 is sampled whole: its cycle is its own neighbours', and near the larger picture's", async () => {
    // Its strips (two of 8 x 2 at 64 x 36) gave 32768 where 128 x 72 gets 4096, and a nearly flat thumbnail.
    const cycleAt = async (width: number, height: number) => {
      const args = [`--center=${SEA}`, '--zoom', '1e30', '--max-iter', '64000', '--width', String(width)];
      const run = await runMain([...args, '--height', String(height), '--dry-run', '-o', join(dir, 'x.png')]);
      return Number(/^colour: --cycle (\d+), chosen from a sample of the view$/m.exec(run.stdout)?.[1]);
    };
    const small = await cycleAt(64, 36);
    const data = join(dir, 'small.npy');
    const view = [`--center=${SEA}`, '--zoom', '1e30', '--max-iter', '64000', '--width', '64', '--height', '36'];
    expect((await runMain([...view, '--out', 'npy', '-o', data, '--quiet'])).status).toBe(0);
    const npy = await readFile(data);
    const steps: number[] = [];
    neighbourSteps(npy.subarray(npy.length - 64 * 36 * 8), 64, 36, steps);
    expect(small).toBe(densityCycle(medianStep(steps)));
    const larger = await cycleAt(128, 72);
    expect(Math.max(small, larger) / Math.min(small, larger)).toBeLessThanOrEqual(2);
  });
});
