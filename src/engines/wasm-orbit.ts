/**
 * The reference orbit's fixed-point loop in a WASM instance (assembly/orbit.ts): a FixedOrbit (src/plane/orbit.ts)
 * over the instance's memory from `at` on, which it may grow, and the exact fallback's loop. Values cross as 32-bit
 * words in two's complement.
 */
import type { FixedOrbit } from '../plane/orbit.js';
import type { FixedEscape } from './exact.js';

/** The orbit's exports (assembly/orbit.ts). */
export interface OrbitExports {
  memory: WebAssembly.Memory;
  ORBIT_CHUNK: WebAssembly.Global;
  orbitBytes(words: number): number;
  orbitBegin(base: number, words: number, bits: number, index: number, first: number, lows: number): number;
  orbitDropping(
    bits: number,
    from: number,
    re: number,
    im: number,
    exponent: number,
    one: number,
    x: number,
    y: number,
  ): void;
  orbitWords(): number;
  orbitDropped(): number;
  orbitDerivative(part: number): number;
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
 * The loop at `at` (16-byte aligned) of the instance with these exports; `clobbered` is called at each start, whose
 * memory may overlap what the instance keeps above `at`.
 */
export function wasmOrbit(exports: OrbitExports, at: number, clobbered: () => void): FixedOrbit {
  const chunkSize = exports.ORBIT_CHUNK.value as number;
  const view = (offset: number, f64s: number) =>
    new Float64Array(exports.memory.buffer, exports.orbitOut() + offset, f64s);
  // The words a value has room for (from begin on), and those in use (fewer once precision is dropped).
  let room = 0;
  return {
    chunkSize,
    begin(start, drop) {
      clobbered();
      // c at the full precision goes after cy (0 where none is dropped); the words fit the widest value.
      const values = [start.x, start.y, start.cx, start.cy, ...(drop?.c ?? [0n, 0n])];
      room = wordsFor(drop?.bits ?? start.bits, values);
      writeValues(exports, at, at + exports.orbitBytes(room), room, values);
      const written = exports.orbitBegin(at, room, start.bits, start.index, start.first ? 1 : 0, drop ? 0 : 1);
      if (drop) {
        const [x, y] = drop.last ?? view(0, 2);
        const { re, im, exponent } = drop.derivative;
        exports.orbitDropping(drop.bits, drop.dropped, re, im, exponent, drop.one, x, y);
      }
      return written;
    },
    steps: (count, from) => exports.orbitSteps(count, from),
    // Fresh views: the steps may have grown the memory.
    chunk: () => ({
      points: view(0, 2 * chunkSize),
      lows: view(16 * chunkSize, 2 * chunkSize),
      margins: view(32 * chunkSize, chunkSize),
    }),
    escaped: () => exports.orbitEscaped() !== 0,
    cycle: () => exports.orbitCycle(),
    last() {
      const words = exports.orbitWords();
      const memory = new Uint32Array(exports.memory.buffer, at, 2 * room);
      const read = (k: number) => {
        let v = 0n;
        for (let i = words - 1; i >= 0; i--) v = (v << 32n) | BigInt(memory[k * room + i]);
        return BigInt.asIntN(32 * words, v);
      };
      const derivative = {
        re: exports.orbitDerivative(0),
        im: exports.orbitDerivative(1),
        exponent: exports.orbitDerivative(2),
      };
      return { x: read(0), y: read(1), dropped: exports.orbitDropped(), derivative };
    },
  };
}
