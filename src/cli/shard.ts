/**
 * `--shard i/n` (1-based: the i-th of n shards), or `--shard auto` / `auto/n`, which reads the index, and the count
 * where the engine gives it, from the environment that job-array engines set for each of their tasks.
 */
import { invalidOption, shardFromEnvironment } from '../errors.js';

export interface Shard {
  /** 1 to count. */
  index: number;
  count: number;
}

/** The variables each engine sets: the task's index (from 0, or from the array's first index) and the count. */
const ENGINES: { engine: string; index: string; first?: string; count?: string }[] = [
  { engine: 'Kubernetes Indexed Job', index: 'JOB_COMPLETION_INDEX' },
  {
    engine: 'Slurm job array',
    index: 'SLURM_ARRAY_TASK_ID',
    first: 'SLURM_ARRAY_TASK_MIN',
    count: 'SLURM_ARRAY_TASK_COUNT',
  },
  { engine: 'AWS Batch array job', index: 'AWS_BATCH_JOB_ARRAY_INDEX' },
];

const EXPECTED = 'i/n (the i-th of n shards, 1 <= i <= n), auto, or auto/n';
const wholeNumber = (text: string | undefined) => (text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined);

/** The shard the environment names: the first engine whose index variable is set. */
function fromEnvironment(text: string, given: number | undefined, env: NodeJS.ProcessEnv): Shard {
  const found = ENGINES.find((e) => env[e.index] !== undefined);
  if (!found) {
    const names = ENGINES.map((e) => `${e.index} (${e.engine})`).join(', ');
    throw shardFromEnvironment(text, `none of ${names} is set`);
  }
  const raw = env[found.index];
  const first = found.first === undefined ? 0 : (wholeNumber(env[found.first]) ?? 0);
  const position = wholeNumber(raw);
  if (position === undefined || position < first) {
    throw shardFromEnvironment(text, `${found.index} is ${JSON.stringify(raw)}, not a task index`);
  }
  const counted = found.count === undefined ? undefined : wholeNumber(env[found.count]);
  if (given !== undefined && counted !== undefined && given !== counted) {
    throw shardFromEnvironment(text, `${found.count} says ${counted} shards`);
  }
  const count = given ?? counted;
  if (count === undefined) {
    throw shardFromEnvironment(
      text,
      `the ${found.engine} gives the index (${found.index}) but not the count: give it, e.g. auto/8`,
    );
  }
  const index = position - first + 1;
  if (index > count) throw shardFromEnvironment(text, `${found.index} = ${raw} is past the last of ${count} shards`);
  return { index, count };
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
