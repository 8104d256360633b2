/** `mandel-par scale [options]`: from raw arguments to a checked scaling experiment. */
import { availableParallelism } from 'node:os';
import { SCHEDULES } from '../core/plan.js';
import { createSpec, LIMITS } from '../core/spec.js';
import { ENGINES } from '../core/task.js';
import { invalidOption } from '../errors.js';
import type { ScaleOptions } from '../scale/experiment.js';
import type { RawArgs } from './parsers.js';
import {
  MANDELBROT_VIEW,
  MAX_THREADS,
  parseChoice,
  parseWholeList,
  resolveRegion,
  single,
  wholeReader,
} from './parsers.js';

function timestamp(date: Date): string {
  const two = (n: number) => String(n).padStart(2, '0');
  const day = `${date.getFullYear()}${two(date.getMonth() + 1)}${two(date.getDate())}`;
  return `${day}-${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`;
}

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
  const width = whole('width', 1, LIMITS.size, '--width 1920', 1920);
  const height = whole('height', 1, LIMITS.size, '--height 1080', 1080);
  const output = text('output') ?? `output/scale-${timestamp(now)}`;
  if (output === '') throw invalidOption('output', output, 'a folder path', '-o output/scale-run');
  return {
    threads: list('threads', MAX_THREADS, '--threads 1,2,4,8', defaultThreads),
    schedules:
      schedules === undefined
        ? [...SCHEDULES]
        : schedules.split(',').map((s) => parseChoice('schedules', s.trim(), SCHEDULES)),
    bandRows: list('band-rows', LIMITS.size, '--band-rows 1,8,64', [1, 8, 64]),
    repeat: whole('repeat', 1, 1000, '--repeat 5', 5),
    spec: createSpec({
      output: { format: 'png' },
      width,
      height,
      maxIter: whole('max-iter', 1, LIMITS.maxIter, '--max-iter 1000', 1000),
      region: resolveRegion(text, width, height, 1, MANDELBROT_VIEW(false)),
      engine: parseChoice('engine', text('engine') ?? ENGINES[0], ENGINES),
      shortcuts: raw.shortcuts !== false,
    }),
    output,
  };
}
