/**
 * `--shard i/n` (1-based: the i-th of n shards), or `--shard auto` / `auto/n`, which reads the index, and the count
 * where the engine gives it, from the environment that job-array engines set for each of their tasks.
 */
import { invalidOption, shardFromEnvironment } from '../errors.js';
import type { ArrayLayout } from '../outputs/parts.js';

export interface Shard {
  /** 1 to count. */
  index: number;
  count: number;
  /** Where `auto` found the shard: a parts folder made by the whole array can then place a task resubmitted alone. */
  task?: ArrayTask;
}

/** A job-array task as the environment describes it (the submission it was part of, which may not be the array's). */
export interface ArrayTask {
  /** The option as given, for messages. */
  text: string;
  /** The variable that gave the index, and its value. */
  variable: string;
  id: number;
  /** The submission's first index and step (Slurm gives them; others start at 0, step 1). */
  first: number;
  step: number;
  /** Why the environment alone gives no shard (no count, a count that disagrees, an index past it). */
  doubt?: string;
}

/** The variables each engine sets: the task's index, and where the engine gives them the first index, step, count. */
const ENGINES: { engine: string; index: string; first?: string; step?: string; count?: string }[] = [
  { engine: 'Kubernetes Indexed Job', index: 'JOB_COMPLETION_INDEX' },
  {
    engine: 'Slurm job array',
    index: 'SLURM_ARRAY_TASK_ID',
    first: 'SLURM_ARRAY_TASK_MIN',
    step: 'SLURM_ARRAY_TASK_STEP',
    count: 'SLURM_ARRAY_TASK_COUNT',
  },
  { engine: 'AWS Batch array job', index: 'AWS_BATCH_JOB_ARRAY_INDEX' },
];

const EXPECTED = 'i/n (the i-th of n shards, 1 <= i <= n), auto, or auto/n';
const wholeNumber = (text: string | undefined) => (text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined);

/** The shard the environment names: the one engine whose index variable is set. */
function fromEnvironment(text: string, given: number | undefined, env: NodeJS.ProcessEnv): Shard {
  const set = ENGINES.filter((e) => env[e.index] !== undefined);
  if (set.length === 0) {
    const names = ENGINES.map((e) => `${e.index} (${e.engine})`).join(', ');
    throw shardFromEnvironment(text, `none of ${names} is set`);
  }
  // Two engines' indexes at once: which is this task's cannot be told (one was taken without a word).
  if (set.length > 1) {
    throw shardFromEnvironment(text, `${set.map((e) => e.index).join(' and ')} are both set: give --shard i/n`);
  }
  const [found] = set;
  const raw = env[found.index];
  const first = found.first === undefined ? 0 : (wholeNumber(env[found.first]) ?? 0);
  const step = found.step === undefined ? 1 : Math.max(1, wholeNumber(env[found.step]) ?? 1);
  const id = wholeNumber(raw);
  if (id === undefined || id < first) {
    throw shardFromEnvironment(text, `${found.index} is ${JSON.stringify(raw)}, not a task index`);
  }
  if ((id - first) % step !== 0) {
    throw shardFromEnvironment(
      text,
      `${found.index} is ${id}, off the array's step (it starts at ${first}, every ${step}: ${found.step} is ${step})`,
    );
  }
  const index = (id - first) / step + 1;
  const counted = found.count === undefined ? undefined : wholeNumber(env[found.count]);
  const count = given ?? counted;
  const doubt =
    given !== undefined && counted !== undefined && given !== counted
      ? `${found.count} says ${counted} shards`
      : count === undefined
        ? `the ${found.engine} gives the index (${found.index}) but not the count: give it, e.g. auto/8`
        : index > count
          ? `${found.index} = ${raw} is past the last of ${count} shards`
          : undefined;
  const task: ArrayTask = { text, variable: found.index, id, first, step, ...(doubt && { doubt }) };
  return { index, count: count ?? index, task };
}

/**
 * The shard to render into a parts folder whose array is `layout` (undefined: no folder yet, or not made by an
 * array). A task resubmitted alone (Slurm then says a count of 1 and its own index as the first) or as part of a
 * smaller array is placed by the layout the whole array recorded; a shard the environment cannot give is refused,
 * saying how to retry.
 *
 * @example resolveShard(parseShard('auto', { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_MIN: '2', SLURM_ARRAY_TASK_COUNT: '1' }), { first: 0, step: 1, count: 4 }) // 3 of 4
 */
export function resolveShard(shard: Shard, layout: ArrayLayout | undefined): Shard {
  const { task } = shard;
  if (!task) return shard;
  const resubmitted = layout !== undefined && (task.doubt !== undefined || shard.count < layout.count);
  if (resubmitted) {
    const position = (task.id - layout.first) / layout.step;
    if (!Number.isInteger(position) || position < 0 || position >= layout.count) {
      const array = `first index ${layout.first}, step ${layout.step}, ${layout.count} tasks`;
      throw shardFromEnvironment(
        task.text,
        `${task.variable} = ${task.id} is not a task of the array that made the parts folder (${array})`,
      );
    }
    return { index: position + 1, count: layout.count, task };
  }
  if (task.doubt) {
    throw shardFromEnvironment(
      task.text,
      `${task.doubt}, and no parts folder records the array: submit the whole array, or give the shard as --shard I/N`,
    );
  }
  return shard;
}

/** The layout a parts folder records for a shard that came from a job array; undefined for one given as i/n. */
export function arrayLayout(shard: Shard): ArrayLayout | undefined {
  return shard.task && { first: shard.task.first, step: shard.task.step, count: shard.count };
}

/**
 * Parses --shard; `env` is read only for auto.
 *
 * @example parseShard('2/8') // { index: 2, count: 8 }
 * @example parseShard('auto', { JOB_COMPLETION_INDEX: '0' }) // throws: Kubernetes does not give the count
 */
export function parseShard(text: string, env: NodeJS.ProcessEnv = process.env): Shard {
  const m = /^(auto|\d+)(?:\/(\d+))?$/.exec(text.trim());
  const count = m?.[2] === undefined ? undefined : Number(m[2]);
  if (m && m[1] === 'auto' && count !== 0) return fromEnvironment(text, count, env);
  const index = Number(m?.[1]);
  if (!m || count === undefined || !(index >= 1 && index <= count)) {
    throw invalidOption('shard', text, EXPECTED, '--shard 2/8');
  }
  return { index, count };
}
