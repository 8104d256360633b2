/**
 * The bilinear approximation's tables (src/plane/bla.ts) against stepping the perturbation map itself: a run of 2^L
 * steps is the composition of dz -> 2 Z dz + dz^2 + dc to second order, its radius keeps every step's dz under
 * EPSILON |Z|, and the layout is what the kernel reads; and the same tables built in WASM.
 */
import { describe, expect, it } from 'vitest';
import { referenceAt } from '../dist/src/engines/perturbation.js';
import { compileWasmModule, instantiateWasm } from '../dist/src/engines/wasm.js';
import { BLOCK_F64, blaTable, EPSILON, MIN_LEVEL, TABLE_LEVELS } from '../dist/src/plane/bla.js';
import { sampleGrid } from '../dist/src/plane/view.js';

type Complex = [number, number];
const mul = (a: Complex, b: Complex): Complex => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const add = (...terms: Complex[]): Complex => terms.reduce((s, t) => [s[0] + t[0], s[1] + t[1]], [0, 0]);
const size = (a: Complex) => Math.hypot(a[0], a[1]);

// The published 1e31 seahorse point at 1e30: orbits of thousands of steps near the set.
const grid = sampleGrid(
  { view: { center: ['-0.743643887037158704752191506114774', '0.131825904205311970493132056385139'], width: '3e-30' } },
  64,
  36,
  1,
);
const orbit = referenceAt(grid, [64, 36], 5000).points;
const DC = 1e-30;
const { blocks, index } = blaTable(orbit, orbit.length / 2 - 1, 0, DC);
const at = (m: number): Complex => [orbit[2 * m], orbit[2 * m + 1]];
const coefficient = (o: number, k: number): Complex => [blocks[o + 2 * k], blocks[o + 2 * k + 1]];

describe('BLA runs', () => {
  it.each([3, 4, 6, 8, 10, 12])('of 2^%i steps are the steps, to second order, anywhere in their radius', (level) => {
    const [first, count] = [index[2 * level], index[2 * level + 1]];
    expect(count).toBe(Math.floor((orbit.length / 2 - 2) / 2 ** level));
    let checked = 0;
    for (let i = 0; i < count; i += Math.max(1, count >> 4)) {
      const o = (first + i) * BLOCK_F64;
      const radius = Math.sqrt(blocks[o + 10]);
      expect(blocks[o + 11]).toBe(2 ** level);
      if (!(radius > 0)) continue;
      const d: Complex = [0.6 * radius, 0.3 * radius];
      const c: Complex = [0.7 * DC, -0.5 * DC];
      let z = d;
      const start = 1 + i * 2 ** level;
      for (let m = start; m < start + 2 ** level; m++) {
        // Within the radius, every step's dz stays under EPSILON |Z|: the terms dropped stay third order.
        expect(size(z)).toBeLessThanOrEqual(EPSILON * size(at(m)) * 1.0001);
        z = add(mul([2 * at(m)[0], 2 * at(m)[1]], z), mul(z, z), c);
      }
      const [a, b, p, q, s] = [0, 1, 2, 3, 4].map((k) => coefficient(o, k));
      const linear = add(mul(a, d), mul(b, c));
      const second = add(linear, mul(p, mul(d, d)), mul(q, mul(d, c)), mul(s, mul(c, c)));
      // Rounding aside, second order is the steps; first order alone is off by about EPSILON.
      expect(size(add(second, [-z[0], -z[1]])) / size(z)).toBeLessThan(1e-13);
      expect(size(add(linear, [-z[0], -z[1]])) / size(z)).toBeGreaterThan(1e-9);
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('have none where z = Z + dz could reach |z| = 2 within them, nor below level MIN_LEVEL', () => {
    for (let level = 0; level < MIN_LEVEL; level++) expect(index[2 * level + 1]).toBe(0);
    expect(index).toHaveLength(2 * TABLE_LEVELS);
    // An orbit along |Z| = 2 (c = -2: 0, -2, 2, 2, ...) gives its steps no radius.
    const needle = Float64Array.of(0, 0, -2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0, 2, 0);
    const table = blaTable(needle, needle.length / 2 - 1, 0, 1e-20);
    const [first, count] = [table.index[2 * MIN_LEVEL], table.index[2 * MIN_LEVEL + 1]];
    expect(count).toBe(1);
    expect(table.blocks[first * BLOCK_F64 + 10]).toBe(0);
  });
});

describe('BLA tables built in WASM (assembly/bla-table.ts)', () => {
  const asBits = (values: Float64Array) => Array.from(new BigUint64Array(Float64Array.from(values).buffer), String);
  const needleGrid = sampleGrid({ view: { center: ['-1.99999999999999999999', '0'], width: '3e-18' } }, 96, 54, 1);
  const needle = referenceAt(needleGrid, [96, 54], 3000);
  const cusp = referenceAt(sampleGrid({ view: { center: ['0.25', '0.001'], width: '3e-40' } }, 8, 8, 1), [8, 8], 5000);

  it.each([
    ['the seahorse orbit', orbit, undefined, orbit.length / 2 - 1, 0, DC],
    ['the needle, whose margins leave steps without runs', needle.points, needle.margins, 3000, 0, 1e-18],
    ['two segments, as a Julia set has', cusp.points, cusp.margins, 1999, 2000, 0],
    ['a second segment of a few steps', cusp.points, cusp.margins, 4989, 4990, 0],
    ['orbits of 8 points and fewer', cusp.points.subarray(0, 16), cusp.margins.subarray(0, 8), 7, 0, 1e-3],
    ['an orbit of 11 points', cusp.points.subarray(0, 22), undefined, 10, 0, 1e-3],
  ])('are the TypeScript tables bit for bit: %s', async (_, points, margins, viewLast, restart, dc) => {
    const wasm = await instantiateWasm(await compileWasmModule());
    const expected = blaTable(points, viewLast, restart, dc, margins);
    const built = wasm.bla(points, viewLast, restart, dc, margins);
    expect(asBits(built.blocks)).toEqual(asBits(expected.blocks));
    expect([...built.index]).toEqual([...expected.index]);
    expect(built.dc).toBe(dc);
  });
});
