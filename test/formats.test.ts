/** Every output format through the real CLI: PBM, NumPy, JPEG/WebP/AVIF/TIFF, and the Julia sets. */
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { escapeOf } from '../dist/src/engines/js.js';
import { createSpec, parametersFromXmp } from '../dist/src/index.js';
import { smoothIteration } from '../dist/src/model/colouring.js';
import { CLI, closeSharedRenderer, runMain } from './helpers.js';

afterAll(closeSharedRenderer);

const dir = await mkdtemp(join(tmpdir(), 'mandel-par-formats-'));
const VIEW = ['--width', '61', '--height', '37', '--max-iter', '300', '--center=-0.7,0.2', '--zoom', '4'];

async function render(name: string, args: string[]): Promise<Buffer> {
  const path = join(dir, name);
  const run = await runMain([...args, '-o', path, '--quiet']);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return readFile(path);
}

/** The PBM's pixels as '*' (1) and '-' (0), one line a row: comparable with ASCII output of the same view. */
function pbmAsText(pbm: Buffer): string {
  const header = /^P4\n(\d+) (\d+)\n/.exec(pbm.toString('latin1', 0, 40));
  if (!header) throw new Error('not a P4 header');
  const [width, height] = [Number(header[1]), Number(header[2])];
  const rowBytes = Math.ceil(width / 8);
  const bits = pbm.subarray(header[0].length);
  expect(bits.length).toBe(rowBytes * height);
  let text = '';
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) text += (bits[y * rowBytes + (x >> 3)] >> (7 - (x & 7))) & 1 ? '*' : '-';
    text += '\n';
  }
  return text;
}

/** A Python with numpy: `.ci/run` makes sure there is one. */
function pythonWithNumpy(): string {
  for (const python of ['python3', '/usr/bin/python3']) {
    try {
      execFileSync(python, ['-c', 'import numpy'], { stdio: 'ignore' });
      return python;
    } catch {}
  }
  throw new Error('no python3 with numpy: install python3-numpy (.ci/run does)');
}

describe('--out pbm', () => {
  it('holds the same pixels as ASCII output of the same view (and square pixels, unlike ASCII)', async () => {
    const pbm = await render('view.pbm', VIEW);
    const region = '--region=-1.5,0.5,-1,1';
    const text = await render('view.txt', ['--width', '61', '--height', '37', '--max-iter', '300', region]);
    const bits = await render('view2.pbm', ['--width', '61', '--height', '37', '--max-iter', '300', region]);
    expect(pbmAsText(bits)).toBe(text.toString('latin1'));
    expect(pbmAsText(pbm)).toMatch(/\*/);
  });

  it('is the Benchmarks Game image at --max-iter 51, byte for byte a C program of its published rules', () => {
    // bench/native/pbm-rules.c, built here: a C compiler is part of the test setup (gcc on Debian).
    const binary = join(dir, 'pbm-rules');
    const source = fileURLToPath(new URL('../bench/native/pbm-rules.c', import.meta.url));
    execFileSync('cc', ['-O2', '-std=c99', '-ffp-contract=off', '-o', binary, source]);
    for (const n of ['200', '1000']) {
      const reference = execFileSync(binary, [n]);
      const args = ['--out', 'pbm', '--width', n, '--height', n, '--max-iter', '51', '--region=-1.5,0.5,-1,1'];
      const ours = execFileSync(process.execPath, [CLI, ...args]);
      expect(ours.length).toBe(reference.length);
      expect(ours.equals(reference), `N = ${n}`).toBe(true);
    }
  });

  it('goes to standard output without -o, byte for byte the file', async () => {
    const stdout = execFileSync(process.execPath, [CLI, '--out', 'pbm', ...VIEW]);
    expect(stdout.equals(await render('stdout.pbm', VIEW))).toBe(true);
  });
});

