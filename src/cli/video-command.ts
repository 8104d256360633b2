/**
 * `mandel-par video --center RE,IM --zoom-to Z [...] -o zoom.mp4`: a zoom video from its keyframes (src/video/).
 * Options become a still's options for the CLI's own parser (the centre, iterations and colours mean what they
 * mean for a picture), keyframes are rendered or reused, then frames are made and encoded.
 */
import { rmdir } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { extname, join, normalize } from 'node:path';
import { conflictingOptions, invalidOption, keyframesKept } from '../errors.js';
import type { RenderSpec } from '../model/spec.js';
import { VERSION } from '../model/version.js';
import { probeFolder } from '../outputs/files.js';
import { partsFolder } from '../outputs/parts.js';
import { Renderer } from '../render/renderer.js';
import type { VideoSettings } from '../video/assemble.js';
import { keysNeeded, type Timeline, writeSettings, writeVideo } from '../video/assemble.js';
import type { VideoFormat } from '../video/encode.js';
import { checkVideoOutput, requireFfmpeg, VIDEO_FORMATS } from '../video/encode.js';
import type { VideoMap } from '../video/map.js';
import { checkMap, hasKey, MAP_FILE, openMap, readMap, renderKey } from '../video/map.js';
import { KEY_SCALE, keyCount, keyZoom, log2OfDecimal } from '../video/schedule.js';
import { counted } from '../words.js';
import { autoIterations } from './auto-iterations.js';
import { duration, estimateRender } from './estimate.js';
import type { RawArgs } from './parsers.js';
import { MAX_THREADS, parseChoice, parsePositiveNumber, parseViewWidth, single, wholeReader } from './parsers.js';
import { printLine } from './print.js';
import { startStagedProgress } from './progress.js';
import { resolveRenderCommand } from './render-options.js';
import type { Shard } from './shard.js';
import { parseShard, resolveShard } from './shard.js';
import { abortOnSignals } from './signals.js';

export interface VideoCommand {
  /** The still at zoom-to with the video's size, iterations and colours (its maxIter is a placeholder when auto). */
  still: RenderSpec;
  autoIter: boolean;
  /** --cycle auto (the default): each frame's cycle from the keyframes' density at its depth. */
  autoCycle: boolean;
  /** Keyframe k's spec, once the iterations are known. */
  keySpec(k: number, maxIter: number): RenderSpec;
  center: [string, string];
  zoomFrom: string;
  zoomTo: string;
  timeline: Timeline;
  keys: number;
  width: number;
  height: number;
  format: VideoFormat;
  output: string;
  threads: number;
  shard: Shard | undefined;
  quiet: boolean;
  /** Say what the video would take, and render and write nothing. */
  dryRun: boolean;
}

const EXTENSIONS: Record<string, VideoFormat> = { '.mp4': 'mp4', '.webm': 'webm', '': 'frames' };

/** The most frames a video may have: over 9 hours at 30 fps. */
const MAX_FRAMES = 1_000_000;

/** The still options a video passes through to the CLI's parser, as they are. */
const STILL_OPTIONS = ['center', 'width', 'height', 'max-iter', 'palette', 'inside', 'cycle'];

