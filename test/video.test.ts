/**
 * `mandel-par video`: ffprobe reads back the asked frame count, rate, duration and codec; frames match stills of
 * the same views (PSNR through ffmpeg's own filter: a frame at a keyframe's zoom is the still with --aa 2, a frame
 * between keyframes is at least as close to the view's true picture, a still with --aa 8, as a plain still is);
 * a killed render goes on where it stopped and gives the same frames; keyframes are reused for other colours and
 * by shards; bad options and a missing ffmpeg are clear errors. ffmpeg is Debian's (.ci/run installs it); these
 * tests fail, loudly, without it.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { keyCycles, keysNeeded, readSettings } from '../dist/src/video/assemble.js';
import { frameName } from '../dist/src/video/encode.js';
import { readMap } from '../dist/src/video/map.js';
import { frameSource, keyCount, keyZoom, log2OfDecimal, progressAt } from '../dist/src/video/schedule.js';
import { CLI, runCli } from './helpers.js';

const SEA = '-0.743643887037158704752191506114774,0.131825904205311970493132056385139';
const M41 = '-0.101096363845622161025785445738622565463805443,0.956286510809141500771096057729977435809833336';
/** Small and smooth-coloured (a long cycle), so that PSNR measures the geometry, not the palette's noise. */
const LOOK = ['--width', '160', '--height', '90', '--max-iter', '2000', '--cycle', '1000', '--quiet'];

let dir: string;
beforeAll(async () => {
  for (const tool of ['ffmpeg', 'ffprobe']) {
    try {
      execFileSync(tool, ['-version'], { stdio: 'ignore' });
    } catch {
      throw new Error(`${tool} is missing: install Debian's ffmpeg (.ci/run does)`);
    }
  }
  dir = await mkdtemp(join(tmpdir(), 'mandel-par-video-'));
});

/** PSNR of two pictures in dB, by ffmpeg's psnr filter, which reports on stderr (inf for identical pictures). */
function psnr(a: string, b: string): number {
  const run = spawnSync('ffmpeg', ['-hide_banner', '-i', a, '-i', b, '-lavfi', 'psnr', '-f', 'null', '-'], {
    encoding: 'utf8',
  });
  const m = /average:(inf|[\d.]+)/.exec(run.stderr);
  if (!m) throw new Error(`ffmpeg could not compare ${a} and ${b}: ${run.stderr}`);
  return m[1] === 'inf' ? Number.POSITIVE_INFINITY : Number(m[1]);
}

const frame = (folder: string, n: number) => join(folder, frameName(n));

async function still(name: string, center: string, zoom: string, extra: string[] = []): Promise<string> {
  const file = join(dir, `${name}.png`);
  const run = await runCli([`--center=${center}`, '--zoom', zoom, ...LOOK, ...extra, '-o', file]);
  expect(run.status).toBe(0);
  return file;
}

describe('the timeline', () => {
  it('a steady zoom: an equal factor per frame, first frame at 0, last at 1', () => {
    const us = Array.from({ length: 31 }, (_, n) => progressAt(n, 31, 3, 0));
    expect(us[0]).toBe(0);
    expect(us[30]).toBe(1);
    for (let n = 1; n < 31; n++) expect(us[n] - us[n - 1]).toBeCloseTo(1 / 30, 12);
  });

  it('eased: slow at both ends, symmetric, monotone', () => {
    const us = Array.from({ length: 61 }, (_, n) => progressAt(n, 61, 6, 2));
    expect([us[0], us[60]]).toEqual([0, 1]);
    for (let n = 1; n < 61; n++) expect(us[n]).toBeGreaterThan(us[n - 1]);
    for (let n = 0; n <= 60; n++) expect(us[n] + us[60 - n]).toBeCloseTo(1, 12);
    expect(us[1] - us[0]).toBeLessThan((us[31] - us[30]) / 10);
  });

  it('keyframes at zoom-from x 2^k, exactly; each frame spans 1 to 2 keyframe pixels', () => {
    expect(keyZoom('1e30', 3)).toBe('8e30');
    expect(keyZoom('2.5', 2)).toBe('100e-1');
    expect(log2OfDecimal('1e300')).toBeCloseTo(300 * Math.log2(10), 9);
    expect(keyCount(10)).toBe(11);
    expect(keyCount(Math.log2(1e6))).toBe(20);
    for (let u = 0; u <= 1; u += 1 / 97) {
      const { key, span } = frameSource(u, 19.93, 20);
      expect(span).toBeGreaterThan(1 - 1e-9);
      expect(span).toBeLessThanOrEqual(2 + 1e-9);
      expect(key).toBeLessThan(20);
    }
  });
});

