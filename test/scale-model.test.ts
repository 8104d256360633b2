/** The scaling experiment's arithmetic: the simulated schedules, the bootstrap intervals, the load windows. */
import { describe, expect, it } from 'vitest';
import { planBands, planInterleaved } from '../dist/src/model/plan.js';
import { compareSchedules, sizeAt } from '../dist/src/scale/experiment.js';
import { ratioInterval, seededRandom } from '../dist/src/scale/interval.js';
import { busyCores, combineLoads, isBusy, loadBetween } from '../dist/src/scale/load.js';
import type { CostModel } from '../dist/src/scale/simulate.js';
import { makespan, predictMs, taskCost } from '../dist/src/scale/simulate.js';

describe('makespan: tasks handed out as the pool does', () => {
  it.each([
    // [costs, workers, tasks held per worker, finish] worked by hand:
    [[3, 1, 1, 1], 2, 1, 3], // the short tasks all go to the free worker
    [[3, 1, 1, 1], 2, 2, 4], // the busy worker already holds a second task when the other runs dry
    [[5], 4, 2, 5],
    [[2, 2, 2, 2, 2], 2, 1, 6],
    [[1, 2, 3, 4], 1, 2, 10],
    [[4, 4, 1, 1, 1, 1], 3, 1, 4], // the third worker takes all four short tasks
    [[4, 4, 1, 1, 1, 1, 1], 3, 1, 5], // ... and a fifth goes to the first worker free at 4
    [[], 3, 2, 0],
  ])('%j on %i workers holding %i: %f', (costs, workers, depth, finish) => {
    expect(makespan(costs, workers, depth)).toBe(finish);
  });
});

describe('predictMs: a plan on N cores from per-row costs', () => {
  const model: CostModel = { rowMs: [4, 1, 1, 2], taskFixedMs: 0.5, dispatchMs: 0.25, mainMs: 0, renderFixedMs: 10 };

  it("costs a task its rows, its fixed part once and the pool's share", () => {
    expect(taskCost(model, [{ x: 0, y: 0, w: 8, h: 4 }])).toBe(4 + 1 + 1 + 2 - 3 * 0.5 + 0.25);
    expect(taskCost(model, planInterleaved(8, 4, 2)[1])).toBe(1 + 2 - 0.5 + 0.25);
  });

  it('adds the fixed cost to the makespan, and is held back by the main thread', () => {
    // Bands of one row on two workers holding one each: [4.25] and [1.25, 1.25, 2.25].
    expect(predictMs(model, planBands(8, 4, 1), 2, 1)).toBe(10 + 4.75);
    expect(predictMs({ ...model, mainMs: 5 }, planBands(8, 4, 1), 2, 1)).toBe(10 + 4 * 5);
  });
});

describe('bootstrap intervals', () => {
  it('repeats itself: the generator is seeded', () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const draws = Array.from({ length: 5 }, () => a());
    expect(draws).toEqual(Array.from({ length: 5 }, () => b()));
    expect(draws.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('collapses on runs that agree, and holds the ratio of medians otherwise', () => {
    expect(ratioInterval([10, 10, 10], [5, 5, 5])).toEqual([2, 2]);
    expect(ratioInterval([10, 10, 10], [5, 5, 5], 3)).toEqual([6, 6]);
    const [low, high] = ratioInterval([9, 10, 11, 10, 12], [5, 6, 5, 4, 5]);
    expect(low).toBeLessThan(10 / 5);
    expect(high).toBeGreaterThan(10 / 5);
    expect(low).toBeGreaterThanOrEqual(9 / 6);
    expect(high).toBeLessThanOrEqual(12 / 4);
  });

  it('compares schedules by their time at each count (not by speedups with different bases), beyond the noise', () => {
    const point = (label: string, threads: number, runsMs: number[]) =>
      ({ label, threads, runsMs, medianMs: [...runsMs].sort((a, b) => a - b)[2] }) as never;
    const points = [
      // At one thread dynamic/1 is slow; its speedup at 4 threads (1295/655) beats static's (987/532), its time does not.
      point('static', 1, [987, 980, 990, 985, 995]),
      point('dynamic/1', 1, [1295, 1290, 1300, 1298, 1292]),
      point('static', 4, [532, 530, 535, 531, 534]),
      point('dynamic/1', 4, [655, 650, 660, 652, 658]),
      point('interleaved', 4, [533, 529, 536, 531, 540]),
    ];
    expect(compareSchedules(points)).toEqual([
      { threads: 1, best: 'static', tied: [], slower: ['dynamic/1'], decided: true },
      { threads: 4, best: 'static', tied: ['interleaved'], slower: ['dynamic/1'], decided: true },
    ]);
    const few = points.map((p) => ({ ...(p as object), runsMs: (p as { runsMs: number[] }).runsMs.slice(0, 3) }));
    expect(compareSchedules(few as never)[1]).toEqual({
      threads: 4,
      best: 'static',
      tied: ['interleaved', 'dynamic/1'],
      slower: [],
      decided: false,
    });
  });
});

describe('sizes and load windows', () => {
  it('grows the picture with the threads only in weak scaling', () => {
    expect(sizeAt({ width: 1600, height: 900 }, 4, 1, false)).toEqual({ width: 1600, height: 900 });
    expect(sizeAt({ width: 1600, height: 900 }, 4, 1, true)).toEqual({ width: 3200, height: 1800 });
  });

  it("counts others' CPU time (this process's own taken out) and steal", () => {
    const a = { atMs: 0, ownUs: 0, busyTicks: 1000, stealTicks: 50 };
    const b = { atMs: 1000, ownUs: 500_000, busyTicks: 1150, stealTicks: 60 };
    // 1.5 s of CPU in a second, 0.5 s of it ours; 0.1 s stolen from 2 cores' 2 s.
    expect(loadBetween(a, b, 2)).toEqual({ ms: 1000, othersCores: 1, stealShare: 0.05 });
    // A window of a few 10 ms ticks: never more than the machine's cores (it said "others 3.22 cores" on 2).
    const short = { atMs: 1020, ownUs: 500_000, busyTicks: 1160, stealTicks: 60 };
    expect(loadBetween(b, short, 2).othersCores).toBe(2);
    expect(isBusy({ ms: 1000, othersCores: 0.2, stealShare: 0 })).toBe(false);
    expect(isBusy({ ms: 1000, othersCores: 0.3, stealShare: 0 })).toBe(true);
    expect(isBusy({ ms: 1000, othersCores: 0, stealShare: 0.06 })).toBe(true);
    // On 64 cores a daemon's core is noise: one core in 32 is busy.
    expect(busyCores(64)).toBe(2);
    expect(isBusy({ ms: 1000, othersCores: 1, stealShare: 0 }, 64)).toBe(false);
    expect(isBusy({ ms: 1000, othersCores: 0.3, stealShare: 0 }, 2)).toBe(true);
    expect(
      combineLoads([
        { ms: 100, othersCores: 1, stealShare: 0 },
        { ms: 300, othersCores: 0, stealShare: 0.1 },
      ]),
    ).toEqual({ ms: 400, othersCores: 0.25, stealShare: 0.075 });
    expect(combineLoads([{ ms: 100, othersCores: null, stealShare: null }]).othersCores).toBeNull();
  });
});
