/** Workers start as the work needs them: the policy, and the feeder that applies it (with tasks of known cost). */
import { describe, expect, it } from 'vitest';
import {
  allowedInFlight,
  DEEP_SAMPLES_PER_WORKER,
  deepWorkers,
  feedTasks,
  initialWorkers,
  PIXEL_FLOOR_NS,
  tasksInFlight,
  WORKER_START_MS,
} from '../dist/src/render/feeder.js';

describe('allowedInFlight', () => {
  it('keeps the workers it has while the queued work is shorter than starting another', () => {
    expect(allowedInFlight({ current: 1, cap: 12, queued: 12, meanTaskMs: 0.4 })).toBe(1);
    expect(allowedInFlight({ current: 2, cap: 12, queued: 2, meanTaskMs: WORKER_START_MS })).toBe(2);
  });

  it('allows every thread the render may use once the queue would outlast a worker start', () => {
    expect(allowedInFlight({ current: 1, cap: 12, queued: 12, meanTaskMs: 50 })).toBe(12);
    expect(allowedInFlight({ current: 3, cap: 8, queued: 1, meanTaskMs: 4 * WORKER_START_MS })).toBe(8);
  });

  it('decides nothing before a task has finished, or with nothing queued', () => {
    expect(allowedInFlight({ current: 1, cap: 12, queued: 100, meanTaskMs: undefined })).toBe(1);
    expect(allowedInFlight({ current: 4, cap: 12, queued: 0, meanTaskMs: 1000 })).toBe(4);
  });
});

describe('initialWorkers', () => {
  it('starts every thread at once only when even the cheapest pixels would outlast a worker start', () => {
    const long = (WORKER_START_MS * 1e6) / PIXEL_FLOOR_NS;
    expect(initialWorkers(16000 * 16000, 1, 2)).toBe(2);
    expect(initialWorkers(2 * long, 1, 12)).toBe(12);
    expect(initialWorkers(2 * long, 2, 12)).toBe(2);
    expect(initialWorkers(1920 * 1080, 1, 12)).toBe(1);
    expect(initialWorkers(140 * 50, 1, 12)).toBe(1);
  });
});

/** Runs `count` tasks that each report `ms` of work after a turn of the event loop; returns the most in flight. */
async function mostInFlight(count: number, ms: number, limits: { initial: number; cap: number; perWorker: number }) {
  // Every allowed worker counts as ready at once here: the test is of the policy, not of start-up.
  const workers = { ...limits, ready: () => limits.cap, live: () => limits.cap, onChange: () => () => {} };
  let now = 0;
  let most = 0;
  const ran: number[] = [];
  await feedTasks(
    count,
    workers,
    async (index) => {
      most = Math.max(most, ++now);
      await new Promise((resolve) => setImmediate(resolve));
      now--;
      ran.push(index);
      return ms;
    },
    new AbortController().signal,
  );
  return { most, ran };
}

describe('tasksInFlight', () => {
  it('two for each ready worker, one for each allowed worker not started (so Piscina starts no extra one)', () => {
    expect(tasksInFlight(1, 1, 1, 2)).toBe(2);
    expect(tasksInFlight(4, 1, 1, 2)).toBe(5);
    expect(tasksInFlight(4, 4, 4, 2)).toBe(8);
    expect(tasksInFlight(2, 5, 5, 2)).toBe(4);
    // Workers started ahead of the render (renderer.ts) and not ready yet get no task, so none more starts.
    expect(tasksInFlight(4, 1, 4, 2)).toBe(2);
    expect(tasksInFlight(4, 1, 2, 2)).toBe(4);
  });

  it('hands a worker its tasks as soon as it is ready, not when another task ends', async () => {
    let ready = 1;
    let notify = () => {};
    const workers = {
      initial: 2,
      cap: 2,
      perWorker: 1,
      ready: () => ready,
      live: () => 2,
      onChange: (listener: () => void) => {
        notify = listener;
        return () => {};
      },
    };
    const started: number[] = [];
    let finishFirst = () => {};
    const first = new Promise<void>((resolve) => {
      finishFirst = resolve;
    });
    const feeding = feedTasks(
      3,
      workers,
      async (index) => {
        started.push(index);
        await first;
        return 100;
      },
      new AbortController().signal,
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0]);
    ready = 2;
    notify();
    await new Promise((resolve) => setImmediate(resolve));
    expect(started).toEqual([0, 1]);
    finishFirst();
    await feeding;
    expect(started).toEqual([0, 1, 2]);
  });
});

describe('feedTasks', () => {
  it('runs every task once; cheap tasks never go past the first worker', async () => {
    const { most, ran } = await mostInFlight(50, 0.1, { initial: 1, cap: 12, perWorker: 2 });
    expect(ran.sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, k) => k));
    expect(most).toBe(2);
  });

  it('opens up to every thread when the tasks are costly', async () => {
    const { most } = await mostInFlight(50, 40, { initial: 1, cap: 12, perWorker: 2 });
    expect(most).toBe(24);
  });

  it('starts from the warm workers it is given, and stops handing out tasks when the signal aborts', async () => {
    expect((await mostInFlight(40, 0.1, { initial: 4, cap: 4, perWorker: 1 })).most).toBe(4);
    const controller = new AbortController();
    const started: number[] = [];
    await feedTasks(
      30,
      { initial: 2, cap: 2, perWorker: 1, ready: () => 2, live: () => 2, onChange: () => () => {} },
      async (index) => {
        started.push(index);
        if (index === 5) controller.abort(new Error('stop'));
        await new Promise((resolve) => setImmediate(resolve));
        return 1;
      },
      controller.signal,
    );
    expect(started.length).toBeLessThan(8);
  });
});

describe('deepWorkers', () => {
  it('one worker for each few thousand deep samples, up to the cap', () => {
    expect(deepWorkers(640 * 360, 12)).toBe(12);
    expect(deepWorkers(640 * 360, 2)).toBe(2);
    expect(deepWorkers(80 * 24, 12)).toBe(1);
    expect(deepWorkers(3 * DEEP_SAMPLES_PER_WORKER, 12)).toBe(3);
    expect(deepWorkers(3 * DEEP_SAMPLES_PER_WORKER + 1, 12)).toBe(4);
  });
});
