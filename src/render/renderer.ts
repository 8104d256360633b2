/**
 * The renderer: long-lived, it owns the worker pool and the compiled WASM module, and renders any number of specs,
 * each through a plan into a destination. Nothing here writes to the terminal: progress and problems reach the
 * caller through callbacks and the injected logger.
 */

import { availableParallelism } from 'node:os';
import { chooseReference } from '../engines/reference.js';
import type { WasmInstance } from '../engines/wasm.js';
import { compileWasmModule, instantiateWasm, keptWasmBytes } from '../engines/wasm.js';
import type { RenderError } from '../errors.js';
import {
  closedWhileRendering,
  imageTooSmall,
  invalidArgument,
  precisionLost,
  rectOutsideImage,
  rendererClosed,
  taskFailed,
} from '../errors.js';
import type { Colouring } from '../model/colouring.js';
import type { Plan, Rect } from '../model/plan.js';
import { defaultBandRows, planBands, planTaperedBands } from '../model/plan.js';
import type { RenderSpec } from '../model/spec.js';
import { LIMITS, pixelAspect, validateSpec } from '../model/spec.js';
import type { Tally } from '../model/tally.js';
import { addTally, EMPTY_TALLY } from '../model/tally.js';
import type {
  PerturbJob,
  PerturbWork,
  PixelFormat,
  RenderTask,
  SharedImage,
  TaskOutput,
  TaskPlacement,
  TaskResult,
} from '../model/task.js';
import { PIXEL_BYTES, PIXEL_FORMATS, rectByteLength, TASK_RUNNING } from '../model/task.js';
import { addWork } from '../model/work.js';
import type { Destination } from '../outputs/destinations.js';
import { checkPrecision } from '../plane/precision.js';
import type { DeepView } from '../plane/view.js';
import { regionOfView, sampleGrid } from '../plane/view.js';
import type { Region } from '../plane/viewport.js';
import { planeMapping } from '../plane/viewport.js';
import { deepWorkers, feedTasks, initialWorkers } from './feeder.js';
import type { RenderPool } from './pool.js';
import { createRenderPool, TASKS_PER_WORKER } from './pool.js';

/** Where the renderer's warnings go (a worker failing outside any task); the CLI prints them, a server logs them. */
export interface Logger {
  warn(message: string): void;
}

export interface RendererOptions {
  /** Most worker threads [default: the available parallelism]. */
  threads?: number;
  /**
   * Workers started at once and kept warm [default: `threads`]. More start, up to `threads`, when a render's queued
   * work would outlast a worker's start-up (see render/feeder.ts); they then stay.
   */
  minThreads?: number;
  /**
   * Workers above `minThreads` that have had no task this long exit, and with them all they hold [default: never]: a
   * worker's WASM memory grows to its largest deep job's (103 MB after a 10^6-point reference) and is freed only
   * when the thread ends (an idle thread's V8 collects nothing). A long-lived renderer between visits (`serve`).
   */
  idleMs?: number;
  /** The compiled WASM module, when the caller already has it [default: build/mandel.wasm, compiled now]. */
  wasmModule?: WebAssembly.Module;
  logger?: Logger;
}

export interface RenderCall {
  /** Receives each finished rectangle. */
  destination: Destination;
  /** How the work is cut [default: full-width bands, about 8 per thread]. Need not cover the whole image. */
  plan?: Plan;
  /** Most worker threads this render may use [default: the renderer's `threads`]; they start as the work needs. */
  maxThreads?: number;
  /**
   * Threads a deep render's workers are started for ahead of its setup [default: `maxThreads`]: more when a render on
   * more threads follows (a time estimate's one-thread sample computes the reference orbit the render then reuses).
   */
  startThreads?: number;
  /** Stops the render: tasks not started are dropped, running ones abandoned; render() rejects with the reason. */
  signal?: AbortSignal;
  /** Called after each finished task. */
  onProgress?(done: number, total: number): void;
}

