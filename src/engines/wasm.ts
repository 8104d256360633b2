/**
 * The AssemblyScript module (build/mandel.wasm): compiled once, in the main thread, and instantiated once per worker
 * thread. Its render exports are the kernels; an instance's engines call them.
 */
import { readFile } from 'node:fs/promises';
import { kernelAssertion, kernelMismatch, wrongKernelJob } from '../errors.js';
import type { Colouring } from '../model/colouring.js';
import { DEFAULT_LIGHT, lightVector, paletteTable, SHADING_BITS, TABLE_SIZE } from '../model/colouring.js';
import { numberSetting } from '../model/setting.js';
import type { DirectJob, Engine, KernelJob, PerturbKernelJob, PerturbWork, SamplePixels } from '../model/task.js';
import type { BlaBuilder } from '../plane/bla.js';
import { BLOCK_F64 } from '../plane/bla.js';
import type { FixedOrbit } from '../plane/orbit.js';
import { mark } from '../trace.js';
import type { FixedEscape } from './exact.js';
import type { BlaExports } from './wasm-bla.js';
import { wasmBla } from './wasm-bla.js';
import type { OrbitExports } from './wasm-orbit.js';
import { wasmEscape, wasmOrbit } from './wasm-orbit.js';

/** The module's exports (assembly/index.ts). */
interface KernelExports extends OrbitExports, BlaExports {
  memory: WebAssembly.Memory;
  outputPtr(): number;
  renderParamsSize(): number;
  renderRect(params: number): void;
  renderRectSimd(params: number): void;
  membershipBits(params: number): void;
  perturbParamsSize(): number;
  renderPerturb(params: number): void;
  perturbCounters(): number;
  ddBuildMs(): number;
  colourParamsSize(): number;
  colourBand(params: number): void;
  deriveRect(params: number, out: number): void;
  derivePerturb(params: number, out: number): void;
}

/**
 * The fields of the parameter blocks that this side writes, by name. Their byte offsets come from the kernel, which
 * exports each one (assembly/params.ts: RENDER_<field>, assembly/perturb-params.ts: PERTURB_<field>): the layout is
 * defined once, in AssemblyScript.
 */
export const RENDER_FIELDS = [
  'xMin',
  'stepX',
  'yMax',
  'stepY',
  'colStart',
  'width',
  'rowStart',
  'rowCount',
  'maxIter',
  'shortcuts',
  'counts',
  'norms',
  'julia',
  'cRe',
  'cIm',
] as const;
export const PERTURB_FIELDS = [
  'orbit',
  'orbitLength',
  'scale',
  'maxIter',
  'stepX',
  'stepY',
  'colStart',
  'width',
  'rowStart',
  'rowCount',
  'originX',
  'originY',
  'counts',
  'norms',
  'jumpTo',
  'jumpX',
  'jumpY',
  'jumpDc',
  'orbitLow',
  'plainStepX',
  'plainStepY',
  'restart',
  'bla',
  'blaIndex',
  'settle',
  'margins',
  'period',
  'ddRuns',
  'runDc',
  'axisRow',
  'axisFrom',
  'axisTo',
] as const;

export const COLOUR_FIELDS = [
  'counts',
  'norms',
  'derivs',
  'width',
  'rows',
  'aa',
  'table',
  'tableBytes',
  'tableSize',
  'cycle',
  'insideR',
  'insideG',
  'insideB',
  'sums',
  'out',
  'shading',
  'lightX',
  'lightY',
  'lightZ',
] as const;

/** A block's layout: each field's byte offset, and the block's size. */
export type BlockLayout<F extends string> = Record<F, number> & { size: number };

/**
 * The layout of the block whose fields the kernel exports as `prefix` + name: every name here must be there and
 * every one there here, or the kernel was built from other sources (kernelMismatch).
 *
 * @example blockLayout(instance.exports, 'RENDER_', RENDER_FIELDS, 88).xMin // 0
 */
export function blockLayout<F extends string>(
  exports: Record<string, unknown>,
  prefix: string,
  fields: readonly F[],
  size: number,
): BlockLayout<F> {
  const exported = Object.keys(exports).filter((name) => name.startsWith(prefix));
  const layout: Record<string, number> = { size };
  for (const field of fields) {
    const value = exports[prefix + field];
    if (!(value instanceof WebAssembly.Global)) throw kernelMismatch();
    layout[field] = value.value as number;
  }
  if (exported.length !== fields.length) throw kernelMismatch();
  return layout as BlockLayout<F>;
}

