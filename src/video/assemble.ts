/**
 * The frames of a zoom video, in order, from its keyframes: each frame's keyframe and span (video/schedule.ts),
 * the keyframe coloured once and kept while its frames are made, each frame resampled (video/frames.ts) and handed
 * to the sink. What the frames are made with (timeline, colours, size, format) is kept beside the keyframes, so
 * `mandel-par assemble OUTPUT.parts` can make the video once shards have rendered them.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { keyframesMissing } from '../errors.js';
import type { Colouring } from '../outputs/colour.js';
import { writeAtomically } from '../outputs/files.js';
import type { FrameSink, VideoFormat } from './encode.js';
import { ffmpegSink, pngFolderSink } from './encode.js';
import { colourKey, type KeyImage, resampleFrame } from './frames.js';
import type { VideoMap } from './map.js';
import { hasKey, readKey } from './map.js';
import { frameSource, progressAt } from './schedule.js';

export interface Timeline {
  frames: number;
  fps: number;
  /** Seconds of easing at each end (0: a steady zoom throughout). */
  ease: number;
  /** Zoom out instead of in: the same frames, last first. */
  reverse: boolean;
  /** log2 of zoom-to over zoom-from. */
  octaves: number;
}

/** Where each frame of the timeline comes from, in the order the video shows them. */
export function frameSources(t: Timeline, keys: number) {
  const order = Array.from({ length: t.frames }, (_, n) => (t.reverse ? t.frames - 1 - n : n));
  return order.map((n) => frameSource(progressAt(n, t.frames, t.frames / t.fps, t.ease), t.octaves, keys));
}

/** How a video is made from its keyframes (video.json in the parts folder: the last run's). */
export interface VideoSettings {
  /** The video's (or frames folder's) name, beside the parts folder. */
  output: string;
  format: VideoFormat;
  width: number;
  height: number;
  timeline: Timeline;
  colouring: Colouring;
}

const SETTINGS_FILE = 'video.json';

export async function writeSettings(folder: string, settings: VideoSettings): Promise<void> {
  const text = `${JSON.stringify({ ...settings, output: basename(settings.output) }, null, 2)}\n`;
  await writeAtomically(join(folder, SETTINGS_FILE), (temp) => writeFile(temp, text));
}

/** The settings kept in a parts folder, with the output where it goes (beside the folder); undefined if none. */
export async function readSettings(folder: string): Promise<VideoSettings | undefined> {
  const text = await readFile(join(folder, SETTINGS_FILE), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const settings = JSON.parse(text) as VideoSettings;
  return { ...settings, output: join(dirname(folder), settings.output) };
}

/**
 * Makes the video of the keyframes in `folder` (all there, or an error naming the missing) and puts it at the
 * settings' output; `onFrame` after each frame.
 */
export async function writeVideo(
  folder: string,
  map: VideoMap,
  settings: VideoSettings,
  signal: AbortSignal,
  onFrame: () => void,
): Promise<void> {
  const missing: number[] = [];
  for (let k = 0; k < map.keys; k++) if (!(await hasKey(folder, k, map))) missing.push(k);
  if (missing.length > 0) throw keyframesMissing(folder, missing, map.keys);
  const { output, format, width, height, timeline } = settings;
  const sink =
    format === 'frames'
      ? await pngFolderSink(output, width, height)
      : await ffmpegSink(output, format, width, height, timeline.fps);
  try {
    await assembleFrames(folder, map, timeline, settings.colouring, { width, height }, sink, signal, onFrame);
    await sink.finish();
  } catch (err) {
    await sink.discard();
    throw err;
  }
}

/** Makes every frame into `sink`; `onFrame` after each. */
async function assembleFrames(
  folder: string,
  map: VideoMap,
  t: Timeline,
  colouring: Colouring,
  size: { width: number; height: number },
  sink: FrameSink,
  signal: AbortSignal,
  onFrame: () => void,
): Promise<void> {
  let held: { key: number; image: KeyImage } | undefined;
  for (const { key, span } of frameSources(t, map.keys)) {
    signal.throwIfAborted();
    if (held?.key !== key) {
      const data = await readKey(folder, key, map);
      held = { key, image: colourKey(data, map.width, map.height, colouring) };
    }
    // A frame of its own each time: a pipe may still hold the last one.
    const frame = new Uint8Array(size.width * size.height * 3);
    resampleFrame(held.image, span, size.width, size.height, frame);
    await sink.write(frame);
    onFrame();
  }
}