describe('mandel-par video', () => {
  it.each([
    ['mp4', 'h264', '12', '12/1', '24'],
    ['webm', 'vp9', '12', '12/1', '24'],
    // NTSC's rate: fractions were refused as not whole.
    ['mp4', 'h264', '29.97', '2997/100', '60'],
  ])(
    '.%s: ffprobe reads the asked frames, rate, duration and codec (%s at %s fps)',
    async (extension, codec, fps, rate, frames) => {
      const out = join(dir, `probe-${fps}.${extension}`);
      const asked = ['--zoom-to', '1e4', '--duration', '2', '--fps', fps];
      const run = await runCli(['video', `--center=${SEA}`, ...asked, ...LOOK, '-o', out]);
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      const probe = execFileSync(
        'ffprobe',
        [
          '-v',
          'error',
          '-count_frames',
          '-show_entries',
          'stream=codec_name,nb_read_frames,r_frame_rate,width,height',
          '-show_entries',
          'format=duration',
          '-of',
          'json',
          out,
        ],
        { encoding: 'utf8' },
      );
      const { streams, format } = JSON.parse(probe);
      expect(streams[0]).toMatchObject({
        codec_name: codec,
        width: 160,
        height: 90,
        r_frame_rate: rate,
        nb_read_frames: frames,
      });
      expect(Number(format.duration)).toBeCloseTo(2, 1);
      // The first frame, through the codec, against the still it is made as (codec loss only).
      const first = join(dir, `first-${fps}-${extension}.png`);
      execFileSync('ffmpeg', ['-v', 'error', '-i', out, '-frames:v', '1', '-y', first]);
      expect(psnr(first, await still(`probe-${fps}-${extension}`, SEA, '1', ['--aa', '2']))).toBeGreaterThan(30);
    },
  );

  it('frames at keyframe zooms are the stills with --aa 2; frames between are as close to the true view as a still', async () => {
    // 11 frames over 10 octaves: frame n at zoom 2^(n-1), a keyframe's.
    const keyed = join(dir, 'keyed');
    const run = await runCli([
      'video',
      `--center=${SEA}`,
      '--zoom-to',
      '1024',
      '--duration',
      '1',
      '--fps',
      '11',
      ...LOOK,
      '--out',
      'frames',
      '-o',
      keyed,
    ]);
    expect(run.status).toBe(0);
    expect(await readdir(keyed)).toHaveLength(11);
    for (const n of [1, 6, 11]) {
      const zoom = String(2 ** (n - 1));
      expect(psnr(frame(keyed, n), await still(`aa2-${zoom}`, SEA, zoom, ['--aa', '2']))).toBeGreaterThan(45);
    }
    // 10 frames over the same zoom: frame 5 at 2^(40/9), between keyframes 4 and 5.
    const between = join(dir, 'between');
    expect(
      (
        await runCli([
          'video',
          `--center=${SEA}`,
          '--zoom-to',
          '1024',
          '--duration',
          '1',
          '--fps',
          '10',
          ...LOOK,
          '--out',
          'frames',
          '-o',
          between,
        ])
      ).status,
    ).toBe(0);
    const zoom = String(2 ** (40 / 9));
    const truth = await still(`aa8-${zoom}`, SEA, zoom, ['--aa', '8']);
    const plain = await still(`aa1-${zoom}`, SEA, zoom);
    expect(psnr(frame(between, 5), truth)).toBeGreaterThan(psnr(plain, truth));
  });

  it('deep: perturbation keyframes from 1e20, the last frame the still with --aa 2', async () => {
    const out = join(dir, 'deep');
    const run = await runCli([
      'video',
      `--center=${M41}`,
      '--zoom-from',
      '1e20',
      '--zoom-to',
      '64e20',
      '--duration',
      '1',
      '--fps',
      '7',
      ...LOOK,
      '--out',
      'frames',
      '-o',
      out,
    ]);
    expect(run.status).toBe(0);
    expect(psnr(frame(out, 1), await still('deep-first', M41, '1e20', ['--aa', '2']))).toBeGreaterThan(45);
    expect(psnr(frame(out, 7), await still('deep-last', M41, '64e20', ['--aa', '2']))).toBeGreaterThan(45);
  });

  it('--cycle auto (the default): each keyframe its own density, never less than a shallower one; frame 1 the still', async () => {
    const out = join(dir, 'density');
    const look = LOOK.filter((a, k) => a !== '--cycle' && LOOK[k - 1] !== '--cycle');
    const run = await runCli([
      'video',
      `--center=${SEA}`,
      '--zoom-to',
      '1e8',
      '--duration',
      '1',
      '--fps',
      '5',
      ...look,
      '--out',
      'frames',
      '-o',
      out,
    ]);
    expect(run.status).toBe(0);
    const map = await readMap(`${out}.parts`);
    if (!map) throw new Error('no map.json');
    const settings = await readSettings(`${out}.parts`);
    if (!settings) throw new Error('no video.json');
    // The keyframes its 5 frames draw from (and the next of each), of the 27 of the zoom.
    const keys = keysNeeded(settings.timeline, map.keys, true);
    expect(keys.length).toBeLessThan(map.keys);
    const byKey = await keyCycles(`${out}.parts`, map, keys);
    const cycles = keys.map((k) => byKey[k]);
    expect(cycles[0]).toBe(64);
    for (let k = 1; k < cycles.length; k++) expect(cycles[k]).toBeGreaterThanOrEqual(cycles[k - 1]);
    expect(cycles[cycles.length - 1]).toBeGreaterThan(64);
    // The classic view's own density is 64: frame 1 is the still with the CLI's default (auto) colours.
    const first = join(dir, 'density-first.png');
    expect((await runCli([`--center=${SEA}`, '--zoom', '1', ...look, '--aa', '2', '-o', first])).status).toBe(0);
    expect(psnr(frame(out, 1), first)).toBeGreaterThan(45);
  });

  it('--reverse: the same frames, last first', async () => {
    const forward = join(dir, 'keyed');
    const back = join(dir, 'keyed-back');
    const run = await runCli([
      'video',
      `--center=${SEA}`,
      '--zoom-to',
      '1024',
      '--duration',
      '1',
      '--fps',
      '11',
      ...LOOK,
      '--reverse',
      '--out',
      'frames',
      '-o',
      back,
    ]);
    expect(run.status).toBe(0);
    for (const n of [1, 4, 11]) {
      const a = await sharp(frame(forward, n)).raw().toBuffer();
      const b = await sharp(frame(back, 12 - n))
        .raw()
        .toBuffer();
      expect(a.equals(b)).toBe(true);
    }
  });
});

