/**
 * A zoom video against rendering every frame as a still (a shell loop of `mandel-par -o frame.png`, what a user
 * had before `mandel-par video`): whole-process wall time and samples computed. The video runs whole; the stills
 * are timed for every EVERY-th frame and scaled up (their cost varies smoothly along the zoom).
 *
 *   npm run build && node dist/bench/video.js [--zoom-to 1e30] [--width 640 --height 360 --fps 30 --duration 20] [--every 20]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { machineLine } from '../src/machine.js';

const CLI = fileURLToPath(new URL('../src/bin/mandel-par.js', import.meta.url));
const option = (name: string, fallback: string) => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? process.argv[at + 1] : fallback;
};
const center = option('center', '-0.743643887037158704752191506114774,0.131825904205311970493132056385139');
const zoomTo = option('zoom-to', '1e30');
const [width, height, fps, duration, every] = ['width', 'height', 'fps', 'duration', 'every'].map((n, k) =>
  Number(option(n, ['640', '360', '30', '20', '20'][k])),
);
const frames = Math.round(fps * duration);
const dir = mkdtempSync(join(tmpdir(), 'mandel-par-bench-video-'));

function timed(args: string[]): { seconds: number; stderr: string } {
  const started = performance.now();
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`mandel-par ${args.join(' ')}: ${run.stderr}`);
  return { seconds: (performance.now() - started) / 1000, stderr: run.stderr };
}

try {
  console.log(`mandel-par video against a still per frame: ${machineLine()}`);
  const size = ['--width', String(width), '--height', String(height)];
  const video = timed([
    'video',
    `--center=${center}`,
    '--zoom-to',
    zoomTo,
    '--fps',
    String(fps),
    '--duration',
    String(duration),
    ...size,
    '-o',
    join(dir, 'zoom.mp4'),
  ]);
  const map = JSON.parse(readFileSync(join(dir, 'zoom.mp4.parts', 'map.json'), 'utf8'));
  const videoSamples = map.keys * map.width * map.height;
  console.log(video.stderr.trim());
  const octaves = Math.log10(Number(zoomTo));
  let stills = 0;
  let timedStills = 0;
  for (let n = 0; n < frames; n += every) {
    const zoom = (10 ** ((octaves * n) / (frames - 1))).toPrecision(15);
    stills += timed([
      `--center=${center}`,
      '--zoom',
      zoom,
      ...size,
      '--max-iter',
      String(map.maxIter),
      '--quiet',
      '-o',
      join(dir, 'still.png'),
    ]).seconds;
    timedStills++;
  }
  const stillSeconds = (stills / timedStills) * frames;
  const stillSamples = frames * width * height;
  console.log(`${width} x ${height}, ${fps} fps, ${duration} s to ${zoomTo}, --max-iter ${map.maxIter} (auto)`);
  console.log('                         | wall s | samples');
  console.log(
    `video                    | ${video.seconds.toFixed(1).padStart(6)} | ${(videoSamples / 1e6).toFixed(1)} M`,
  );
  console.log(
    `a still per frame (est.) | ${stillSeconds.toFixed(1).padStart(6)} | ${(stillSamples / 1e6).toFixed(1)} M  (${timedStills} of ${frames} stills timed)`,
  );
  console.log(
    `ratio                    | ${(video.seconds / stillSeconds).toFixed(2).padStart(6)} | ${(videoSamples / stillSamples).toFixed(2)}`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
