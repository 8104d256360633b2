/**
 * The frames of a zoom video, in order, from its keyframes: each frame's keyframe and span (video/schedule.ts),
 * the keyframe coloured once and kept while its frames are made, each frame resampled (video/frames.ts) and handed
 * to the sink.
 */
import type { Colouring } from '../outputs/colour.js';
import type { FrameSink } from './encode.js';
import { colourKey, type KeyImage, resampleFrame } from './frames.js';
import type { VideoMap } from './map.js';
import { readKey } from './map.js';
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

/** Makes every frame into `sink`; `onFrame` after each. */
export async function assembleFrames(
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