export interface RenderStats {
  tasks: number;
  wallMs: number;
  /** Time per worker thread, in milliseconds, keyed by thread id: iterating, and making output. */
  iterateMsByThread: Map<number, number>;
  outputMsByThread: Map<number, number>;
  /** The workers' time on deep jobs' one-time setup (copying the orbit in, the double-double runs), in ms. */
  setupMs: number;
  /**
   * Each task's time in its worker (iterating and making output, a deep job's one-time setup apart: setupMs), in ms,
   * by its index in the plan.
   */
  taskMs: number[];
  /** What the samples came to: inside, escaped, the escape counts' range (model/tally.ts). */
  tally: Tally;
  /** The WASM instances each thread reported using (one per thread when the pool is right). */
  instancesByThread: Map<number, Set<string>>;
  /**
   * A perturbation render's reference: the time choosing it and computing its orbit and tables took, its points, and
   * whether the renderer had kept it from an earlier render (a time estimate's sample, say), which took that time
   * then: it is not in this render's wallMs.
   */
  reference?: { ms: number; points: number; kept: boolean };
  /** A perturbation render's work, summed over its tasks. */
  perturbWork?: PerturbWork;
}

const SILENT: Logger = { warn() {} };

/**
 * Reference setups a renderer keeps (see #perturbation), each its orbit, low parts and BLA tables: a few tens of
 * bytes a point of the orbit.
 */
const KEPT_SETUPS = 4;

/**
 * Bands per thread of a deep render's default plan: its rows differ in cost far more than a shallow render's (a row
 * through a minibrot against one of quick escapes), and a band costs little to start (the orbit is copied into a
 * worker once). At the 1e30 seahorse view, 640 x 360 at 100000 iterations on 2 threads: 16 bands 3.2 s, 45 bands 2.9 s.
 */
const DEEP_BANDS_PER_THREAD = 24;

/**
 * The plan a render gets when the caller gives none: full-width bands, about 8 per thread; for a deep render, whose
 * bands take tens of ms and more each, about 24, narrowing at the bottom so that the threads finish together.
 *
 * @example defaultPlan(createSpec(), 2).length // 13 bands of 4 rows for the classic picture
 */
export function defaultPlan(spec: RenderSpec, threads: number): Plan {
  const samplesPerRow = spec.width * spec.aa * spec.aa;
  if (spec.engine !== 'perturb') {
    return planBands(spec.width, spec.height, defaultBandRows(spec.height, samplesPerRow, threads));
  }
  const rows = defaultBandRows(spec.height, samplesPerRow, threads, DEEP_BANDS_PER_THREAD);
  return planTaperedBands(spec.width, spec.height, rows, threads);
}

/** Refuses a shared image that a rectangle of the plan would write past (workers place rows by its width). */
function checkSharedImage(plan: Plan, image: SharedImage, format: PixelFormat): void {
  const size = PIXEL_BYTES[format as keyof typeof PIXEL_BYTES] ?? 0;
  for (const rect of plan.flat()) {
    const end = ((rect.y + rect.h - 1) * image.width + rect.x + rect.w) * size;
    if (rect.x + rect.w > image.width || end > image.buffer.byteLength) {
      throw imageTooSmall(rect, { width: image.width, bytes: image.buffer.byteLength }, format, size);
    }
  }
}

