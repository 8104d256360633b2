/**
 * The zoom's map: its keyframes, each a still at twice the video's size (video/schedule.ts), rendered as numbers
 * (`--out npy`) into the parts folder beside the video, one file each, written atomically. A keyframe already
 * there is reused: after a kill the same command goes on where it stopped, and a second video with other colours,
 * duration, frame rate or easing renders nothing. `map.json` says which zoom the files belong to.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Renderer } from '../core/renderer.js';
import type { RenderSpec } from '../core/spec.js';
import { otherVideoMap, partsFileUnreadable } from '../errors.js';
import { pixelData } from '../outputs/destinations.js';
import { writeAtomically } from '../outputs/files.js';
import { npyHeader, writeNpy } from '../outputs/npy.js';

/** What the keyframes are a function of; a parts folder holding another map is not reused. */
export interface VideoMap {
  /** mandel-par's version: another may differ in the last bits of a sample. */
  version: string;
  center: [string, string];
  zoomFrom: string;
  zoomTo: string;
  maxIter: number;
  /** Each keyframe's size: the video's, times KEY_SCALE. */
  width: number;
  height: number;
  keys: number;
}

export const MAP_FILE = 'map.json';

/** Keyframe k's file in the parts folder. */
export const keyFile = (folder: string, k: number) => join(folder, `key-${String(k).padStart(5, '0')}.npy`);

/** The map a parts folder holds, or undefined when it holds none. */
export async function readMap(folder: string): Promise<VideoMap | undefined> {
  const file = join(folder, MAP_FILE);
  const text = await readFile(file, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (parseJsonFile(text, file) as VideoMap);
}

/** A JSON file of the parts folder, or a clear error naming it. */
export function parseJsonFile(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw partsFileUnreadable(file);
  }
}

/** Makes the parts folder for `map`, or checks that the one there is for the same map. */
export async function openMap(folder: string, map: VideoMap): Promise<void> {
  const held = await readMap(folder);
  if (held) {
    const differs = (Object.keys(map) as (keyof VideoMap)[]).filter(
      (field) => JSON.stringify(held[field]) !== JSON.stringify(map[field]),
    );
    if (differs.length > 0) throw otherVideoMap(folder, differs);
    return;
  }
  await mkdir(folder, { recursive: true });
  await writeAtomically(join(folder, MAP_FILE), (temp) => writeFile(temp, `${JSON.stringify(map, null, 2)}\n`));
}

/** Whether keyframe k is in the folder, whole (it was renamed into place only once written). */
export async function hasKey(folder: string, k: number, map: VideoMap): Promise<boolean> {
  const size = await stat(keyFile(folder, k)).then(
    (s) => s.size,
    () => -1,
  );
  return size === npyHeader(map.width, map.height).length + map.width * map.height * 8;
}

/** Renders keyframe k, whose spec is `spec`, into the folder; returns how many samples it computed. */
export async function renderKey(
  renderer: Renderer,
  spec: RenderSpec,
  folder: string,
  k: number,
  signal: AbortSignal,
): Promise<number> {
  const data = pixelData(spec.width, spec.height);
  await renderer.render(spec, { destination: data, signal });
  await writeNpy(keyFile(folder, k), data.pixels, spec.width, spec.height, signal);
  return spec.width * spec.height;
}

/** Keyframe k's numbers (8 bytes a sample), read back. */
export async function readKey(folder: string, k: number, map: VideoMap): Promise<Uint8Array> {
  const bytes = await readFile(keyFile(folder, k));
  return bytes.subarray(npyHeader(map.width, map.height).length);
}
