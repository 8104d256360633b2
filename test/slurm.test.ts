/**
 * `--shard auto` under a real Slurm (issue: posters larger than memory, shards for job arrays): a one-node cluster
 * (slurmctld, slurmd and munged started by hand by test/support/slurm.sh) runs job arrays of the built CLI into one
 * parts folder; `assemble` must give the same bytes as one process. A whole array, an array with one task cancelled
 * and then resubmitted alone (Slurm then says SLURM_ARRAY_TASK_COUNT=1 and MIN = its own index), a stepped array.
 * Fails, loudly, where Slurm is not installed (.ci/run installs it) or does not start.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shellWord } from '../dist/src/outputs/escape.js';
import { CLI, runCli } from './helpers.js';

const SLURM_SH = fileURLToPath(new URL('./support/slurm.sh', import.meta.url));
const VIEW = ['--width', '600', '--height', '400', '--max-iter', '300', '--threads', '1'];
/** How long an array may take from sbatch to its last task's end (each takes about 3 s here). */
const JOB_LIMIT_MS = 60_000;

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end, with the cluster's SLURM_CONF; never throws for a failed command. */
function command(file: string, args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    const env = { ...process.env, ...(work && { SLURM_CONF: join(work, 'slurm.conf') }) };
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', (err) => resolve({ status: null, stdout, stderr: `${stderr}${err.message}\n` }));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

const said = (run: Run) => `exit ${run.status}\n${run.stdout}${run.stderr}`;

let work = '';
let outputs = '';
let jobScript = '';
let expected: Buffer;
/** Why the cluster or the reference is not there: every test fails with it (a hook's failure would skip them). */
let broken: Error | undefined;

/** Throws why the cluster did not start: each test fails, loudly, rather than being skipped. */
function ready(): void {
  if (broken) throw broken;
}

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'mandel-par-slurm-'));
  outputs = join(work, 'pictures');
  await mkdir(join(work, 'logs'), { recursive: true });
  await mkdir(outputs, { recursive: true });
  // The job, as docs/distributed.md's render.sbatch (srun, --shard auto), of this node and the built CLI; the picture
  // and the view come from sbatch's arguments. Not --quiet: each task says which shard it rendered.
  jobScript = join(work, 'render.sbatch');
  await writeFile(
    jobScript,
    '#!/bin/bash\n# render.sbatch PICTURE VIEW-OPTIONS...\npicture=$1\nshift\n' +
      `srun ${shellWord(process.execPath)} ${shellWord(CLI)} -o "$picture" "$@" --shard auto\n`,
  );
  await chmod(jobScript, 0o755);
  const reference = join(outputs, 'reference.png');
  const [started, rendered] = await Promise.all([
    command('bash', [SLURM_SH, 'start', work]),
    runCli([...VIEW, '--canvas', 'memory', '-o', reference, '--quiet']),
  ]);
  if (started.status !== 0) {
    broken = new Error(
      `the one-node Slurm cluster did not start (test/support/slurm.sh start ${work}): ${said(started)}`,
    );
  } else if (rendered.status !== 0 || rendered.stderr !== '') {
    broken = new Error(`the one-process reference render: exit ${rendered.status}\n${rendered.stderr}`);
  } else {
    expected = await readFile(reference);
  }
}, 90_000);

afterAll(async () => {
  if (!work) return;
  const stopped = await command('bash', [SLURM_SH, 'stop', work]);
  if (stopped.status !== 0) throw new Error(`test/support/slurm.sh stop ${work}: ${said(stopped)}`);
}, 60_000);

/** sbatch of the job script for `picture`; its job id. */
async function submit(array: string, picture: string, extra: string[] = []): Promise<string> {
  const run = await command('sbatch', [
    '--parsable',
    `--array=${array}`,
    '--job-name=mandel-par-test',
    `--output=${join(work, 'logs', '%A_%a.out')}`,
    ...extra,
    jobScript,
    picture,
    ...VIEW,
  ]);
  const id = /^(\d+)/.exec(run.stdout)?.[1];
  if (run.status !== 0 || id === undefined) throw new Error(`sbatch --array=${array}: ${said(run)}`);
  return id;
}

interface TaskEnd {
  task: number;
  state: string;
  exitCode: string;
  /** What the task wrote (stdout and stderr: sbatch --output). */
  output: string;
}

/** The array's tasks as scontrol sees them (MinJobAge keeps finished ones), with what each wrote. */
async function tasks(job: string): Promise<TaskEnd[]> {
  const shown = await command('scontrol', ['-o', 'show', 'job', job]);
  if (shown.status !== 0) throw new Error(`scontrol show job ${job}: ${said(shown)}`);
  const field = (line: string, name: string) => new RegExp(`(?:^| )${name}=(\\S*)`).exec(line)?.[1] ?? '?';
  const ends = await Promise.all(
    shown.stdout
      .split('\n')
      .filter((line) => line.includes('ArrayTaskId='))
      .map(async (line) => {
        const task = Number(field(line, 'ArrayTaskId'));
        const output = await readFile(join(work, 'logs', `${job}_${task}.out`), 'utf8').catch(() => '(no output file)');
        return { task, state: field(line, 'JobState'), exitCode: field(line, 'ExitCode'), output };
      }),
  );
  return ends.sort((a, b) => a.task - b.task);
}

