/**
 * A render's parts folder (`OUTPUT.parts/`): what a long render on disk keeps so that it survives an interruption and
 * can be spread over many processes or machines. It holds
 * - `job.json`: the spec, the band height and the number of shards: what every process working on it must agree on;
 * - the canvas (outputs/canvas.ts), which every process writes its rectangles into at their places;
 * - `done-I-of-N.log`, one per shard: the rectangles finished, one `x y w h` line each, appended only after the
 *   canvas has been flushed to disk (fdatasync), and flushed itself: a line there means the pixels are on disk.
 */
import type { FileHandle } from 'node:fs/promises';
import { link, mkdir, open, readdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { notAPartsFolder, partsDisagree } from '../errors.js';
import { PALETTES } from '../model/palettes.js';
import type { Plan, Rect } from '../model/plan.js';
import type { RenderSpec } from '../model/spec.js';
import { dataFormat, pixelKind, specFromJson } from '../model/spec.js';
import type { CanvasFile } from '../model/task.js';
import type { CanvasKind } from './canvas.js';
import { CANVAS_NAMES, createCanvas } from './canvas.js';
import { uniqueTag } from './files.js';
import { reproduceCommand } from './provenance.js';

/** How a job array that renders a parts folder is laid out: its first index, step and count, as its first task saw them. */
export interface ArrayLayout {
  first: number;
  step: number;
  count: number;
}

/** What every process working on a parts folder must agree on. */
export interface PartsJob {
  spec: RenderSpec;
  /** Rows per band: the plan is full-width bands of this height, the same in every process. */
  bandRows: number;
  /** How many shards share the work: band k belongs to shard (k mod shards) + 1. */
  shards: number;
  /** The final output's file name, in the folder that holds the parts folder. */
  output: string;
  /** For shards from a job array: how its first task saw the array, to place tasks resubmitted alone. */
  array?: ArrayLayout;
}

/** The parts folder of an output path. @example partsFolder('output/poster.png') // 'output/poster.png.parts' */
export function partsFolder(output: string): string {
  return `${output}.parts`;
}

/** Where a parts folder's picture goes when assembled. */
export function assembledPath(folder: string, job: PartsJob): string {
  return join(dirname(folder), job.output);
}

/** A canvas holds colour, or the numbers for npy. */
export function canvasKind(spec: RenderSpec): CanvasKind {
  return pixelKind(spec.output.format) === 'data' ? dataFormat(spec.output) : 'rgb';
}

/**
 * The tasks of the plan that belong to shard `shard` of `shards` (1-based): every `shards`-th, so that each shard
 * gets a fair share of the cheap and the costly parts of the picture.
 *
 * @example shardTasks(10, 2, 3) // [1, 4, 7]
 */
export function shardTasks(tasks: number, shard: number, shards: number): number[] {
  const mine: number[] = [];
  for (let k = shard - 1; k < tasks; k += shards) mine.push(k);
  return mine;
}

const rectKey = (r: Rect) => `${r.x} ${r.y} ${r.w} ${r.h}`;
const logName = (shard: number, shards: number) => `done-${shard}-of-${shards}.log`;

/** The rectangles a log records; a last line cut short (a crash while appending) does not count. */
function parseLog(text: string): string[] {
  return text
    .split('\n')
    .slice(0, -1)
    .filter((line) => /^\d+ \d+ \d+ \d+$/.test(line));
}

/** Reads a parts folder's job, or undefined when there is no folder (or no job in it yet). */
export async function readJob(folder: string): Promise<PartsJob | undefined> {
  const text = await readFile(join(folder, 'job.json'), 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT' || err.code === 'ENOTDIR') return undefined;
    throw err;
  });
  if (text === undefined) return undefined;
  let job: PartsJob;
  try {
    job = JSON.parse(text) as PartsJob;
    job = { ...job, spec: specFromJson(JSON.stringify(job.spec)) };
  } catch {
    throw notAPartsFolder(folder, 'its job.json cannot be read');
  }
  // Parts folders travel between machines: the picture goes beside the folder, under a plain file name (a job.json
  // that said "../../etc/x.png" had assemble write there).
  const { output, bandRows, shards } = job;
  if (!(typeof output === 'string' && output === basename(output) && output !== '..' && output !== '.' && output)) {
    throw notAPartsFolder(folder, `its job.json's output, ${JSON.stringify(output)}, is not a file name`);
  }
  const whole = (n: unknown) => Number.isSafeInteger(n) && (n as number) >= 1;
  if (!(whole(bandRows) && whole(shards))) {
    throw notAPartsFolder(folder, "its job.json's bandRows and shards are not whole numbers of 1 or more");
  }
  return job;
}

/**
 * A spec's options as the command that reproduces it writes them, by name: `--max-iter` -> `--max-iter 500`; a
 * named palette by its name.
 */
function specOptions(spec: RenderSpec): Map<string, string> {
  const words = reproduceCommand(spec)
    .split(/ (?=--)/)
    .slice(1);
  const options = new Map(words.map((word) => [/^--[\w-]+/.exec(word)?.[0] ?? word, word]));
  const palette = JSON.stringify(spec.colouring.palette);
  const named = Object.entries(PALETTES).find(([, stops]) => JSON.stringify(stops) === palette)?.[0];
  if (named && options.has('--palette')) options.set('--palette', `--palette ${named}`);
  return options;
}

/**
 * The first thing in which two jobs (the folder's `a`, this render's `b`) differ, as words for a message: a job's
 * own field, else an option as the command line writes it (a palette as its colours, not as the spec's JSON), else a
 * spec field; undefined when they agree.
 */
