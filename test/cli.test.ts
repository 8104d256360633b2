/** The installed command end to end: the original picture, files written atomically. */
import { execFileSync } from 'node:child_process';
import { lstat, mkdir, mkdtemp, readdir, readFile, stat, symlink, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nativeArgs, nativeBinary } from '../dist/bench/native.js';
import { CLI, closeSharedRenderer, referenceAscii, regionFlag, runCli, runMain, TEST_VIEWS } from './helpers.js';

afterAll(closeSharedRenderer);

const golden = await readFile(new URL('./golden/classic.txt', import.meta.url), 'latin1');

describe('mandel-par --out ascii', () => {
  it("prints the original program's picture byte for byte (golden from bench/original.py)", async () => {
    const run = await runMain(['--threads', '12', '--out', 'ascii']);
    expect(run.status).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toBe(golden);
    const lines = run.stdout.split('\n');
    expect(lines.pop()).toBe('');
    expect(lines.length).toBe(50);
    expect(lines.every((line) => line.length === 140 && /^[*-]+$/.test(line))).toBe(true);
  });

  it('starts no more workers than the cores for --threads 1024, says so with --stats, same picture', async () => {
    const cores = availableParallelism();
    const run = await runMain(['--threads', '1024', '--out', 'ascii', '--stats']);
    expect(run.stdout).toBe(golden);
    expect(run.stderr).toMatch(
      new RegExp(`^threads: at most ${cores} of the 1024 asked for: this machine runs ${cores} at once`, 'm'),
    );
    const used = Number(/tasks on (\d+) threads?/.exec(run.stderr)?.[1]);
    expect(used).toBeGreaterThanOrEqual(1);
    expect(used).toBeLessThanOrEqual(cores);
  });

  it('takes a negative region with or without "="', async () => {
    const view = TEST_VIEWS[1];
    const size = ['--width', String(view.width), '--height', String(view.height), '--max-iter', String(view.maxIter)];
    const { xMin, xMax, yMin, yMax } = view.region;
    const spaced = await runMain([...size, '--region', `${xMin},${xMax},${yMin},${yMax}`]);
    const joined = await runMain([...size, regionFlag(view.region)]);
    expect(spaced.stdout).toBe(referenceAscii(view));
    expect(joined.stdout).toBe(spaced.stdout);
  });
});

