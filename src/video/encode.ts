/**
 * Where frames go: piped to ffmpeg as raw RGB (H.264 in MP4 with yuv420p and +faststart, or VP9 in WebM), never
 * touching the disk, or written as numbered PNG files. Either way nothing appears at the output path until the
 * last frame is in: ffmpeg writes a temporary file that is renamed into place, and the PNGs go to a temporary
 * folder renamed the same way.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import { ffmpegFailed, ffmpegMissing, outputFailed, videoOutputTaken } from '../errors.js';
import { forgetTemporary, temporaryPath } from '../outputs/files.js';

export const VIDEO_FORMATS = ['mp4', 'webm', 'frames'] as const;
export type VideoFormat = (typeof VIDEO_FORMATS)[number];

export interface FrameSink {
  /** Takes one frame (RGB, row-major); resolves when it may be given the next. */
  write(rgb: Uint8Array): Promise<void>;
  /** Puts the video (or folder) at its path. */
  finish(): Promise<void>;
  /** Leaves the path as it was. */
  discard(): Promise<void>;
}

/** ffmpeg's output options: a codec at a quality that shows no banding on smooth colour, for players everywhere. */
const CODECS: Record<'mp4' | 'webm', string[]> = {
  mp4: ['-c:v', 'libx264', '-preset', 'medium', '-crf', '18', '-movflags', '+faststart'],
  webm: ['-c:v', 'libvpx-vp9', '-crf', '30', '-b:v', '0', '-row-mt', '1', '-deadline', 'good', '-cpu-used', '4'],
};

/** Fails with a clear message, before any work, when `format` needs ffmpeg and it is not on the PATH. */
export function requireFfmpeg(format: VideoFormat): void {
  if (format === 'frames') return;
  const run = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' });
  if (run.error) throw ffmpegMissing();
}

/** Frames piped to ffmpeg, which writes `path` (renamed into place by finish()). */
export async function ffmpegSink(
  path: string,
  format: 'mp4' | 'webm',
  width: number,
  height: number,
  fps: number,
): Promise<FrameSink> {
  const temp = temporaryPath(path);
  const input = ['-f', 'rawvideo', '-pix_fmt', 'rgb24', '-s', `${width}x${height}`, '-r', String(fps), '-i', '-'];
  const args = ['-hide_banner', '-loglevel', 'error', ...input, ...CODECS[format], '-pix_fmt', 'yuv420p'];
  const child = spawn('ffmpeg', [...args, '-f', format, '-y', temp], { stdio: ['pipe', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-4000);
  });
  // Its exit status, or the signal that ended it (the out-of-memory killer, say).
  const exited = new Promise<number | string | null>((resolve, reject) => {
    child.on('error', (err: NodeJS.ErrnoException) => reject(err.code === 'ENOENT' ? ffmpegMissing() : err));
    child.on('close', (status, signal) => resolve(signal ?? status));
  });
  // A spawn that fails (no ffmpeg) says so before any frame is made.
  await Promise.race([exited, new Promise((resolve) => child.once('spawn', resolve))]);
  // ffmpeg gone early: the writes fail with EPIPE, and its status and words say why.
  child.stdin.on('error', () => {});
  const failed = async () => ffmpegFailed(path, await exited.catch(() => null), stderr);
  return {
    async write(rgb) {
      if (child.exitCode !== null || child.signalCode !== null) throw await failed();
      if (!child.stdin.write(rgb)) {
        // Until the pipe drains, or ffmpeg is gone (the next write then says why).
        await Promise.race([new Promise((resolve) => child.stdin.once('drain', resolve)), exited.catch(() => {})]);
      }
    },
    async finish() {
      child.stdin.end();
      const status = await exited;
      if (status !== 0) {
        await rm(temp, { force: true });
        throw await failed();
      }
      try {
        await rename(temp, path);
        forgetTemporary(temp);
      } catch (err) {
        await rm(temp, { force: true });
        throw outputFailed(path, err);
      }
    },
    async discard() {
      child.kill('SIGKILL');
      await exited.catch(() => {});
      await rm(temp, { force: true });
      forgetTemporary(temp);
    },
  };
}

/** A frame's file name in a frames folder: frame-000001.png, ... */
export const frameName = (n: number) => `frame-${String(n).padStart(6, '0')}.png`;

/**
 * Refuses an output path the video cannot replace: a folder for a video file, or, for frames, a folder holding
 * anything but frames (finish() replaces an earlier frames folder whole, so it must not be a user's folder).
 */
export async function checkVideoOutput(path: string, format: VideoFormat): Promise<void> {
  const kind = await stat(path).then(
    (s) => (s.isDirectory() ? 'folder' : 'file'),
    () => undefined,
  );
  if (kind === undefined) return;
  if (format !== 'frames' && kind === 'folder') throw videoOutputTaken(path, 'is a folder');
  if (format === 'frames') {
    if (kind === 'file') throw videoOutputTaken(path, 'is a file');
    const others = (await readdir(path)).filter((name) => !/^frame-\d{6}\.png$/.test(name));
    if (others.length > 0) throw videoOutputTaken(path, 'holds other files than frames');
  }
}

/** Frames as `frame-000001.png`, ... in a folder at `path` (made whole by finish()). */
export async function pngFolderSink(path: string, width: number, height: number): Promise<FrameSink> {
  const temp = temporaryPath(path);
  await mkdir(temp, { recursive: true });
  let n = 0;
  return {
    async write(rgb) {
      const file = join(temp, frameName(++n));
      await sharp(rgb, { raw: { width, height, channels: 3 } })
        .png({ compressionLevel: 1 })
        .toFile(file)
        .catch((err) => {
          throw outputFailed(path, err);
        });
    },
    async finish() {
      // An earlier frames folder there (checkVideoOutput let nothing else through) is swapped out, then removed;
      // put back if the new one cannot take its place.
      const old = temporaryPath(path);
      const replacing = await rename(path, old).then(
        () => true,
        () => false,
      );
      try {
        await rename(temp, path);
      } catch (err) {
        if (replacing) await rename(old, path).catch(() => {});
        forgetTemporary(old);
        throw outputFailed(path, err);
      }
      forgetTemporary(temp);
      if (replacing) await rm(old, { recursive: true, force: true });
      forgetTemporary(old);
    },
    async discard() {
      await rm(temp, { recursive: true, force: true });
      forgetTemporary(temp);
    },
  };
}