/** Everything that says why a job went wrong: its tasks, what they wrote, and the daemons' last words. */
async function diagnosis(job: string): Promise<string> {
  const lines = await tasks(job).then(
    (ends) => ends.map((t) => `task ${t.task}: ${t.state}, exit ${t.exitCode}, wrote:\n${t.output}`),
    (err: Error) => [err.message],
  );
  const queue = await command('squeue', ['-a']);
  const tail = async (name: string) => {
    const text = await readFile(join(work, name), 'utf8').catch(() => '');
    return `--- ${name}:\n${text.split('\n').slice(-15).join('\n')}`;
  };
  const logs = [await tail('slurmctld.log'), await tail('slurmd.log')];
  return [`job ${job}:`, ...lines, `squeue:\n${queue.stdout}${queue.stderr}`, ...logs].join('\n');
}

/** Waits until none of the job's tasks is pending or running; what they came to. */
async function finished(job: string): Promise<TaskEnd[]> {
  const deadline = Date.now() + JOB_LIMIT_MS;
  for (;;) {
    const queued = await command('squeue', ['-h', '-j', job, '-o', '%i %T']);
    if (queued.status === 0 && queued.stdout.trim() === '') return tasks(job);
    if (Date.now() > deadline) {
      throw new Error(`job ${job} not done after ${JOB_LIMIT_MS / 1000} s\n${await diagnosis(job)}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** The shard each task rendered, as its line says ("mandel-par: shard 3/4: ..."). */
function shardsRendered(ends: TaskEnd[]): Record<number, string> {
  return Object.fromEntries(ends.map((t) => [t.task, /^mandel-par: shard (\d+\/\d+): /.exec(t.output)?.[1] ?? '?']));
}

/** `assemble` of the picture's parts folder, then its bytes against the one-process render. */
async function assembleAndCompare(picture: string, job: string): Promise<void> {
  const assembled = await runCli(['assemble', `${picture}.parts`]);
  expect(assembled.status, `assemble: ${said(assembled)}\n${await diagnosis(job)}`).toBe(0);
  expect(assembled.stderr).toMatch(/^mandel-par: wrote .* \(.+, 600 x 400 pixels/);
  expect((await readFile(picture)).equals(expected), `${picture} differs from the one-process render`).toBe(true);
  expect(existsSync(`${picture}.parts`)).toBe(false);
}

const allDone = (ends: TaskEnd[]) => ends.map((t) => `${t.task} ${t.state} ${t.exitCode}`);

describe('--shard auto in a real Slurm job array (a one-node cluster)', () => {
  it('sbatch --array=0-3, then assemble: the same bytes as one process', async () => {
    ready();
    const picture = join(outputs, 'whole.png');
    const job = await submit('0-3', picture);
    const ends = await finished(job);
    const why = await diagnosis(job);
    expect(allDone(ends), why).toEqual(['0 COMPLETED 0:0', '1 COMPLETED 0:0', '2 COMPLETED 0:0', '3 COMPLETED 0:0']);
    expect(shardsRendered(ends), why).toEqual({ 0: '1/4', 1: '2/4', 2: '3/4', 3: '4/4' });
    await assembleAndCompare(picture, job);
  });

  it('a task cancelled before it ran, then resubmitted alone (sbatch --array=2): the same bytes', async () => {
    ready();
    const picture = join(outputs, 'retried.png');
    const job = await submit('0-3', picture, ['--hold']);
    const released = await command('scontrol', ['release', `${job}_0`, `${job}_1`, `${job}_3`]);
    expect(released.status, `scontrol release: ${said(released)}`).toBe(0);
    const cancelled = await command('scancel', [`${job}_2`]);
    expect(cancelled.status, `scancel: ${said(cancelled)}`).toBe(0);
    const ends = await finished(job);
    const why = await diagnosis(job);
    expect(allDone(ends), why).toEqual(['0 COMPLETED 0:0', '1 COMPLETED 0:0', '2 CANCELLED 0:0', '3 COMPLETED 0:0']);
    expect(shardsRendered(ends), why).toEqual({ 0: '1/4', 1: '2/4', 2: '?', 3: '4/4' });

    const early = await runCli(['assemble', `${picture}.parts`]);
    expect(early.stderr, why).toMatch(/ bands are missing from .*, from shard 3\/4: /);
    expect(early.status).toBe(1);

    // Alone, the task sees SLURM_ARRAY_TASK_COUNT=1 and SLURM_ARRAY_TASK_MIN=2: job.json places it as shard 3 of 4.
    const retry = await submit('2', picture);
    const retried = await finished(retry);
    const retryWhy = await diagnosis(retry);
    expect(allDone(retried), retryWhy).toEqual(['2 COMPLETED 0:0']);
    expect(retried[0].output, retryWhy).toMatch(/^mandel-par: shard 3\/4: /);
    await assembleAndCompare(picture, retry);
  });

  it('a stepped array, sbatch --array=0-6:2, then assemble: the same bytes', async () => {
    ready();
    const picture = join(outputs, 'stepped.png');
    const job = await submit('0-6:2', picture);
    const ends = await finished(job);
    const why = await diagnosis(job);
    expect(allDone(ends), why).toEqual(['0 COMPLETED 0:0', '2 COMPLETED 0:0', '4 COMPLETED 0:0', '6 COMPLETED 0:0']);
    expect(shardsRendered(ends), why).toEqual({ 0: '1/4', 2: '2/4', 4: '3/4', 6: '4/4' });
    const recorded = JSON.parse(await readFile(join(`${picture}.parts`, 'job.json'), 'utf8'));
    expect(recorded.array, why).toEqual({ first: 0, step: 2, count: 4 });
    await assembleAndCompare(picture, job);
  });
});