describe('-o FILE', () => {
  const small = ['--width', '30', '--height', '10', '--max-iter', '200'];

  it('creates missing folders, writes the file, and leaves no temporary file behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mandel-par-'));
    const path = join(dir, 'a', 'b', 'pic.txt');
    const run = await runMain([...small, '-o', path]);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    const stdoutRun = await runMain(small);
    expect(await readFile(path, 'latin1')).toBe(stdoutRun.stdout);
    expect(await readdir(join(dir, 'a', 'b'))).toEqual(['pic.txt']);
  });

  it('normalises the path: "a/../pic.png" creates no folder "a"', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mandel-par-'));
    const run = await runMain([...small, '-o', `${dir}/a/../pic.txt`]);
    expect(run.status).toBe(0);
    expect(await readdir(dir)).toEqual(['pic.txt']);
  });

  it('writes a stream into a device, says so, and refuses what a device cannot take, leaving it a device', async () => {
    const png = await runMain([...small, '--out', 'png', '-o', '/dev/null']);
    expect(png.stderr).toMatch(/^mandel-par: wrote \/dev\/null \(a device, 30 x 10 pixels, [\d.]+ s\)\n$/);
    expect(png.status).toBe(0);
    for (const [out, extra] of [
      ['iiif', []],
      ['dzi', []],
      ['tiff', []],
      ['png', ['--shard', '1/2']],
    ]) {
      const run = await runMain([...small, '--out', out as string, ...(extra as string[]), '-o', '/dev/null']);
      expect(run.stderr).toMatch(/^mandel-par: --output: expected a file path: .* but received "\/dev\/null"\n$/);
      expect(run.status).toBe(2);
    }
    expect((await stat('/dev/null')).isCharacterDevice()).toBe(true);
  });

  it('writes through a link to its own standard output (a pipe), and leaves the link a link', async () => {
    // As /dev/stdout is (-> /proc/self/fd/1): realpath cannot name the pipe, and a file renamed over the path had
    // replaced the link itself, the picture lost.
    const dir = await mkdtemp(join(tmpdir(), 'mandel-par-'));
    const link = join(dir, 'stdout');
    await symlink('/proc/self/fd/1', link);
    const piped = execFileSync('sh', [
      '-c',
      `"${process.execPath}" "${CLI}" ${small.join(' ')} --quiet -o "${link}" | cat`,
    ]);
    expect(piped.toString('latin1')).toBe((await runMain(small)).stdout);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    // Where standard output is a socket (as a Node child process's is), the path cannot be opened: said before any work.
    const socket = await runCli([...small, '-o', link]);
    expect(socket.stderr).toBe(
      `mandel-par: --output: expected a file, a device or a pipe, not a socket (-o - writes to standard output) (e.g. -o -), but received ${JSON.stringify(link)}\n`,
    );
    expect(socket.status).toBe(2);
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
  });

  it('-o /dev/stdout into a file opened to append (>>): written into the descriptor, nothing in the file lost', async () => {
    // Opened again by its name it was a new, truncating opening of the file: what it held was lost, and the file
    // replaced.
    const dir = await mkdtemp(join(tmpdir(), 'mandel-par-'));
    const log = join(dir, 'log');
    await writeFile(log, 'before\n');
    const inode = (await stat(log)).ino;
    const cli = `"${process.execPath}" "${CLI}" ${small.join(' ')} --quiet -o /dev/stdout`;
    execFileSync('sh', ['-c', `{ ${cli}; ${cli} --out png; echo after; } >> "${log}"`]);
    const ascii = (await runMain(small)).stdout;
    expect((await runMain([...small, '--out', 'png', '-o', join(dir, 'pic.png'), '--quiet'])).status).toBe(0);
    const png = await readFile(join(dir, 'pic.png'));
    const expected = Buffer.concat([Buffer.from(`before\n${ascii}`, 'latin1'), png, Buffer.from('after\n')]);
    expect((await readFile(log)).equals(expected)).toBe(true);
    expect((await stat(log)).ino).toBe(inode);
    // Any descriptor of its own: no probe file is made beside /dev/fd/3 (it was refused, ENOENT, as root too).
    const three = join(dir, 'three');
    execFileSync('sh', ['-c', `"${process.execPath}" "${CLI}" ${small.join(' ')} --quiet -o /dev/fd/3 3>>"${three}"`]);
    expect(await readFile(three, 'latin1')).toBe(ascii);
  });

  it('a FIFO whose reader comes later gets the whole picture', async () => {
    // The encoder wrote the FIFO itself, and the picture arrived empty (exit 0).
    const dir = await mkdtemp(join(tmpdir(), 'mandel-par-'));
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const copy = join(dir, 'copy.png');
    execFileSync('sh', [
      '-c',
      `(sleep 1; cat "${fifo}" > "${copy}") & "${process.execPath}" "${CLI}" ${small.join(' ')} --out png --quiet -o "${fifo}"; wait`,
    ]);
    expect((await runMain([...small, '--out', 'png', '-o', join(dir, 'file.png'), '--quiet'])).status).toBe(0);
    expect((await readFile(copy)).equals(await readFile(join(dir, 'file.png')))).toBe(true);
  });

  it('replaces an existing file only with a complete new one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mandel-par-'));
    const path = join(dir, 'pic.txt');
    await writeFile(path, 'old');
    expect((await runMain([...small, '--engine', 'bogus', '-o', path])).status).toBe(2);
    expect(await readFile(path, 'utf8')).toBe('old');
    expect((await runMain([...small, '-o', path])).status).toBe(0);
    expect((await readFile(path, 'latin1')).split('\n').length).toBe(11);
  });

  it('refuses a directory as the output path, before rendering, exit status 2', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mandel-par-'));
    await mkdir(join(dir, 'sub'));
    const run = await runMain([...small, '-o', join(dir, 'sub')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      `mandel-par: --output: expected a file path, not a directory (e.g. -o output/mandel.png), but received ${JSON.stringify(join(dir, 'sub'))}\n`,
    );
    expect(await readdir(join(dir, 'sub'))).toEqual([]);
    // A path ending in a separator names a folder even where there is none yet: it rendered the whole picture, then
    // failed to write it (exit 1).
    const slash = await runMain([...small, '--out', 'png', '-o', `${join(dir, 'new')}/`]);
    expect(slash.stderr).toMatch(/^mandel-par: --output: expected a file path, not a directory .*new\/"\n$/);
    expect(slash.status).toBe(2);
    expect(await readdir(dir)).toEqual(['sub']);
  });

  it('reports a folder that cannot be created, before rendering, with exit status 2 and the path', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mandel-par-'));
    await writeFile(join(dir, 'file'), 'x');
    const path = join(dir, 'file', 'pic.txt');
    const run = await runMain([...small, '-o', path]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(
      new RegExp(
        `^mandel-par: --output: cannot write "${path}": a part of the path is a file, not a folder \\(E\\w+\\)\\n$`,
      ),
    );
  });

  it('says a read-only file system is read-only, also where folders are missing (not ENOENT)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mandel-par-ro-'));
    // Needs root, as CI has: a test that cannot mount fails here rather than passing without checking.
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'ro,size=1m', 'tmpfs', dir]);
    try {
      for (const path of [join(dir, 'pic.txt'), join(dir, 'a', 'b', 'pic.txt')]) {
        const run = await runMain([...small, '-o', path]);
        expect(run.stderr).toBe(
          `mandel-par: --output: cannot write ${JSON.stringify(path)}: the file system is read-only (EROFS)\n`,
        );
        expect(run.status).toBe(2);
      }
    } finally {
      execFileSync('umount', [dir]);
    }
  });
});

describe('against the same loop in C (bench/native/mandel.c, gcc -O3 -ffp-contract=off)', () => {
  const native = nativeBinary();
  it.skipIf(!native).each(TEST_VIEWS.slice(1))('$name: the same picture, byte for byte', async (view) => {
    const args = ['--width', String(view.width), '--height', String(view.height), '--max-iter', String(view.maxIter)];
    const run = await runMain([...args, regionFlag(view.region)]);
    const c = execFileSync(native as string, [...nativeArgs(view), 'ascii'], { encoding: 'latin1' });
    expect(run.stdout).toBe(c);
  });
});
