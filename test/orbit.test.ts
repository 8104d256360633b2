/**
 * The reference orbit's fixed-point loop in WASM (assembly/orbit.ts) against the BigInt loop (src/plane/orbit.ts):
 * every point, low part and margin the same f64 (the same bits, signs of zero included), the same escape, cycle
 * and last point, from the first point on or continued, at widths from 64 to 1100 fraction bits; and the exact
 * fallback's loop (src/engines/exact.ts) against its BigInt loop, count and norm.
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { exactEscape, GLITCHED, withExactFallback } from '../dist/src/engines/exact.js';
import { perturbSetup, referenceAt } from '../dist/src/engines/perturbation.js';
import type { WasmInstance } from '../dist/src/engines/wasm.js';
import { compileWasmModule, instantiateWasm } from '../dist/src/engines/wasm.js';
import type { OrbitSoFar } from '../dist/src/plane/orbit.js';
import { extendOrbit } from '../dist/src/plane/orbit.js';
import { sampleGrid } from '../dist/src/plane/view.js';
import { P1212 } from './support/deep-views.js';

let wasm: WasmInstance;
beforeAll(async () => {
  wasm = await instantiateWasm(await compileWasmModule());
});

/** What an orbit came to, every f64 as its bits (so that -0 and 0, or a last-bit difference, are told apart). */
function summary(orbit: OrbitSoFar) {
  const bits = (values: Float64Array) => Array.from(new BigUint64Array(Float64Array.from(values).buffer), String);
  const { points, lows, margins, escaped, cycle, x, y, dropped } = orbit;
  return { points: bits(points), lows: bits(lows), margins: bits(margins), escaped, cycle, x, y, dropped };
}

/**
 * The orbit by WASM and by BigInt, from the start or continued from `split` points (each call looks for a cycle from
 * its own first return near 0 on, so the two are split alike).
 */
function both(
  re: bigint,
  im: bigint,
  bits: number,
  length: number,
  split?: number,
  drop?: { start?: [bigint, bigint] },
) {
  const lows = !drop;
  const start = drop?.start;
  const orbit = (fixed?: typeof wasm.orbit) => {
    const first = split ? extendOrbit(re, im, bits, split, undefined, lows, start, fixed) : undefined;
    const whole = extendOrbit(re, im, bits, length, first, lows, start, fixed);
    return { ...summary(whole), derivative: whole.derivative };
  };
  return [orbit(wasm.orbit), orbit()];
}

const one = (bits: number) => 1n << BigInt(bits);