function difference(a: PartsJob, b: PartsJob): string | undefined {
  const inFolder = specOptions(a.spec);
  const here = specOptions(b.spec);
  const fields: [string, unknown, unknown][] = [
    ['output', a.output, b.output],
    ['band rows', a.bandRows, b.bandRows],
    ['shards', a.shards, b.shards],
  ];
  const job = fields.find(([, x, y]) => x !== y);
  if (job) return `${job[0]}: ${JSON.stringify(job[2])} here, ${JSON.stringify(job[1])} in the folder`;
  for (const name of new Set([...inFolder.keys(), ...here.keys()])) {
    const [x, y] = [inFolder.get(name), here.get(name)];
    if (x !== y) return `${y ?? `no ${name}`} here, ${x ?? `no ${name}`} in the folder`;
  }
  const key = Object.keys({ ...a.spec, ...b.spec }).find(
    (k) => JSON.stringify(a.spec[k as keyof RenderSpec]) !== JSON.stringify(b.spec[k as keyof RenderSpec]),
  ) as keyof RenderSpec | undefined;
  return key && `${key}: ${JSON.stringify(b.spec[key])} here, ${JSON.stringify(a.spec[key])} in the folder`;
}

/** Refuses, with what differs, a parts folder holding `existing` for `job`: another render's. */
export function checkSameJob(folder: string, existing: PartsJob, job: PartsJob): void {
  const differs = difference(existing, job);
  if (differs) throw partsDisagree(folder, differs);
}

/**
 * Makes the parts folder for `job`, or joins the one there (another shard's, or an interrupted render's), which
 * must be of the same job: otherwise a UsageError says what differs. Safe when several processes do it at once.
 */
export async function openParts(folder: string, job: PartsJob): Promise<CanvasFile> {
  await mkdir(folder, { recursive: true });
  const jobPath = join(folder, 'job.json');
  const temp = `${jobPath}.${uniqueTag()}.new`;
  await writeFile(temp, `${JSON.stringify(job, null, 2)}\n`, { flag: 'wx' });
  // link() puts it in place only when no other process got there first; then that one's job is the one.
  await link(temp, jobPath).catch((err: NodeJS.ErrnoException) => {
    if (err.code !== 'EEXIST') throw err;
  });
  await unlink(temp);
  checkSameJob(folder, (await readJob(folder)) as PartsJob, job);
  const kind = canvasKind(job.spec);
  const holdsWork = (await finishedRects(folder)).size > 0;
  return createCanvas(join(folder, CANVAS_NAMES[kind]), kind, job.spec.width, job.spec.height, holdsWork);
}

/** Every rectangle recorded as finished in the folder, by any shard: `x y w h` keys. */
export async function finishedRects(folder: string): Promise<Set<string>> {
  const logs = (await readdir(folder)).filter((f) => /^done-\d+-of-\d+\.log$/.test(f));
  const texts = await Promise.all(logs.map((f) => readFile(join(folder, f), 'utf8')));
  return new Set(texts.flatMap(parseLog));
}

/** The plan's tasks that are not yet wholly finished. */
export function unfinished(plan: Plan, finished: Set<string>, tasks: number[]): number[] {
  return tasks.filter((k) => !plan[k].every((rect) => finished.has(rectKey(rect))));
}

export interface Recorder {
  /** A rectangle's pixels are written into the canvas: record it with the next flush. */
  record(rect: Rect): void;
  /** Flushes the canvas, then appends what was recorded since the last flush to the log and flushes that. */
  flush(): Promise<void>;
  /** Flushes and closes. */
  close(): Promise<void>;
}

/** How often finished rectangles are made durable: a crash loses at most this much work. */
const FLUSH_MS = 1000;

/**
 * Ends a log's last line where a process stopped while appending it (a crash, a full disk): the next line recorded
 * would otherwise run on from the torn one, and that rectangle, whose pixels are on disk, would count as missing.
 * The torn line is then a line of its own, which parseLog ignores.
 */
async function endTornLine(log: FileHandle): Promise<void> {
  const { size } = await log.stat();
  if (size === 0) return;
  const last = Buffer.alloc(1);
  await log.read(last, 0, 1, size - 1);
  if (last[0] !== 0x0a) await log.appendFile('\n');
}

/** The log of shard `shard` of `shards`, recording into `folder` as rectangles finish (group commit, see FLUSH_MS). */
export async function startRecorder(folder: string, canvas: CanvasFile, shard: number, shards: number) {
  const log: FileHandle = await open(join(folder, logName(shard, shards)), 'a+');
  await endTornLine(log);
  const pixels: FileHandle = await open(canvas.path, 'r');
  let pending: string[] = [];
  let flushing: Promise<void> = Promise.resolve();
  const flushNow = async () => {
    if (pending.length === 0) return;
    const lines = pending;
    pending = [];
    await pixels.datasync();
    await log.appendFile(lines.map((line) => `${line}\n`).join(''));
    await log.datasync();
  };
  const flush = () => {
    flushing = flushing.then(flushNow);
    return flushing;
  };
  const timer = setInterval(() => flush().catch(() => {}), FLUSH_MS);
  timer.unref();
  const recorder: Recorder = {
    record: (rect) => void pending.push(rectKey(rect)),
    flush,
    async close() {
      clearInterval(timer);
      try {
        await flush();
      } finally {
        await log.close().catch(() => {});
        await pixels.close().catch(() => {});
      }
    },
  };
  return recorder;
}

/**
 * The band height of a render on disk when none is given: about 256 K pixels a band (a few hundred KB written
 * at once), and at least 64 bands, so that shards and threads share the work evenly. It depends on the picture
 * alone, so every process and every resume cuts the same bands.
 *
 * @example partsBandRows(65536, 65536) // 4
 */
export function partsBandRows(width: number, height: number): number {
  return Math.max(1, Math.min(Math.floor(2 ** 18 / width), Math.ceil(height / 64)));
}
