/**
 * Where output goes. Files are written under a temporary name in the same folder and renamed into place only when
 * complete, so a failed run never leaves a half-written file at the output path, nor damages one already there.
 */

import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, realpath, rename, stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join, normalize, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { invalidOption, outputFailed, outputPathUnusable } from '../errors.js';

export interface Sink {
  /** Queues bytes; they are written in call order. */
  write(bytes: Uint8Array): void;
  /** Waits for every write and makes the output final. */
  finish(): Promise<void>;
  /** Throws away what was written (a failed or interrupted run). */
  discard(): Promise<void>;
}

/** A sink on standard output. */
export function stdoutSink(): Sink {
  let failure: Error | undefined;
  return {
    write(bytes) {
      process.stdout.write(bytes, (err) => {
        failure ??= err ?? undefined;
      });
    },
    async finish() {
      // An empty write's callback runs after everything queued before it has been handed to the OS.
      await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
      if (failure) throw outputFailed('standard output', failure);
    },
    async discard() {},
  };
}

/**
 * The descriptor of this process that `path` names (/dev/stdout, /dev/stderr, /dev/fd/N, /proc/self/fd/N), or
 * undefined. Such a path is written through the descriptor itself, as `-o -` writes standard output: opened again by
 * its name it is a new opening, truncated, of whatever the descriptor leads to (`>> log` lost what the log held).
 *
 * @example ownDescriptor('/dev/stdout') // 1
 */
export function ownDescriptor(path: string): number | undefined {
  const m = /^\/(?:dev\/(stdout|stderr|fd\/(\d+))|proc\/self\/fd\/(\d+))$/.exec(normalize(path));
  if (!m) return undefined;
  return m[1] === 'stdout' ? 1 : m[1] === 'stderr' ? 2 : Number(m[2] ?? m[3]);
}

/**
 * Where writing to `path` really goes: through a symbolic link to its target (renaming a file over the link would
 * replace the link), and straight into anything that is not a regular file, a device or a FIFO (`-o /dev/null` as
 * root would otherwise replace /dev/null with a file), or into one of this process's descriptors (`fd`, see
 * ownDescriptor). `direct` targets are written in place, not atomically; `staged` ones (FIFOs, descriptors) through a
 * whole file in the temporary folder (see writeAtomically).
 */
export async function outputTarget(
  path: string,
): Promise<{ path: string; direct: boolean; fd?: number; staged?: boolean }> {
  const fd = ownDescriptor(path);
  if (fd !== undefined) return { path, direct: true, fd, staged: true };
  // Anything there that is not a regular file is opened by the path given, through its links: realpath cannot name
  // a pipe (/dev/stdout -> /proc/self/fd/1 reads "pipe:[...]"), and falling back to a file renamed over the path
  // replaced the link /dev/stdout itself.
  const existing = await stat(path).catch(() => undefined);
  if (existing && !existing.isFile()) return { path, direct: true, staged: existing.isFIFO() };
  try {
    return { path: await realpath(path), direct: false };
  } catch {
    return { path, direct: false };
  }
}

/** Temporary files being written now, so that a process stopping at once can still remove them. */
const temporaries = new Set<string>();

/**
 * A part of temporary names that no other process writing the same folder has: the process id alone is not (in
 * containers every task of a job array can be process 1), so random bytes follow it.
 */
export function uniqueTag(): string {
  return `${process.pid}-${randomBytes(6).toString('hex')}`;
}

/** The temporary name a file is written under before it is renamed to `path` (recorded until it is gone). */
export function temporaryPath(path: string): string {
  const temp = join(dirname(path), `.${basename(path)}.${uniqueTag()}.tmp`);
  temporaries.add(temp);
  return temp;
}

/** `temp` is gone (renamed into place, or removed): a process stopping now has nothing to remove there. */
export function forgetTemporary(temp: string): void {
  temporaries.delete(temp);
}

/** Removes every temporary file (or folder) still being written, at once: for a process about to exit. */
export function removeTemporariesNow(): void {
  for (const temp of temporaries) rmSync(temp, { recursive: true, force: true });
  temporaries.clear();
}

/**
 * Creates `folder` and its missing parents. Node's recursive mkdir reports ENOENT whatever stopped it (a read-only
 * file system, a permission): the first missing folder is then made alone, for the error that says why.
 */