describe('the orbit in WASM', () => {
  // Z_1 = c alone: each conversion where its cases meet. T is the point's top (x >> (bits - 64)), whose size picks
  // fixedToNumber's case; the low part's 2^-117 and the tie at 2^-128 pick lowPart's.
  const edges = (bits: number): [string, bigint][] => {
    const unit = (k: number) => one(bits - 64 + k);
    return [
      ['0', 0n],
      ['1', 1n],
      ['-1', -1n],
      ['T = 2^53', unit(53)],
      ['T = -2^53', -unit(53)],
      ['T = -2^53 and a little more', -unit(53) + 1n],
      ['T = -2^53 and a little less', -unit(53) - 1n],
      ['T = 2^53 - 1', unit(53) - 1n],
      ['T just below 2^64', unit(64) - 1n],
      ['T = -2^64', -unit(64)],
      ['T = -2^64 + 2^53', -unit(64) + unit(53)],
      ['T = -2^64 + 2^53 + a little', -unit(64) + unit(53) + 1n],
      ['a tie at 2^-128', one(bits) + one(bits - 128 < 0 ? 0 : bits - 128 - 1) * 3n],
      ['-3/4', (-3n * one(bits)) / 4n],
      ['-1/3', -one(bits) / 3n],
      ['-2', -2n * one(bits)],
      ['-2 + one unit', -2n * one(bits) + 1n],
      ['-2 - one unit', -2n * one(bits) - 1n],
      ['far out', 100n * one(bits)],
      ['far out, negative', -(100n * one(bits)) - 12345n],
      // Coordinates past 2^51 and 2^62 units, where the short ways of rounding no longer hold.
      ['2^52 + 1/2', (1n << 52n) * one(bits) + one(bits) / 2n],
      ['-(2^52 + 1/2)', -((1n << 52n) * one(bits) + one(bits) / 2n)],
      ['2^53 + 1', ((1n << 53n) + 1n) * one(bits)],
      ['10^19', 10n ** 19n * one(bits)],
      ['2^64 + 3', ((1n << 64n) + 3n) * one(bits)],
      ['-(2^64 + 3)', -((1n << 64n) + 3n) * one(bits)],
    ];
  };
  it.each([64, 65, 100, 127, 128, 129, 160, 191, 192, 255, 400, 1100])(
    'converts Z_1 = c as the BigInt loop does at %i bits, at every edge of its cases',
    (bits) => {
      for (const [, re] of edges(bits)) {
        for (const im of [0n, re, -re, 1n]) {
          const [fixed, bigint] = both(re, im, bits, 1);
          expect(fixed).toEqual(bigint);
        }
      }
    },
  );

  it('iterates as the BigInt loop does, from the start and continued, at any width', () => {
    const orbits = fc.tuple(
      fc.constantFrom(64, 100, 128, 129, 200, 256, 400, 1100),
      fc.double({ min: -2, max: 0.5, noNaN: true }),
      fc.double({ min: -1.2, max: 1.2, noNaN: true }),
      fc.bigInt({ min: 0n, max: (1n << 1200n) - 1n }),
      fc.option(fc.integer({ min: 1, max: 320 })),
    );
    fc.assert(
      fc.property(orbits, ([bits, cx, cy, noise, split]) => {
        // c near (cx, cy), with low bits of its own down to the last.
        const scaled = (v: number) => BigInt(Math.round(v * 2 ** 40)) << BigInt(bits - 40);
        const re = scaled(cx) + (noise % one(bits - 40));
        const im = scaled(cy) - ((noise >> 3n) % one(bits - 40));
        const [fixed, bigint] = both(re, im, bits, 300, split ?? undefined);
        expect(fixed).toEqual(bigint);
      }),
      { numRuns: 120 },
    );
  });

  it('drops precision as the BigInt loop does (no low parts), from the start and continued, Julia sets too', () => {
    const orbits = fc.tuple(
      fc.constantFrom(200, 256, 400, 700, 1100, 2048),
      fc.double({ min: -2, max: 0.5, noNaN: true }),
      fc.double({ min: -1.2, max: 1.2, noNaN: true }),
      fc.bigInt({ min: 0n, max: (1n << 2100n) - 1n }),
      fc.option(fc.integer({ min: 1, max: 420 })),
      fc.boolean(),
    );
    fc.assert(
      fc.property(orbits, ([bits, cx, cy, noise, split, julia]) => {
        const scaled = (v: number) => BigInt(Math.round(v * 2 ** 40)) << BigInt(bits - 40);
        const re = scaled(cx) + (noise % one(bits - 40));
        const im = scaled(cy) - ((noise >> 3n) % one(bits - 40));
        // A Julia set's orbit: c fixed at (re, im)'s neighbour, z from near 0.
        const start: [bigint, bigint] | undefined = julia
          ? [noise % one(bits - 3), -(noise >> 5n) % one(bits - 3)]
          : undefined;
        const [fixed, bigint] = both(re, im, bits, 400, split ?? undefined, { start });
        expect(fixed).toEqual(bigint);
      }),
      { numRuns: 80 },
    );
  });

  it('regains the precision it dropped, as the BigInt loop does', () => {
    // A Julia set of c = -1 from just off its repelling fixed point b = (1 + sqrt 5) / 2: dZ/dZ_1 grows (bits are
    // dropped) while the orbit stays near b, then shrinks in the basin of the cycle 0, -1 (bits come back).
    const bits = 2048;
    let root = 1n << BigInt(bits + 2);
    for (let k = 0; k < 4000; k++) root = (root + (5n << BigInt(2 * bits)) / root) >> 1n;
    const b = (one(bits) + root) / 2n;
    for (const k of [200, 900, 1800]) {
      const start: [bigint, bigint] = [b - one(bits - k), 0n];
      const [fixed, bigint] = both(-one(bits), 0n, bits, 3000, 1500, { start });
      expect(fixed).toEqual(bigint);
      // Bits dropped on the way out (|A| about 3.2^n near b), none at the end.
      expect(extendOrbit(-one(bits), 0n, bits, k / 2, undefined, false, start).dropped).toBeGreaterThan(0);
      expect(bigint.dropped).toBe(0);
    }
  });

  it.each([
    ['c = i at 1e300, whose precision drops', '0', '1', '3e-300', 3000, 0],
    ['the cusp, which never escapes', '0.25', '0', '3e-100', 3000, 0],
    [
      'the period-3 nucleus, a cycle',
      '-1.754877666246692760049508896358528691894606617772793143989283970646',
      '0',
      '3e-60',
      3000,
      3,
    ],
    [
      'the seahorse view',
      '-0.743643887037158704752191506114774',
      '0.131825904205311970493132056385139',
      '3e-30',
      20000,
      0,
    ],
    ['the needle, through |Z| = 2', '-1.99999999999999999999', '0', '3e-18', 500, 0],
    // Past the double-double range (no low parts, precision dropped), dZ/dC falling each period: bits come back
    // before the step after a return near 0 (made at the old precision, the orbit escaped after 3135 steps).
    ['a period-1212 nucleus at 1e290', P1212[0], P1212[1], '3e-290', 4000, 0],
  ])('gives the reference orbit of %s as BigInt does', (_, re, im, width, length, cycle) => {
    const grid = sampleGrid({ view: { center: [re, im], width } }, 320, 180, 1);
    const bigint = referenceAt(grid, [grid.width, grid.height], length);
    const fixed = referenceAt(grid, [grid.width, grid.height], length, undefined, undefined, wasm.orbit);
    expect(summary(fixed)).toEqual(summary(bigint));
    expect(fixed.cycle).toBe(cycle);
    expect(fixed.escaped).toBe(false);
    // Continued from a short orbit, as the survey has it, the same again.
    const continued = (fixed?: typeof wasm.orbit) => {
      const short = referenceAt(grid, [grid.width, grid.height], 7, undefined, undefined, fixed);
      return summary(referenceAt(grid, [grid.width, grid.height], length, short, undefined, fixed));
    };
    expect(continued(wasm.orbit)).toEqual(continued());
  });
});

