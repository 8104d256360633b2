/** mandel-par scale end to end: the real pool, every schedule, the files it writes. */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amdahlSpeedup, serialFraction } from '../dist/src/scale/amdahl.js';
import { renderSvg, speedupSpec } from '../dist/src/scale/chart.js';
import { ratioInterval } from '../dist/src/scale/interval.js';
import { median } from '../dist/src/scale/median.js';
import { CSV_COLUMNS } from '../dist/src/scale/report.js';
import { CLI, runCli } from './helpers.js';

interface JsonPoint {
  label: string;
  threads: number;
  width: number;
  height: number;
  runsMs: number[];
  speedup: number;
  speedupInterval: [number, number];
  busy: boolean;
  oversubscribed: boolean;
  load: { othersCores: number | null };
}

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
    // A picture this small is measured, and said to be too small to share among threads.
    expect(run.stderr).toMatch(
      /^mandel-par: warning: one render takes [\d.]+ s at 1 thread: too short to share among threads .* leave out --width and --height to calibrate the size to --target-seconds$/m,
    );
    expect(run.status).toBe(0);
    stdout = run.stdout;
  });

  it('prints a table with every schedule and thread count, the start-up cost and the serial fraction', () => {
    for (const label of ['static', 'interleaved', 'dynamic/1', 'dynamic/16']) {
      for (const threads of [1, 2, 3]) expect(stdout).toMatch(new RegExp(`^${label} +${threads} `, 'm'));
    }
    expect(stdout).toMatch(
      /^Pool start-up \(first render less a typical one\): 1 thread \d+ ms, 2 threads \d+ ms, 3 threads \d+ ms$/m,
    );
    expect(stdout).toMatch(/^Amdahl serial fraction \(fit on 1 < threads <= \d+\): static (-?[\d.]+|n\/a), /m);
    expect(stdout).toMatch(/^At 2 threads: fastest \S+ \(fewer than 5 runs a point: no schedule is called slower\)$/m);
    expect(stdout).toMatch(
      /^Predicted speedup on N cores like these \(simulated from per-row costs measured at 1 thread; not measured/m,
    );
    expect(stdout).toMatch(/^dynamic\/16 +1\.00 \(1\.00\) .* [\d.]+ +[\d.]+ +[\d.]+ +[\d.]+$/m);
    expect(stdout).toMatch(/^Not modelled: cores slowing each other down \(the work column: .*\) and other load\.$/m);
    expect(stdout).toMatch(
      /^Load before: others [\d.]+ cores, steal \d+%, load average [\d. ]+; during: others [\d.]+-[\d.]+ cores, steal \d+-\d+% over the points; after: /m,
    );
    expect(stdout).toContain(`Wrote ${join(dir, 'results.csv')}`);
  });

  it('writes the documented CSV columns, a row per point, and every schedule made the very same image', async () => {
    const [header, ...rows] = (await readFile(join(dir, 'results.csv'), 'utf8')).trim().split('\n');
    expect(header.split(',')).toEqual([...CSV_COLUMNS]);
    expect(rows.length).toBe(4 * 3);
    const cells = rows.map((r) => r.split(','));
    expect(cells.every((c) => c.length === CSV_COLUMNS.length)).toBe(true);
    const oversubscribed = cells.map((c) => c[CSV_COLUMNS.indexOf('oversubscribed')]);
    const threads = cells.map((c) => Number(c[CSV_COLUMNS.indexOf('threads')]));
    const cores = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')).cores;
    expect(oversubscribed).toEqual(threads.map((t) => String(t > cores)));
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
    expect([json.mode, json.width, json.height, json.calibration]).toEqual(['strong', 120, 60, null]);
    expect(json.load.before).toMatchObject({ othersCores: expect.any(Number), loadAverage: expect.any(Array) });
    expect(json.prediction.points.map((p: { threads: number }) => p.threads)).toContain(64);
    expect(json.prediction.model.rowMs).toHaveLength(60);
    for (const p of json.points) {
      expect(p.runsMs).toHaveLength(2);
      expect(p.minMs).toBeLessThanOrEqual(p.medianMs);
      expect(p.medianMs).toBeLessThanOrEqual(p.maxMs);
      expect(p.efficiency).toBeCloseTo(p.speedup / p.threads, 9);
      expect(p.loadBalance).toBeGreaterThanOrEqual(1);
      expect(p.workInflation).toBeGreaterThan(0);
      if (p.threads === 1) expect(p.workInflation).toBe(1);
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

  it('keeps every run, so each interval can be recomputed from results.json', async () => {
    const json = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8'));
    const points: JsonPoint[] = json.points;
    for (const p of points) {
      const base = points.find((b) => b.label === p.label && b.threads === json.baseThreads) as JsonPoint;
      expect(p.speedup).toBeCloseTo((json.baseThreads * median(base.runsMs)) / median(p.runsMs), 12);
      const interval = p.threads === json.baseThreads ? [p.speedup, p.speedup] : ratioInterval(base.runsMs, p.runsMs);
      expect(p.speedupInterval).toEqual(interval);
      expect(p.speedupInterval[0]).toBeLessThanOrEqual(p.speedupInterval[1]);
    }
  });

  it('draws the chart from what results.json keeps: redrawn from the file, it is the same SVG', async () => {
    const json = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8'));
    const svg = await readFile(join(dir, 'speedup.svg'), 'utf8');
    expect(await renderSvg(speedupSpec(json, json.chart.title))).toBe(svg);
    const over = Math.max(...json.points.map((p: JsonPoint) => p.threads)) > json.cores;
    for (const text of [
      `${json.cores} cores`,
      'predicted for N cores',
      '95% intervals',
      ...(over ? ['oversubscribed'] : []),
    ])
      expect(svg).toContain(text);
    // Every panel's labels within the picture's panels: the cores' label reads from its rule inward (at the right edge
    // it ran into the legend), and no tick lies below its axis (a log axis starts at its first tick).
    const panels = [...svg.matchAll(/<rect x="(\d+)" y="([\d.]+)" width="(\d+)" height="(\d+)" fill="none"/g)];
    const right = Math.max(...panels.map((m) => Number(m[1]) + Number(m[3])));
    for (const m of svg.matchAll(
      /<text x="([\d.]+)"( text-anchor="end")? y="[\d.]+" fill="#444444"[^>]*>\d+ cores</g,
    )) {
      if (!m[2]) expect(Number(m[1])).toBeLessThan(right - 40);
    }
    // Interval bars of different series never share an x (at one thread count they hid each other).
    const bars = [
      ...svg.matchAll(/<line x1="([\d.]+)" y1="[\d.]+" x2="\1" y2="[\d.]+" stroke="(#\w+)" stroke-width="2"\/>/g),
    ];
    expect(bars.length).toBeGreaterThan(0);
    const coloursAt = new Map<string, Set<string>>();
    for (const [, x, colour] of bars) coloursAt.set(x, (coloursAt.get(x) ?? new Set()).add(colour));
    for (const colours of coloursAt.values()) expect(colours.size).toBe(1);
    for (const m of svg.matchAll(/<line x1="\d+" y1="([\d.]+)" x2="\d+" y2="[\d.]+" stroke="#dddddd"\/>/g)) {
      const y = Number(m[1]);
      expect(panels.some((p) => y >= Number(p[2]) - 0.5 && y <= Number(p[2]) + Number(p[4]) + 0.5)).toBe(true);
    }
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

describe('mandel-par scale: calibration and weak scaling', () => {
  it('sizes the picture so one render at 1 thread takes about the target, and grows it with the threads', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'mandel-par-scale-')), 'weak');
    const target = 0.25;
    const args = ['--weak', '--threads', '1,2', '--schedules', 'static', '--repeat', '3'];
    const run = await runCli(['scale', ...args, '--target-seconds', String(target), '-o', dir]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /^Scaling \(weak scaling, pixels grow with the threads\): \d+ x \d+ \(calibrated: one render at 1 thread took [\d.]+ s, target 0\.25 s\)/,
    );
    const json = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8'));
    // Calibration lands near its target (its last probe within 15%, or the closest of its tries), keeping the aspect.
    expect(json.calibration.ms / 1000).toBeGreaterThan(target / 2);
    expect(json.calibration.ms / 1000).toBeLessThan(target * 2);
    expect(json.width / json.height).toBeCloseTo(1920 / 1080, 2);
    expect([json.width, json.height]).toEqual([json.calibration.width, json.calibration.height]);
    const [one, two]: JsonPoint[] = json.points;
    expect([one.width, one.height]).toEqual([json.width, json.height]);
    expect((two.width * two.height) / (one.width * one.height)).toBeCloseTo(2, 1);
    // Weak scaling's speedup (Gustafson's scaled speedup) is the time per pixel at 1 thread over that at 2.
    const perPixel = (p: JsonPoint) => median(p.runsMs) / (p.width * p.height);
    expect(two.speedup).toBeCloseTo(perPixel(one) / perPixel(two), 9);
    expect(json.prediction).toBeNull();
  });
});

describe('mandel-par scale: a busy machine', () => {
  let burner: ChildProcess;
  beforeAll(() => {
    burner = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  });
  afterAll(() => {
    burner.kill();
  });

  it('flags the points measured while another process used a core, and says so', async () => {
    const dir = join(await mkdtemp(join(tmpdir(), 'mandel-par-scale-')), 'busy');
    const args = ['--threads', '1', '--schedules', 'static', '--repeat', '3', '--target-seconds', '0.2'];
    const run = await runCli(['scale', ...args, '--predict', 'none', '-o', dir]);
    expect(run.status).toBe(0);
    expect(run.stderr).toMatch(
      /^mandel-par: warning: 1 of 1 point was measured while other processes used the machine \(marked busy\)/m,
    );
    expect(run.stdout).toMatch(/^static +1 .* busy: others [\d.]+ cores, steal \d+%$/m);
    expect(run.stderr).toMatch(
      /^mandel-par: warning: calibration ran on a busy machine \(others [\d.]+ cores, steal \d+%\)/m,
    );
    const json = JSON.parse(await readFile(join(dir, 'results.json'), 'utf8'));
    expect(json.points[0].busy).toBe(true);
    expect(json.points[0].load.othersCores).toBeGreaterThan(0.5);
    expect(json.load.before.othersCores).toBeGreaterThan(0.5);
  });

  it('Ctrl-C mid-experiment: exit 130, says so, and leaves no empty folder (it ended silently, the folder made)', async () => {
    const out = join(await mkdtemp(join(tmpdir(), 'mandel-par-scale-')), 'stopped');
    const child = spawn(process.execPath, [CLI, 'scale', '--target-seconds', '0.5', '-o', out], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    await new Promise((r) => setTimeout(r, 1500));
    child.kill('SIGINT');
    const status = await new Promise((r) => child.on('close', r));
    expect(stderr).toMatch(/mandel-par: interrupted by SIGINT: the experiment was stopped; nothing was written\n$/);
    expect(status).toBe(130);
    expect(await readdir(join(out, '..'))).toEqual([]);
  });

  it('--quiet-machine refuses it once the wait runs out', async () => {
    const run = await runCli(['scale', '--quiet-machine', '0', '-o', join(tmpdir(), 'never-written')]);
    expect(run.stderr).toMatch(
      /^mandel-par: the machine is busy: other processes used [\d.]+ cores \(steal \d+%, load average [\d.]+\) after waiting 0 s for --quiet-machine; run when it is quiet, or leave out --quiet-machine/,
    );
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
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
    [
      ['--palette', 'grey'],
      /^mandel-par: Unknown argument: palette: --palette is an option of a render, not of scale; run mandel-par scale --help/,
    ],
    [
      ['--width', '640', '--target-seconds', '1'],
      /^mandel-par: --width, --target-seconds: the size is either given or calibrated to a time: give one of them\n$/,
    ],
    [['--target-seconds', '0'], /^mandel-par: --target-seconds: expected a positive number .*received "0"\n$/],
    [['--weak', '--predict', '8'], /^mandel-par: --weak, --predict: predictions are of strong scaling/],
    [['--predict', '8,x'], /^mandel-par: --predict: .*received "8,x"\n$/],
    [
      ['--quiet-machine', 'soon'],
      /^mandel-par: --quiet-machine: expected a whole number from 0 to 3600 .*received "soon"\n$/,
    ],
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