describe('--out npy', () => {
  it('numpy.load reads a (height, width) array of counts and smooth values that match the engines', async () => {
    const path = join(dir, 'data.npy');
    await render('data.npy', [...VIEW, '--threads', '3', '--band-rows', '5']);
    const script = [
      'import json, sys, numpy as np',
      'a = np.load(sys.argv[1])',
      "print(json.dumps({'dtype': str(a.dtype), 'shape': list(a.shape), 'count': a['count'].tolist(),",
      "  'mu': [[None if np.isnan(v) else float(v) for v in row] for row in a['mu']]}))",
    ].join('\n');
    const result = JSON.parse(execFileSync(pythonWithNumpy(), ['-c', script, path], { encoding: 'utf8' }));
    expect(result.dtype).toBe("[('count', '<i4'), ('mu', '<f4')]");
    expect(result.shape).toEqual([37, 61]);
    // Each pixel against the plain loop at its own sample point (the CLI's view, in this thread).
    const stepX = 0.75 / 61;
    const xMin = -0.7 - 0.375;
    const yMax = 0.2 + (0.75 * 37) / 61 / 2;
    const stepY = ((0.75 * 37) / 61 / 37) as number;
    let inside = 0;
    for (const [y, x] of [
      [0, 0],
      [18, 30],
      [36, 60],
      [5, 44],
      [30, 7],
    ]) {
      const { count, norm } = escapeOf(xMin + x * stepX, yMax - y * stepY, 300);
      expect(result.count[y][x]).toBe(count);
      if (count === -1) {
        inside++;
        expect(result.mu[y][x]).toBeNull();
      } else expect(result.mu[y][x]).toBeCloseTo(Math.fround(smoothIteration(count, norm)), 4);
    }
    expect(result.count.flat()).toContain(-1);
    expect(inside).toBeLessThan(5);
  });
});

describe('colour images through sharp', () => {
  it.each([
    ['pic.jpg', 'jpeg'],
    ['pic.webp', 'webp'],
    ['pic.avif', 'heif'],
    ['pic.tif', 'tiff'],
  ])('%s by its extension, decoding to the right size, close to the PNG', async (name, format) => {
    const png = await sharp(await render(`${name}.png`, VIEW))
      .raw()
      .toBuffer();
    const image = await render(name, VIEW);
    const meta = await sharp(image).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual([format, 61, 37]);
    const pixels = await sharp(image).raw().toBuffer();
    const meanError = pixels.reduce((sum, v, k) => sum + Math.abs(v - png[k]), 0) / pixels.length;
    if (format === 'tiff') expect(meanError).toBe(0);
    else expect(meanError).toBeLessThan(40);
  });

  it.each([
    ['jpg', 'JPEG', 65500],
    ['webp', 'WebP', 16383],
    ['avif', 'AVIF', 16384],
  ])(
    'a side past what .%s holds is refused before rendering, CLI and spec; the largest is written',
    async (ext, name, most) => {
      const path = join(dir, `wide.${ext}`);
      const run = await runMain(['--width', String(most + 1), '--height', '2', '--max-iter', '10', '-o', path]);
      expect(run.stderr).toBe(
        `mandel-par: --width: expected at most ${most}: the largest side a ${name} file holds (e.g. --width ${most}), ` +
          `but received "${most + 1}"\n`,
      );
      expect(run.status).toBe(2);
      const format = ext === 'jpg' ? 'jpeg' : ext;
      expect(() => createSpec({ width: 2, height: most + 1, output: { format: format as never } })).toThrow(
        `the largest side a ${name} file holds`,
      );
      // It failed in the encoder after the whole render ("Processed image is too large for the JPEG format").
      const widest = await render(`widest.${ext}`, ['--width', String(most), '--height', '1', '--max-iter', '10']);
      expect((await sharp(widest).metadata()).width).toBe(most);
    },
  );

  it("AVIF's encoder is counted in --dry-run's memory and time, and in --max-memory (a 222 MB estimate peaked at 514)", async () => {
    const args = ['--width', '2000', '--height', '1500', '--max-iter', '100', '-o', join(dir, 'e.avif')];
    const avif = await runMain([...args, '--dry-run']);
    const png = await runMain([...args.slice(0, -1), join(dir, 'e.png'), '--dry-run']);
    const seconds = (out: string) => Number(/^time: about ([\d.]+) s/m.exec(out)?.[1]);
    expect(avif.stdout).toMatch(/^memory: about [\d.]+ MB \(.*, the encoder 133 MB\)$/m);
    expect(png.stdout).not.toMatch(/the encoder/);
    // 3 megapixels at 2 us a pixel: 6 s more than the PNG.
    expect(seconds(avif.stdout) - seconds(png.stdout)).toBeGreaterThan(5);
    // A shard encodes nothing: its estimate has no encoder (a 16000^2 AVIF shard was refused for 5.7 GB of one).
    const shard = await runMain([...args, '--shard', '1/2', '--dry-run']);
    expect(shard.stdout).toMatch(/^memory: about /m);
    expect(shard.stdout).not.toMatch(/the encoder/);
    const refused = await runMain([...args, '--max-memory', '250M']);
    expect(refused.stderr).toMatch(/^mandel-par: a 2000 x 1500 AVIF needs about .*the encoder 133 MB\), more than/);
    expect(refused.status).toBe(2);
  });

  it('--quality changes a JPEG; it is refused for PNG', async () => {
    const low = await render('low.jpg', [...VIEW, '--quality', '10']);
    const high = await render('high.jpg', [...VIEW, '--quality', '95']);
    expect(low.length).toBeLessThan(high.length);
    const run = await runMain([...VIEW, '--quality', '50', '-o', join(dir, 'q.png')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'mandel-par: --quality: apply to JPEG, WebP, AVIF and pyramids of JPEG tiles only, not to --out png\n',
    );
  });
});