describe("the exact fallback's loop in WASM", () => {
  it.each([
    [
      'the seahorse view at 1e30',
      '-0.743643887037158704752191506114774',
      '0.131825904205311970493132056385139',
      '3e-30',
      20000,
    ],
    ['the needle, along |z| = 2', '-1.99999999999999999999', '0', '3e-18', 3000],
    ['the cusp, where nothing escapes in time', '0.25', '0', '3e-100', 2000],
    ['c = i at 1e300', '0', '1', '3e-300', 5000],
  ])('counts %s as BigInt does, with the same norm', (_, re, im, width, maxIter) => {
    const grid = sampleGrid({ view: { center: [re, im], width } }, 48, 27, 1);
    for (let row = 0; row < grid.height; row += 5) {
      for (let col = 0; col < grid.width; col += 3) {
        const bigint = exactEscape(grid, col, row, maxIter);
        expect(exactEscape(grid, col, row, maxIter, undefined, wasm.escape)).toEqual(bigint);
      }
    }
  });

  it("settles a render's samples as BigInt does, and leaves the kept orbit as it was", async () => {
    // Just off c = i: the centre escapes after 57 steps, samples nearer i later (GLITCHED).
    const grid = sampleGrid({ view: { center: ['0.00000000000000000000123', '1'], width: '3e-20' } }, 32, 20, 1);
    const perturb = perturbSetup(grid, 2000);
    const job = { colStart: 0, width: 32, rowStart: 0, rowCount: 20, maxIter: 2000, perturb };
    const copy = (p: { counts: Int32Array; norms: Float64Array }) => [
      Int32Array.from(p.counts),
      Float64Array.from(p.norms),
    ];
    const bigint = copy(withExactFallback(wasm.engine('renderPerturb'))(job));
    const settled = withExactFallback(wasm.engine('renderPerturb'), wasm.escape);
    expect(
      wasm
        .engine('renderPerturb')(job)
        .counts.some((count) => count === GLITCHED),
    ).toBe(true);
    expect(copy(settled(job))).toEqual(bigint);
    // Again, with the orbit and tables this instance keeps from the call before (the loop's scratch lies above them).
    expect(copy(settled(job))).toEqual(bigint);
    const fresh = await instantiateWasm(await compileWasmModule());
    expect(copy(withExactFallback(fresh.engine('renderPerturb'))(job))).toEqual(bigint);
  });

  it('counts a Julia set as BigInt does', () => {
    const julia: [number, number] = [-0.8, 0.156];
    const grid = sampleGrid({ view: { center: ['0.1', '0.2'], width: '3e-20' } }, 48, 27, 1);
    for (let row = 0; row < grid.height; row += 4) {
      for (let col = 0; col < grid.width; col += 4) {
        const bigint = exactEscape(grid, col, row, 4000, julia);
        expect(exactEscape(grid, col, row, 4000, julia, wasm.escape)).toEqual(bigint);
      }
    }
  });
});
