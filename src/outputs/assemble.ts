/**
 * Assembling a parts folder (outputs/parts.ts): check that every band is there, naming the shards that are not
 * complete, then write the picture from the canvas and remove the folder.
 */
import { rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { damagedCanvas, notAPartsFolder, partsMissing } from '../errors.js';
import { planBands } from '../model/plan.js';
import { CANVAS_NAMES, canvasBytes } from './canvas.js';
import type { PartsJob } from './parts.js';
import { assembledPath, canvasKind, finishedRects, readJob, unfinished } from './parts.js';
import { writePicture } from './picture.js';

/** The bands of `job` that no shard has recorded, by shard (1-based): which shards must run again. */
export async function missingBands(
  folder: string,
  job: PartsJob,
): Promise<{ missing: number; total: number; shards: number[] }> {
  const plan = planBands(job.spec.width, job.spec.height, job.bandRows);
  const all = plan.map((_, k) => k);
  const missing = unfinished(plan, await finishedRects(folder), all);
  const shards = [...new Set(missing.map((k) => (k % job.shards) + 1))].sort((a, b) => a - b);
  return { missing: missing.length, total: plan.length, shards };
}

/** Why a folder holds no job: it is not there (perhaps assembled already: assembling removes it), or has none. */
async function whyNoJob(folder: string): Promise<string> {
  if (
    await stat(folder).then(
      () => true,
      () => false,
    )
  )
    return 'it has no job.json';
  const output = folder.endsWith('.parts') ? folder.slice(0, -'.parts'.length) : undefined;
  const assembled =
    output !== undefined &&
    (await stat(output).then(
      () => true,
      () => false,
    ));
  return assembled
    ? `there is no such folder, and ${JSON.stringify(output)} exists: if it came from this folder, it was ` +
        'assembled already (assembling removes the folder)'
    : 'there is no such folder';
}

/**
 * Writes the picture of the parts folder `folder` where its job says, then removes the folder. A band missing is
 * a RenderError (exit status 1) that names the shards to run again; the folder is then left as it is.
 *
 * @example const { path } = await assembleParts('output/poster.png.parts')
 */
export async function assembleParts(folder: string, signal?: AbortSignal): Promise<{ path: string; job: PartsJob }> {
  const job = await readJob(folder);
  if (!job) throw notAPartsFolder(folder, await whyNoJob(folder));
  const { missing, total, shards } = await missingBands(folder, job);
  if (missing > 0) {
    const names = shards.map((s) => (job.shards === 1 ? 'the render itself' : `shard ${s}/${job.shards}`));
    throw partsMissing(folder, missing, total, names);
  }
  const path = assembledPath(folder, job);
  const kind = canvasKind(job.spec);
  const canvas = join(folder, CANVAS_NAMES[kind]);
  const expected = canvasBytes(kind, job.spec.width, job.spec.height);
  const size = (await stat(canvas).catch(() => undefined))?.size;
  if (size !== expected) throw damagedCanvas(canvas, size, expected);
  await writePicture(path, job.spec, { canvas }, signal);
  await rm(folder, { recursive: true, force: true });
  return { path, job };
}
