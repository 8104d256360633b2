/**
 * The reference orbit's fixed-point loop in a WASM instance (assembly/orbit.ts): a FixedOrbit (src/plane/orbit.ts)
 * over the instance's memory from `at` on, which it may grow. Values cross as 32-bit words in two's complement.
 */
import type { FixedOrbit } from '../plane/orbit.js';
import type { FixedEscape } from './exact.js';

/** The orbit's exports (assembly/orbit.ts). */
export interface OrbitExports {
  memory: WebAssembly.Memory;
  ORBIT_CHUNK: WebAssembly.Global;
  orbitBytes(words: number): number;
  orbitBegin(base: number, words: number, bits: number, index: number, first: number): number;
  orbitSteps(count: number, from: number): number;
  orbitEscaped(): number;
  orbitCycle(): number;
  orbitOut(): number;
  escapeCount(base: number, words: number, bits: number, maxIter: number): number;
}

const bitLength = (v: bigint) => (v < 0n ? -v : v).toString(16).length * 4;

/** Words a value needs at `bits` fraction bits (see assembly/orbit.ts) for these values. */
function wordsFor(bits: number, values: bigint[]): number {
  // Room for the integer part of each product, and for c far from the set (it escapes at once).
  return Math.ceil(Math.max(bits + 8, ...values.map((v) => bitLength(v) + 2)) / 32);
}

/** Writes the values, `words` 32-bit words each in two's complement, from `at` on, growing memory to `end`. */
function writeValues(exports: OrbitExports, at: number, end: number, words: number, values: bigint[]): void {
  const have = exports.memory.buffer.byteLength;
  if (end > have) exports.memory.grow(Math.ceil((end - have) / 65536));
  const memory = new Uint32Array(exports.memory.buffer, at, values.length * words);
  for (const [k, v] of values.entries()) {
    let u = BigInt.asUintN(32 * words, v);
    for (let i = 0; i < words; i++, u >>= 32n) memory[k * words + i] = Number(u & 0xffffffffn);
  }
}

/**
 * The exact fallback's loop in the instance with these exports, at the place `at()` gives when called (16-byte
 * aligned, above anything the instance keeps: it may grow memory).
 */
export function wasmEscape(exports: OrbitExports, at: () => number): FixedEscape {
  return ({ x, y, cx, cy, bits }, maxIter) => {
    const base = at();
    const words = wordsFor(bits, [x, y, cx, cy]);
    writeValues(exports, base, base + exports.orbitBytes(words), words, [x, y, cx, cy]);
    const count = exports.escapeCount(base, words, bits, maxIter);
    const [zx, zy] = new Float64Array(exports.memory.buffer, exports.orbitOut(), 2);
    return { count, x: zx, y: zy };
  };
}

/**
 * The loop at `at` (16-byte aligned) of the instance with these exports; `clobbered` is called before each run,
 * whose memory may overlap what the instance keeps above `at`.
 */
export function wasmOrbit(exports: OrbitExports, at: number, clobbered: () => void): FixedOrbit {
  const chunk = exports.ORBIT_CHUNK.value as number;
  return (start, count, sink) => {
    clobbered();
    const values = [start.x, start.y, start.cx, start.cy];
    const words = wordsFor(start.bits, values);
    writeValues(exports, at, at + exports.orbitBytes(words), words, values);
    let written = exports.orbitBegin(at, words, start.bits, start.index, start.first ? 1 : 0);
    let left = count - written;
    for (;;) {
      const more = exports.orbitSteps(Math.min(left, chunk - written), written);
      written += more;
      left -= more;
      // Fresh views: the steps may have grown the memory.
      const out = exports.orbitOut();
      const view = (offset: number, f64s: number) => new Float64Array(exports.memory.buffer, out + offset, f64s);
      sink(
        { points: view(0, 2 * chunk), lows: view(16 * chunk, 2 * chunk), margins: view(32 * chunk, chunk) },
        written,
      );
      if (more === 0 || left === 0 || exports.orbitEscaped() || exports.orbitCycle() > 0) break;
      written = 0;
    }
    const words32 = new Uint32Array(exports.memory.buffer, at, 2 * words);
    const read = (k: number) => {
      let v = 0n;
      for (let i = words - 1; i >= 0; i--) v = (v << 32n) | BigInt(words32[k * words + i]);
      return BigInt.asIntN(32 * words, v);
    };
    return { escaped: exports.orbitEscaped() !== 0, cycle: exports.orbitCycle(), x: read(0), y: read(1) };
  };
}