/** Where a render block's arrays lie in the instance's memory. */
export interface RenderAddresses {
  counts: number;
  norms: number;
}

/** Writes a direct job's block (assembly/params.ts, RenderParams) into `block`, field by field by name. */
export function writeRenderBlock(
  block: DataView,
  R: BlockLayout<(typeof RENDER_FIELDS)[number]>,
  job: DirectJob,
  at: RenderAddresses,
): void {
  const { mapping } = job;
  block.setFloat64(R.xMin, mapping.xMin, true);
  block.setFloat64(R.stepX, mapping.stepX, true);
  block.setFloat64(R.yMax, mapping.yMax, true);
  block.setFloat64(R.stepY, mapping.stepY, true);
  block.setInt32(R.colStart, job.colStart, true);
  block.setInt32(R.width, job.width, true);
  block.setInt32(R.rowStart, job.rowStart, true);
  block.setInt32(R.rowCount, job.rowCount, true);
  block.setInt32(R.maxIter, job.maxIter, true);
  block.setInt32(R.shortcuts, job.shortcuts ? 1 : 0, true);
  block.setUint32(R.counts, at.counts, true);
  block.setUint32(R.norms, at.norms, true);
  block.setInt32(R.julia, job.julia ? 1 : 0, true);
  block.setFloat64(R.cRe, job.julia?.[0] ?? 0, true);
  block.setFloat64(R.cIm, job.julia?.[1] ?? 0, true);
}

/** Where a perturbation block's arrays lie in the instance's memory (0: none, for `bla` and `ddRuns`). */
export interface PerturbAddresses extends RenderAddresses {
  orbit: number;
  orbitLow: number;
  bla: number;
  blaIndex: number;
  margins: number;
  ddRuns: number;
}

/** Writes a perturbation job's block (assembly/perturb-params.ts, PerturbParams) into `block`, by name. */
export function writePerturbBlock(
  block: DataView,
  P: BlockLayout<(typeof PERTURB_FIELDS)[number]>,
  job: PerturbKernelJob,
  at: PerturbAddresses,
): void {
  const { perturb } = job;
  block.setUint32(P.orbit, at.orbit, true);
  block.setInt32(P.orbitLength, perturb.orbit.length / 2, true);
  block.setInt32(P.scale, perturb.scale, true);
  block.setInt32(P.maxIter, job.maxIter, true);
  block.setFloat64(P.stepX, perturb.stepX, true);
  block.setFloat64(P.stepY, perturb.stepY, true);
  block.setInt32(P.colStart, job.colStart, true);
  block.setInt32(P.width, job.width, true);
  block.setInt32(P.rowStart, job.rowStart, true);
  block.setInt32(P.rowCount, job.rowCount, true);
  block.setInt32(P.originX, perturb.originX, true);
  block.setInt32(P.originY, perturb.originY, true);
  block.setUint32(P.counts, at.counts, true);
  block.setUint32(P.norms, at.norms, true);
  block.setInt32(P.jumpTo, perturb.jumpTo, true);
  block.setFloat64(P.jumpX, perturb.jumpX, true);
  block.setFloat64(P.jumpY, perturb.jumpY, true);
  block.setFloat64(P.jumpDc, perturb.jumpDc, true);
  block.setUint32(P.orbitLow, at.orbitLow, true);
  block.setFloat64(P.plainStepX, perturb.plainStepX, true);
  block.setFloat64(P.plainStepY, perturb.plainStepY, true);
  block.setInt32(P.restart, perturb.restart, true);
  block.setUint32(P.bla, at.bla, true);
  block.setUint32(P.blaIndex, at.blaIndex, true);
  block.setInt32(P.settle, perturb.settle === false ? 0 : 1, true);
  block.setUint32(P.margins, at.margins, true);
  block.setInt32(P.period, perturb.period, true);
  block.setUint32(P.ddRuns, at.ddRuns, true);
  block.setFloat64(P.runDc, perturb.bla.dc, true);
  block.setInt32(P.axisRow, perturb.axis?.row ?? -1, true);
  block.setInt32(P.axisFrom, perturb.axis?.from ?? 0, true);
  block.setInt32(P.axisTo, perturb.axis?.to ?? 0, true);
}

/** What a colouring call colours: a rectangle of `rows` x `width` pixels, `aa` x `aa` samples each. */
export interface ColourCall {
  width: number;
  rows: number;
  aa: number;
  colouring: Colouring;
  /** Whether the samples' derivatives are at `derivs`, for a colouring that shades. */
  shaded: boolean;
}

