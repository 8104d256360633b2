/**
 * Where output goes. Files are written under a temporary name in the same folder and renamed into place only when
 * complete, so a failed run never leaves a half-written file at the output path, nor damages one already there.
 */
import type { FileHandle } from 'node:fs/promises';
import { mkdir, open, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
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

/** The temporary name a file is written under before it is renamed to `path`. */
export function temporaryPath(path: string): string {
  return join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
}

/**
 * Makes sure `path` can be written before any work starts: creates missing folders, and refuses a directory or
 * a folder where no file can be created (exit status 2). The test is a real file created and removed there:
 * permission bits say nothing to root, nor about a read-only file system.
 */
export async function prepareOutputPath(path: string): Promise<void> {
  const existing = await stat(path).catch(() => undefined);
  if (existing?.isDirectory()) {
    throw invalidOption('output', path, 'a file path, not a directory', '-o output/mandel.png');
  }
  try {
    await mkdir(dirname(path), { recursive: true });
    const probe = temporaryPath(path);
    await (await open(probe, 'wx')).close();
    await unlink(probe);
  } catch (err) {
    throw outputPathUnusable(path, err);
  }
}

/**
 * Writes a file at `path` through `write(tempPath)`, then renames it into place; on failure, or when `signal`
 * aborted meanwhile, removes the temporary file and leaves `path` as it was.
 */
export async function writeAtomically(
  path: string,
  write: (temp: string) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  const temp = temporaryPath(path);
  try {
    await write(temp);
    signal?.throwIfAborted();
    await rename(temp, path);
  } catch (err) {
    await unlink(temp).catch(() => {});
    throw signal?.aborted ? signal.reason : outputFailed(path, err);
  }
}

/** A sink that becomes the file at `path` on finish(); nothing appears there before. */
export async function atomicFileSink(path: string): Promise<Sink> {
  const temp = temporaryPath(path);
  let handle: FileHandle;
  try {
    handle = await open(temp, 'wx');
  } catch (err) {
    throw outputFailed(path, err);
  }
  let pending: Promise<unknown> = Promise.resolve();
  let failure: unknown;
  const cleanUp = async () => {
    await handle.close().catch(() => {});
    await unlink(temp).catch(() => {});
  };
  return {
    write(bytes) {
      pending = pending.then(() => (failure ? undefined : handle.writeFile(bytes).catch((err) => (failure = err))));
    },
    async finish() {
      await pending;
      try {
        if (failure) throw failure;
        await handle.sync();
        await handle.close();
        await rename(temp, path);
      } catch (err) {
        await cleanUp();
        throw outputFailed(path, err);
      }
    },
    async discard() {
      await pending;
      await cleanUp();
    },
  };
}
