import { describe, expect, it } from 'vitest';
import type { Rect } from '../dist/src/index.js';
import { asciiText, planBands, planTiles } from '../dist/src/index.js';

/** A rectangle's ASCII bytes: each pixel's byte is 'a' + (x + y) % 26, so misplaced pixels show. */
function cells(rect: Rect): Uint8Array {
  return Uint8Array.from(
    { length: rect.w * rect.h },
    (_, k) => 97 + ((rect.x + (k % rect.w) + rect.y + Math.floor(k / rect.w)) % 26),
  );
}

function expectedText(width: number, height: number): string {
  return Array.from(
    { length: height },
    (_, y) => `${Array.from({ length: width }, (_, x) => String.fromCharCode(97 + ((x + y) % 26))).join('')}\n`,
  ).join('');
}

describe('asciiText', () => {
  it.each([[[0, 1, 2, 3]], [[3, 2, 1, 0]], [[2, 0, 3, 1]], [[1, 3, 0, 2]]])(
    'writes bands in image order whatever order they finish in, each as soon as the rows above it are: %j',
    (finishOrder) => {
      const bands = planBands(3, 8, 2).map(([r]) => r);
      const written: string[] = [];
      const destination = asciiText(3, 8, (bytes) => written.push(Buffer.from(bytes).toString('latin1')));
      const rowsOut: number[] = [];
      for (const index of finishOrder) {
        destination.receive(bands[index], cells(bands[index]));
        rowsOut.push(written.join('').split('\n').length - 1);
      }
      expect(written.join('')).toBe(expectedText(3, 8));
      expect(rowsOut).toEqual(finishOrder.map((_, k) => 2 * countPrefix(finishOrder.slice(0, k + 1))));
    },
  );

  it('stitches tiles finishing in a scrambled order into the same text', () => {
    const tiles = planTiles(23, 11, 4).map(([r]) => r);
    const order = tiles.map((_, k) => (k * 7) % tiles.length);
    expect(new Set(order).size).toBe(tiles.length);
    const chunks: Uint8Array[] = [];
    const destination = asciiText(23, 11, (bytes) => chunks.push(bytes));
    for (const k of order) destination.receive(tiles[k], cells(tiles[k]));
    expect(Buffer.concat(chunks).toString('latin1')).toBe(expectedText(23, 11));
  });
});

function countPrefix(done: number[]): number {
  let n = 0;
  while (done.includes(n)) n++;
  return n;
}
