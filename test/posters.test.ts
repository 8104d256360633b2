/**
 * Pictures on disk (issue: posters larger than memory), through the real CLI: the canvas file gives the same bytes
 * as memory; a render killed with SIGKILL, failed or interrupted continues with --resume to the same bytes; shards in
 * several processes plus assemble give the same bytes as one process; --shard auto reads each job-array engine's
 * variables; assemble names what is missing; pyramids hold the picture's pixels at their deepest level.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { arrayLayout, parseShard, resolveShard } from '../dist/src/cli/shard.js';
import { formatBytes, partsMissing } from '../dist/src/errors.js';
import { createSpec } from '../dist/src/model/spec.js';
import { VERSION } from '../dist/src/model/version.js';
import { vipsHeader } from '../dist/src/outputs/canvas.js';
import { unescapeXml } from '../dist/src/outputs/escape.js';
import { openParts, partsBandRows, shardTasks } from '../dist/src/outputs/parts.js';
import { CLI, runCli } from './helpers.js';

const VIEW = ['--width', '600', '--height', '400', '--max-iter', '300', '--threads', '2'];

const scratch = () => mkdtemp(join(tmpdir(), 'mandel-par-posters-'));

async function rawPixels(path: string): Promise<Buffer> {
  return sharp(path, { limitInputPixels: false }).raw().toBuffer();
}

/** The reference: the same picture rendered in memory, in one process. */
async function inMemory(dir: string, name: string, extra: string[] = []): Promise<Buffer> {
  const path = join(dir, name);
  const run = await runCli([...VIEW, ...extra, '--canvas', 'memory', '-o', path, '--quiet']);
  expect(run.stderr).toBe('');
  return readFile(path);
}

describe('the canvas on disk', () => {
  it.each([['png'], ['tiff'], ['npy'], ['jpeg']])(
    'writes the same %s file, byte for byte, as memory',
    async (format) => {
      const dir = await scratch();
      const extension = { png: '.png', tiff: '.tif', npy: '.npy', jpeg: '.jpg' }[format];
      const expected = await inMemory(dir, `memory${extension}`);
      const run = await runCli([...VIEW, '--canvas', 'disk', '-o', join(dir, `disk${extension}`)]);
      expect(run.stderr).toMatch(/^mandel-par: wrote .*disk\.\w+ \(.+, 600 x 400 pixels, [\d.]+ s\)\n$/);
      expect(run.status).toBe(0);
      expect((await readFile(join(dir, `disk${extension}`))).equals(expected)).toBe(true);
      expect((await readdir(dir)).sort()).toEqual([`disk${extension}`, `memory${extension}`]); // the parts are gone
    },
  );

  it('is made whole by one of several openers sharing a process id (as shards in separate containers do)', async () => {
    const dir = await scratch();
    const folder = join(dir, 'shared.png.parts');
    const job = { spec: createSpec({ width: 64, height: 32, output: { format: 'png' } }), bandRows: 8, shards: 3 };
    // One process: every opener has the same pid, as tasks started in separate PID namespaces can.
    const canvases = await Promise.all([1, 2, 3].map(() => openParts(folder, { ...job, output: 'shared.png' })));
    expect(new Set(canvases.map((c) => c.path)).size).toBe(1);
    const names = await readdir(folder);
    expect(names.sort()).toEqual(['canvas.v', 'job.json']); // no temporary left, none clobbered
    expect((await stat(join(folder, 'canvas.v'))).size).toBe(canvases[0].offset + 64 * 32 * 3);
  });

  it('is a .v file that libvips reads: the header sharp expects', async () => {
    const header = vipsHeader(3, 2);
    const pixels = Buffer.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const dir = await scratch();
    const path = join(dir, 'tiny.v');
    await import('node:fs/promises').then((fs) => fs.writeFile(path, Buffer.concat([header, pixels])));
    const { data, info } = await sharp(path).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height, info.channels]).toEqual([3, 2, 3]);
    expect(data.equals(pixels)).toBe(true);
  });

  it('cuts bands from the picture alone (so every process and resume agrees): at least 64, about 256 K pixels', () => {
    expect(partsBandRows(65536, 65536)).toBe(4);
    expect(partsBandRows(600, 400)).toBe(7);
    expect(partsBandRows(100, 10)).toBe(1);
    expect(shardTasks(10, 2, 3)).toEqual([1, 4, 7]);
    expect(shardTasks(10, 1, 1)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });
});

