/** Shared by the tests: the built CLI as a child process, test regions, and whole-image reference renders. */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MAX_THREADS } from '../dist/src/cli/parsers.js';
import { printLine } from '../dist/src/cli/print.js';
import { main } from '../dist/src/cli/run.js';
import { createJsEngine } from '../dist/src/engines/js.js';
import type { Region } from '../dist/src/plane/viewport.js';
import { planeMapping } from '../dist/src/plane/viewport.js';
import type { Renderer as RendererType } from '../dist/src/render/renderer.js';
import { Renderer } from '../dist/src/render/renderer.js';

export const CLI = fileURLToPath(new URL('../dist/src/bin/mandel-par.js', import.meta.url));

export interface CliRun {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Runs the built CLI with `args` (and extra environment variables); resolves when it exits. */
export function runCli(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const env = { ...process.env, ...options.env };
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
}

/** One renderer for every in-process run of a test file, made as the CLI makes its own (cli/start.ts). */
let shared: Promise<RendererType> | undefined;
const sharedRenderers = {
  get: () => {
    shared ??= Renderer.create({ threads: MAX_THREADS, minThreads: 1, logger: { warn: printLine } });
    return shared;
  },
  // Kept for the next run: closeSharedRenderer ends it.
  close: async () => {},
};

/** Ends the renderer the in-process runs share (an afterAll of a file that used runMain). */
export async function closeSharedRenderer(): Promise<void> {
  const renderer = shared;
  shared = undefined;
  await renderer?.then((r) => r.close());
}

type Write = typeof process.stdout.write;

/** Captures what `stream` is written while `work` runs, as text. */
async function capture<T>(stream: NodeJS.WriteStream, work: () => Promise<T>): Promise<[T, string]> {
  let text = '';
  const original = stream.write;
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    const done = rest.find((r) => typeof r === 'function') as ((err?: Error) => void) | undefined;
    if (done) queueMicrotask(() => done());
    return true;
  }) as Write;
  try {
    return [await work(), text];
  } finally {
    stream.write = original;
  }
}

/**
 * The CLI run in this process through `main(argv, ...)` (cli/run.ts), with the file's shared renderer: what a
 * spawned run (runCli) gives, its standard output and error and exit status, without a Node process's start-up.
 * For the command line's own behaviour (options, messages, files written); runCli stays for what needs a process
 * (signals, the environment of workers, standard output closed early, start-up itself).
 */
export async function runMain(args: string[], options: { cwd?: string } = {}): Promise<CliRun> {
  const before = process.cwd();
  if (options.cwd) process.chdir(options.cwd);
  try {
    const [[status, stdout], stderr] = await capture(process.stderr, () =>
      capture(process.stdout, () => main(args, sharedRenderers)),
    );
    return { status, signal: null, stdout, stderr };
  } finally {
    process.chdir(before);
  }
}

export interface TestView {
  name: string;
  region: Region;
  width: number;
  height: number;
  maxIter: number;
}

/** The classic view and three others: off the real axis, deep at the boundary, and wide. */
export const TEST_VIEWS: TestView[] = [
  { name: 'classic', region: { xMin: -2, xMax: 1, yMin: -1, yMax: 1 }, width: 140, height: 50, maxIter: 100000 },
  { name: 'off-axis', region: { xMin: -0.2, xMax: 0.2, yMin: 0.6, yMax: 1.1 }, width: 120, height: 45, maxIter: 3000 },
  {
    name: 'deep boundary (width 1e-10)',
    region: { xMin: -0.74364388708715, xMax: -0.74364388698715, yMin: 0.13182590417033, yMax: 0.13182590424533 },
    width: 100,
    height: 40,
    maxIter: 8000,
  },
  { name: 'wide', region: { xMin: -4, xMax: 4, yMin: -3, yMax: 3 }, width: 160, height: 60, maxIter: 500 },
];

/** The view rendered in this thread by the plain TS loop, no shortcuts, as one band: the oracle to match. */
export function referenceAscii(view: TestView): string {
  const { counts } = createJsEngine()({
    mapping: planeMapping(view.region, view.width, view.height),
    colStart: 0,
    width: view.width,
    rowStart: 0,
    rowCount: view.height,
    maxIter: view.maxIter,
    shortcuts: false,
  });
  const cells = Array.from(counts, (count) => (count === -1 ? '*' : '-')).join('');
  return Array.from({ length: view.height }, (_, r) => `${cells.slice(r * view.width, (r + 1) * view.width)}\n`).join(
    '',
  );
}

/** "--region=..." as the CLI takes it. */
export function regionFlag(region: Region): string {
  return `--region=${region.xMin},${region.xMax},${region.yMin},${region.yMax}`;
}
