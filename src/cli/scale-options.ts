/** `mandel-par scale [options]`: from raw arguments to a checked scaling experiment. */
import { availableParallelism } from 'node:os';
import { conflictingOptions, invalidOption } from '../errors.js';
import { SCHEDULES } from '../model/plan.js';
import { createSpec, LIMITS } from '../model/spec.js';
import { ENGINES } from '../model/task.js';
import type { ScaleOptions } from '../scale/experiment.js';
import type { RawArgs } from './parsers.js';
import {
  MANDELBROT_VIEW,
  MAX_THREADS,
  parseChoice,
  parsePositiveNumber,
  parseWholeList,
  parseWholeNumber,
  resolveRegion,
  single,
  wholeReader,
} from './parsers.js';

function timestamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const day = `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}`;
  return `${day}-${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
}

/** Core counts predicted by default: past the 2-16 cores of the machines at hand, to those the design aims at. */
export const DEFAULT_PREDICT = [8, 16, 32, 64];

/** Checks the options of `mandel-par scale` and fills in the defaults. */
export function resolveScaleOptions(
  raw: RawArgs,
  parallelism = availableParallelism(),
  now = new Date(),
): ScaleOptions {
  const text = (option: string) => single(raw, option);
  const whole = wholeReader(raw);
  const list = (option: string, max: number, example: string, fallback: number[]) => {
    const given = text(option);
    return given === undefined ? fallback : parseWholeList(option, given, 1, max, example);
  };
  const cores = Math.min(parallelism, MAX_THREADS / 2);
  const defaultThreads = [...Array.from({ length: cores }, (_, k) => k + 1), 2 * cores];
  const schedules = text('schedules');
  const sized = text('width') !== undefined || text('height') !== undefined;
  const target = text('target-seconds');
  if (sized && target !== undefined) {
    throw conflictingOptions(
      [text('width') === undefined ? 'height' : 'width', 'target-seconds'],
      'the size is either given or calibrated to a time: give one of them',
    );
  }
  const targetSeconds = sized ? null : target === undefined ? 1 : parseSeconds('target-seconds', target);
  const weak = raw.weak === true;
  const predictText = text('predict');
  if (weak && predictText !== undefined && predictText !== 'none') {
    throw conflictingOptions(['weak', 'predict'], 'predictions are of strong scaling (one picture): give one of them');
  }
  const predict =
    weak || predictText === 'none' ? [] : list('predict', MAX_THREADS, '--predict 8,16,32,64', DEFAULT_PREDICT);
  const quiet = text('quiet-machine');
  const width = whole('width', 1, LIMITS.size, '--width 1920', 1920);
  const height = whole('height', 1, LIMITS.size, '--height 1080', 1080);
  const output = text('output') ?? `output/scale-${timestamp(now)}`;
  if (output === '') throw invalidOption('output', output, 'a folder path', '-o output/scale-run');
  const maxIter = whole('max-iter', 1, LIMITS.maxIter, '--max-iter 1000', 1000);
  const engine = parseChoice('engine', text('engine') ?? ENGINES[0], ENGINES);
  const specAt = (w: number, h: number) =>
    createSpec({
      output: { format: 'png' },
      width: w,
      height: h,
      maxIter,
      region: resolveRegion(text, w, h, 1, MANDELBROT_VIEW(false)),
      engine,
      shortcuts: raw.shortcuts !== false,
    });
  specAt(width, height); // a view that cannot be drawn is refused before anything runs
  return {
    threads: list('threads', MAX_THREADS, '--threads 1,2,4,8', defaultThreads),
    schedules:
      schedules === undefined
        ? [...SCHEDULES]
        : schedules.split(',').map((s) => parseChoice('schedules', s.trim(), SCHEDULES)),
    bandRows: list('band-rows', LIMITS.size, '--band-rows 1,8,64', [1, 8, 64]),
    repeat: whole('repeat', 1, 1000, '--repeat 5', 5),
    specAt,
    width,
    height,
    targetSeconds,
    weak,
    predict,
    quietSeconds: quiet === undefined ? null : parseWholeNumber('quiet-machine', quiet, 0, 3600, '--quiet-machine 60'),
    output,
  };
}

/** Seconds for --target-seconds: a positive number up to an hour. */
function parseSeconds(option: string, given: string): number {
  const seconds = parsePositiveNumber(option, given, `--${option} 1`);
  if (seconds > 3600) throw invalidOption(option, given, 'a positive number of seconds up to 3600', `--${option} 1`);
  return seconds;
}
