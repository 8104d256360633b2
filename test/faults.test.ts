/**
 * Faults meet the real CLI: a worker that throws or exits (through the worker's test-only fault hook), signals
 * mid-render, output paths that cannot be written, a full disk. Each ends with one line, the right exit status,
 * no temporary file, and any earlier file at the output path untouched.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, runCli } from './helpers.js';

async function folderWithOldFile(name: string): Promise<{ dir: string; path: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'mandel-par-faults-'));
  const path = join(dir, name);
  await writeFile(path, 'the previous picture');
  return { dir, path };
}

async function expectUntouched(dir: string, name: string): Promise<void> {
  expect(await readdir(dir)).toEqual([name]); // no temporary file left beside it
  expect(await readFile(join(dir, name), 'utf8')).toBe('the previous picture');
}

function runWithFault(fault: string, args: string[]) {
  return runCli(args, { env: { MANDEL_PAR_TEST_FAULT: fault } });
}

describe('a worker that fails mid-render', () => {
  const args = ['--width', '80', '--height', '60', '--max-iter', '200', '--threads', '2', '--band-rows', '5'];

  it.each([
    ['throws', 'throw:33', 'injected fault at row 33'],
    ['exits', 'exit:33', 'worker exited with code: 70'],
  ])('%s: the render stops, the message names the band, exit status 1', async (_, fault, why) => {
    const { dir, path } = await folderWithOldFile('pic.txt');
    const run = await runWithFault(fault, [...args, '-o', path]);
    expect(run.stderr).toBe(`mandel-par: band 6 (rows 30-34) failed: ${why}; the render was stopped\n`);
    expect(run.status).toBe(1);
    await expectUntouched(dir, 'pic.txt');
  });

  it("MANDEL_PAR_DEBUG=1 adds the worker's own stack under the one-line message", async () => {
    const run = await runCli([...args, '-o', '-'], {
      env: { MANDEL_PAR_TEST_FAULT: 'throw:33', MANDEL_PAR_DEBUG: '1' },
    });
    expect(run.stderr).toMatch(
      /^mandel-par: band 6 \(rows 30-34\) failed: injected fault at row 33; the render was stopped\nError: injected fault at row 33\n\s+at injectFault /,
    );
    expect(run.status).toBe(1);
  });

  it('while the other workers are still starting (a V8 abort once, on Node 20): ten runs, each clean', async () => {
    for (let k = 0; k < 10; k++) {
      const run = await runWithFault('throw:0', [
        '--width',
        '40',
        '--height',
        '40',
        '--threads',
        '8',
        '--band-rows',
        '1',
      ]);
      expect(run.stderr).toBe(
        'mandel-par: band 0 (rows 0-0) failed: injected fault at row 0; the render was stopped\n',
      );
      expect(run.status).toBe(1);
    }
  });

  it('in a PNG render: nothing is written', async () => {
    const { dir, path } = await folderWithOldFile('pic.png');
    // A fixed cycle: --cycle auto samples a picture this small whole first, and the fault would end that sample.
    const run = await runWithFault('exit:57', ['--out', 'png', ...args, '--cycle', '64', '-o', path]);
    expect(run.stderr).toBe(
      'mandel-par: band 11 (rows 55-59) failed: worker exited with code: 70; the render was stopped\n',
    );
    expect(run.status).toBe(1);
    await expectUntouched(dir, 'pic.png');
  });
});

/** Starts the CLI slowed down (every band sleeps), waits until its temporary file exists, then signals it. */
async function interrupt(signal: NodeJS.Signals, args: string[], dir: string) {
  const child = spawn(process.execPath, [CLI, ...args], {
    env: { ...process.env, MANDEL_PAR_TEST_FAULT: 'slow:100' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
  const started = Date.now();
  const busy = () => readdir(dir).then((names) => names.some((n) => n.endsWith('.tmp')) || Date.now() - started > 1500);
  while (!(await busy())) await new Promise((r) => setTimeout(r, 20));
  await new Promise((r) => setTimeout(r, 200));
  child.kill(signal);
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { status, stderr };
}

describe('signals mid-render', () => {
  const args = ['--width', '100', '--height', '200', '--threads', '2', '--band-rows', '2'];

  it('SIGINT during an ASCII render to a file: temporary file removed, one line, exit status 130', async () => {
    const { dir, path } = await folderWithOldFile('pic.txt');
    const run = await interrupt('SIGINT', [...args, '-o', path], dir);
    expect(run.stderr).toBe(
      `mandel-par: interrupted by SIGINT: the render was stopped; ${JSON.stringify(path)} was left as it was\n`,
    );
    expect(run.status).toBe(130);
    await expectUntouched(dir, 'pic.txt');
  });

  it('SIGTERM during a PNG render: nothing written, one line, exit status 143', async () => {
    const { dir, path } = await folderWithOldFile('pic.png');
    const run = await interrupt('SIGTERM', ['--out', 'png', ...args, '-o', path], dir);
    expect(run.stderr).toBe(
      `mandel-par: interrupted by SIGTERM: the render was stopped; ${JSON.stringify(path)} was left as it was\n`,
    );
    expect(run.status).toBe(143);
    await expectUntouched(dir, 'pic.png');
  });

  it.each([
    ['SIGHUP', 129], // a terminal closed: it left the temporary file behind
    ['SIGQUIT', 131],
  ] as const)('%s during a TIFF render: nothing left behind, one line, exit status %i', async (signal, status) => {
    const { dir, path } = await folderWithOldFile('pic.tif');
    const run = await interrupt(signal, ['--out', 'tiff', ...args, '-o', path], dir);
    expect(run.stderr).toBe(
      `mandel-par: interrupted by ${signal}: the render was stopped; ${JSON.stringify(path)} was left as it was\n`,
    );
    expect(run.status).toBe(status);
    await expectUntouched(dir, 'pic.tif');
  });
});

describe('output paths that cannot be used are refused before rendering', () => {
  it.each([
    ['a read-only file system', '/proc/mandel-par-test.png'],
    ['a path through a file', '/etc/hostname/pic.png'],
  ])('%s: exit status 2, one line naming the path', async (_, path) => {
    const run = await runCli(['--out', 'png', '--width', '4000', '--height', '4000', '-o', path]);
    expect(run.stderr).toMatch(
      new RegExp(`^mandel-par: --output: cannot write ${JSON.stringify(path).replace(/[.]/g, '\\.')}: [^\\n]+\\n$`),
    );
    expect(run.status).toBe(2);
    expect(existsSync(path)).toBe(false);
  });
});

/** A 256 KiB tmpfs: a real full disk. Needs root and mount rights (CI and development machines have them). */
const tiny = join(tmpdir(), `mandel-par-tiny-${process.pid}`);
const mounted = (() => {
  spawnSync('mkdir', ['-p', tiny]);
  return spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tmpfs', tiny]).status === 0;
})();
afterAll(() => {
  if (mounted) spawnSync('umount', [tiny]);
});

describe('a write that fails', () => {
  it.skipIf(!mounted).each([
    ['PNG', ['--out', 'png', '--width', '1500', '--height', '1000', '--max-iter', '50'], 'pic.png'],
    ['ASCII', ['--width', '2000', '--height', '500', '--max-iter', '20'], 'pic.txt'],
  ])('%s to a full disk: exit status 1, no partial file, the previous file intact', async (_, args, name) => {
    const dir = join(tiny, name.replace('.', '-'));
    await mkdir(dir);
    await writeFile(join(dir, name), 'the previous picture');
    const run = await runCli([...args, '-o', join(dir, name)]);
    expect(run.stderr).toMatch(
      new RegExp(
        `^mandel-par: cannot write "${join(dir, name)}": (no space left on the device \\(ENOSPC\\)|No space left on device)\\n$`,
      ),
    );
    expect(run.status).toBe(1);
    await expectUntouched(dir, name);
  });

  it.skipIf(!mounted)(
    'a render on disk whose canvas the disk cannot hold: refused before it starts (exit 2)',
    async () => {
      const dir = join(tiny, 'canvas-too-big');
      await mkdir(dir);
      await writeFile(join(dir, 'pic.png'), 'the previous picture');
      // 300 x 300 RGB: a 270 KB canvas on a 256 KiB disk.
      const run = await runCli(['--canvas', 'disk', '--width', '300', '--height', '300', '-o', join(dir, 'pic.png')]);
      expect(run.stderr).toMatch(
        new RegExp(
          `^mandel-par: --output: the render on disk needs 270 KB in "${dir}", but only \\d+ KB is free there: ` +
            'free some space, or write to another disk with -o\n$',
        ),
      );
      expect(run.status).toBe(2);
      await expectUntouched(dir, 'pic.png');
    },
  );

  it.skipIf(!mounted)('a render on disk whose picture no longer fits: exit 1, parts kept for --resume', async () => {
    const dir = join(tiny, 'picture-too-big');
    await mkdir(dir);
    const path = join(dir, 'pic.png');
    await writeFile(path, 'the previous picture');
    // 220 x 220: the canvas (145 KB) fits, then the uncompressed PNG (146 KB) does not.
    const args = ['--canvas', 'disk', '--width', '220', '--height', '220', '--compression', '0', '-o', path];
    const run = await runCli(args);
    expect(run.stderr).toBe(
      `mandel-par: cannot write ${JSON.stringify(path)}: No space left on device; its finished part is kept in ` +
        `${JSON.stringify(`${path}.parts`)}: run the same command with --resume to continue\n`,
    );
    expect(run.status).toBe(1);
    expect(await readFile(path, 'utf8')).toBe('the previous picture');
    expect((await readdir(`${path}.parts`)).sort()).toEqual(['canvas.v', 'done-1-of-1.log', 'job.json']);
  });

  it('over the file-size limit (prlimit --fsize): exit status 1, one line, previous file intact', async () => {
    const { dir, path } = await folderWithOldFile('pic.png');
    const args = [`--fsize=${64 * 1024}`, process.execPath, CLI, '--out', 'png', '--width', '1500', '--height', '1000'];
    const run = spawnSync('prlimit', [...args, '--max-iter', '50', '-o', path], { encoding: 'utf8' });
    expect(run.stderr).toBe(`mandel-par: cannot write ${JSON.stringify(path)}: File too large\n`);
    expect(run.status).toBe(1);
    await expectUntouched(dir, 'pic.png');
  });
});
