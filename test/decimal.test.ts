/** Decimal strings, the exact sample grid and fixed point: the pure arithmetic under deep zoom (src/plane/). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { referenceAt, skipLinear } from '../dist/src/engines/perturbation.js';
import { FIRST_ORBIT_LENGTH, firstOrbitLength } from '../dist/src/engines/reference.js';
import {
  decimalMagnitude,
  decimalOfNumber,
  divideDecimal,
  formatDecimal,
  MAX_DIGITS,
  parseDecimal,
  toFixedPoint,
} from '../dist/src/plane/decimal.js';
import { deepGrid, pointAt, STEP_BITS, samplePoint } from '../dist/src/plane/grid.js';
import {
  extendOrbit,
  fixedToNumber,
  floorLog2,
  lowPart,
  nextDerivative,
  powerOfTwo,
  referenceOrbit,
  type Scaled,
} from '../dist/src/plane/orbit.js';
import { sampleGrid } from '../dist/src/plane/view.js';

describe('decimal strings', () => {
  it.each([
    ['-1.25e-3', -125n, -5],
    ['+.5E3', 5n, 2],
    ['7.', 7n, 0],
    ['0.000', 0n, -3],
    ['1e-1000', 1n, -1000],
  ])('parses %j exactly', (text, mantissa, exponent) => {
    expect(parseDecimal(text)).toEqual({ mantissa, exponent });
  });

  it.each(['', '-', '.', '1x', '0x10', 'Infinity', 'NaN', '1e', '1,5', '--1', `0.${'1'.repeat(MAX_DIGITS)}`])(
    'refuses %j',
    (text) => {
      expect(parseDecimal(text)).toBeUndefined();
    },
  );

  it('gives back what it formats, and every f64 exactly', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const d = decimalOfNumber(x);
        expect(Number(formatDecimal(d))).toBe(x + 0);
        expect(parseDecimal(formatDecimal(d))).toEqual(d);
      }),
    );
  });

  it('scales to fixed point with rounding, and divides to the digits asked', () => {
    expect(toFixedPoint({ mantissa: 75n, exponent: -2 }, 4)).toBe(12n);
    expect(toFixedPoint({ mantissa: -1n, exponent: -1 }, 1)).toBe(-0n); // -0.2 rounds to 0
    expect(formatDecimal(divideDecimal(3n, { mantissa: 1n, exponent: 300 }, 2))).toBe('3000e-303');
    expect(decimalMagnitude({ mantissa: 2n, exponent: -2 })).toBe(-2);
  });
});

describe('the exact sample grid', () => {
  const centre = [parseDecimal('-0.743643887037151'), parseDecimal('0.131825904205330')] as const;

  it('has dyadic steps of STEP_BITS bits and the centre at (width, height) in half steps', () => {
    const grid = deepGrid(centre as never, { mantissa: 3n, exponent: -300 }, 64, 40);
    expect(grid.halfStepX.mantissa.toString(2)).toHaveLength(STEP_BITS);
    expect(pointAt(grid, 64, 40)).toEqual(grid.centre);
    expect(samplePoint(grid, 32, 20)).toEqual(grid.centre);
    // Neighbouring samples are exactly one step (two half steps) apart.
    const [a] = samplePoint(grid, 10, 3);
    const [b] = samplePoint(grid, 11, 3);
    expect(b - a).toBe(2n * grid.halfStepX.mantissa * 2n ** BigInt(grid.fractionBits + grid.halfStepX.exponent));
  });

  it('reads fixed point back as f64, also far below the normal range', () => {
    expect(fixedToNumber(3n << 100n, 101)).toBe(1.5);
    expect(fixedToNumber(1n, 1100)).toBe(0);
    expect(fixedToNumber(-5n << 1000n, 1001)).toBe(-2.5);
  });

  it('keeps the next 53 bits of a fixed-point number as its low part', () => {
    // 1/3 to 300 bits: high + low is within 2^-104 of it, where f64 alone is 2^-55 off.
    const third = (1n << 300n) / 3n;
    const high = fixedToNumber(third, 300);
    const low = lowPart(third, 300, high);
    expect(Math.abs(low)).toBeGreaterThan(2 ** -60);
    expect(Math.abs(low)).toBeLessThan(2 ** -53);
    const rest = third - (BigInt(high * 2 ** 64) << 236n) - (BigInt(Math.round(low * 2 ** 120)) << 180n);
    expect(Math.abs(fixedToNumber(rest, 300))).toBeLessThan(2 ** -104);
    // Bits beyond 2^-128 are dropped; tiny values take the general path. The orbit's low parts follow its points.
    expect(lowPart((1n << 200n) + (1n << 80n), 200, 1)).toBe(2 ** -120);
    expect(lowPart(3n, 300, fixedToNumber(3n, 300))).toBe(0);
    const orbit = extendOrbit(third, third, 300, 10, undefined, true);
    expect(orbit.lows.length).toBe(orbit.points.length);
    expect(orbit.lows[2]).toBe(low);
  });

  it('iterates the reference orbit from z = c, stopping after the escape', () => {
    expect([...referenceOrbit(-1n << 64n, 0n, 64, 5)]).toEqual([0, 0, -1, 0, 0, 0, -1, 0, 0, 0, -1, 0]);
    expect(referenceOrbit(1n << 64n, 0n, 64, 100).length / 2).toBe(3); // 0, 1, 2: |2|^2 >= 4 is the escape
  });

  it('drops orbit bits as dZ/dC grows, and stays with the full-precision orbit while that holds f64', () => {
    // c = i + 2^-400 (1 + i): near the cycle of c = i for about 320 steps, where |dZ/dC| grows by 2^1.25 a step.
    const bits = 465;
    const re = 1n << BigInt(bits - 400);
    const im = (1n << BigInt(bits)) + re;
    const orbit = extendOrbit(re, im, bits, 340);
    expect(orbit.dropped).toBeGreaterThan(0);
    expect(orbit.dropped).toBeLessThanOrEqual(bits - 128);
    // With low parts (for the double-double path) it keeps every bit.
    expect(extendOrbit(re, im, bits, 340, undefined, true).dropped).toBe(0);
    // The same orbit at every bit (three plain products a step), as f64: equal to 2^-40 until |dZ/dC| is 2^(bits - 60).
    let [x, y, worst] = [re, im, 0];
    const points = [0, 0, fixedToNumber(x, bits), fixedToNumber(y, bits)];
    for (let n = 1; n < 280; n++) {
      [x, y] = [((x * x - y * y) >> BigInt(bits)) + re, ((2n * x * y) >> BigInt(bits)) + im];
      points.push(fixedToNumber(x, bits), fixedToNumber(y, bits));
    }
    for (let k = 0; k < points.length; k++) worst = Math.max(worst, Math.abs(points[k] - orbit.points[k]));
    expect(worst).toBeLessThan(2 ** -40);
    // An orbit continued from one computed so far is the orbit computed at once.
    expect([...extendOrbit(re, im, bits, 340, extendOrbit(re, im, bits, 200)).points]).toEqual([...orbit.points]);
  });

  it('lengthens an orbit that has ended as computing it whole would: a cycle repeats, an escape stays', () => {
    const plain = (o: ReturnType<typeof extendOrbit>) => ({
      ...o,
      points: [...o.points],
      lows: [...o.lows],
      margins: [...o.margins],
    });
    // c = -1.75 + 2^-40: not on a cycle; c = -1: the cycle 0, -1; c = 1: escapes at Z_2 = 2. With low parts (all bits
    // kept), and without (precision dropped as dZ/dC grows); and a Julia orbit from z = 1.75 (c = -1), which escapes.
    const cases: [bigint, boolean, [bigint, bigint]?][] = [
      [-(7n << 62n) + (1n << 24n), true],
      [-1n << 64n, true],
      [1n << 64n, true],
      [1n << 64n, false],
      [-(7n << 62n) + (1n << 24n), false],
      [-1n << 64n, false, [7n << 62n, 0n]],
    ];
    for (const [c, lows, start] of cases) {
      const short = extendOrbit(c, 0n, 64, 30, undefined, lows, start);
      const whole = extendOrbit(c, 0n, 64, 500, undefined, lows, start);
      expect(plain(extendOrbit(c, 0n, 64, 500, short, lows, start))).toEqual(plain(whole));
      // A shorter length than the orbit has: the orbit as it is.
      expect(plain(extendOrbit(c, 0n, 64, 10, whole, lows, start))).toEqual(plain(whole));
    }
    expect(extendOrbit(-1n << 64n, 0n, 64, 500, undefined, true).cycle).toBe(2);
    expect(extendOrbit(1n << 64n, 0n, 64, 500, undefined, true).points.length).toBe(6);
    expect(extendOrbit(-1n << 64n, 0n, 64, 500, undefined, false, [7n << 62n, 0n]).escaped).toBe(true);
  });

  it('keeps a Julia orbit through 0 finite: dZ/dZ_1 is 0 from there on, not NaN', () => {
    // Z_1 = 0 (a reference at the origin): A_2 = 2 Z_1 A_1 = 0, then 0 for good.
    const a = nextDerivative({ re: 1, im: 0, exponent: 0 }, 0, 0, 0);
    expect(a).toEqual({ re: 0, im: 0, exponent: 0 });
    expect(nextDerivative(a, -0.8, 0.156, 0)).toEqual({ re: 0, im: 0, exponent: 0 });
  });
});

describe('the linear start and its arithmetic', () => {
  // Doubles spread over every exponent, and the neighbours of powers of two, where a rounded logarithm may round up.
  const magnitudes = fc.oneof(
    fc.double({ min: 0, noNaN: true }),
    fc.tuple(fc.integer({ min: -1074, max: 1023 }), fc.integer({ min: -4, max: 4 })).map(([e, ulps]) => {
      const x = new Float64Array([2 ** e]);
      const bits = new BigInt64Array(x.buffer);
      bits[0] += BigInt(ulps);
      return Math.abs(x[0]);
    }),
  );

  it('takes powers of two from a table and exponents from the bits, with the values Math gives', () => {
    fc.assert(fc.property(fc.integer({ min: -1200, max: 1200 }), (k) => Object.is(powerOfTwo(k), 2 ** k)));
    for (const k of [0.5, Infinity, -Infinity, Number.NaN]) expect(powerOfTwo(k)).toBe(2 ** k);
    fc.assert(
      fc.property(magnitudes, (m) => Object.is(floorLog2(m), Math.floor(Math.log2(m)))),
      { numRuns: 20000 },
    );
    for (const m of [0, -0, -1, Infinity, Number.NaN, Number.MIN_VALUE, 2 - 2 ** -52, 2 ** 1023 * (2 - 2 ** -52)]) {
      expect(floorLog2(m)).toBe(Math.floor(Math.log2(m)));
    }
  });

  /** A -> 2 Z A + one, renormalised, written out with Math's own functions (nextDerivative's definition). */
  function definedDerivative(a: Scaled, zx: number, zy: number, one: number): Scaled {
    const re = 2 * (zx * a.re - zy * a.im) + (one === 0 ? 0 : one * 2 ** -a.exponent);
    const im = 2 * (zx * a.im + zy * a.re);
    if (re === 0 && im === 0) return { re: 0, im: 0, exponent: a.exponent };
    const shift = Math.floor(Math.log2(Math.max(Math.abs(re), Math.abs(im))));
    return { re: re / 2 ** shift, im: im / 2 ** shift, exponent: a.exponent + shift };
  }

  it('steps dZ/dC as its definition does, in place or not', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.integer({ min: -2000, max: 2000 }),
        fc.oneof(fc.double({ min: -2, max: 2, noNaN: true }), fc.constantFrom(0, 1e-300, -0)),
        fc.oneof(fc.double({ min: -2, max: 2, noNaN: true }), fc.constantFrom(0, 1e-300, -0)),
        fc.constantFrom(0, 1),
        (re, im, exponent, zx, zy, one) => {
          const a = { re, im, exponent };
          expect(nextDerivative(a, zx, zy, one)).toEqual(definedDerivative(a, zx, zy, one));
        },
      ),
      { numRuns: 20000 },
    );
  });

  /** skipLinear as it is defined: A step by step, and the test in logarithms at every step. */
  function definedJump(orbit: Float64Array, maxIter: number, scale: number, largestDc: number, julia: boolean) {
    const end = Math.min(orbit.length / 2 - 1, maxIter - 1);
    let a: Scaled = { re: 1, im: 0, exponent: 0 };
    let aligned = { n: 1, a };
    for (let n = 1; n < end; ) {
      const [zx, zy] = [orbit[2 * n], orbit[2 * n + 1]];
      const log2Dz = Math.log2(Math.hypot(a.re, a.im) * largestDc) + a.exponent - scale;
      if (log2Dz > Math.log2(Math.hypot(zx, zy) * 2 ** -64)) break;
      a = definedDerivative(a, zx, zy, julia ? 0 : 1);
      n++;
      if ((n - 1) % 8 === 0) aligned = { n, a };
    }
    return [aligned.n, aligned.a.re, aligned.a.im, aligned.a.exponent];
  }

  it('starts samples where the logarithms say when the orbit passes the line by a hair', () => {
    // A made-up orbit whose point at step k lies within 2^-18 of where the largest sample leaves its linear growth:
    // the squares' test must leave such steps to the logarithms, and a subnormal largestDc too.
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.double({ min: -1.9, max: 1.9, noNaN: true }), fc.double({ min: -1, max: 1, noNaN: true })),
          {
            minLength: 8,
            maxLength: 60,
          },
        ),
        fc.nat(),
        fc.integer({ min: -(2 ** 18), max: 2 ** 18 }),
        fc.constantFrom(36, 52, 60),
        fc.constantFrom(0, 300, 1100),
        fc.integer({ min: 0, max: 1200 }),
        (points, at, hair, fine, scale, below) => {
          const orbit = new Float64Array([0, 0, ...points.flat()]);
          const k = 1 + (at % (points.length - 1));
          const largestDc = 2 ** (scale - below);
          let a: Scaled = { re: 1, im: 0, exponent: 0 };
          for (let n = 1; n < k; n++) a = definedDerivative(a, orbit[2 * n], orbit[2 * n + 1], 1);
          // |Z_k| 2^-64 = |A_k| 2^(exponent - scale) largestDc, times 1 + hair 2^-fine: within 2^-18 of the line, or
          // nearer than the logarithms' own rounding.
          const dz = Math.hypot(a.re, a.im) * largestDc * 2 ** (a.exponent - scale);
          const size = dz * 2 ** 64 * (1 + hair * 2 ** -fine);
          const angle = Math.atan2(orbit[2 * k + 1], orbit[2 * k]);
          if (Number.isFinite(size) && size > 0 && size < 2) {
            orbit[2 * k] = size * Math.cos(angle);
            orbit[2 * k + 1] = size * Math.sin(angle);
          }
          const jump = skipLinear(orbit, 1000, scale, largestDc, false);
          const [n, re, im, exponent] = definedJump(orbit, 1000, scale, largestDc, false);
          expect([jump.jumpTo, jump.jumpX, jump.jumpY, jump.scale]).toEqual([n, re, im, scale - exponent]);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('starts samples where the logarithms say, at every depth, scale and size of the view', () => {
    const views: [string, string][] = [
      ['0.25', '0'],
      ['-0.743643887037158704752191506114774', '0.131825904205311970493132056385139'],
      ['0', '1'],
      ['-1.99999999999999999999', '0'],
    ];
    const orbits = views.flatMap((center) =>
      ['1e20', '1e100'].map((zoom) => {
        const grid = sampleGrid({ view: { center, width: String(3 / Number(zoom)) } }, 64, 36, 1);
        return referenceAt(grid, [grid.width, grid.height], 6000).points;
      }),
    );
    const starts = new Set<number>();
    fc.assert(
      fc.property(
        fc.constantFrom(...orbits),
        fc.constantFrom(0, 3, 400, 1100),
        fc.integer({ min: 0, max: 120000 }).map((v) => v / 100),
        fc.constantFrom(40, 6000),
        fc.boolean(),
        (orbit, scale, below, maxIter, julia) => {
          const largestDc = 2 ** (scale - below);
          const jump = skipLinear(orbit, maxIter, scale, largestDc, julia);
          starts.add(jump.jumpTo);
          const [n, re, im, exponent] = definedJump(orbit, maxIter, scale, largestDc, julia);
          expect([jump.jumpTo, jump.jumpX, jump.jumpY, jump.scale]).toEqual([n, re, im, scale - exponent]);
        },
      ),
      { numRuns: 300 },
    );
    // Starts all along the orbits, not only at their ends.
    expect(starts.size).toBeGreaterThan(20);
  });

  it('computes a first orbit that costs about the same at every depth, within its bounds', () => {
    expect(firstOrbitLength(231, 100000)).toBeGreaterThan(50000);
    expect(firstOrbitLength(231, 3000)).toBe(3000);
    expect(firstOrbitLength(3400, 1e6)).toBeLessThan(5000);
    expect(firstOrbitLength(100000, 1e6)).toBe(FIRST_ORBIT_LENGTH);
    expect(firstOrbitLength(100000, 200)).toBe(200);
    for (let bits = 100; bits < 4000; bits += 100) {
      expect(firstOrbitLength(bits + 100, 1e9)).toBeLessThanOrEqual(firstOrbitLength(bits, 1e9));
    }
  });
});