/** Where a colour block's arrays lie in the instance's memory. */
export interface ColourAddresses extends RenderAddresses {
  derivs: number;
  table: number;
  tableBytes: number;
  sums: number;
  out: number;
}

/** Writes a colouring call's block (assembly/colour.ts, ColourParams) into `block`, by name. */
export function writeColourBlock(
  block: DataView,
  C: BlockLayout<(typeof COLOUR_FIELDS)[number]>,
  call: ColourCall,
  at: ColourAddresses,
): void {
  const { colouring } = call;
  const [r, g, b] = colouring.inside;
  const light = lightVector(colouring.light ?? DEFAULT_LIGHT);
  block.setUint32(C.counts, at.counts, true);
  block.setUint32(C.norms, at.norms, true);
  block.setUint32(C.derivs, call.shaded ? at.derivs : 0, true);
  block.setInt32(C.width, call.width, true);
  block.setInt32(C.rows, call.rows, true);
  block.setInt32(C.aa, call.aa, true);
  block.setUint32(C.table, at.table, true);
  block.setUint32(C.tableBytes, at.tableBytes, true);
  block.setInt32(C.tableSize, TABLE_SIZE, true);
  block.setFloat64(C.cycle, colouring.cycle, true);
  block.setFloat64(C.insideR, r, true);
  block.setFloat64(C.insideG, g, true);
  block.setFloat64(C.insideB, b, true);
  block.setUint32(C.sums, at.sums, true);
  block.setUint32(C.out, at.out, true);
  block.setInt32(C.shading, call.shaded ? SHADING_BITS[colouring.shading ?? 'smooth'] : 0, true);
  block.setFloat64(C.lightX, light[0], true);
  block.setFloat64(C.lightY, light[1], true);
  block.setFloat64(C.lightZ, light[2], true);
}

export type KernelName = 'renderRect' | 'renderRectSimd' | 'renderPerturb';

const WASM_PAGE = 65536;

/** Bytes of a double-double BLA block (assembly/precise-bla.ts, DD_BLOCK). */
const DD_BLOCK_BYTES = 176;
const KERNEL_URL = new URL('../../../build/mandel.wasm', import.meta.url);

/**
 * Reads and compiles build/mandel.wasm (made by `npm run build:wasm`). V8 starts WASM functions on its baseline
 * compiler and swaps in optimised code for later calls once they are hot; a single long call would stay on the
 * baseline code (2.5x slower for the SIMD kernel), so workers keep each kernel call short (see
 * workers/render-worker.ts) instead of setting --no-liftoff: a flag set at run time made every worker thread
 * miss Node's code cache, about 50 ms of start-up per process (bench/README.md).
 */
export async function compileWasmModule(): Promise<WebAssembly.Module> {
  const bytes = await readFile(KERNEL_URL);
  mark('wasm: read');
  const module = await WebAssembly.compile(bytes);
  mark('wasm: compiled');
  return module;
}

/** One WASM instance: its engines, and its colouring (see assembly/colour.ts). */
export interface WasmInstance {
  engine(name: KernelName): Engine;
  /**
   * Inside or outside only, by the membership kernel (assembly/membership.ts): the job's rows as PBM bits
   * (ceil(width / 8) bytes a row, most significant bit first, 1 inside), a view into this instance's memory, valid
   * until its next call.
   */
  membership(job: DirectJob): Uint8Array;
  /**
   * Colours a rectangle's samples (from any engine): rows x width pixels of 3 bytes, `aa` x `aa` samples averaged
   * per pixel, returned as a view into this instance's memory, valid until its next call.
   */
  colour(
    pixels: SamplePixels,
    width: number,
    rows: number,
    aa: number,
    colouring: Colouring,
    derivs?: Float64Array,
  ): Uint8Array;
  /**
   * The derivatives of the job's samples, whose `counts` an engine has just found: u = z / E, two f64 a sample
   * (assembly/derivative.ts), NaN, NaN where none; a view into this instance's memory, valid until its next call.
   * A perturbation job's orbit is followed as its kernel follows it; any other's, as the direct kernels do.
   */
  derivatives(job: KernelJob, counts: Int32Array): Float64Array;
  /**
   * What this instance's perturbation calls have done so far (assembly/perturb-stats.ts), as running totals; exact:
   * the samples they left to the BigInt fallback.
   */
  perturbCounters(): PerturbWork;
  /**
   * Milliseconds this instance has spent since the last call on a deep job's one-time setup: copying its orbit and
   * tables in (once a job) and building the double-double path's runs (assembly/precise-bla.ts, once a job, by the
   * first sample in doubt). A caller that times its calls keeps this apart from their samples' cost.
   */
  takeSetupMs(): number;
  /**
   * The bytes of this instance's memory: as many as its largest job needed, since WASM memory grows and never
   * shrinks (a 10^6-point reference: about 100 MB); a fresh instance starts small.
   */
  memoryBytes(): number;
  /** The reference orbit's fixed-point loop (assembly/orbit.ts), over this instance's memory. */
  orbit: FixedOrbit;
  /** The BLA table's build (assembly/bla-table.ts), over this instance's memory. */
  bla: BlaBuilder;
  /**
   * The exact fallback's loop (assembly/orbit.ts), over this instance's memory, which it may grow: views returned
   * before it runs may be detached.
   */
  escape: FixedEscape;
}