/** Refuses RendererOptions a pool cannot be made of (Piscina's own errors, or a heap exhausted by 5000 threads). */
function checkRendererOptions(o: RendererOptions): void {
  // A mistyped option (`thread: 2`) would be dropped without a word.
  const known: (keyof RendererOptions)[] = ['threads', 'minThreads', 'idleMs', 'wasmModule', 'logger'];
  const stray = Object.keys(o).find((k) => !(known as string[]).includes(k));
  if (stray !== undefined) {
    throw invalidArgument(
      `RendererOptions.${stray}`,
      (o as Record<string, unknown>)[stray],
      `no such option (${known.join(', ')})`,
    );
  }
  const whole = (name: keyof RendererOptions, min: number) => {
    const v = o[name];
    if (v !== undefined && !(Number.isInteger(v) && (v as number) >= min && (v as number) <= LIMITS.threads)) {
      throw invalidArgument(`RendererOptions.${name}`, v, `a whole number from ${min} to ${LIMITS.threads}`);
    }
  };
  whole('threads', 1);
  whole('minThreads', 0);
  // More kept than allowed was cut down without a word.
  if (o.minThreads !== undefined && o.threads !== undefined && o.minThreads > o.threads) {
    throw invalidArgument('RendererOptions.minThreads', o.minThreads, `at most threads (${o.threads})`);
  }
  if (o.idleMs !== undefined && !(typeof o.idleMs === 'number' && o.idleMs >= 0)) {
    throw invalidArgument('RendererOptions.idleMs', o.idleMs, 'milliseconds, 0 or more');
  }
}

/** Refuses a RenderCall without a destination of a known pixel format, or with threads that are no number of them. */
function checkRenderCall(call: RenderCall): void {
  // 0 was taken as 1 without a word (more than the renderer has are its all, as documented).
  const { maxThreads } = call ?? {};
  if (maxThreads !== undefined && !(Number.isInteger(maxThreads) && maxThreads >= 1)) {
    throw invalidArgument(
      'RenderCall.maxThreads',
      maxThreads,
      "a whole number of 1 or more (past the renderer's threads, all of them)",
    );
  }
  const format = call?.destination?.format;
  if (!(PIXEL_FORMATS as readonly unknown[]).includes(format) || typeof call.destination.receive !== 'function') {
    throw invalidArgument(
      'RenderCall.destination',
      format,
      `a destination (asciiText, pbmBitmap, pixelData, rgbImage, rectBytes) of a format among ${PIXEL_FORMATS.join(', ')}`,
    );
  }
}

function checkPlan(plan: Plan, width: number, height: number): void {
  // A plan of another shape ('bands', a rectangle alone) said "plan.flat is not a function", or read x of undefined.
  if (!(Array.isArray(plan) && plan.every(Array.isArray))) {
    throw invalidArgument('RenderCall.plan', plan, 'tasks: an array of arrays of { x, y, w, h } rectangles');
  }
  const whole = (v: number) => Number.isInteger(v) && v >= 0;
  for (const rect of plan.flat()) {
    const inside =
      typeof rect === 'object' &&
      rect !== null &&
      [rect.x, rect.y, rect.w, rect.h].every(whole) &&
      rect.w > 0 &&
      rect.h > 0;
    if (!(inside && rect.x + rect.w <= width && rect.y + rect.h <= height)) throw rectOutsideImage(rect, width, height);
  }
}

function add(map: Map<number, number>, key: number, value: number): void {
  map.set(key, (map.get(key) ?? 0) + value);
}

/**
 * A pool of worker threads, each with its own instance of the WASM module, ready to render.
 *
 * @example
 * const renderer = await Renderer.create({ threads: 4 });
 * const image = rgbImage(800, 600);
 * await renderer.render(createSpec({ output: { format: 'png' }, width: 800, height: 600 }), { destination: image });
 * await renderer.close();
 */
export class Renderer {
  readonly threads: number;
  readonly #pool: RenderPool;
  readonly #logger: Logger;
  /** Workers that have started and can take tasks (Piscina says so when each is ready, and when one goes). */
  readonly #ready = new Set<unknown>();
  /** Called when a worker becomes ready or goes (a feeder waiting to hand out tasks). */
  readonly #onChange = new Set<() => void>();
  /** Tasks handed to the pool and not yet settled, of every render. */
  #running = 0;
  /** Renders in progress: workers are started ahead of a render's setup only when it is the only one. */
  #rendering = 0;
  /** close() was called. */
  #closed = false;
  /**
   * The last few reference setups, by what they were computed for, most recent last: a spec rendered again (tiles,
   * shards, an explorer's coarse and fine passes of one view, renders running side by side) computes it once.
   */
  readonly #perturbCache = new Map<string, Promise<{ job: PerturbJob; ms: number }>>();
  readonly #wasmModule: WebAssembly.Module;
  /**
   * The WASM instance of this thread, for the reference orbit and the survey that chooses it (made when first needed).
   */
  #survey: Promise<WasmInstance> | undefined;

