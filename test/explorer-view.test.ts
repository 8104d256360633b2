/**
 * The explorer page's view arithmetic (explorer/view.js, loaded as the browser loads it): decimal centres moved
 * by pixel offsets at any depth, zooms about a point, the URL round trip, and the command line it copies, which
 * the real CLI must accept.
 */
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
// @ts-expect-error: a browser module in plain JavaScript, without types.
import * as v from '../explorer/view.js';
import { runCli } from './helpers.js';

interface Zoom {
  m: number;
  e: number;
}
interface View {
  center: [string, string];
  zoom: Zoom;
  maxIter: number | null;
  palette: string | null;
  cycle: string | null;
  colour: string | null;
}

const at = (center: [string, string], zoom: string, maxIter: number | null = null): View => ({
  center,
  zoom: v.parseZoom(zoom),
  maxIter,
  palette: null,
  cycle: null,
  colour: null,
});

describe('numbers', () => {
  it.each([
    ['1e30', 1, 30],
    ['2.5e100', 2.5, 100],
    ['100', 1, 2],
    ['0.05', 5, -2],
    ['12345', 1.2345, 4],
  ])('zoom %s is %f x 10^%i', (text, m, e) => {
    expect(v.parseZoom(text)).toEqual({ m, e });
    expect(v.parseZoom(v.formatZoom({ m, e }))).toEqual({ m, e });
  });

  it.each(['-1', '0', 'abc', '', '1e'])('zoom %j is refused', (text) => {
    expect(v.parseZoom(text)).toBeUndefined();
  });

  it('adds an offset of 10^-e units exactly, at any depth', () => {
    expect(v.addOffset('-0.5', 0.25, 0)).toBe('-0.25');
    expect(v.addOffset('0.1', 3, 100)).toBe(`0.1${'0'.repeat(98)}3`);
    expect(v.addOffset('-1.5', 1.5, 0)).toBe('0');
    // 1000 digits: a BigInt sum, not f64.
    const deep = `0.${'7'.repeat(1000)}`;
    expect(v.addOffset(deep, 1, 999)).toBe(`0.${'7'.repeat(998)}87`);
  });

  it('difference is the offset back, as f64', () => {
    for (const e of [0, 30, 300, 3000]) {
      const c = `-1.${'3'.repeat(e + 10)}`;
      const moved = v.addOffset(c, 12.345678, e);
      expect(v.difference(moved, c, e)).toBeCloseTo(12.345678, 10);
    }
  });
});

describe('moves', () => {
  const view = at(['-0.743643887037158704752191506114774', '0.131825904205311970493132056385139'], '1e30');

  it('a pan and its reverse give back the same centre, digit for digit', () => {
    const there = v.pan(view, 37, -12, 800);
    expect(there.center).not.toEqual(view.center);
    const back = v.pan(there, -37, 12, 800);
    for (const k of [0, 1]) expect(v.difference(back.center[k], view.center[k], 30)).toBe(0);
  });

  it('a zoom keeps the point under the pointer where it was', () => {
    const [px, py, width] = [150, -80, 800];
    const zoomed = v.zoomAt(view, 4, px, py, width);
    expect(zoomed.zoom).toEqual({ m: 4, e: 30 });
    // The plane point at (px, py) before and after, relative to the old centre, in units of 10^-30.
    const before = [px * v.pixelSize(view.zoom, width), -py * v.pixelSize(view.zoom, width)];
    const after = [
      v.difference(zoomed.center[0], view.center[0], 30) + px * v.pixelSize(zoomed.zoom, width),
      v.difference(zoomed.center[1], view.center[1], 30) - py * v.pixelSize(zoomed.zoom, width),
    ];
    expect(after[0]).toBeCloseTo(before[0], 12);
    expect(after[1]).toBeCloseTo(before[1], 12);
  });

  it('iterations grow with depth unless fixed', () => {
    const depths = ['1', '1e10', '1e30', '1e100', '1e300'].map((z) => v.iterationsOf(at(['0', '0'], z)));
    expect(depths[0]).toBe(1000);
    for (let k = 1; k < depths.length; k++) expect(depths[k]).toBeGreaterThan(depths[k - 1]);
    expect(v.iterationsOf(at(['0', '0'], '1e300', 5000))).toBe(5000);
  });
});

describe('the URL and the command line', () => {
  it('a view survives its query', () => {
    const view = { ...at(['-1.25', '0.0001'], '2.5e40', 12000), palette: 'fire', cycle: '300', colour: 'blend' };
    const query = v.queryOf(view);
    expect(query).toBe('center=-1.25,0.0001&zoom=2.5e40&max-iter=12000&palette=fire&cycle=300&colour=blend');
    expect(v.viewFromQuery(`?${query}`)).toEqual(view);
    // A shading the CLI does not have is dropped, as a bad cycle is.
    expect(v.viewFromQuery('?colour=shiny').colour).toBeNull();
  });

  it('a shared link cannot put shell commands into a copied command', () => {
    const view = v.viewFromQuery("?center=-0.75,0.1&zoom=1e30&palette=fire';touch /tmp/x;'&cycle=64;id");
    expect(view.cycle).toBeNull();
    const command = v.commandOf(view, 640, 480);
    expect(command).toContain(`--palette 'fire'\\'';touch /tmp/x;'\\'''`);
    // What a shell makes of it: the palette one word, as given.
    const words = execFileSync('sh', ['-c', `printf '%s\\n' ${command}`], { encoding: 'utf8' }).split('\n');
    expect(words).toContain("fire';touch /tmp/x;'");
    expect(words).not.toContain('id');
  });

  it('a page without a query shows the CLI default view', () => {
    expect(v.viewFromQuery('')).toEqual(v.HOME);
  });

  it('the copied video command is one the CLI accepts (even sizes, the view as the zoom, no shading)', async () => {
    const view = { ...at(['-1.25', '0.0001'], '2.5e40', 12000), cycle: '300', colour: 'slope' };
    const command = v.videoCommandOf(view, 641, 401);
    expect(command).toBe(
      'mandel-par video --center=-1.25,0.0001 --zoom-to 2.5e40 --max-iter 12000 --cycle 300 --width 640 --height 400 -o zoom.mp4',
    );
    // Checked by the CLI up to the work: a bad option would exit 2 first; PATH without ffmpeg stops it right there.
    const run = await runCli(command.split(' ').slice(1), { env: { PATH: '/nonexistent' }, cwd: tmpdir() });
    expect(run.stderr).toContain('ffmpeg is needed');
    // Iterations left to auto are the CLI's auto (a still's default is 1000, not the depth's guess).
    const auto = v.videoCommandOf(at(['-1.25', '0.0001'], '2.5e40'), 640, 400);
    expect(auto).toContain(' --max-iter auto ');
    expect(v.commandOf(at(['-1.25', '0.0001'], '2.5e40'), 640, 400)).toContain(' --max-iter auto ');
    const autoRun = await runCli(auto.split(' ').slice(1), { env: { PATH: '/nonexistent' }, cwd: tmpdir() });
    expect(autoRun.stderr).toContain('ffmpeg is needed');
  });

  it('the copied command is one the CLI accepts, for the same picture', async () => {
    const view = { ...at(['-1.25', '0.0001'], '2.5e40', 12000), cycle: '300', colour: 'distance' };
    const words = v.commandOf(view, 320, 200).split(' ').slice(1);
    expect(words.join(' ')).toContain('--colour distance');
    const run = await runCli([...words, '--dry-run']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('320 x 200');
  });
});
