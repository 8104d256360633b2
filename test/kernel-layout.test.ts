/**
 * The parameter blocks' layout is defined once, in AssemblyScript: the kernel exports every field's offset by name
 * and the TS side writes by those names (src/engines/wasm.ts). A kernel whose names differ is refused.
 */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { GLITCHED, INEXACT } from '../dist/src/engines/exact.js';
import { FIRST_SAVE_GAP, MARGIN, MAX_SAVE_GAP } from '../dist/src/engines/js.js';
import { blockLayout, COLOUR_FIELDS, PERTURB_FIELDS, RENDER_FIELDS } from '../dist/src/engines/wasm.js';
import { EXTRA_STEPS } from '../dist/src/model/colouring.js';

const wasm = await readFile(new URL('../build/mandel.wasm', import.meta.url));
const { exports } = await WebAssembly.instantiate(wasm, { env: { abort() {} } }).then((r) => r.instance);
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
