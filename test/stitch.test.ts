import { describe, expect, it } from 'vitest';
import { InOrderStitcher } from '../dist/src/stitch.js';

describe('InOrderStitcher', () => {
  it.each([[[0, 1, 2, 3]], [[3, 2, 1, 0]], [[2, 0, 3, 1]], [[1, 3, 0, 2]]])(
    'writes bands 0..3 in order whatever order they finish in: %j',
    (finishOrder) => {
      const written: number[] = [];
      const stitcher = new InOrderStitcher((bytes) => written.push(bytes[0]));
      const progress: number[] = [];
      for (const index of finishOrder) {
        stitcher.add(index, Uint8Array.of(index));
        progress.push(stitcher.written);
      }
      expect(written).toEqual([0, 1, 2, 3]);
      // A band is written as soon as all bands before it are: never held back longer.
      expect(progress).toEqual(finishOrder.map((_, k) => countPrefix(finishOrder.slice(0, k + 1))));
    },
  );
});

function countPrefix(done: number[]): number {
  let n = 0;
  while (done.includes(n)) n++;
  return n;
}
