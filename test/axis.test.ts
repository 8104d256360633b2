/**
 * The real axis's samples that are inside by the theorem (src/plane/axis.ts): the segment against its definition
 * (every sample's exact point), and against the arbitrary-precision reference's counts.
 */
import { describe, expect, it } from 'vitest';
import { realSegment } from '../dist/src/plane/axis.js';
import type { Decimal } from '../dist/src/plane/decimal.js';
import { parseDecimal } from '../dist/src/plane/decimal.js';
import type { SampleGrid } from '../dist/src/plane/grid.js';
import { deepGrid, pointAt } from '../dist/src/plane/grid.js';
import { exactCount } from './support/exact-escape.js';

const decimal = (text: string) => parseDecimal(text) as Decimal;
const grid = (re: string, im: string, width: string, w: number, h: number, aspect = 1) =>
  deepGrid([decimal(re), decimal(im)], decimal(width), w, h, aspect);

/** Every sample with im = 0 and -2 < re <= 1/4, by its exact point, as [col, row]. */
function bruteForce(g: SampleGrid): [number, number][] {
  const one = 1n << BigInt(g.fractionBits);
  const found: [number, number][] = [];
  for (let row = 0; row < g.height; row++) {
    for (let col = 0; col < g.width; col++) {
      const [re, im] = pointAt(g, 2 * col, 2 * row);
      if (im === 0n && re > -2n * one && 4n * re <= one) found.push([col, row]);
    }
  }
  return found;
}

function segmentSamples(g: SampleGrid): [number, number][] {
  const s = realSegment(g);
  if (!s) return [];
  return Array.from({ length: s.to - s.from }, (_, k) => [s.from + k, s.row] as [number, number]);
}

describe('the real segment of a grid', () => {
  it.each([
    ['the needle at 1e18', grid('-1.99999999999999999999', '0', '3e-18', 96, 54), 48],
    ['a sample exactly at -2 (escapes at once: left out)', grid('-2', '0', '0.5', 16, 10), 7],
    ['a sample exactly at 1/4 (inside: kept)', grid('0.25', '0', '0.5', 16, 10), 9],
    ['the whole axis inside the view', grid('-0.75', '0', '3', 40, 20), 30],
    ['a row on the axis below the centre', grid('-1', '0.0625', '1', 16, 16), 16],
    ['non-square samples (ASCII)', grid('-1.5', '0', '1', 20, 10, 2), 19],
    ['no row on the axis: odd height', grid('-0.75', '0', '3', 30, 21), 0],
    ['no row on the axis: the centre off it', grid('-1.5', '1e-30', '1e-20', 16, 10), 0],
    ['the axis outside the segment', grid('0.3', '0', '0.01', 16, 10), 0],
  ])('%s', (_, g, count) => {
    expect(segmentSamples(g)).toEqual(bruteForce(g));
    expect(segmentSamples(g)).toHaveLength(count);
  });
});

describe('the segment against the reference', () => {
  it('its samples never escape; the row beyond it, past -2 or 1/4, escapes', () => {
    for (const g of [grid('-2', '0', '1e-15', 24, 4), grid('0.25', '0', '0.1', 24, 4)]) {
      const s = realSegment(g);
      expect(s).toBeDefined();
      if (!s) continue;
      for (let col = 0; col < g.width; col++) {
        const count = exactCount(g, col, s.row, 3000);
        if (col >= s.from && col < s.to) expect(count).toBe(-1);
        else expect(count).toBeGreaterThan(0);
      }
    }
  });
});
