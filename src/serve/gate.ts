/**
 * How many renders the server runs at once. A render holds the pool's workers only while its tasks run, so a few
 * more renders than workers keep every worker busy; the rest wait here, where a request that goes away (a tile
 * scrolled out of view) is dropped before it costs anything.
 */
export class Gate {
  #running = 0;
  readonly #waiting: (() => void)[] = [];

  constructor(readonly limit: number) {}

  get running(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#waiting.length;
  }

  /** Runs `work` when a place is free; rejects with the signal's reason if it aborts while waiting. */
  async run<T>(work: () => Promise<T>, signal: AbortSignal): Promise<T> {
    if (this.#running < this.limit) this.#running++;
    else {
      // A finishing render hands its place to the first waiting one (see below): #running stays.
      await new Promise<void>((resolve, reject) => {
        const go = () => {
          signal.removeEventListener('abort', leave);
          resolve();
        };
        const leave = () => {
          this.#waiting.splice(this.#waiting.indexOf(go), 1);
          reject(signal.reason);
        };
        if (signal.aborted) return reject(signal.reason);
        this.#waiting.push(go);
        signal.addEventListener('abort', leave, { once: true });
      });
    }
    try {
      return await work();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#running--;
    }
  }
}
