/**
 * The frames of a zoom video, in order, from its keyframes: each frame's keyframe and span (video/schedule.ts),
 * the keyframe coloured once and kept while its frames are made, each frame resampled (video/frames.ts) and handed
 * to the sink. What the frames are made with (timeline, colours, size, format) is kept beside the keyframes, so
 * `mandel-par assemble OUTPUT.parts` can make the video once shards have rendered them.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { keyframesMissing } from '../errors.js';
import type { Colouring } from '../model/colouring.js';
import { densityCycle } from '../outputs/density.js';
import { writeAtomically } from '../outputs/files.js';
import type { FrameSink, VideoFormat } from './encode.js';
import { ffmpegSink, pngFolderSink } from './encode.js';
import { colourKey, type KeyImage, type KeyRegion, regionRead, resampleFrame } from './frames.js';
import type { VideoMap } from './map.js';
import { hasKey, parseJsonFile, readKey, readStep } from './map.js';
import type { FrameSource } from './schedule.js';
import { frameSource, KEY_SCALE, progressAt } from './schedule.js';

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

/**
 * The keyframes the timeline's frames draw from, ascending: each frame's own, and with the cycle following the depth
 * the next one too (cycleAt interpolates towards it). A zoom over many octaves in few frames (a preview) needs a few of
 * its keyframes, not all: 3 of 67 for 2 frames to 1e20.
 */
export function keysNeeded(t: Timeline, keys: number, cycleByDepth: boolean): number[] {
  const needed = new Set<number>();
  for (const { key } of frameSources(t, keys)) {
    needed.add(key);
    if (cycleByDepth && key + 1 < keys) needed.add(key + 1);
  }
  return [...needed].sort((a, b) => a - b);
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
  /** `--cycle auto`: each frame's cycle from the keyframes' own density at its depth (colouring.cycle unused). */
  cycleByDepth: boolean;
}

const SETTINGS_FILE = 'video.json';

export async function writeSettings(folder: string, settings: VideoSettings): Promise<void> {
  const text = `${JSON.stringify({ ...settings, output: basename(settings.output) }, null, 2)}\n`;
  await writeAtomically(join(folder, SETTINGS_FILE), (temp) => writeFile(temp, text));
}

/** The settings kept in a parts folder, with the output where it goes (beside the folder); undefined if none. */
export async function readSettings(folder: string): Promise<VideoSettings | undefined> {
  const file = join(folder, SETTINGS_FILE);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const settings = parseJsonFile(text, file) as VideoSettings;
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
  const { output, format, width, height, timeline } = settings;
  const needed = keysNeeded(timeline, map.keys, settings.cycleByDepth);
  const missing: number[] = [];
  for (const k of needed) if (!(await hasKey(folder, k, map))) missing.push(k);
  if (missing.length > 0) throw keyframesMissing(folder, missing, needed.length);
  const sink =
    format === 'frames'
      ? await pngFolderSink(output, width, height)
      : await ffmpegSink(output, format, width, height, timeline.fps);
  try {
    const cycles = settings.cycleByDepth ? await keyCycles(folder, map, needed) : undefined;
    const size = { width, height };
    await assembleFrames(folder, map, timeline, settings.colouring, cycles, size, sink, signal, onFrame);
    await sink.finish();
  } catch (err) {
    await sink.discard();
    throw err;
  }
}

/**
 * The colour density of each keyframe in `keys` (ascending; `--cycle auto` for a video), by keyframe: the cycle its
 * own numbers ask for (outputs/density.ts, measured when it was rendered), never shorter than a shallower one's of
 * `keys`, so that it only grows as the zoom deepens.
 */
export async function keyCycles(folder: string, map: VideoMap, keys: number[]): Promise<number[]> {
  const cycles: number[] = [];
  let shallower = 0;
  for (const k of keys) {
    // A keyframe has KEY_SCALE samples to a frame pixel across: its neighbours are that much closer than a frame's.
    shallower = Math.max(densityCycle(KEY_SCALE * (await readStep(folder, k, map))), shallower);
    cycles[k] = shallower;
  }
  return cycles;
}

/** The cycle of a frame at `source` in the map: the keyframes' own, interpolated in log between them. */
function cycleAt({ key, span }: FrameSource, cycles: number[]): number {
  const depth = key + 1 - Math.log2(span);
  const next = cycles[Math.min(cycles.length - 1, key + 1)];
  return cycles[key] * (next / cycles[key]) ** (depth - key);
}

/** Makes every frame into `sink`; `onFrame` after each. With `cycles`, each frame's cycle follows its depth. */
async function assembleFrames(
  folder: string,
  map: VideoMap,
  t: Timeline,
  colouring: Colouring,
  cycles: number[] | undefined,
  size: { width: number; height: number },
  sink: FrameSink,
  signal: AbortSignal,
  onFrame: () => void,
): Promise<void> {
  let data: { key: number; numbers: Uint8Array } | undefined;
  let coloured: { key: number; cycle: number; region: KeyRegion; image: KeyImage } | undefined;
  const inside = (a: KeyRegion, b: KeyRegion) => a.x0 >= b.x0 && a.x1 <= b.x1 && a.y0 >= b.y0 && a.y1 <= b.y1;
  for (const source of frameSources(t, map.keys)) {
    signal.throwIfAborted();
    const { key, span } = source;
    if (data?.key !== key) data = { key, numbers: await readKey(folder, key, map) };
    const cycle = cycles ? cycleAt(source, cycles) : colouring.cycle;
    // Only the part the frame reads is coloured (a quarter of the keyframe at span 1); kept while frames need no more.
    const region = regionRead(map.width, map.height, span, size.width, size.height);
    if (coloured?.key !== key || coloured.cycle !== cycle || !inside(region, coloured.region)) {
      // With a steady cycle, the widest part this keyframe's frames read, once.
      const wide = cycles ? region : regionRead(map.width, map.height, KEY_SCALE, size.width, size.height);
      const image = colourKey(data.numbers, map.width, map.height, { ...colouring, cycle }, wide);
      coloured = { key, cycle, region: wide, image };
    }
    // A frame of its own each time: a pipe may still hold the last one.
    const frame = new Uint8Array(size.width * size.height * 3);
    resampleFrame(coloured.image, span, size.width, size.height, frame);
    await sink.write(frame);
    onFrame();
  }
}
