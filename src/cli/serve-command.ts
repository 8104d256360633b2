/**
 * `mandel-par serve [--port N] [--host H]`: the explorer (serve/server.ts) on a renderer of its own. Its first line
 * on stderr says where it listens; Ctrl-C or SIGTERM stop it cleanly (renders in flight aborted), exit status 0.
 */
import { availableParallelism } from 'node:os';
import { addressNotServed, invalidOption } from '../errors.js';
import { LIMITS } from '../model/spec.js';
import { Renderer } from '../render/renderer.js';
import { createExplorerServer } from '../serve/server.js';
import type { RawArgs } from './parsers.js';
import { MAX_THREADS, single, wholeReader } from './parsers.js';
import { printLine } from './print.js';
import { abortOnSignals } from './signals.js';

export interface ServeOptions {
  port: number;
  host: string;
  threads: number;
  maxPixels: number;
}

/** The default port: free on most machines, and the same every run, so a bookmarked view keeps working. */
export const DEFAULT_PORT = 8723;

/** Largest picture one request renders by default: 4096 x 4096 (48 MiB of RGB while it is encoded). */
const DEFAULT_MAX_PIXELS = 4096 * 4096;

export function resolveServeOptions(raw: RawArgs, parallelism = availableParallelism()): ServeOptions {
  const whole = wholeReader(raw);
  const threads = whole('threads', 1, MAX_THREADS, '--threads 4', parallelism);
  const host = single(raw, 'host') ?? '127.0.0.1';
  // An empty name listened on every address, where the default is this machine only.
  if (host.trim() === '') throw invalidOption('host', host, 'an address or host name', '--host 127.0.0.1');
  return {
    port: whole('port', 0, 65535, '--port 8723', DEFAULT_PORT),
    host,
    threads: Math.min(threads, parallelism),
    maxPixels: whole('max-pixels', 1, LIMITS.size * LIMITS.size, '--max-pixels 16777216', DEFAULT_MAX_PIXELS),
  };
}

/** A serving worker without a request this long exits (RendererOptions.idleMs). */
const SERVE_IDLE_MS = 10_000;

/** Serves until a signal stops it. */
export async function runServe(o: ServeOptions): Promise<void> {
  // No worker is kept through a quiet spell: each would hold the memory of its largest deep view (docs/explorer.md).
  const renderer = await Renderer.create({
    threads: o.threads,
    minThreads: 0,
    idleMs: SERVE_IDLE_MS,
    logger: { warn: printLine },
  });
  const explorer = createExplorerServer({ renderer, maxPixels: o.maxPixels, log: printLine });
  const { signal, dispose } = abortOnSignals('');
  try {
    let address: string;
    try {
      address = await explorer.listen(o.port, o.host);
    } catch (err) {
      throw addressNotServed(o.host, o.port, err as NodeJS.ErrnoException);
    }
    printLine(`serving ${address}`);
    await new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
    printLine(`stopped by ${(signal.reason as Error).message.match(/SIG[A-Z]+/)?.[0] ?? 'a signal'}`);
  } finally {
    dispose();
    await explorer.close();
    await renderer.close();
  }
}