export function resolveVideoOptions(raw: RawArgs, parallelism = availableParallelism()): VideoCommand {
  const text = (option: string) => single(raw, option);
  for (const option of ['center', 'zoom-to']) {
    if (text(option) === undefined) {
      throw conflictingOptions(['center', 'zoom-to'], 'a video needs both: where it zooms, and how far');
    }
  }
  const whole = wholeReader(raw);
  const zoomFrom = (text('zoom-from') ?? '1').trim();
  const zoomTo = (text('zoom-to') ?? '').trim();
  const stillArgs = (zoom: string, extra: RawArgs): RawArgs => ({
    ...Object.fromEntries(STILL_OPTIONS.map((o) => [o, text(o)]).filter(([, v]) => v !== undefined)),
    width: text('width') ?? '640',
    height: text('height') ?? '360',
    'max-iter': text('max-iter') ?? 'auto',
    zoom,
    out: 'png',
    _: [],
    ...extra,
  });
  // The CLI's own checks of the zooms, centre, size, iterations and colours, with its messages.
  parseViewWidth('zoom', zoomTo, 'zoom-to');
  parseViewWidth('zoom', zoomFrom, 'zoom-from');
  const { spec: still, autoIter, autoCycle: autoDensity } = resolveRenderCommand(stillArgs(zoomTo, {}), parallelism);
  resolveRenderCommand(stillArgs(zoomFrom, {}), parallelism);
  const octaves = log2OfDecimal(zoomTo) - log2OfDecimal(zoomFrom);
  if (!(octaves > 0))
    throw invalidOption('zoom-to', zoomTo, `a zoom deeper than --zoom-from (${zoomFrom})`, '--zoom-to 1e30');
  const given = text('output');
  const format = text('out')
    ? parseChoice('out', text('out') as string, VIDEO_FORMATS)
    : given !== undefined
      ? EXTENSIONS[extname(given).toLowerCase()]
      : 'mp4';
  if (format === undefined) {
    throw invalidOption('output', given, 'a path ending in .mp4 or .webm, or a folder for --out frames', '-o zoom.mp4');
  }
  // A path whose extension says another format than --out: an MP4 written into e.webm, say.
  const named = given === undefined ? undefined : EXTENSIONS[extname(given).toLowerCase()];
  if (given !== undefined && (format === 'frames' ? named === 'mp4' || named === 'webm' : named !== format)) {
    const wanted = format === 'frames' ? 'a folder (no .mp4 or .webm)' : `a path ending in .${format}`;
    throw invalidOption(
      'output',
      given,
      `${wanted} for --out ${format}`,
      format === 'frames' ? '-o frames' : `-o zoom.${format}`,
    );
  }
  const { width, height } = still;
  if (format !== 'frames' && (width % 2 !== 0 || height % 2 !== 0)) {
    throw invalidOption('width', `${width}x${height}`, 'an even width and height for video (yuv420p)', '--width 640');
  }
  // Not only whole: NTSC's 29.97, 23.976 and 59.94 are rates videos are made at.
  const fpsExpected = 'frames a second from 1 to 240 (29.97 and other fractions too)';
  const fps = parsePositiveNumber('fps', text('fps') ?? '30', '--fps 30', fpsExpected);
  if (fps < 1 || fps > 240) throw invalidOption('fps', text('fps'), fpsExpected, '--fps 30');
  const duration = parsePositiveNumber('duration', text('duration') ?? '10', '--duration 20');
  const frames = Math.round(duration * fps);
  if (frames < 2) throw invalidOption('duration', text('duration'), `at least 2 frames at ${fps} fps`, '--duration 10');
  // The timeline is planned whole (a frame's place, its keyframe): 1e7 s at 30 fps exhausted the heap.
  if (frames > MAX_FRAMES) {
    throw invalidOption(
      'duration',
      text('duration'),
      `at most ${MAX_FRAMES} frames at ${fps} fps (${Math.floor(MAX_FRAMES / fps)} s)`,
      '--duration 20',
    );
  }
  const ease = text('ease') === undefined ? 0 : Number(text('ease'));
  if (!(Number.isFinite(ease) && ease >= 0 && ease <= duration / 2)) {
    throw invalidOption('ease', text('ease'), `seconds from 0 to half the duration (${duration / 2})`, '--ease 2');
  }
  const fallback = `output/zoom-${width}x${height}${format === 'frames' ? '' : `.${format}`}`;
  const shardText = text('shard');
  return {
    still,
    autoIter,
    autoCycle: autoDensity,
    keySpec: (k, maxIter) =>
      resolveRenderCommand(
        stillArgs(keyZoom(zoomFrom, k), {
          width: String(KEY_SCALE * width),
          height: String(KEY_SCALE * height),
          'max-iter': String(maxIter),
          out: 'npy',
          palette: undefined,
          inside: undefined,
          cycle: undefined,
        }),
        parallelism,
      ).spec,
    center: (text('center') as string).split(',').map((p) => p.trim()) as [string, string],
    zoomFrom,
    zoomTo,
    timeline: { frames, fps, ease, reverse: raw.reverse === true, octaves },
    keys: keyCount(octaves),
    width,
    height,
    format,
    // Without a trailing separator: `-o frames/` would put the parts folder inside the frames folder it replaces.
    output: normalize(given ?? fallback).replace(/(?<=.)[\\/]+$/, ''),
    threads: Math.min(whole('threads', 1, MAX_THREADS, '--threads 4', parallelism), parallelism),
    shard: shardText === undefined ? undefined : resolveShard(parseShard(shardText), undefined),
    quiet: raw.quiet === true,
    dryRun: raw['dry-run'] === true,
  };
}

/** The keyframes the video's frames need (this shard's, with --shard), and those of them the folder lacks. */
async function keyframesToRender(
  c: VideoCommand,
  folder: string,
  map: VideoMap,
): Promise<{ needed: number[]; missing: number[] }> {
  const needed = keysNeeded(c.timeline, c.keys, c.autoCycle).filter(
    (k) => !c.shard || k % c.shard.count === c.shard.index - 1,
  );
  const missing: number[] = [];
  for (const k of needed) if (!(await hasKey(folder, k, map))) missing.push(k);
  return { needed, missing };
}

/** Keyframes a dry run times, spread from the first needed to the last: their cost grows with depth. */
const TIMED_KEYS = 3;

/**
 * What `video --dry-run` prints: the frames, the keyframes needed and those the parts folder holds already, and the
 * time the rest take, estimated from TIMED_KEYS of them (their mean, times their number; the frames' composition and
 * ffmpeg are not counted). Refuses, as the video would, a parts folder of another zoom.
 */