describe('--julia', () => {
  const julia = (c: string, extra: string[] = []) => runMain(['--julia', c, '--max-iter', '500', ...extra]);

  it('renders the whole set in frame, the same on every engine and split', async () => {
    const reference = (await julia('-1,0', ['--engine', 'js', '--threads', '1', '--no-shortcuts'])).stdout;
    for (const extra of [[], ['--engine', 'wasm'], ['--threads', '3', '--band-rows', '1'], ['--no-shortcuts']]) {
      expect((await julia('-1,0', extra)).stdout, extra.join(' ')).toBe(reference);
    }
    const lines = reference.split('\n').slice(0, -1);
    expect(lines).toHaveLength(50);
    // Nothing of the set touches the frame: the default view holds it whole.
    expect(lines[0] + lines[49] + lines.map((l) => l[0] + l[139]).join('')).not.toContain('*');
  });

  it('is symmetric under z -> -z, pixel for pixel, where the grid is', async () => {
    // Width 64 over [-2, 2]: every sample point is exact, and so is its mirror image.
    const run = await julia('-0.12,0.75', ['--region=-2,2,-2,2', '--width', '64', '--height', '64', '--out', 'ascii']);
    const rows = run.stdout.split('\n');
    let checked = 0;
    for (let y = 1; y < 64; y++) {
      for (let x = 1; x < 64; x++) {
        expect(rows[y][x], `(${x}, ${y})`).toBe(rows[64 - y][64 - x]);
        checked++;
      }
    }
    expect(checked).toBe(63 * 63);
    expect(run.stdout).toMatch(/\*/);
  });

  it('a c in the Mandelbrot set gives a connected set with an inside; one far outside gives dust', async () => {
    const connected = (await julia('-1,0')).stdout;
    expect(connected.split('*').length - 1).toBeGreaterThan(300);
    // z0 = 0 lies on a cycle (0 -> -1 -> 0) for c = -1: the centre pixel row holds inside points.
    const dust = (await julia('0.5,0.5')).stdout;
    expect(dust).not.toContain('*');
    expect((await julia('0.5,0.5', ['--no-shortcuts'])).stdout).toBe(dust);
  });

  it('refuses a malformed c', async () => {
    const run = await runMain(['--julia', '1']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'mandel-par: --julia: expected two finite numbers re,im (e.g. --julia -0.8,0.156), but received "1"\n',
    );
  });
});

describe('provenance', () => {
  it('a Julia WebP embeds a command that renders the same pixels again (Julia c, colours and quality included)', async () => {
    const first = await render('julia.webp', [
      '--julia',
      '-0.8,0.156',
      '--palette',
      'fire',
      '--cycle',
      '20',
      '--quality',
      '80',
      ...VIEW,
    ]);
    const { xmpAsString } = await sharp(first).metadata();
    const { command } = parametersFromXmp(xmpAsString ?? '') as { command: string };
    expect(command).toMatch(/--julia=-0\.8,0\.156 .*--cycle 20 .*--quality 80$/);
    const args = [...command.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]).slice(1);
    const again = await render('again.webp', args);
    expect(again.equals(first)).toBe(true);
  });
});
