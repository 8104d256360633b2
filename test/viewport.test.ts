import { describe, expect, it } from 'vitest';
import { CLASSIC_REGION, pixelToPoint, planeMapping } from '../dist/src/plane/viewport.js';

describe('planeMapping / pixelToPoint', () => {
  const classic = planeMapping(CLASSIC_REGION, 140, 50);

  it('derives the steps from the region and the image size', () => {
    expect(classic).toEqual({ xMin: -2, stepX: 3 / 140, yMax: 1, stepY: 2 / 50 });
    expect(planeMapping({ xMin: -1, xMax: 1, yMin: 0.5, yMax: 1.5 }, 4, 8)).toEqual({
      xMin: -1,
      stepX: 0.5,
      yMax: 1.5,
      stepY: 0.125,
    });
  });

  it.each([
    // col, row, cx, cy: top-left corner sampling, top row = largest imaginary part
    [0, 0, -2, 1],
    [70, 0, -2 + 70 * (3 / 140), 1],
    [139, 0, -2 + 139 * (3 / 140), 1],
    [0, 25, -2, 1 - 25 * 0.04],
    [0, 49, -2, 1 - 49 * 0.04],
    [140, 50, -2 + 140 * (3 / 140), 1 - 50 * 0.04],
  ])('pixel (%i, %i) samples (%f, %f) exactly', (col, row, cx, cy) => {
    expect(pixelToPoint(classic, col, row)).toEqual([cx, cy]);
  });

  it('evaluates in the stated order (xMin + col*stepX), not in an algebraically equal one', () => {
    // The two orders differ in the last bit for this pixel, so a reordered mapping fails here.
    const [cx] = pixelToPoint(classic, 10, 0);
    expect(cx).toBe(-2 + 10 * (3 / 140));
    expect(cx).not.toBe(-2 + (10 * 3) / 140);
  });
});
