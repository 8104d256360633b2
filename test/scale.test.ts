/** mandel-par scale end to end: the real pool, every schedule, the files it writes. */
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { amdahlSpeedup, serialFraction } from '../dist/src/scale/amdahl.js';
import { CSV_COLUMNS } from '../dist/src/scale/report.js';
import { runCli } from './helpers.js';

const VIEW = ['--width', '120', '--height', '60', '--max-iter', '300', '--center=-0.6,0.3', '--zoom', '2'];

describe('mandel-par scale', () => {
  let dir: string;
  let stdout: string;
  beforeAll(async () => {
    dir = join(await mkdtemp(join(tmpdir(), 'mandel-par-scale-')), 'run');
    const run = await runCli([
      'scale',
      '--threads',
      '1,2,3',
      '--repeat',
      '2',
      '--band-rows',
      '1,16',
      ...VIEW,
      '-o',
      dir,
    ]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    stdout = run.stdout;
  });

  it('prints a table with every schedule and thread count, the start-up cost and the serial fraction', () => {
    for (const label of ['static', 'interleaved', 'dynamic/1', 'dynamic/16']) {
      for (const threads of [1, 2, 3]) expect(stdout).toMatch(new RegExp(`^${label} +${threads} `, 'm'));
    }
    expect(stdout).toMatch(
      /^Pool start-up \(first render less a typical one\): 1 threads \d+ ms, 2 threads \d+ ms, 3 threads \d+ ms$/m,
    );
    expect(stdout).toMatch(/^Amdahl serial fraction \(fit on 1 < threads <= \d+\): static (-?[\d.]+|n\/a), /m);
    expect(stdout).toContain(`Wrote ${join(dir, 'results.csv')}`);
  });

  it('writes the documented CSV columns, a row per point, and every schedule made the very same image', async () => {
    const [header, ...rows] = (await readFile(join(dir, 'results.csv'), 'utf8')).trim().split('\n');
    expect(header.split(',')).toEqual([...CSV_COLUMNS]);
    expect(rows.length).toBe(4 * 3);
    const cells = rows.map((r) => r.split(','));
    expect(cells.every((c) => c.length === CSV_COLUMNS.length)).toBe(true);
    const digests = new Set(cells.map((c) => c[CSV_COLUMNS.indexOf('image_sha256')]));
    expect(digests.size).toBe(1);
    // ... and it is the picture `--out png` makes of the same view, decoded.
    const png = join(dir, '..', 'same.png');
    expect((await runCli(['--out', 'png', ...VIEW, '-o', png])).status).toBe(0);
    const raw = await sharp(png).raw().toBuffer();
    expect(createHash('sha256').update(raw).digest('hex')).toBe([...digests][0]);
  });

  it('writes JSON with the machine, the full parameters, every point and the Amdahl fit', async () => {
    const json = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8'));
    expect(json.machine).toMatchObject({ cpu: expect.any(String), cores: expect.any(Number), node: process.version });
    expect(json.parameters).toMatchObject({
      threads: [1, 2, 3],
      bandRows: [1, 16],
      repeat: 2,
      spec: { width: 120, height: 60 },
    });
    expect(json.command).toMatch(/^mandel-par scale --threads 1,2,3 /);
    expect(json.points).toHaveLength(12);
    for (const p of json.points) {
      expect(p.runsMs).toHaveLength(2);
      expect(p.minMs).toBeLessThanOrEqual(p.medianMs);
      expect(p.medianMs).toBeLessThanOrEqual(p.maxMs);
      expect(p.efficiency).toBeCloseTo(p.speedup / p.threads, 9);
      expect(p.loadBalance).toBeGreaterThanOrEqual(1);
    }
    expect(
      json.points
        .filter((p: { threads: number }) => p.threads === 1)
        .every((p: { speedup: number }) => p.speedup === 1),
    ).toBe(true);
    expect(json.serialFractions.map((s: { label: string }) => s.label)).toEqual([
      'static',
      'interleaved',
      'dynamic/1',
      'dynamic/16',
    ]);
    expect(json.startupMs.map((s: { threads: number }) => s.threads)).toEqual([1, 2, 3]);
  });

  it('draws the chart as a valid SVG and a PNG of the size the JSON states', async () => {
    const svg = await readFile(join(dir, 'speedup.svg'), 'utf8');
    expect(svg).toMatch(/^<svg [^>]*xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
    for (const label of ['dynamic/16', 'interleaved', 'static', 'speedup against one thread'])
      expect(svg).toContain(label);
    const { chart } = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8'));
    const size = /width="(\d+)" height="(\d+)"/.exec(svg);
    expect([Number(size?.[1]), Number(size?.[2])]).toEqual([chart.width, chart.height]);
    const meta = await sharp(join(dir, 'speedup.png')).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', chart.width, chart.height]);
    expect((await readdir(dir)).sort()).toEqual(['results.csv', 'results.json', 'speedup.png', 'speedup.svg']);
  });
});

describe('mandel-par scale: bad lists', () => {
  it.each([
    [
      ['--threads', '0,2'],
      /^mandel-par: --threads: expected a comma-separated list of distinct whole numbers from 1 to 1024 \(e\.g\. --threads 1,2,4,8\), but received "0,2"\n$/,
    ],
    [['--threads', 'a'], /^mandel-par: --threads: .*received "a"\n$/],
    [['--threads', '2,2'], /^mandel-par: --threads: .*received "2,2"\n$/],
    [
      ['--repeat', '0'],
      /^mandel-par: --repeat: expected a whole number from 1 to 1000 \(e\.g\. --repeat 5\), but received "0"\n$/,
    ],
    [['--band-rows', '4,x'], /^mandel-par: --band-rows: .*received "4,x"\n$/],
    [
      ['--schedules', 'static,round-robin'],
      /^mandel-par: --schedules: expected one of static, interleaved, dynamic .*received "round-robin"\n$/,
    ],
    [['--palette', 'grey'], /^mandel-par: Unknown argument: palette; run mandel-par --help/],
  ])('%j: one line, exit status 2', async (args, message) => {
    const run = await runCli(['scale', ...args, '-o', join(tmpdir(), 'never-written')]);
    expect(run.stderr).toMatch(message);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
  });
});

describe("Amdahl's law fit", () => {
  it.each([0, 0.05, 0.1, 0.5])('recovers serial fraction %f from exact speedups', (f) => {
    const points = [1, 2, 4, 8, 16].map((threads) => ({ threads, speedup: amdahlSpeedup(f, threads) }));
    expect(serialFraction(points)).toBeCloseTo(f, 12);
  });

  it('has nothing to fit without a point above one thread', () => {
    expect(serialFraction([{ threads: 1, speedup: 1 }])).toBeNull();
  });
});
