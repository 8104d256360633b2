/**
 * Predictions past this machine's cores: a render's time on N cores, simulated from what each row cost at one
 * thread. A task's cost is the sum of its rows' costs (less the per-task share each row paid when it ran alone) plus
 * the pool's per-task cost; tasks go to workers as the pool hands them out (each worker holds up to
 * TASKS_PER_WORKER, first come first served); the render takes its fixed cost plus the last worker's finish, and no
 * less than the main thread's serial handling of every task. It models an otherwise idle machine with N cores
 * like these: no memory or frequency effects, no other load.
 */
import type { Plan } from '../model/plan.js';

/** Per-row and per-task costs measured at one thread, in ms (see docs/scaling.md for how each is measured). */
export interface CostModel {
  /** What each row cost as a task of its own, in its worker. */
  rowMs: number[];
  /** The part of a task's worker time that does not grow with its rows (paid once per task). */
  taskFixedMs: number;
  /** Per task, what the pool adds between tasks beyond the worker's own time. */
  dispatchMs: number;
  /** Per task, the main thread's own work (handing out, receiving): serial, whatever the cores. */
  mainMs: number;
  /** Per render, what does not depend on the plan (starting it, allocating the picture). */
  renderFixedMs: number;
}

/** A task's time in a worker: its rows, one fixed part and the pool's share. Plans are of full-width rows. */
export function taskCost(model: CostModel, rects: Plan[number]): number {
  let ms = model.taskFixedMs + model.dispatchMs;
  for (const { y, h } of rects) for (let row = y; row < y + h; row++) ms += model.rowMs[row] - model.taskFixedMs;
  return ms;
}

/**
 * When the last of `costs` (in queue order) finishes on `workers` workers that each hold up to `depth` tasks: a
 * task goes to the worker holding the fewest (the lowest-numbered among equals) whenever one has room.
 *
 * @example makespan([3, 1, 1, 1], 2, 1) // 3: the short tasks all go to the second worker
 * @example makespan([3, 1, 1, 1], 2, 2) // 4: the first worker took the second short task before it was free
 */
export function makespan(costs: number[], workers: number, depth: number): number {
  const held: number[][] = Array.from({ length: workers }, () => []);
  const headStart = new Array<number>(workers).fill(0);
  let now = 0;
  let next = 0;
  const handOut = () => {
    while (next < costs.length) {
      let best = -1;
      for (let w = 0; w < workers; w++) {
        if (held[w].length < depth && (best < 0 || held[w].length < held[best].length)) best = w;
      }
      if (best < 0) return;
      if (held[best].length === 0) headStart[best] = now;
      held[best].push(costs[next++]);
    }
  };
  handOut();
  for (;;) {
    let first = -1;
    for (let w = 0; w < workers; w++) {
      if (held[w].length > 0 && (first < 0 || headStart[w] + held[w][0] < headStart[first] + held[first][0])) {
        first = w;
      }
    }
    if (first < 0) return now;
    now = headStart[first] + held[first][0];
    held[first].shift();
    headStart[first] = now;
    handOut();
  }
}

/** The predicted time of a render with `plan` on `cores` cores, each holding up to `depth` tasks. */
export function predictMs(model: CostModel, plan: Plan, cores: number, depth: number): number {
  const costs = plan.map((rects) => taskCost(model, rects));
  return model.renderFixedMs + Math.max(makespan(costs, cores, depth), plan.length * model.mainMs);
}