/**
 * An instance whose memory has grown past this many bytes is not kept for a job other than its last (see
 * WasmInstance.memoryBytes): MANDEL_PAR_WASM_KEPT_MB, or 64 MiB. A worker's instance holds about 11 MB after a
 * 10^5-point reference and 103 MB after a 10^6-point one (the main thread's, 46 MB); a server or a long session would
 * otherwise hold its heaviest deep job's memory in every thread for good.
 */
export function keptWasmBytes(env: NodeJS.ProcessEnv = process.env): number {
  return numberSetting(env.MANDEL_PAR_WASM_KEPT_MB, 64) * 2 ** 20;
}

/** Instantiates the kernel module once, for one thread; everything it returns shares this instance's memory. */
export async function instantiateWasm(module: WebAssembly.Module): Promise<WasmInstance> {
  return wasmInstance(module);
}

/**
 * instantiateWasm at once (a compiled module instantiates without compiling: V8 shares its code, optimised code
 * included, between the module's instances).
 */
export function wasmInstance(module: WebAssembly.Module): WasmInstance {
  const instance = new WebAssembly.Instance(module, {
    env: {
      // Only a debug build imports abort; make its failures readable instead of a bare trap.
      abort(_msg: number, _file: number, line: number, column: number) {
        throw kernelAssertion(line, column);
      },
      // The orbit's precision follows these to the last bit as src/plane/orbit.ts's does (assembly/orbit.ts).
      log2: Math.log2,
      hypot: Math.hypot,
      // For the setup's time (assembly/precise-bla.ts, ddBuildMs).
      now: () => performance.now(),
    },
  });
  const exports = instance.exports as unknown as KernelExports;
  const all = instance.exports as Record<string, unknown>;
  const RENDER_PARAMS = blockLayout(all, 'RENDER_', RENDER_FIELDS, exports.renderParamsSize());
  const PERTURB_PARAMS = blockLayout(all, 'PERTURB_', PERTURB_FIELDS, exports.perturbParamsSize());
  const COLOUR_PARAMS = blockLayout(all, 'COLOUR_', COLOUR_FIELDS, exports.colourParamsSize());
  // Layout: the parameter block (any kind), the palette table (kept across calls), then counts, |z|^2, derivatives,
  // colour sums and RGB; a perturbation call keeps its reference orbit and tables above what its calls use (see
  // scratch).
  const paramsAt = exports.outputPtr();
  // (A perturbation block is the larger: sized by RENDER_PARAMS alone, it overwrote the table's first entry. Its
  // size is rounded up to a multiple of 8, for the f64 views that follow.)
  const tableAt = paramsAt + Math.ceil(Math.max(RENDER_PARAMS.size, PERTURB_PARAMS.size, COLOUR_PARAMS.size) / 8) * 8;
  const tableBytesAt = tableAt + TABLE_SIZE * 24;
  const countsAt = tableBytesAt + TABLE_SIZE * 4;
  const normsAt = (samples: number) => countsAt + Math.ceil((samples * 4) / 8) * 8;
  const derivsAt = (samples: number) => normsAt(samples) + samples * 8;
  const sumsAt = (samples: number) => derivsAt(samples) + samples * 16;
  // Grow before a call: growth detaches old views, so views are made after it.
  const reserve = (bytes: number) => {
    const have = exports.memory.buffer.byteLength;
    if (bytes > have) exports.memory.grow(Math.ceil((bytes - have) / WASM_PAGE));
  };
  const writeParams = (job: DirectJob, norms: number) => {
    const block = new DataView(exports.memory.buffer, paramsAt, RENDER_PARAMS.size);
    writeRenderBlock(block, RENDER_PARAMS, job, { counts: countsAt, norms });
  };
  // The orbit, its low parts and BLA blocks (tens of MB for orbits of a million points) are copied in once per
  // reference, above what calls of that size use for samples and colour, and again only when a call needs that room.
  // Keyed by the job's key: tasks reach a worker as copies, whose arrays are new objects over the same memory.
  let deep = { key: '', at: 0, end: 0 };
  // Milliseconds spent copying deep jobs in, since takeSetupMs last read them.
  let copyMs = 0;
  // Room for a call's samples and output (every kernel and the colouring write upwards from countsAt): a call that
  // reaches the kept orbit's place overwrites it, so it is copied in again next time (a shallow render between two
  // renders of one deep view had left the second reading a clobbered table).
  const scratch = (end: number) => {
    reserve(end);
    if (end > deep.at) deep = { key: '', at: 0, end: 0 };
  };
  const writePerturbParams = (job: PerturbKernelJob, samples: number) => {
    const { perturb } = job;
    const { orbit, orbitLow, margins, bla } = perturb;
    const key = `${perturb.key}:${orbit.length}:${orbitLow.length}:${bla.blocks.length}`;
    // Counts, |z|^2, derivatives, then colouring's sums (24 bytes a column) and RGB (3 bytes a pixel).
    const needed = sumsAt(samples) + job.width * 24 + samples * 3;
    const orbitAt = deep.key === key && deep.at >= needed ? deep.at : Math.ceil((needed * 1.5) / 16) * 16;
    const lowAt = orbitAt + orbit.byteLength;
    const blaAt = lowAt + orbitLow.byteLength;
    const blaIndexAt = blaAt + bla.blocks.byteLength;
    const marginsAt = Math.ceil((blaIndexAt + bla.index.byteLength) / 8) * 8;
    // Room for the double-double path's runs (assembly/precise-bla.ts builds them there when first needed): a flag,
    // then 176 bytes for each block of the f64 table. Only where that path runs (the Mandelbrot set, with low parts).
    const ddRunsAt = Math.ceil((marginsAt + margins.byteLength) / 16) * 16;
    const ddBytes = orbitLow.length > 0 ? 16 + (bla.blocks.length / BLOCK_F64) * DD_BLOCK_BYTES : 0;
    if (orbitAt !== deep.at || deep.key !== key) {
      const started = performance.now();
      reserve(ddRunsAt + ddBytes);
      const memory = exports.memory.buffer;
      if (ddBytes > 0) new Int32Array(memory, ddRunsAt, 1)[0] = 0;
      new Float64Array(memory, marginsAt, margins.length).set(margins);
      new Float64Array(memory, orbitAt, orbit.length).set(orbit);
      new Float64Array(memory, lowAt, orbitLow.length).set(orbitLow);
      new Float64Array(memory, blaAt, bla.blocks.length).set(bla.blocks);
      new Int32Array(memory, blaIndexAt, bla.index.length).set(bla.index);
      deep = { key, at: orbitAt, end: ddRunsAt + ddBytes };
      copyMs += performance.now() - started;
    }
    const block = new DataView(exports.memory.buffer, paramsAt, PERTURB_PARAMS.size);
    writePerturbBlock(block, PERTURB_PARAMS, job, {
      orbit: orbitAt,
      orbitLow: lowAt,
      counts: countsAt,
      norms: normsAt(samples),
      bla: bla.index.length > 0 ? blaAt : 0,
      blaIndex: blaIndexAt,
      margins: marginsAt,
      ddRuns: ddBytes > 0 ? ddRunsAt : 0,
    });
  };
  let tableKey = '';
  const setupAt = Math.ceil(countsAt / 16) * 16;
  const forgetDeep = () => {
    deep = { key: '', at: 0, end: 0 };
  };

  return {
    memoryBytes: () => exports.memory.buffer.byteLength,
    // The setup's loops work from above the parameter block and table, over what a call keeps there.
    orbit: wasmOrbit(exports, setupAt, forgetDeep),
    bla: wasmBla(exports, setupAt, forgetDeep),
    // Above the kept orbit and tables (after a perturbation call, whose samples it settles), else where the setup's
    // loops work.
    escape: wasmEscape(exports, () => (deep.key ? Math.ceil(deep.end / 16) * 16 : setupAt)),
    engine: (name) => (job: KernelJob) => {
      const samples = job.width * job.rowCount;
      // Room for the derivatives and colour of these samples too, so that those calls need not grow the memory
      // (which would detach the views returned here).
      scratch(sumsAt(samples) + job.width * 24 + samples * 3);
      // The job's kind must be the kernel's: the types say so, and this check says so to a caller without them.
      if ((name === 'renderPerturb') !== (job.perturb !== undefined)) throw wrongKernelJob(name);
      if (job.perturb) writePerturbParams(job, samples);
      else writeParams(job, normsAt(samples));
      exports[name](paramsAt);
      return {
        counts: new Int32Array(exports.memory.buffer, countsAt, samples),
        norms: new Float64Array(exports.memory.buffer, normsAt(samples), samples),
      };
    },
    membership: (job) => {
      const bytes = Math.ceil(job.width / 8) * job.rowCount;
      // The kernel's scratch (at `norms`): 64 bytes a group of 8 columns and 64 more, after the bits.
      const scratchAt = countsAt + Math.ceil(bytes / 16) * 16;
      scratch(scratchAt + (Math.ceil(job.width / 8) + 1) * 64);
      writeParams(job, scratchAt);
      exports.membershipBits(paramsAt);
      return new Uint8Array(exports.memory.buffer, countsAt, bytes);
    },
    derivatives: (job, counts) => {
      const samples = job.width * job.rowCount;
      // Room for the colour of these samples too, as engine() makes: growing the memory in colour() would detach the
      // derivatives returned here (the js engine's counts come from outside, and it had not grown it).
      scratch(sumsAt(samples) + job.width * 24 + samples * 3);
      if (counts.buffer !== exports.memory.buffer) new Int32Array(exports.memory.buffer, countsAt, samples).set(counts);
      if (job.perturb) {
        writePerturbParams(job, samples);
        exports.derivePerturb(paramsAt, derivsAt(samples));
      } else {
        writeParams(job, normsAt(samples));
        exports.deriveRect(paramsAt, derivsAt(samples));
      }
      return new Float64Array(exports.memory.buffer, derivsAt(samples), samples * 2);
    },
    colour: ({ counts, norms }, width, rows, aa, colouring, derivs) => {
      const samples = counts.length;
      const inMemory = counts.buffer === exports.memory.buffer;
      const sums = sumsAt(samples);
      const outAt = sums + width * 24;
      scratch(outAt + width * rows * 3);
      const memory = exports.memory.buffer;
      if (!inMemory) {
        new Int32Array(memory, countsAt, samples).set(counts);
        new Float64Array(memory, normsAt(samples), samples).set(norms);
      }
      if (derivs && derivs.buffer !== memory) new Float64Array(memory, derivsAt(samples), samples * 2).set(derivs);
      const key = colouring.palette.join(';');
      if (key !== tableKey) {
        const table = paletteTable(colouring.palette);
        new Float64Array(memory, tableAt, TABLE_SIZE * 3).set(table);
        const bytes = new Uint8Array(memory, tableBytesAt, TABLE_SIZE * 4);
        for (let k = 0; k < TABLE_SIZE; k++) {
          for (let c = 0; c < 3; c++) bytes[k * 4 + c] = Math.floor(table[k * 3 + c] + 0.5);
        }
        tableKey = key;
      }
      const block = new DataView(memory, paramsAt, COLOUR_PARAMS.size);
      writeColourBlock(
        block,
        COLOUR_PARAMS,
        { width, rows, aa, colouring, shaded: derivs !== undefined },
        {
          counts: countsAt,
          norms: normsAt(samples),
          derivs: derivsAt(samples),
          table: tableAt,
          tableBytes: tableBytesAt,
          sums,
          out: outAt,
        },
      );
      exports.colourBand(paramsAt);
      return new Uint8Array(memory, outAt, width * rows * 3);
    },
    takeSetupMs: () => {
      const ms = copyMs + exports.ddBuildMs();
      copyMs = 0;
      return ms;
    },
    perturbCounters: () => {
      const [steps, runSteps, runs, precise, inexact, glitched, inside, axis] = new Float64Array(
        exports.memory.buffer,
        exports.perturbCounters(),
        8,
      );
      return { steps, runSteps, runs, precise, exact: inexact + glitched, inside, axis };
    },
  };
}