/** Runs the CLI and kills it with `signal` once its log records `atLeast` bands. */
function killMidway(args: string[], log: string, atLeast: number, signal: NodeJS.Signals, extraEnv = {}) {
  return new Promise<{ status: number | null; signal: NodeJS.Signals | null; stderr: string; recorded: number }>(
    (resolve, reject) => {
      const env = { ...process.env, MANDEL_PAR_TEST_FAULT: 'slow:40', ...extraEnv };
      const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      let stderr = '';
      let recorded = 0;
      child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
      const poll = setInterval(async () => {
        const text = await readFile(log, 'utf8').catch(() => '');
        recorded = text.split('\n').length - 1;
        if (recorded >= atLeast) {
          clearInterval(poll);
          child.kill(signal);
        }
      }, 20);
      child.on('error', reject);
      child.on('close', (status, sig) => {
        clearInterval(poll);
        resolve({ status, signal: sig, stderr, recorded });
      });
    },
  );
}

describe('--resume', () => {
  // 58 bands of 7 rows, each made to take 40 ms: about 1.2 s on two threads.
  const args = (path: string) => [...VIEW, '--canvas', 'disk', '-o', path, '--quiet'];

  it('after kill -9 at about half: only the rest is rendered, and the file is identical', async () => {
    const dir = await scratch();
    const expected = await inMemory(dir, 'reference.png');
    const path = join(dir, 'poster.png');
    const killed = await killMidway(args(path), join(`${path}.parts`, 'done-1-of-1.log'), 29, 'SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(path)).toBe(false);
    expect(await readdir(`${path}.parts`)).toContain('canvas.v');

    const again = await runCli(args(path));
    expect(again.stderr).toBe(
      `mandel-par: --output: an interrupted render of this picture left its finished part in ${JSON.stringify(`${path}.parts`)}: ` +
        'add --resume to continue it, or remove that folder to start again\n',
    );
    expect(again.status).toBe(2);

    const resumed = await runCli([...args(path), '--resume', '--stats']);
    expect(resumed.status).toBe(0);
    const tasks = Number(/(\d+) tasks on/.exec(resumed.stderr)?.[1]);
    expect(tasks).toBeGreaterThan(0);
    expect(tasks).toBeLessThanOrEqual(58 - 29); // what was recorded is not rendered again
    expect((await readFile(path)).equals(expected)).toBe(true);
    expect(existsSync(`${path}.parts`)).toBe(false);
    const assembledAgain = await runCli(['assemble', `${path}.parts`]);
    expect(assembledAgain.stderr).toBe(
      `mandel-par: ${JSON.stringify(`${path}.parts`)} is not the parts folder of a render: there is no such folder, ` +
        `and ${JSON.stringify(path)} exists: if it came from this folder, it was assembled already (assembling ` +
        'removes the folder)\n',
    );
    expect(assembledAgain.status).toBe(2);
  });

  it('a long render held whole keeps its parts on its own (from its estimate): killed, then resumed, same file', async () => {
    const dir = await scratch();
    // 1.2e10 iterations at most: long enough to be sampled; every estimate counts as long here.
    const view = VIEW.map((word, k) => (VIEW[k - 1] === '--max-iter' ? '50000' : word));
    const heavy = ['--quiet'];
    const inMemoryRun = await runCli([...view, '--canvas', 'memory', '-o', join(dir, 'reference.png'), '--quiet']);
    expect(inMemoryRun.stderr).toBe('');
    const expected = await readFile(join(dir, 'reference.png'));
    const path = join(dir, 'auto.png');
    const env = { MANDEL_PAR_KEEP_FROM_MS: '0' };
    const log = join(`${path}.parts`, 'done-1-of-1.log');
    const killed = await killMidway([...view, ...heavy, '-o', path], log, 20, 'SIGKILL', env);
    expect(killed.signal).toBe('SIGKILL');
    expect(existsSync(path)).toBe(false);
    const resumed = await runCli([...view, ...heavy, '-o', path, '--resume', '--stats'], { env });
    expect(resumed.status).toBe(0);
    expect(Number(/(\d+) tasks on/.exec(resumed.stderr)?.[1])).toBeLessThanOrEqual(58 - 20);
    expect((await readFile(path)).equals(expected)).toBe(true);
    // --dry-run says where it would go and what it would take, and writes nothing.
    const dry = await runCli([...view, '-o', join(dir, 'dry.png'), '--dry-run'], { env });
    expect(dry.stdout).toMatch(/^dry run: a 600 x 400 PNG at --max-iter 50000, engine wasm-simd, on 2 threads\n/);
    expect(dry.stdout).toMatch(/^colour: --cycle \d+, chosen from a sample of the view$/m);
    expect(dry.stdout).toMatch(/^plan: 58 tasks \(bands of 7 rows\), on disk in ".*dry\.png\.parts" \(resumable\)$/m);
    expect(dry.stdout).toMatch(/^memory: about [\d.]+ MB \(image 0 B, /m);
    expect(dry.stdout).toMatch(/^time: about [\d.]+ s \(from \d+ strips of 256 x 4 pixels, rendered in /m);
    expect(dry.stdout).toMatch(/\nnothing was written\n$/);
    expect((await readdir(dir)).sort()).toEqual(['auto.png', 'reference.png']);
  });

  it('after Ctrl-C: exit 130, the parts are kept and named, and --resume finishes the same file', async () => {
    const dir = await scratch();
    const expected = await inMemory(dir, 'reference.png');
    const path = join(dir, 'poster.png');
    const stopped = await killMidway(args(path), join(`${path}.parts`, 'done-1-of-1.log'), 10, 'SIGINT');
    expect(stopped.status).toBe(130);
    expect(stopped.stderr).toBe(
      'mandel-par: interrupted by SIGINT: the render was stopped; its finished part is kept in ' +
        `${JSON.stringify(`${path}.parts`)}: run the same command with --resume to continue\n`,
    );
    expect((await runCli([...args(path), '--resume'])).status).toBe(0);
    expect((await readFile(path)).equals(expected)).toBe(true);
  });

  it('a log whose last line was torn (a crash while appending it): one --resume finishes the same file', async () => {
    const dir = await scratch();
    const expected = await inMemory(dir, 'reference.png');
    const path = join(dir, 'poster.png');
    const log = join(`${path}.parts`, 'done-1-of-1.log');
    expect((await killMidway(args(path), log, 10, 'SIGKILL')).signal).toBe('SIGKILL');
    const text = await readFile(log, 'utf8');
    await writeFile(log, text.slice(0, -3));
    const resumed = await runCli([...args(path), '--resume']);
    expect(resumed.stderr).toBe('');
    expect(resumed.status).toBe(0);
    expect((await readFile(path)).equals(expected)).toBe(true);
  });

  it("a dry run of the same command with --resume says it would resume: its --cycle auto is the render's", async () => {
    const dir = await scratch();
    const path = join(dir, 'poster.png');
    // A view whose cycle is not the default 64: the dry run refused the folder ("--cycle 64 here, --cycle 512").
    const seahorse = ['--center=-0.743643887037158704752191506114774,0.131825904205311970493132056385139'];
    const view = [...VIEW.map((w) => (w === '300' ? '2000' : w)), ...seahorse, '--zoom', '1e8'];
    const command = [...view, '--canvas', 'disk', '-o', path, '--quiet'];
    const log = join(`${path}.parts`, 'done-1-of-1.log');
    expect((await killMidway(command, log, 10, 'SIGINT')).status).toBe(130);
    const dry = await runCli([...command, '--resume', '--dry-run']);
    expect(dry.stderr).toBe('');
    expect(dry.stdout).toContain('colour: --cycle 512, chosen from a sample of the view\n');
    expect(dry.stdout).toContain('(resumable)');
  });

  it('after a worker fault: exit 1 naming the band and the kept parts, then --resume finishes the same file', async () => {
    const dir = await scratch();
    const expected = await inMemory(dir, 'reference.png');
    const path = join(dir, 'poster.png');
    // A fixed cycle: the auto cycle's sample would meet the fault first, before any band.
    const failed = await runCli([...args(path), '--cycle', '64'], { env: { MANDEL_PAR_TEST_FAULT: 'throw:200' } });
    expect(failed.stderr).toMatch(
      /^mandel-par: band \d+ \(rows \d+-\d+\) failed: injected fault at row 200; the render/,
    );
    expect(failed.stderr).toContain(`kept in ${JSON.stringify(`${path}.parts`)}: run the same command with --resume`);
    expect(failed.status).toBe(1);
    expect((await runCli([...args(path), '--cycle', '64', '--resume'])).status).toBe(0);
    expect((await readFile(path)).equals(expected)).toBe(true);
  });

  it('says so when --resume finds nothing to continue, and renders the whole picture', async () => {
    const dir = await scratch();
    const path = join(dir, 'typo.png');
    const run = await runCli([...VIEW, '-o', path, '--resume']);
    expect(run.stderr).toContain(
      `mandel-par: --resume: there is no ${JSON.stringify(`${path}.parts`)} to continue: rendering the whole picture\n`,
    );
    expect(run.status).toBe(0);
    expect((await readFile(path)).length).toBeGreaterThan(0);
  });

  it('refuses to continue another picture: the message says what differs', async () => {
    const dir = await scratch();
    const path = join(dir, 'poster.png');
    await runCli([...args(path), '--shard', '1/2']);
    const other = (...extra: string[]) => runCli([...VIEW, ...extra, '--canvas', 'disk', '-o', path]);
    for (const [run, difference] of [
      [await other('--resume'), 'shards: 1 here, 2 in the folder'],
      // A dry run of it says so as well, rather than that it would resume.
      [await other('--resume', '--dry-run'), 'shards: 1 here, 2 in the folder'],
      [await other('--shard', '2/2', '--aa', '2'), '--aa 2 here, --aa 1 in the folder'],
      // A shard's dry run as well (it printed a plan, exit 0, for a job array whose every task would then fail).
      [await other('--shard', '1/3', '--dry-run'), 'shards: 3 here, 2 in the folder'],
      // As the options are written: a palette's colours or name, not the spec's JSON.
      [
        await other('--shard', '2/2', '--palette', '#000000,#ff0000'),
        '--palette "#000000,#ff0000" here, --palette classic in the folder',
      ],
      [
        await other('--shard', '2/2', '--palette', '#000,#fff'), // the named palette grey, in its colours
        '--palette grey here, --palette classic in the folder',
      ],
    ] as const) {
      expect(run.stderr).toBe(
        `mandel-par: ${JSON.stringify(`${path}.parts`)} holds the parts of another render (${difference}): ` +
          'give the same options as the render that made it (to retry one shard: the same command, or --shard I/N ' +
          'with N as before), or remove the folder to start again\n',
      );
      expect(run.status).toBe(2);
    }
  });
});

describe('shards and assemble', () => {
  const args = (path: string, shard: string) => [...VIEW, '-o', path, '--shard', shard];

  it('names the first eight missing shards, and counts the rest', () => {
    const names = Array.from({ length: 57 }, (_, k) => `shard ${k + 1}/100`);
    expect(partsMissing('p.parts', 570, 1000, names).message).toBe(
      'assemble: 570 of 1000 bands are missing from "p.parts", from shard 1/100, shard 2/100, shard 3/100, ' +
        'shard 4/100, shard 5/100, shard 6/100, shard 7/100, shard 8/100 and 49 more: run those shards (again), then assemble',
    );
  });

  it('the one shard of a one-task array leaves its parts for assemble, as any shard does: the same file', async () => {
    // It assembled the picture itself, and the array's assemble step after it found nothing to assemble (exit 2).
    const dir = await scratch();
    const expected = await inMemory(dir, 'reference.png');
    const path = join(dir, 'one.png');
    const run = await runCli([...args(path, '1/1'), '--quiet']);
    expect(run.status).toBe(0);
    expect(existsSync(path)).toBe(false);
    expect((await runCli(['assemble', `${path}.parts`])).status).toBe(0);
    expect((await readFile(path)).equals(expected)).toBe(true);
  });

  it('three shards in three processes at once, then assemble: the same file as one process', async () => {
    const dir = await scratch();
    const expected = await inMemory(dir, 'reference.png');
    const path = join(dir, 'poster.png');
    const runs = await Promise.all(['1/3', '2/3', '3/3'].map((s) => runCli(args(path, s))));
    expect(runs.map((r) => r.status)).toEqual([0, 0, 0]);
    expect(runs[1].stderr).toBe(
      `mandel-par: shard 2/3: 19 of 58 bands are in ${path}.parts; when every shard is done: ` +
        `mandel-par assemble ${path}.parts\n`,
    );
    expect(existsSync(path)).toBe(false);
    const assembled = await runCli(['assemble', `${path}.parts`]);
    expect(assembled.stderr).toMatch(/^mandel-par: wrote .*poster\.png \(.+, 600 x 400 pixels/);
    expect(assembled.status).toBe(0);
    expect((await readFile(path)).equals(expected)).toBe(true);
    expect(existsSync(`${path}.parts`)).toBe(false);
  });

  it('a stepped Slurm array with one task failed, then that task resubmitted alone: the same file', async () => {
    const dir = await scratch();
    const expected = await inMemory(dir, 'reference.png');
    const path = join(dir, 'poster.png');
    // sbatch --array=0-6:2: tasks 0, 2, 4, 6; task 4 is lost, then resubmitted alone (sbatch --array=4).
    const array = { SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_STEP: '2', SLURM_ARRAY_TASK_COUNT: '4' };
    for (const id of ['0', '2', '6']) {
      const run = await runCli(args(path, 'auto'), { env: { ...array, SLURM_ARRAY_TASK_ID: id } });
      expect(run.stderr).toMatch(new RegExp(`^mandel-par: shard ${Number(id) / 2 + 1}/4: `));
    }
    const alone = { SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_MIN: '4', SLURM_ARRAY_TASK_STEP: '1' };
    const retry = await runCli(args(path, 'auto'), { env: { ...alone, SLURM_ARRAY_TASK_COUNT: '1' } });
    expect(retry.stderr).toMatch(/^mandel-par: shard 3\/4: /);
    expect((await runCli(['assemble', `${path}.parts`])).status).toBe(0);
    expect((await readFile(path)).equals(expected)).toBe(true);
  });

  it('assemble with a shard missing: exit 1, names the shard, writes nothing', async () => {
    const dir = await scratch();
    const path = join(dir, 'poster.png');
    for (const s of ['1/3', '3/3']) expect((await runCli(args(path, s))).status).toBe(0);
    const run = await runCli(['assemble', `${path}.parts`]);
    expect(run.stderr).toBe(
      `mandel-par: assemble: 19 of 58 bands are missing from ${JSON.stringify(`${path}.parts`)}, from shard 2/3: ` +
        'run those shards (again), then assemble\n',
    );
    expect(run.status).toBe(1);
    expect(existsSync(path)).toBe(false);
  });

  it('a damaged canvas is refused, not rendered into or assembled: missing where bands are done, or cut short', async () => {
    const dir = await scratch();
    const path = join(dir, 'poster.png');
    expect((await runCli(args(path, '1/2'))).status).toBe(0);
    const canvas = join(`${path}.parts`, 'canvas.v');
    const size = (await stat(canvas)).size;
    await rm(canvas);
    // The other shard would have left shard 1's bands black (a --resume did, and said "wrote").
    const second = await runCli(args(path, '2/2'));
    expect(second.stderr).toBe(
      `mandel-par: ${JSON.stringify(canvas)} is missing, though bands are recorded as done in it (this picture's ` +
        `canvas has ${size}): the parts folder is damaged; remove it to render the picture again\n`,
    );
    expect(second.status).toBe(2);
    // All bands done, the canvas cut short: assemble failed in libvips, and advised --resume, which failed again.
    const whole = join(dir, 'whole.png');
    expect((await runCli(args(whole, '1/1'))).status).toBe(0);
    const cut = join(`${whole}.parts`, 'canvas.v');
    await writeFile(cut, Buffer.alloc(100));
    const assembled = await runCli(['assemble', `${whole}.parts`]);
    expect(assembled.stderr).toContain(`${JSON.stringify(cut)} has 100 bytes (this picture's canvas has ${size})`);
    expect(assembled.status).toBe(2);
    expect(existsSync(whole)).toBe(false);
  });

  it("assemble writes beside the parts folder only: a job.json's output that is not a file name is refused", async () => {
    const dir = await scratch();
    const path = join(dir, 'poster.png');
    expect((await runCli(args(path, '1/1'))).status).toBe(0);
    const file = join(`${path}.parts`, 'job.json');
    const job = JSON.parse(await readFile(file, 'utf8'));
    for (const output of ['../escaped.png', '/tmp/elsewhere.png', undefined]) {
      await writeFile(file, JSON.stringify({ ...job, output }));
      const run = await runCli(['assemble', `${path}.parts`]);
      expect(run.stderr).toBe(
        `mandel-par: ${JSON.stringify(`${path}.parts`)} is not the parts folder of a render: its job.json's output, ` +
          `${JSON.stringify(output)}, is not a file name\n`,
      );
      expect(run.status).toBe(2);
    }
    expect(existsSync(join(dir, '..', 'escaped.png'))).toBe(false);
    await writeFile(file, JSON.stringify(job));
    expect((await runCli(['assemble', `${path}.parts`])).status).toBe(0);
    expect(existsSync(path)).toBe(true);
  });

  it('assemble of a folder that is not a parts folder: exit 2', async () => {
    const dir = await scratch();
    const run = await runCli(['assemble', dir]);
    expect(run.stderr).toBe(
      `mandel-par: ${JSON.stringify(dir)} is not the parts folder of a render: it has no job.json\n`,
    );
    expect(run.status).toBe(2);
  });

  it.each([
    ['Kubernetes', 'auto/3', (k: number) => ({ JOB_COMPLETION_INDEX: String(k) })],
    [
      'Slurm',
      'auto',
      (k: number) => ({ SLURM_ARRAY_TASK_ID: String(k + 1), SLURM_ARRAY_TASK_MIN: '1', SLURM_ARRAY_TASK_COUNT: '3' }),
    ],
    ['AWS Batch', 'auto/3', (k: number) => ({ AWS_BATCH_JOB_ARRAY_INDEX: String(k) })],
  ])('--shard %s under %s variables: each task its shard, assembled the same', async (_, shard, env) => {
    const dir = await scratch();
    const expected = await inMemory(dir, 'reference.png');
    const path = join(dir, 'poster.png');
    const runs = await Promise.all([0, 1, 2].map((k) => runCli(args(path, shard), { env: env(k) })));
    expect(runs.map((r) => /shard (\d)\/3/.exec(r.stderr)?.[1]).sort()).toEqual(['1', '2', '3']);
    expect((await runCli(['assemble', `${path}.parts`])).status).toBe(0);
    expect((await readFile(path)).equals(expected)).toBe(true);
  });
});

describe('parseShard', () => {
  const resolved = (text: string, env: NodeJS.ProcessEnv, layout?: { first: number; step: number; count: number }) => {
    const { index, count } = resolveShard(parseShard(text, env), layout);
    return { index, count };
  };

  it('reads i/n and each engine', () => {
    expect(parseShard('2/8')).toEqual({ index: 2, count: 8 });
    expect(resolved('auto/4', { JOB_COMPLETION_INDEX: '3' })).toEqual({ index: 4, count: 4 });
    const slurm = { SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_COUNT: '8' };
    expect(resolved('auto', slurm)).toEqual({ index: 6, count: 8 });
    expect(resolved('auto/2', { AWS_BATCH_JOB_ARRAY_INDEX: '0' })).toEqual({ index: 1, count: 2 });
  });

  it('reads stepped Slurm arrays, and places a task resubmitted alone by the layout its folder records', () => {
    const stepped = { SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_STEP: '2', SLURM_ARRAY_TASK_COUNT: '4' };
    expect(resolved('auto', { ...stepped, SLURM_ARRAY_TASK_ID: '6' })).toEqual({ index: 4, count: 4 });
    expect(arrayLayout(parseShard('auto', { ...stepped, SLURM_ARRAY_TASK_ID: '6' }))).toEqual({
      first: 0,
      step: 2,
      count: 4,
    });
    const alone = (id: string) => ({
      SLURM_ARRAY_TASK_ID: id,
      SLURM_ARRAY_TASK_MIN: id,
      SLURM_ARRAY_TASK_STEP: '1',
      SLURM_ARRAY_TASK_COUNT: '1',
    });
    expect(resolved('auto', alone('2'), { first: 0, step: 1, count: 4 })).toEqual({ index: 3, count: 4 });
    expect(resolved('auto/4', alone('2'), { first: 0, step: 1, count: 4 })).toEqual({ index: 3, count: 4 });
    expect(resolved('auto', alone('4'), { first: 0, step: 2, count: 4 })).toEqual({ index: 3, count: 4 });
    // Two tasks of four resubmitted as a smaller array (sbatch --array=1,3).
    const two = {
      SLURM_ARRAY_TASK_ID: '3',
      SLURM_ARRAY_TASK_MIN: '1',
      SLURM_ARRAY_TASK_STEP: '2',
      SLURM_ARRAY_TASK_COUNT: '2',
    };
    expect(resolved('auto', two, { first: 0, step: 1, count: 4 })).toEqual({ index: 4, count: 4 });
    // A whole array as large as the folder's, or larger, is taken as it says (a larger one then disagrees with it).
    expect(resolved('auto', { ...stepped, SLURM_ARRAY_TASK_ID: '2' }, { first: 0, step: 1, count: 4 })).toEqual({
      index: 2,
      count: 4,
    });
    expect(() => resolved('auto', alone('5'), { first: 0, step: 2, count: 4 })).toThrow(
      '--shard: "auto" takes the shard from the environment, but SLURM_ARRAY_TASK_ID = 5 is not a task of the ' +
        'array that made the parts folder (first index 0, step 2, 4 tasks)',
    );
  });

  it.each([
    [
      '0/3',
      {},
      '--shard: expected i/n (the i-th of n shards, 1 <= i <= n), auto, or auto/n (e.g. --shard 2/8), but received "0/3"',
    ],
    [
      '4/3',
      {},
      '--shard: expected i/n (the i-th of n shards, 1 <= i <= n), auto, or auto/n (e.g. --shard 2/8), but received "4/3"',
    ],
    [
      '2',
      {},
      '--shard: expected i/n (the i-th of n shards, 1 <= i <= n), auto, or auto/n (e.g. --shard 2/8), but received "2"',
    ],
    [
      'auto',
      {},
      '--shard: "auto" takes the shard from the environment, but none of JOB_COMPLETION_INDEX (Kubernetes Indexed Job), ' +
        'SLURM_ARRAY_TASK_ID (Slurm job array), AWS_BATCH_JOB_ARRAY_INDEX (AWS Batch array job) is set',
    ],
    [
      'auto/4',
      { JOB_COMPLETION_INDEX: '1', SLURM_ARRAY_TASK_ID: '2' },
      '--shard: "auto/4" takes the shard from the environment, but JOB_COMPLETION_INDEX and SLURM_ARRAY_TASK_ID are ' +
        'both set: give --shard i/n',
    ],
    [
      'auto',
      { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_MIN: '0', SLURM_ARRAY_TASK_STEP: '2', SLURM_ARRAY_TASK_COUNT: '4' },
      '--shard: "auto" takes the shard from the environment, but SLURM_ARRAY_TASK_ID is 3, off the array\'s step (it ' +
        'starts at 0, every 2: SLURM_ARRAY_TASK_STEP is 2)',
    ],
    [
      'auto',
      { JOB_COMPLETION_INDEX: '1' },
      '--shard: "auto" takes the shard from the environment, but the Kubernetes Indexed Job gives the index ' +
        '(JOB_COMPLETION_INDEX) but not the count: give it, e.g. auto/8',
    ],
    [
      'auto/3',
      { JOB_COMPLETION_INDEX: '3' },
      '--shard: "auto/3" takes the shard from the environment, but JOB_COMPLETION_INDEX = 3 is past the last of 3 shards, ' +
        'and no parts folder records the array: submit the whole array, or give the shard as --shard I/N',
    ],
    [
      'auto/4',
      { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '3' },
      '--shard: "auto/4" takes the shard from the environment, but SLURM_ARRAY_TASK_COUNT says 3 shards',
    ],
  ])('refuses %j with %j', (text, env, message) => {
    expect(() => resolveShard(parseShard(text, env), undefined)).toThrow(message);
  });
});

describe('pyramids', () => {
  it('are reported by their tiles and all their files, not by the descriptor alone; the same spec, the same files', async () => {
    const dir = await scratch();
    const run = await runCli(['--width', '600', '--height', '400', '-o', join(dir, 'p.dzi')]);
    const [, tiles, tileSize, size] =
      /^mandel-par: wrote .*p\.dzi \((\d+) tiles of ([\d.]+ [KM]?B), ([\d.]+ [KM]?B) with the viewer page, 600 x 400 pixels/.exec(
        run.stderr,
      ) ?? [];
    const levels = (await readdir(join(dir, 'p_files'))).filter((l) => /^\d+$/.test(l));
    const files = (await Promise.all(levels.map((l) => readdir(join(dir, 'p_files', l))))).map((names, k) =>
      names.map((n) => join(dir, 'p_files', levels[k], n)),
    );
    expect(Number(tiles)).toBe(files.flat().length);
    const bytes = (await Promise.all(files.flat().map((f) => stat(f)))).reduce((n, s) => n + s.size, 0);
    expect(tileSize).toBe(formatBytes(bytes));
    expect(size).toMatch(/KB$/);
    // libvips' properties file carried the time it was written: two renders of one spec differed there.
    const properties = await readFile(join(dir, 'p_files', 'vips-properties.xml'), 'utf8');
    await new Promise((r) => setTimeout(r, 1100));
    expect((await runCli(['--width', '600', '--height', '400', '-o', join(dir, 'p.dzi'), '--quiet'])).status).toBe(0);
    expect(await readFile(join(dir, 'p_files', 'vips-properties.xml'), 'utf8')).toBe(properties);
    // From a canvas on disk too (read sequentially, it said so in a vips-sequential property).
    const disk = ['--width', '600', '--height', '400', '--canvas', 'disk', '-o', join(dir, 'p.dzi'), '--quiet'];
    expect((await runCli(disk)).status).toBe(0);
    expect(await readFile(join(dir, 'p_files', 'vips-properties.xml'), 'utf8')).toBe(properties);
  });

  it('IIIF with a hostile name: info.json is valid with an absolute id under --base-url, the page escapes it', async () => {
    const dir = await scratch();
    const name = `it's "a" <b>&amp;`;
    const args = ['--width', '300', '--height', '200', '--out', 'iiif', '-o', join(dir, name)];
    const run = await runCli([...args, '--base-url', 'https://example.org/deep zoom', '--quiet']);
    expect(run.stderr).toBe('');
    const info = JSON.parse(await readFile(join(dir, name, 'info.json'), 'utf8'));
    expect(info.id).toBe(`https://example.org/deep%20zoom/${encodeURIComponent(name)}`);
    const page = await readFile(join(dir, `${name}.html`), 'utf8');
    expect(page.match(/<script>/g)).toHaveLength(2);
    const generator = /<meta name="generator" content="([^"]*)">/.exec(page)?.[1] ?? '';
    expect(unescapeXml(generator)).toMatch(
      /^mandel-par --out iiif .* --base-url 'https:\/\/example\.org\/deep zoom\/'$/,
    );
    const title = /<title>([^<]*)<\/title>/.exec(page)?.[1];
    expect(title).toBe(`it&#39;s &quot;a&quot; &lt;b&gt;&amp;amp;: 300 x 200 (mandel-par ${VERSION})`);
    // Without --base-url the id is relative, as documented (docs/distributed.md).
    expect((await runCli([...args.slice(0, -1), join(dir, 'plain'), '--quiet'])).status).toBe(0);
    // Relative to info.json itself: ../plain is the folder (./plain named plain/plain).
    expect(JSON.parse(await readFile(join(dir, 'plain', 'info.json'), 'utf8')).id).toBe('../plain');
    // Rendered again into its own folder: replaced (it was refused as "a directory"); a folder of something else is not.
    expect((await runCli([...args.slice(0, -1), join(dir, 'plain'), '--quiet'])).status).toBe(0);
    await mkdir(join(dir, 'photos'));
    const other = await runCli([...args.slice(0, -1), join(dir, 'photos'), '--quiet']);
    expect(other.stderr).toMatch(
      /^mandel-par: --output: expected a new folder, or one this output made \(with its info\.json\)/,
    );
    expect(other.status).toBe(2);
    // A relative id is a URI too: the name as a path segment ("./ïiif #1 ?x" had a fragment and a query in it).
    // A folder's name may have dots: --out says the format (".5 names no format" refused "view-0.5").
    expect((await runCli([...args.slice(0, -1), join(dir, 'view-0.5'), '--quiet'])).status).toBe(0);
    expect(JSON.parse(await readFile(join(dir, 'view-0.5', 'info.json'), 'utf8')).id).toBe('../view-0.5');
    const odd = 'ïiif #1 ?x';
    expect((await runCli([...args.slice(0, -1), join(dir, odd), '--quiet'])).status).toBe(0);
    expect(JSON.parse(await readFile(join(dir, odd, 'info.json'), 'utf8')).id).toBe('../%C3%AFiif%20%231%20%3Fx');
  });

  it('DZI: the deepest level, its tiles stitched, is the PNG render pixel for pixel; the viewer page is beside it', async () => {
    const dir = await scratch();
    await inMemory(dir, 'reference.png');
    const run = await runCli([...VIEW, '-o', join(dir, 'pic.dzi'), '--tile-size', '128', '--quiet']);
    expect(run.status).toBe(0);
    expect((await readdir(dir)).sort()).toEqual(['pic.dzi', 'pic.html', 'pic_files', 'reference.png']);
    const descriptor = await readFile(join(dir, 'pic.dzi'), 'utf8');
    expect(descriptor).toMatch(/TileSize="128"[\s\S]*Height="400"\s+Width="600"/);
    const deepest = String(Math.ceil(Math.log2(600)));
    const tiles = join(dir, 'pic_files', deepest);
    const names = await readdir(tiles);
    expect(names.length).toBe(5 * 4);
    const stitched = Buffer.alloc(600 * 400 * 3);
    for (const name of names) {
      const [col, row] = name.replace('.png', '').split('_').map(Number);
      const { data, info } = await sharp(join(tiles, name)).raw().toBuffer({ resolveWithObject: true });
      for (let y = 0; y < info.height; y++) {
        data.copy(stitched, ((row * 128 + y) * 600 + col * 128) * 3, y * info.width * 3, (y + 1) * info.width * 3);
      }
    }
    expect(stitched.equals(await rawPixels(join(dir, 'reference.png')))).toBe(true);
    const page = await readFile(join(dir, 'pic.html'), 'utf8');
    expect(page).toContain('"Url":"pic_files/"');
    expect(page).toContain('//! openseadragon 6.1.1');
    expect(page).not.toMatch(/src="https?:/); // nothing from a CDN
  });

  it('IIIF: a folder with info.json, level-0 tiles that are the PNG render, from a render on disk', async () => {
    const dir = await scratch();
    await inMemory(dir, 'reference.png');
    const run = await runCli([...VIEW, '--out', 'iiif', '-o', join(dir, 'pic'), '--canvas', 'disk', '--quiet']);
    expect(run.status).toBe(0);
    expect((await readdir(dir)).sort()).toEqual(['pic', 'pic.html', 'reference.png']);
    const info = JSON.parse(await readFile(join(dir, 'pic', 'info.json'), 'utf8'));
    expect([info.type, info.width, info.height, info.tiles[0].width]).toEqual(['ImageService3', 600, 400, 256]);
    // PNG tiles said to be the format to ask for (a level-0 client asked for default.jpg: 404).
    expect([info.extraFormats, info.preferredFormats]).toEqual([['png'], ['png']]);
    const tile = await rawPixels(join(dir, 'pic', '256,256,256,144', '256,144', '0', 'default.png'));
    const expected = await sharp(join(dir, 'reference.png'))
      .extract({ left: 256, top: 256, width: 256, height: 144 })
      .raw()
      .toBuffer();
    expect(tile.equals(expected)).toBe(true);
  });
});
