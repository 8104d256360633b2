/**
 * The reference orbit's fixed-point loop in a WASM instance (assembly/orbit.ts): a FixedOrbit (src/plane/orbit.ts)
 * over the instance's memory from `at` on, which it may grow. Values cross as 32-bit words in two's complement.
 */
import type { FixedOrbit } from '../plane/orbit.js';

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
}

const bitLength = (v: bigint) => (v < 0n ? -v : v).toString(16).length * 4;

/**
 * The loop at `at` (16-byte aligned) of the instance with these exports; `clobbered` is called before each run,
 * whose memory may overlap what the instance keeps above `at`.
 */
export function wasmOrbit(exports: OrbitExports, at: number, clobbered: () => void): FixedOrbit {
  const chunk = exports.ORBIT_CHUNK.value as number;
  return (start, count, sink) => {
    clobbered();
    // Room for the integer part of each product, and for c far from the set (it escapes at once).
    const most = Math.max(start.bits + 8, ...[start.x, start.y, start.cx, start.cy].map((v) => bitLength(v) + 2));
    const words = Math.ceil(most / 32);
    const end = at + exports.orbitBytes(words);
    const have = exports.memory.buffer.byteLength;
    if (end > have) exports.memory.grow(Math.ceil((end - have) / 65536));
    const values = new Uint32Array(exports.memory.buffer, at, 4 * words);
    for (const [k, v] of [start.x, start.y, start.cx, start.cy].entries()) {
      let u = BigInt.asUintN(32 * words, v);
      for (let i = 0; i < words; i++, u >>= 32n) values[k * words + i] = Number(u & 0xffffffffn);
    }
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
