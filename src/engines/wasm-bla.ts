/**
 * The BLA table built in a WASM instance (assembly/bla-table.ts): a BlaBuilder (src/plane/bla.ts) over the instance's
 * memory from `at` on, which it grows as needed.
 */
import type { BlaBuilder } from '../plane/bla.js';
import { BLOCK_F64, blaSegments, MIN_LEVEL, packTable } from '../plane/bla.js';

/** The table's export (assembly/bla-table.ts). */
export interface BlaExports {
  memory: WebAssembly.Memory;
  BLA_SCRATCH: WebAssembly.Global;
  blaLevels(
    orbit: number,
    margins: number,
    base: number,
    count: number,
    dc: number,
    out: number,
    scratch: number,
  ): void;
}

/**
 * The builder at `at` (16-byte aligned) of the instance with these exports; `clobbered` is called before each build,
 * whose memory may overlap what the instance keeps above `at`.
 */
export function wasmBla(exports: BlaExports, at: number, clobbered: () => void): BlaBuilder {
  return (orbit, viewLast, restart, dc, margins) => {
    clobbered();
    const segments = blaSegments(orbit, viewLast, restart);
    const counts = segments.map((segment) => segment.count);
    // Kept blocks of a segment: its levels from MIN_LEVEL on, count >> L blocks each.
    const kept = (count: number) => {
      let sum = 0;
      for (let c = count >> MIN_LEVEL; c > 0; c >>= 1) sum += c;
      return sum;
    };
    const marginsAt = at + orbit.byteLength;
    const scratchAt = marginsAt + (margins?.byteLength ?? 0);
    const outAt = scratchAt + (exports.BLA_SCRATCH.value as number);
    const end = outAt + Math.max(...counts.map(kept)) * BLOCK_F64 * 8;
    const have = exports.memory.buffer.byteLength;
    if (end > have) exports.memory.grow(Math.ceil((end - have) / 65536));
    new Float64Array(exports.memory.buffer, at, orbit.length).set(orbit);
    if (margins) new Float64Array(exports.memory.buffer, marginsAt, margins.length).set(margins);
    return packTable(counts, dc, (blocks, places) => {
      for (const [s, { base }] of segments.entries()) {
        const size = kept(counts[s]) * BLOCK_F64;
        if (size === 0) continue;
        exports.blaLevels(at, margins ? marginsAt : 0, base, counts[s], dc, outAt, scratchAt);
        blocks.set(new Float64Array(exports.memory.buffer, outAt, size), places[s]);
      }
    });
  };
}