async function dryRunReport(
  c: VideoCommand,
  renderer: Renderer,
  folder: string,
  map: VideoMap,
  held: VideoMap | undefined,
): Promise<string> {
  if (held) checkMap(folder, held, map);
  const { needed, missing } = await keyframesToRender(c, folder, map);
  const last = missing.length - 1;
  const spread = Array.from({ length: TIMED_KEYS }, (_, j) => Math.round((j * last) / (TIMED_KEYS - 1)));
  const timed = last < 0 ? [] : [...new Set(spread)];
  let ms = 0;
  for (const i of timed) ms += (await estimateRender(renderer, c.keySpec(missing[i], map.maxIter), c.threads)).ms;
  const keyMs = timed.length === 0 ? 0 : (ms / timed.length) * missing.length;
  const { frames, fps } = c.timeline;
  return [
    `dry run: ${counted(frames, 'frame')} at ${fps} fps, ${c.width} x ${c.height}, into ${JSON.stringify(c.output)} (${c.format}), --max-iter ${map.maxIter}, on ${counted(c.threads, 'thread')}`,
    `keyframes: ${missing.length} to render, ${needed.length - missing.length} kept in ${JSON.stringify(folder)} (${map.width} x ${map.height}, ${needed.length} of the zoom's ${c.keys} needed by its frames)`,
    `time: about ${duration(keyMs)} for the keyframes (from ${counted(timed.length, 'keyframe')} sampled), then the frames${c.shard ? ' (by the run without --shard)' : ''}`,
    'nothing was written',
    '',
  ].join('\n');
}

/** Renders the keyframes that are missing (this shard's only, with --shard), then, without --shard, the video. */
export async function runVideo(c: VideoCommand): Promise<void> {
  const folder = partsFolder(c.output);
  await checkVideoOutput(c.output, c.format);
  // A shard only renders keyframes: a cluster node needs no ffmpeg; nor does a dry run, which plans on any machine.
  if (!c.shard && !c.dryRun) requireFfmpeg(c.format);
  // The keyframes' folder, beside the video, must be writable before any work (a read-only folder ended in
  // "unexpected failure: ENOENT" from its mkdir); a dry run makes nothing.
  if (!c.dryRun) await probeFolder(join(folder, MAP_FILE), c.output);
  const interrupt = abortOnSignals(keyframesKept(folder));
  const { signal } = interrupt;
  const renderer = await Renderer.create({ threads: c.threads, minThreads: 1, logger: { warn: printLine } });
  const progress = await startStagedProgress(c.quiet);
  try {
    const held = await readMap(folder);
    let maxIter = c.still.maxIter;
    if (c.autoIter) {
      maxIter =
        held?.center.join(',') === c.center.join(',') && held.zoomTo === c.zoomTo
          ? held.maxIter
          : (await autoIterations(renderer, c.still)).maxIter;
      if (!c.quiet) printLine(`--max-iter auto: ${maxIter} (at --zoom-to ${c.zoomTo})`);
    }
    const map: VideoMap = {
      version: VERSION,
      center: c.center,
      zoomFrom: c.zoomFrom,
      zoomTo: c.zoomTo,
      maxIter,
      width: KEY_SCALE * c.width,
      height: KEY_SCALE * c.height,
      keys: c.keys,
    };
    if (c.dryRun) {
      process.stdout.write(await dryRunReport(c, renderer, folder, map, held));
      return;
    }
    await openMap(folder, map);
    const settings: VideoSettings = {
      output: c.output,
      format: c.format,
      width: c.width,
      height: c.height,
      timeline: c.timeline,
      colouring: c.still.colouring,
      cycleByDepth: c.autoCycle,
    };
    await writeSettings(folder, settings);
    const { needed: mine, missing } = await keyframesToRender(c, folder, map);
    const frames = c.shard ? 0 : c.timeline.frames;
    progress.start(missing.length, frames);
    let samples = 0;
    const started = performance.now();
    for (const k of missing) {
      samples += await renderKey(renderer, c.keySpec(k, maxIter), folder, k, signal);
      progress.keyDone();
    }
    const keyMs = performance.now() - started;
    const reused = `${mine.length - missing.length} reused`;
    const rendered = `keyframes: ${missing.length} rendered (${(samples / 1e6).toFixed(1)} M samples, ${(keyMs / 1000).toFixed(1)} s), ${reused}`;
    if (c.shard) {
      if (!c.quiet)
        printLine(
          `shard ${c.shard.index}/${c.shard.count}: ${rendered}; in ${folder}: once every shard has run, ` +
            `mandel-par assemble ${folder} (or this command without --shard) makes the video`,
        );
      return;
    }
    const framesStarted = performance.now();
    await writeVideo(folder, map, settings, signal, () => progress.frameDone());
    progress.stop();
    const frameSeconds = ((performance.now() - framesStarted) / 1000).toFixed(1);
    if (!c.quiet) {
      printLine(
        `wrote ${c.output}: ${c.timeline.frames} frames at ${c.timeline.fps} fps; ${rendered}; frames ${frameSeconds} s`,
      );
    }
  } finally {
    progress.stop();
    interrupt.dispose();
    await renderer.close();
    // A run stopped before its map was written (Ctrl-C while --max-iter auto sampled) leaves no empty parts folder
    // (the probe made it); one that holds anything stays.
    await rmdir(folder).catch(() => {});
  }
}
