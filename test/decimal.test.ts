/** Decimal strings, the exact sample grid and fixed point: the pure arithmetic under deep zoom (src/plane/). */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
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
import { extendOrbit, fixedToNumber, lowPart, nextDerivative, referenceOrbit } from '../dist/src/plane/orbit.js';

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

  it('keeps a Julia orbit through 0 finite: dZ/dZ_1 is 0 from there on, not NaN', () => {
    // Z_1 = 0 (a reference at the origin): A_2 = 2 Z_1 A_1 = 0, then 0 for good.
    const a = nextDerivative({ re: 1, im: 0, exponent: 0 }, 0, 0, 0);
    expect(a).toEqual({ re: 0, im: 0, exponent: 0 });
    expect(nextDerivative(a, -0.8, 0.156, 0)).toEqual({ re: 0, im: 0, exponent: 0 });
  });
});
