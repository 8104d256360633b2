/**
 * The parameter blocks' layout is defined once, in AssemblyScript: the kernel exports every field's offset by name
 * and the TS side writes by those names (src/engines/wasm.ts). A kernel whose names differ is refused; sentinel
 * values written by the TS writers come back from the kernel's own fields, each where it belongs; the constants
 * both sides hold are the same.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { GLITCHED, INEXACT } from '../dist/src/engines/exact.js';
import { FIRST_SAVE_GAP, MARGIN, MAX_SAVE_GAP } from '../dist/src/engines/js.js';
import type { BlockLayout } from '../dist/src/engines/wasm.js';
import {
  blockLayout,
  COLOUR_FIELDS,
  PERTURB_FIELDS,
  RENDER_FIELDS,
  writeColourBlock,
  writePerturbBlock,
  writeRenderBlock,
} from '../dist/src/engines/wasm.js';
import { EXTRA_STEPS } from '../dist/src/model/colouring.js';
import type { PerturbJob } from '../dist/src/model/task.js';

const wasm = await readFile(new URL('../build/mandel.wasm', import.meta.url));
const imports = { env: { abort() {}, log2: Math.log2, hypot: Math.hypot, now: () => performance.now() } };
const { exports } = await WebAssembly.instantiate(wasm, imports).then((r) => r.instance);
const global = (value: number) => new WebAssembly.Global({ value: 'i32', mutable: false }, value);

describe('parameter block layouts', () => {
  it.each([
    ['RENDER_', RENDER_FIELDS, 'renderParamsSize'],
    ['PERTURB_', PERTURB_FIELDS, 'perturbParamsSize'],
    ['COLOUR_', COLOUR_FIELDS, 'colourParamsSize'],
  ] as const)(
    '%s: every field the TS side writes is exported, at its own place inside the block',
    (prefix, fields, size) => {
      const bytes = (exports[size] as () => number)();
      const layout = blockLayout(exports, prefix, fields, bytes);
      const offsets = fields.map((f) => (layout as Record<string, number>)[f]);
      expect(new Set(offsets).size).toBe(fields.length);
      // Declared in the class's order: each field after the last, and the widest (f64) still inside the block.
      for (let k = 1; k < offsets.length; k++) expect(offsets[k]).toBeGreaterThan(offsets[k - 1]);
      expect(offsets[offsets.length - 1] + 4).toBeLessThanOrEqual(bytes);
      expect(layout.size).toBe(bytes);
    },
  );

  it('refuses a kernel that lacks a field the TS side writes, or exports one it does not', () => {
    const full = Object.fromEntries(RENDER_FIELDS.map((f, k) => [`RENDER_${f}`, global(8 * k)]));
    expect(blockLayout(full, 'RENDER_', RENDER_FIELDS, 200).width).toBe(8 * RENDER_FIELDS.indexOf('width'));
    const { RENDER_width: _gone, ...lacking } = full;
    expect(() => blockLayout(lacking, 'RENDER_', RENDER_FIELDS, 200)).toThrow(/does not match this code/);
    expect(() => blockLayout({ ...full, RENDER_extra: global(4) }, 'RENDER_', RENDER_FIELDS, 200)).toThrow(
      /does not match this code/,
    );
  });
});

describe('constants the TS side shares with the kernel', () => {
  it.each([
    ['EXTRA_STEPS', EXTRA_STEPS],
    ['MARGIN', MARGIN],
    ['FIRST_SAVE_GAP', FIRST_SAVE_GAP],
    ['MAX_SAVE_GAP', MAX_SAVE_GAP],
    ['GLITCHED', GLITCHED],
    ['INEXACT', INEXACT],
  ])("%s is the kernel's own", (name, value) => {
    expect((exports[name] as WebAssembly.Global).value).toBe(value);
  });
});

describe('sentinel values through the TS writers, read back by the kernel by its own field names', () => {
  const memory = exports.memory as WebAssembly.Memory;
  const at = (exports.outputPtr as () => number)();
  const out = at + 1024;
  /** Writes a block at `at` with `write`, then has the kernel's `echo` read every field back, by name. */
  const roundTrip = <F extends string>(fields: readonly F[], prefix: string, size: string, echo: string) => {
    const layout = blockLayout(exports, prefix, fields, (exports[size] as () => number)());
    return (write: (block: DataView, layout: BlockLayout<F>) => void): Record<F, number> => {
      new Uint8Array(memory.buffer, at, 2048).fill(0xee);
      write(new DataView(memory.buffer, at, layout.size), layout);
      (exports[echo] as (params: number, out: number) => void)(at, out);
      const values = new Float64Array(memory.buffer, out, fields.length);
      return Object.fromEntries(fields.map((f, k) => [f, values[k]])) as Record<F, number>;
    };
  };

  it('the render block', () => {
    const read = roundTrip(RENDER_FIELDS, 'RENDER_', 'renderParamsSize', 'echoRenderParams');
    const mapping = { xMin: -1.25, stepX: 0.125, yMax: 2.5, stepY: 0.0625 };
    const job = { mapping, colStart: 3, width: 5, rowStart: 7, rowCount: 11, maxIter: 13, shortcuts: true };
    const julia = [0.375, -0.75] as const;
    expect(read((block, R) => writeRenderBlock(block, R, { ...job, julia }, { counts: 17, norms: 19 }))).toEqual({
      ...mapping,
      colStart: 3,
      width: 5,
      rowStart: 7,
      rowCount: 11,
      maxIter: 13,
      shortcuts: 1,
      counts: 17,
      norms: 19,
      julia: 1,
      cRe: 0.375,
      cIm: -0.75,
    });
  });

  it('the perturbation block', () => {
    const read = roundTrip(PERTURB_FIELDS, 'PERTURB_', 'perturbParamsSize', 'echoPerturbParams');
    const bla = { blocks: new Float64Array(0), index: Int32Array.of(0, 1), dc: 1.5e-7 };
    // Each value once: the fields of the same names must hold them.
    const steps = {
      stepX: 0.25,
      stepY: 0.5,
      plainStepX: 2.25,
      plainStepY: 4.5,
      jumpX: 1.75,
      jumpY: -1.75,
      jumpDc: 0.875,
    };
    const places = { scale: 29, originX: 31, originY: 37, jumpTo: 41, restart: 43, period: 47 };
    const orbit = new Float64Array(2 * 23);
    const axis = { row: 53, from: 59, to: 61 };
    const perturb = { ...steps, ...places, orbit, orbitLow: orbit, margins: orbit, settle: false, bla, axis };
    const rect = { colStart: 3, width: 5, rowStart: 7, rowCount: 11, maxIter: 13 };
    const job = { ...rect, perturb: perturb as unknown as PerturbJob };
    const addresses = { orbit: 101, orbitLow: 103, counts: 107, norms: 109, bla: 113, blaIndex: 127 };
    const more = { margins: 131, ddRuns: 137 };
    expect(read((block, P) => writePerturbBlock(block, P, job, { ...addresses, ...more }))).toEqual({
      ...addresses,
      ...more,
      ...steps,
      ...places,
      ...rect,
      orbitLength: 23,
      settle: 0,
      runDc: 1.5e-7,
      axisRow: 53,
      axisFrom: 59,
      axisTo: 61,
    });
  });

  it('the colour block', () => {
    const read = roundTrip(COLOUR_FIELDS, 'COLOUR_', 'colourParamsSize', 'echoColourParams');
    const colouring = {
      palette: [
        [0, 0, 0],
        [255, 255, 255],
      ] as [number, number, number][],
      inside: [3, 5, 7] as [number, number, number],
      cycle: 96.5,
      shading: 'blend' as const,
      light: [90, 0] as [number, number],
    };
    const addresses = { counts: 11, norms: 13, derivs: 17, table: 19, tableBytes: 23, sums: 29, out: 31 };
    const call = { width: 37, rows: 41, aa: 2, colouring, shaded: true };
    const got = read((block, C) => writeColourBlock(block, C, call, addresses));
    const { lightX, lightY, lightZ, ...rest } = got;
    expect(rest).toEqual({
      ...addresses,
      width: 37,
      rows: 41,
      aa: 2,
      tableSize: 4096,
      cycle: 96.5,
      insideR: 3,
      insideG: 5,
      insideB: 7,
      shading: 3,
    });
    // Light from azimuth 90 (up the picture), elevation 0: (0, 1, 0).
    expect([lightX, lightY, lightZ].map((v) => Math.round(v * 1e12) / 1e12)).toEqual([0, 1, 0]);
  });
});