  private constructor(threads: number, pool: RenderPool, logger: Logger, wasmModule: WebAssembly.Module) {
    this.threads = threads;
    this.#wasmModule = wasmModule;
    this.#pool = pool;
    this.#logger = logger;
    pool.on('workerCreate', (worker: unknown) => {
      this.#ready.add(worker);
      for (const listener of this.#onChange) listener();
    });
    pool.on('workerDestroy', (worker: unknown) => {
      this.#ready.delete(worker);
      for (const listener of this.#onChange) listener();
    });
  }

  /** Starts the pool (see RendererOptions); options out of range are refused (UsageError) before any worker starts. */
  static async create(options: RendererOptions = {}): Promise<Renderer> {
    checkRendererOptions(options);
    const threads = options.threads ?? availableParallelism();
    const logger = options.logger ?? SILENT;
    const wasmModule = options.wasmModule ?? (await compileWasmModule());
    const pool = createRenderPool({
      wasmModule,
      minThreads: Math.min(options.minThreads ?? threads, threads),
      maxThreads: threads,
      idleMs: options.idleMs,
      onError: (message) => logger.warn(`worker error: ${message}`),
    });
    return new Renderer(threads, pool, logger, wasmModule);
  }

  /** Worker threads running now. */
  get liveThreads(): number {
    return this.#pool.threads.length;
  }

  /**
   * Starts workers up to `count` now, without waiting for them: a deep render's serial setup (its reference orbit,
   * tens of ms to seconds) then overlaps their start-up (70 ms or so each) instead of preceding it. Piscina starts a
   * worker only for a task that no ready worker can take, and goes on starting them while tasks wait in its queue: so
   * each ready worker is given an empty task, then for each worker wanted an abortable empty task (which Piscina
   * gives only to an idle worker: there is none) is handed over, which starts one, and withdrawn at once. Resolves
   * when the ready workers are done with their empty tasks: the feeder counts on their room. A worker that cannot
   * start here is left to the render, which starts workers as it needs them.
   */
  async #startWorkers(count: number, colouring: Colouring): Promise<void> {
    const wanted = count - this.liveThreads;
    if (wanted <= 0) return;
    const states = new Int32Array(new SharedArrayBuffer(8));
    const empty: RenderTask = {
      mapping: planeMapping({ xMin: 0, xMax: 1, yMin: 0, yMax: 1 }, 1, 1),
      aa: 1,
      maxIter: 1,
      shortcuts: false,
      engine: 'js',
      output: { format: 'ascii', colouring },
      rects: [],
      index: 0,
      states,
    };
    const occupied = Array.from({ length: this.#ready.size }, () => this.#pool.run(empty).catch(() => {}));
    for (let k = 0; k < wanted; k++) {
      const withdraw = new AbortController();
      this.#pool.run(empty, { signal: withdraw.signal }).catch(() => {});
      withdraw.abort();
    }
    await Promise.all(occupied);
  }

  /**
   * Renders `spec` (checked first) task by task, handing each finished rectangle to the destination, in any order.
   * A view deeper than f64 can draw is rendered, with a warning to the logger (plane/precision.ts).
   * On the first failed task, or when the signal aborts, the other tasks are cancelled; a failure names its task.
   */
  async render(spec: RenderSpec, call: RenderCall): Promise<RenderStats> {
    this.#rendering++;
    try {
      return await this.#render(spec, call);
    } finally {
      this.#rendering--;
    }
  }

  async #render(spec: RenderSpec, call: RenderCall): Promise<RenderStats> {
    if (this.#closed) throw rendererClosed();
    validateSpec(spec);
    checkRenderCall(call);
    const cap = Math.max(1, Math.min(call.maxThreads ?? this.threads, this.threads));
    const plan = call.plan ?? defaultPlan(spec, cap);
    checkPlan(plan, spec.width, spec.height);
    const aspect = pixelAspect(spec.output.format);
    // validateSpec has made sure that a view drawn by a direct engine has an f64 region.
    const region = spec.region ?? regionOfView(spec.view as DeepView, spec.width, spec.height, aspect);
    const perturbing = spec.engine === 'perturb';
    const { destination } = call;
    const { format, sharedImage, canvas } = destination;
    if (sharedImage) checkSharedImage(plan, sharedImage, format);
    // Supersampling is for colour; ASCII, bits and data are the pixels' own values.
    const aa = format === 'rgb' ? spec.aa : 1;
    const samples = spec.width * spec.height * aa * aa;
    // The only render here, and deep: its workers start now, while its setup runs (see deepWorkers).
    const warm = deepWorkers(samples, Math.max(cap, Math.min(call.startThreads ?? cap, this.threads)));
    // Not while tasks of an earlier render are still running (one that stopped abandons its tasks): the workers
    // holding them would take the empty tasks late, and the queue would start workers past the limit.
    const starting =
      perturbing && warm > this.liveThreads && this.#rendering === 1 && this.#running === 0
        ? this.#startWorkers(warm, spec.colouring).catch(() => {})
        : undefined;
    const precision = region && checkPrecision(region, spec.width, spec.height, spec.aa);
    if (!perturbing && precision?.exceeded) this.#logger.warn(precisionLost(precision));
    const started = performance.now();
    const output: TaskOutput = { format, colouring: spec.colouring, image: sharedImage, canvas };
    const setup = perturbing ? await this.#perturbation(spec, aa, aspect) : undefined;
    const perturb = setup?.job;
    const placement: TaskPlacement = perturb
      ? { perturb }
      : { mapping: planeMapping(region as Region, spec.width * aa, spec.height * aa) };
    const base = {
      ...placement,
      aa,
      maxIter: spec.maxIter,
      shortcuts: spec.shortcuts,
      julia: spec.julia,
      engine: spec.engine,
      output,
    };
    const stats: RenderStats = {
      tasks: plan.length,
      wallMs: 0,
      iterateMsByThread: new Map(),
      outputMsByThread: new Map(),
      setupMs: 0,
      taskMs: new Array<number>(plan.length).fill(0),
      tally: EMPTY_TALLY,
      instancesByThread: new Map(),
      ...(setup && {
        reference: { ms: setup.ms, points: setup.job.orbit.length / 2, kept: setup.kept },
      }),
    };
    // One slot per task, and a last one that says the render was stopped (workers then skip what they hold).
    const states = new Int32Array(new SharedArrayBuffer(4 * (plan.length + 1)));
    const cancel = new AbortController();
    cancel.signal.addEventListener('abort', () => Atomics.store(states, plan.length, 1), { once: true });
    const stop = () => cancel.abort(call.signal?.reason);
    if (call.signal?.aborted) stop();
    call.signal?.addEventListener('abort', stop, { once: true });
    let done = 0;
    // A failed task that was not running: its worker died running another task, whose failure says why.
    let bystander: RenderError | undefined;

    const runTask = async (rects: Rect[], index: number): Promise<number> => {
      const task: RenderTask = { ...base, rects, index, states };
      let result: TaskResult;
      try {
        // Not abortable in Piscina (a worker with an abortable task takes no second one): a render that stops
        // abandons its running tasks instead, and ignores what they return.
        this.#running++;
        result = await this.#pool.run(task).finally(() => this.#running--);
      } catch (err) {
        // Closed under it: said so, not "Terminating worker thread" from the band the worker held.
        const failure = this.#closed ? closedWhileRendering() : taskFailed(index, rects, spec.width, err);
        if (Atomics.load(states, index) === TASK_RUNNING) throw failure;
        bystander ??= failure;
        return 0;
      }
      if (cancel.signal.aborted) return 0;
      add(stats.iterateMsByThread, result.threadId, result.iterateMs);
      add(stats.outputMsByThread, result.threadId, result.outputMs);
      stats.setupMs += result.setupMs;
      stats.taskMs[index] = result.iterateMs + result.outputMs;
      stats.tally = addTally(stats.tally, result.tally);
      if (result.perturbWork) stats.perturbWork = addWork(stats.perturbWork, result.perturbWork);
      const instances = stats.instancesByThread.get(result.threadId) ?? new Set<string>();
      stats.instancesByThread.set(result.threadId, instances.add(result.instanceId));
      let at = 0;
      for (const rect of rects) {
        const size = sharedImage || canvas ? 0 : rectByteLength(format, rect);
        destination.receive(rect, result.bytes.subarray(at, at + size));
        at += size;
      }
      call.onProgress?.(++done, plan.length);
      return result.iterateMs + result.outputMs;
    };
    const runOne = (index: number) =>
      runTask(plan[index], index).catch((err: unknown) => {
        if (!cancel.signal.aborted) cancel.abort(err);
        return 0;
      });
    const workers = {
      initial: initialWorkers(samples, this.liveThreads, cap),
      cap,
      perWorker: TASKS_PER_WORKER,
      ready: () => this.#ready.size,
      live: () => this.liveThreads,
      onChange: (listener: () => void) => {
        this.#onChange.add(listener);
        return () => this.#onChange.delete(listener);
      },
    };
    await starting;
    await feedTasks(plan.length, workers, runOne, cancel.signal);
    if (bystander && !cancel.signal.aborted) cancel.abort(bystander);
    call.signal?.removeEventListener('abort', stop);
    if (cancel.signal.aborted) throw cancel.signal.reason;
    return { ...stats, wallMs: performance.now() - started };
  }

  /**
   * The reference orbit and steps for a perturbation render, computed here once and kept for the next render: the
   * job, the milliseconds it took, and whether an earlier render had it computed (`kept`).
   */
  async #perturbation(
    spec: RenderSpec,
    aa: number,
    aspect: number,
  ): Promise<{ job: PerturbJob; ms: number; kept: boolean }> {
    const grid = sampleGrid(spec, spec.width * aa, spec.height * aa, aspect);
    const key = JSON.stringify([grid, spec.maxIter, spec.julia], (_, v) => (typeof v === 'bigint' ? String(v) : v));
    let job = this.#perturbCache.get(key);
    const kept = job !== undefined;
    if (job) this.#perturbCache.delete(key);
    else {
      job = this.#surveyKernel().then((wasm) => {
        const started = performance.now();
        const setup = chooseReference(grid, spec.maxIter, wasm.engine('renderPerturb'), spec.julia, wasm);
        const ms = performance.now() - started;
        // Not kept past a large setup: its memory never shrinks (see keptWasmBytes); a fresh one starts small.
        if (wasm.memoryBytes() > keptWasmBytes()) this.#survey = undefined;
        return { job: setup, ms };
      });
      // A failed setup is not kept: the next render tries again.
      job.catch(() => this.#perturbCache.delete(key));
    }
    this.#perturbCache.set(key, job);
    for (const old of this.#perturbCache.keys()) {
      if (this.#perturbCache.size <= KEPT_SETUPS) break;
      this.#perturbCache.delete(old);
    }
    return { ...(await job), kept };
  }

  #surveyKernel(): Promise<WasmInstance> {
    this.#survey ??= instantiateWasm(this.#wasmModule);
    return this.#survey;
  }

  /** Stops every worker. The renderer cannot be used afterwards (render() refuses); closing again does nothing. */
  async close(): Promise<void> {
    this.#closed = true;
    await this.#pool.destroy();
  }
}