describe('keyframes kept', () => {
  // 80 frames over the zoom's 80 keyframes: every keyframe is some frame's.
  const args = (out: string, more: string[] = [], timing = ['--duration', '5', '--fps', '16']) => [
    'video',
    `--center=${M41}`,
    '--zoom-to',
    '1e24',
    ...timing,
    ...LOOK,
    ...more,
    '--out',
    'frames',
    '-o',
    out,
  ];

  it('Ctrl-C, then a kill, part way: the keyframes are kept, and the same command goes on to the same frames', async () => {
    const whole = join(dir, 'whole');
    expect((await runCli(args(whole))).status).toBe(0);
    const killed = join(dir, 'killed');
    const parts = `${killed}.parts`;
    const keys = async () =>
      (await readdir(parts).catch(() => [])).filter((f) => f.startsWith('key-') && f.endsWith('.npy')).length;
    /** Starts the command, waits for `count` keyframes, sends `signal`; resolves with the status and stderr. */
    const stopAt = async (count: number, signal: NodeJS.Signals) => {
      const child = spawn(process.execPath, [CLI, ...args(killed).filter((a) => a !== '--quiet')], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
      const closed = new Promise<number | null>((r) => child.on('close', r));
      while ((await keys()) < count && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
      child.kill(signal);
      return { status: await closed, stderr };
    };
    const interrupted = await stopAt(10, 'SIGINT');
    expect(interrupted.status).toBe(130);
    expect(interrupted.stderr).toContain(
      `interrupted by SIGINT: the render was stopped; the keyframes made so far are kept in "${parts}": run the same command again to go on`,
    );
    expect(await keys()).toBeGreaterThanOrEqual(10);
    await stopAt(30, 'SIGKILL');
    expect(existsSync(killed)).toBe(false);
    const again = await runCli(args(killed).filter((a) => a !== '--quiet'));
    expect(again.status).toBe(0);
    expect(again.stderr).toMatch(/keyframes: \d+ rendered .*, ([3-7]\d) reused/);
    for (let n = 1; n <= 8; n++) {
      const a = await sharp(frame(whole, n)).raw().toBuffer();
      const b = await sharp(frame(killed, n)).raw().toBuffer();
      expect(a.equals(b)).toBe(true);
    }
  });

  it('other colours, length or rate render no keyframe; another zoom into the same parts folder is refused', async () => {
    const whole = join(dir, 'whole');
    const loud = (more: string[], timing?: string[]) => args(whole, more, timing).filter((a) => a !== '--quiet');
    const recolour = await runCli(loud(['--palette', 'fire'], ['--fps', '5', '--duration', '2']));
    expect(recolour.status).toBe(0);
    expect(recolour.stderr).toContain('keyframes: 0 rendered');
    expect(await readdir(whole)).toHaveLength(10);
    const other = await runCli(loud(['--zoom-from', '10']));
    expect(other.status).toBe(2);
    // In the options' words (it said "zoomFrom, keys differ").
    expect(other.stderr).toContain(
      `--output: "${whole}.parts" holds the keyframes of another zoom (--zoom-from 10 here, 1 in the folder): `,
    );
  });

  it('--dry-run says the frames, the keyframes to render and those kept, and a time; it writes nothing', async () => {
    // (There was none: a user could not know a video's cost before running it.)
    const fresh = join(dir, 'dry');
    const before = await runCli([...args(fresh), '--dry-run']);
    expect(before.status).toBe(0);
    expect(before.stdout).toMatch(
      new RegExp(
        `^dry run: 80 frames at 16 fps, 160 x 90, into "${fresh}" \\(frames\\), --max-iter \\d+, on \\d threads?\n` +
          'keyframes: 80 to render, 0 kept in .*\n' +
          'time: about [\\d.]+ (s|min)[^\n]* for the keyframes \\(from 3 keyframes sampled\\), then the frames\n' +
          'nothing was written\n$',
      ),
    );
    expect(existsSync(fresh) || existsSync(`${fresh}.parts`)).toBe(false);
    // The video made earlier in this block: every keyframe kept.
    const kept = await runCli([...args(join(dir, 'whole')), '--dry-run']);
    expect(kept.stdout, kept.stderr).toMatch(/^keyframes: 0 to render, 80 kept in /m);
    expect(kept.stdout).toMatch(/^time: about 0\.0 s for the keyframes \(from 0 keyframes sampled\)/m);
  });

  it('shards render their share of the keyframes; assemble makes the video once all are in', async () => {
    const sharded = join(dir, 'sharded');
    const shard = (which: string) => runCli(args(sharded, ['--shard', which]).filter((a) => a !== '--quiet'));
    for (const which of ['1/3', '2/3']) {
      const run = await shard(which);
      expect(run.status).toBe(0);
      expect(run.stderr).toContain(`shard ${which}: keyframes:`);
    }
    expect(existsSync(sharded)).toBe(false);
    const early = await runCli(['assemble', `${sharded}.parts`]);
    expect(early.status).toBe(1);
    expect(early.stderr).toContain(`assemble: 26 of 80 keyframes are missing from "${sharded}.parts" (2, 5, 8,`);
    expect((await shard('3/3')).status).toBe(0);
    const assembled = await runCli(['assemble', `${sharded}.parts`]);
    expect(assembled.stderr).toBe(`mandel-par: wrote ${sharded}: 80 frames at 16 fps\n`);
    // 'killed' holds the first test's frames (the recolouring test has replaced 'whole').
    for (const n of [1, 80]) {
      const a = await sharp(frame(join(dir, 'killed'), n))
        .raw()
        .toBuffer();
      const b = await sharp(frame(sharded, n)).raw().toBuffer();
      expect(a.equals(b)).toBe(true);
    }
  });

  it('a preview (2 frames of a zoom over 80 keyframes) renders the keyframes its frames draw from: the same frames', async () => {
    const preview = join(dir, 'preview');
    const run = await runCli(args(preview, [], ['--duration', '0.5', '--fps', '4']).filter((a) => a !== '--quiet'));
    expect(run.status).toBe(0);
    expect(run.stderr).toContain('2 frames at 4 fps; keyframes: 2 rendered');
    for (const [n, whole] of [
      [1, 1],
      [2, 80],
    ]) {
      const a = await sharp(frame(join(dir, 'killed'), whole))
        .raw()
        .toBuffer();
      expect(a.equals(await sharp(frame(preview, n)).raw().toBuffer())).toBe(true);
    }
  });

  it('frames replace an earlier frames folder, but never a folder holding anything else', async () => {
    const mixed = join(dir, 'mixed');
    await mkdir(mixed);
    await writeFile(join(mixed, 'notes.txt'), 'mine');
    const run = await runCli(args(mixed));
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`--output: "${mixed}" holds other files than frames`);
    expect(await readdir(mixed)).toEqual(['notes.txt']);
  });
});

describe('refusals', () => {
  it.each([
    [['--zoom-to', '0.5'], '--zoom-to: expected a zoom deeper than --zoom-from (1)'],
    [['--zoom-to', '1e6', '--width', '161'], '--width: expected an even width and height for video (yuv420p)'],
    [
      ['--zoom-to', '1e6', '--fps', '0'],
      '--fps: expected frames a second from 1 to 240 (29.97 and other fractions too)',
    ],
    [['--zoom-to', '1e6', '--fps', '241'], '--fps: expected frames a second from 1 to 240'],
    [['--zoom-to', '1e6', '--ease', '9'], '--ease: expected seconds from 0 to half the duration (5)'],
    [['--zoom-to', '1e6', '-o', 'zoom.gif'], '--output: expected a path ending in .mp4 or .webm'],
    // The zooms named as given (they said --zoom), and an extension that says another format than --out.
    [['--zoom-to', 'abc'], '--zoom-to: expected a positive number (e.g. --zoom-to 100), but received "abc"'],
    // 1e7 s exhausted the heap planning its frames.
    [['--zoom-to', '1e6', '--duration', '1e7'], '--duration: expected at most 1000000 frames at 30 fps (33333 s)'],
    [['--zoom-to', '1e6', '--zoom-from', '0'], '--zoom-from: expected a positive number'],
    [['--zoom-to', '1e10001'], '--zoom-to: expected a magnification from 1e-299 to 1e10000'],
    [['--zoom-to', '1e6', '-o', 'e.mp4', '--out', 'webm'], '--output: expected a path ending in .webm for --out webm'],
    [['--zoom-to', '1e6', '-o', 'f', '--out', 'mp4'], '--output: expected a path ending in .mp4 for --out mp4'],
    [['--zoom-to', '1e6', '-o', 'g.webm', '--out', 'frames'], '--output: expected a folder (no .mp4 or .webm)'],
    [[], '--center, --zoom-to: a video needs both'],
    // Before any work (it was "unexpected failure: ENOTDIR: ..., mkdir", exit 1).
    [
      ['--zoom-to', '1e6', '-o', '/etc/hostname/v.mp4'],
      '--output: cannot write "/etc/hostname/v.mp4": a part of the path is a file, not a folder (ENOTDIR)',
    ],
  ])('video %j: exit 2, %s', async (more, message) => {
    const run = await runCli(['video', `--center=${SEA}`, ...more]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(message);
  });

  it('a shard needs no ffmpeg; a frames path with a trailing slash keeps its parts beside it', async () => {
    const out = join(dir, 'slash');
    const base = ['video', `--center=${SEA}`, '--zoom-to', '16', '--duration', '1', '--fps', '4', ...LOOK];
    const shard = await runCli([...base, '--shard', '1/1', '-o', `${out}.mp4`], { env: { PATH: '/nonexistent' } });
    expect(shard.status).toBe(0);
    expect(existsSync(`${out}.mp4.parts/map.json`)).toBe(true);
    const first = await runCli([...base, '--out', 'frames', '-o', `${out}/`]);
    expect(first.status).toBe(0);
    expect(existsSync(`${out}.parts/map.json`)).toBe(true);
    const again = await runCli([...base.filter((a) => a !== '--quiet'), '--out', 'frames', '-o', `${out}/`]);
    expect(again.stderr).toContain('keyframes: 0 rendered');
  });

  it('a damaged map.json is named, exit 2', async () => {
    const out = join(dir, 'damaged');
    await mkdir(`${out}.parts`, { recursive: true });
    await writeFile(join(`${out}.parts`, 'map.json'), '{ not json');
    const run = await runCli(['video', `--center=${SEA}`, '--zoom-to', '16', ...LOOK, '--out', 'frames', '-o', out]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`--output: "${out}.parts/map.json" is not a file mandel-par can read`);
  });

  it('without ffmpeg: exit 2, saying how to get it, nothing written', async () => {
    const out = join(dir, 'no-ffmpeg.mp4');
    const run = await runCli(
      ['video', `--center=${SEA}`, '--zoom-to', '16', '--duration', '1', '--fps', '4', ...LOOK, '-o', out],
      {
        env: { PATH: '/nonexistent' },
      },
    );
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('video: ffmpeg is needed to encode .mp4 and .webm and was not found on the PATH');
    // Said before any work: no keyframe folder either.
    expect(existsSync(out)).toBe(false);
    expect(existsSync(`${out}.parts`)).toBe(false);
  });
});
