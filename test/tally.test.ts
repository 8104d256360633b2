/** What a render's samples came to, and what is said of it: a uniform picture, an unresolved edge. */
import { afterAll, describe, expect, it } from 'vitest';
import { resolvedAt } from '../dist/src/cli/auto-iterations.js';
import { uniformPicture } from '../dist/src/errors.js';
import { addTally, EMPTY_TALLY, edgeUnresolved, tallyBits, tallyCounts, uniformity } from '../dist/src/model/tally.js';
import { centreDecimals } from '../dist/src/plane/view.js';
import { closeSharedRenderer, runMain } from './helpers.js';

afterAll(closeSharedRenderer);

/** A tally of `inside` samples and of escapes `late` and `early` in --max-iter. */
const tally = (inside: number, late: number, early: number) => ({
  inside,
  escaped: late + early,
  minCount: 1,
  maxCount: 900,
  late,
});

describe('tally', () => {
  it('counts inside, escaped, the range and the late escapes', () => {
    expect(tallyCounts(Int32Array.of(-1, 5, 7, 60, -1), 100)).toEqual({
      inside: 2,
      escaped: 3,
      minCount: 5,
      maxCount: 60,
      late: 1,
    });
    expect(tallyBits(Uint8Array.of(0b10100000, 0b11000000), 3, 2)).toEqual({
      inside: 4,
      escaped: 2,
      minCount: Number.NaN,
      maxCount: Number.NaN,
      late: 0,
    });
    const sum = addTally(tallyCounts(Int32Array.of(9), 10), addTally(EMPTY_TALLY, tallyBits(Uint8Array.of(0), 2, 1)));
    expect(sum).toEqual({ inside: 0, escaped: 3, minCount: 9, maxCount: 9, late: 1 });
  });

  it('calls the edge unresolved with many late escapes beside samples inside, not beside an isolated point', () => {
    expect(edgeUnresolved(tally(500, 200, 9300))).toBe(true); // 5% inside, 2% late
    expect(edgeUnresolved(tally(500, 50, 9450))).toBe(false); // 0.5% late: resolved
    // c = i at a deep view's centre never escapes; every other sample escapes late because the view is deep.
    expect(edgeUnresolved(tally(1, 6e6, 0))).toBe(false);
    expect(edgeUnresolved(tally(1, 99, 0))).toBe(false); // one sample, however large its share
    expect(edgeUnresolved(tally(5, 9995, 0))).toBe(false); // under 0.1% inside
    expect(edgeUnresolved(tally(20, 9980, 0))).toBe(true);
  });

  it('lets --max-iter auto stop only where the edge is resolved and not most of its sample escapes late', () => {
    expect(resolvedAt(tally(500, 50, 9450))).toBe(true);
    expect(resolvedAt(tally(500, 200, 9300))).toBe(false);
    expect(resolvedAt(tally(100, 0, 0))).toBe(false); // nothing escaped: the escapes may all lie further
    // None inside, all late: strips that missed a minibrot's interior (the render had 10% inside), or a deep view's
    // escapes all near one count; another round tells.
    expect(resolvedAt(tally(0, 100, 0))).toBe(false);
    expect(resolvedAt(tally(1, 6e6, 0))).toBe(false);
    expect(resolvedAt(tally(0, 40, 60))).toBe(true);
  });

  it('names the count once where every sample escaped at it, and a centre short of decimals only when it is', () => {
    const flat = uniformPicture('flat', { minCount: 5, maxCount: 5 }, 100);
    expect(flat).toBe(
      "warning: the picture is uniform: every sample escaped after 5 iterations: the view misses the set's detail",
    );
    const view = (center: string, width: string) => centreDecimals({ center: [center, '0'], width });
    expect(view('-1.74', '3e-30')).toEqual({ has: 2, needs: 30 });
    expect(view('-1.7400', '3e-5')).toEqual({ has: 4, needs: 5 });
    expect(uniformPicture('outside', { minCount: 1, maxCount: 1 }, 100, view('-1.74', '3e-30'))).toMatch(
      /; the centre has 2 decimals, and a view this narrow needs about 30$/,
    );
    expect(uniformPicture('flat', { minCount: 3, maxCount: 4 }, 100, view('-1.75000', '3e-5'))).toBe(
      "warning: the picture is uniform: every sample escaped after 3 to 4 iterations: the view misses the set's detail",
    );
  });

  it('calls a picture uniform only with 1024 samples or more, all inside, or all escaping within 2 counts', () => {
    const many = (counts: number[]) =>
      tallyCounts(
        Int32Array.from({ length: 2048 }, (_, k) => counts[k % counts.length]),
        1000,
      );
    expect(uniformity(many([-1]))).toBe('inside');
    expect(uniformity(many([7, 8, 9]))).toBe('flat');
    expect(uniformity(many([7, 10]))).toBeUndefined();
    expect(uniformity(many([-1, 7]))).toBeUndefined();
    expect(uniformity(tallyCounts(Int32Array.of(-1, -1), 1000))).toBeUndefined();
    expect(uniformity(tallyBits(new Uint8Array(256), 64, 32))).toBe('outside');
  });
});

describe('--stats on the samples', () => {
  it('says what share reached --max-iter, and that the edge is unresolved when escapes come late', async () => {
    const run = async (maxIter: string) =>
      (
        await runMain([
          '--center=-0.7453,0.1127',
          '--zoom',
          '200',
          '--width',
          '160',
          '--height',
          '90',
          '--max-iter',
          maxIter,
          '--out',
          'npy',
          '-o',
          '/dev/null',
          '--stats',
        ])
      ).stderr;
    expect(await run('1e3')).toMatch(
      /^inside: [\d.]+% of 14\.4 k samples reached --max-iter 1000; [\d.]+% escaped in its second half: the edge is not resolved, try --max-iter 4000$/m,
    );
    expect(await run('2e4')).toMatch(
      /^inside: [\d.]+% of 14\.4 k samples reached --max-iter 20000; 0\.\d% escaped in its second half$/m,
    );
  });
});