async function makeFolders(folder: string): Promise<void> {
  try {
    await mkdir(folder, { recursive: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    let missing = folder;
    while (
      !(await stat(dirname(missing)).then(
        () => true,
        () => false,
      )) &&
      dirname(missing) !== missing
    ) {
      missing = dirname(missing);
    }
    await mkdir(missing);
    throw err;
  }
}

/** Whether `path` is a device, a FIFO or one of this process's descriptors (written in place: see outputTarget). */
export async function isDevice(path: string): Promise<boolean> {
  if (ownDescriptor(path) !== undefined) return true;
  const existing = await stat(path).catch(() => undefined);
  return existing !== undefined && !existing.isFile() && !existing.isDirectory();
}

/**
 * What can be said of `path` without writing anything (for --dry-run too): a directory is refused (a path ending in
 * a separator names one too, existing or not: the render would fail only at its end), unless `folder` says the output
 * is one, `marker` a file every such output holds (an IIIF pyramid's info.json: rendered again, it is replaced; a
 * folder without it is not taken for one); and so is a path whose nearest existing ancestor is a file. Resolves to what
 * is there, if anything.
 */
export async function checkOutputPath(path: string, folder?: { marker: string }): Promise<Stats | undefined> {
  const existing = await stat(path).catch(() => undefined);
  // One of this process's descriptors is written through itself, whatever it leads to (even a socket).
  if (ownDescriptor(path) !== undefined) return existing;
  if (!folder && (existing?.isDirectory() || /[\\/]$/.test(path))) {
    throw invalidOption('output', path, 'a file path, not a directory', '-o output/mandel.png');
  }
  if (existing?.isDirectory() && folder && !(await stat(join(path, folder.marker)).catch(() => undefined))) {
    throw invalidOption(
      'output',
      path,
      `a new folder, or one this output made (with its ${folder.marker})`,
      '-o poster',
    );
  }
  // A socket cannot be opened by its path (a process's standard output that is one, as Node's child processes have,
  // reached through /dev/stdout or /proc/self/fd/1).
  if (existing?.isSocket()) {
    throw invalidOption(
      'output',
      path,
      'a file, a device or a pipe, not a socket (-o - writes to standard output)',
      '-o -',
    );
  }
  let ancestor = dirname(resolve(path));
  while (
    !(await stat(ancestor).then(
      () => true,
      () => false,
    )) &&
    dirname(ancestor) !== ancestor
  ) {
    ancestor = dirname(ancestor);
  }
  if (!(await stat(ancestor)).isDirectory()) {
    throw outputPathUnusable(path, Object.assign(new Error('not a folder'), { code: 'ENOTDIR' }));
  }
  return existing;
}

/**
 * Makes sure `path` can be written before any work starts: creates missing folders, and refuses a directory or
 * a folder where no file can be created (exit status 2). The test is a real file created and removed there:
 * permission bits say nothing to root, nor about a read-only file system.
 */
export async function prepareOutputPath(path: string, folder?: { marker: string }): Promise<void> {
  const existing = await checkOutputPath(path, folder);
  // A device, a FIFO, a folder output's own, or one of this process's descriptors: written in place.
  if ((existing && !existing.isFile()) || ownDescriptor(path) !== undefined) return;
  await probeFolder(path);
}

/**
 * Makes the folders up to `path` and writes a file beside it, or refuses what it meets, naming `shown` (the output
 * as given, where `path` is a file the output keeps beside it).
 */
export async function probeFolder(path: string, shown = path): Promise<void> {
  try {
    await makeFolders(dirname(resolve(path)));
    const probe = temporaryPath(path);
    await (await open(probe, 'wx')).close();
    await unlink(probe);
    forgetTemporary(probe);
  } catch (err) {
    throw outputPathUnusable(shown, err);
  }
}

/**
 * Writes a file at `path` through `write(tempPath)`, then renames it into place; on failure, or when `signal`
 * aborted meanwhile, removes the temporary file and leaves `path` as it was.
 */
export async function writeAtomically(
  given: string,
  write: (temp: string) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const target = await outputTarget(given);
  const { path } = target;
  if (target.direct && !target.staged) {
    // A device: written into in place.
    await write(path).catch((err) => {
      throw signal?.aborted ? signal.reason : outputFailed(given, err);
    });
    return;
  }
  if (target.direct) {
    // A FIFO or a descriptor (`staged`): made whole in the system's temporary folder, then written through in order:
    // an encoder writing a FIFO itself lost the picture (a PNG into a pipe whose reader came later arrived empty), and
    // a descriptor opened again by its name is a new, truncating opening.
    const temp = temporaryPath(join(tmpdir(), 'mandel-par-output'));
    try {
      await write(temp);
      signal?.throwIfAborted();
      await writeThrough(target, temp);
    } catch (err) {
      throw signal?.aborted ? signal.reason : outputFailed(given, err);
    } finally {
      await unlink(temp).catch(() => {});
      forgetTemporary(temp);
    }
    return;
  }
  const temp = temporaryPath(path);
  try {
    await write(temp);
    signal?.throwIfAborted();
    await rename(temp, path);
    forgetTemporary(temp);
  } catch (err) {
    await unlink(temp).catch(() => {});
    throw signal?.aborted ? signal.reason : outputFailed(given, err);
  }
}

/** `path` opened with `flags`; a failure is the output's (named as the user gave it). */
async function openOutput(path: string, flags: string, given: string): Promise<FileHandle> {
  try {
    return await open(path, flags);
  } catch (err) {
    throw outputFailed(given, err);
  }
}

/**
 * A sink that writes to `handle` in call order, stops writing at the first failure, and once every write is done
 * ends with `commit(failure)` on finish() or `abandon()` on discard().
 */
function handleSink(
  handle: FileHandle,
  commit: (failure: unknown) => Promise<void>,
  abandon: () => Promise<void>,
): Sink {
  let pending: Promise<unknown> = Promise.resolve();
  let failure: unknown;
  return {
    write(bytes) {
      pending = pending.then(() => (failure ? undefined : handle.writeFile(bytes).catch((err) => (failure = err))));
    },
    async finish() {
      await pending;
      await commit(failure);
    },
    async discard() {
      await pending;
      await abandon();
    },
  };
}

/**
 * The bytes of the file at `file` written through to a direct target (see outputTarget): into its descriptor, left
 * open, at its place and in its mode; or into the device or FIFO at its path, opened to write.
 */
export async function writeThrough(target: { path: string; fd?: number }, file: string): Promise<void> {
  const into = target.fd === undefined ? createWriteStream(target.path) : descriptorStream(target.fd);
  await pipeline(createReadStream(file), into);
}

/** A stream into one of this process's descriptors, at its place and in its mode, left open when it ends. */
const descriptorStream = (fd: number) => createWriteStream('', { fd, autoClose: false });

/** A sink on one of this process's descriptors (see ownDescriptor), left open. */
function descriptorSink(fd: number, given: string): Sink {
  const stream = descriptorStream(fd);
  let failure: unknown;
  stream.on('error', (err) => {
    failure ??= err;
  });
  const end = () => new Promise<void>((resolve) => stream.end(resolve));
  return {
    write(bytes) {
      if (!failure) stream.write(bytes);
    },
    async finish() {
      await end();
      if (failure) throw outputFailed(given, failure);
    },
    discard: end,
  };
}

/** A sink that becomes the file at `path` on finish(); nothing appears there before. */
export async function atomicFileSink(given: string): Promise<Sink> {
  const { path, direct, fd } = await outputTarget(given);
  if (fd !== undefined) return descriptorSink(fd, given);
  if (direct) return directFileSink(path, given);
  const temp = temporaryPath(path);
  const handle = await openOutput(temp, 'wx', given);
  const cleanUp = async () => {
    await handle.close().catch(() => {});
    await unlink(temp).catch(() => {});
  };
  const commit = async (failure: unknown) => {
    try {
      if (failure) throw failure;
      await handle.sync();
      await handle.close();
      await rename(temp, path);
      forgetTemporary(temp);
    } catch (err) {
      await cleanUp();
      throw outputFailed(given, err);
    }
  };
  return handleSink(handle, commit, cleanUp);
}

/** A sink written straight into a device or a FIFO (see outputTarget): nothing to rename, nothing to remove. */
async function directFileSink(path: string, given: string): Promise<Sink> {
  const handle = await openOutput(path, 'w', given);
  const close = () => handle.close().catch(() => {});
  const commit = async (failure: unknown) => {
    await close();
    if (failure) throw outputFailed(given, failure);
  };
  return handleSink(handle, commit, close);
}
