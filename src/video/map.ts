/**
 * The zoom's map: its keyframes, each a still at twice the video's size (video/schedule.ts), rendered as numbers
 * (`--out npy`) into the parts folder beside the video, one file each, written atomically. A keyframe already
 * there is reused: after a kill the same command goes on where it stopped, and a second video with other colours,
 * duration, frame rate or easing renders nothing. `map.json` says which zoom the files belong to.
 */
import { mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { otherVideoMap, partsFileUnreadable } from '../errors.js';
import type { RenderSpec } from '../model/spec.js';
import { medianStep, neighbourSteps } from '../outputs/density.js';
import { pixelData } from '../outputs/destinations.js';
import { writeAtomically } from '../outputs/files.js';
import { npyHeader, writeNpy } from '../outputs/npy.js';
import type { Renderer } from '../render/renderer.js';

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

/** The options the map's fields come from, as a user gives them. */
const OPTION_OF: Record<keyof VideoMap, string> = {
  version: 'the mandel-par version',
  center: '--center',
  zoomFrom: '--zoom-from',
  zoomTo: '--zoom-to',
  maxIter: '--max-iter',
  width: '--width',
  height: '--height',
  keys: 'the keyframes',
};

/** A field in which this video's map differs from the folder's, in words: "--zoom-to 1e10 here, 1e6 in the folder". */
function differenceWords(field: keyof VideoMap, held: VideoMap, map: VideoMap): string {
  const shown = (value: unknown) => (Array.isArray(value) ? value.join(',') : String(value));
  // The keyframes' size and count follow from the video's size and zooms: the option is named alone.
  if (field === 'width' || field === 'height' || field === 'keys') return OPTION_OF[field];
  return `${OPTION_OF[field]} ${shown(map[field])} here, ${shown(held[field])} in the folder`;
}

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

/** Refuses a parts folder whose map, `held`, is another than `map` (another zoom), naming what differs. */
export function checkMap(folder: string, held: VideoMap, map: VideoMap): void {
  const all = (Object.keys(map) as (keyof VideoMap)[]).filter(
    (field) => JSON.stringify(held[field]) !== JSON.stringify(map[field]),
  );
  // The keyframes follow from the zooms and the size: named only when nothing else differs.
  const differs = all.length > 1 ? all.filter((field) => field !== 'keys') : all;
  if (differs.length > 0)
    throw otherVideoMap(
      folder,
      differs.map((field) => differenceWords(field, held, map)),
    );
}

/** Makes the parts folder for `map`, or checks that the one there is for the same map. */
export async function openMap(folder: string, map: VideoMap): Promise<void> {
  const held = await readMap(folder);
  if (held) {
    checkMap(folder, held, map);
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
  return size === npyHeader(map.width, map.height, 'data').length + map.width * map.height * 8;
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
  // Its density's measure first: a keyframe whose file is there always has it (readStep reads it, not the frame).
  const step = medianRowStep(data.pixels, spec.width, spec.height);
  await writeAtomically(stepFile(folder, k), (temp) => writeFile(temp, `${step}\n`), signal);
  await writeNpy(keyFile(folder, k), data.pixels, 'data', spec, signal);
  return spec.width * spec.height;
}

/** Rows of a keyframe measured for its colour density: one in ROW_STRIDE is plenty, and 4x quicker. */
const ROW_STRIDE = 4;

/** Keyframe k's median step between horizontal neighbours (outputs/density.ts), beside its numbers. */
const stepFile = (folder: string, k: number) => join(folder, `key-${String(k).padStart(5, '0')}.step`);

/** The median step between horizontal neighbours of a keyframe's numbers, over every ROW_STRIDE-th row. */
function medianRowStep(data: Uint8Array, width: number, height: number): number {
  const steps: number[] = [];
  for (let y = 0; y < height; y += ROW_STRIDE) {
    neighbourSteps(data.subarray(y * width * 8, (y + 1) * width * 8), width, 1, steps);
  }
  return medianStep(steps);
}

/** Keyframe k's median neighbour step: kept when it was rendered, or measured from its numbers. */
export async function readStep(folder: string, k: number, map: VideoMap): Promise<number> {
  const kept = Number(await readFile(stepFile(folder, k), 'utf8').catch(() => ''));
  if (kept > 0 || (await stat(stepFile(folder, k)).catch(() => undefined))) return kept;
  return medianRowStep(await readKey(folder, k, map), map.width, map.height);
}

/** Keyframe k's numbers (8 bytes a sample), read back. */
export async function readKey(folder: string, k: number, map: VideoMap): Promise<Uint8Array> {
  const bytes = await readFile(keyFile(folder, k));
  return bytes.subarray(npyHeader(map.width, map.height, 'data').length);
}
