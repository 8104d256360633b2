/** Puts bands back in image order as they finish, in whatever order that is. */
export class InOrderStitcher {
  #next = 0;
  readonly #waiting = new Map<number, Uint8Array>();
  readonly #write: (bytes: Uint8Array) => void;

  /** `write` receives each band's bytes exactly once, in index order 0, 1, 2, ... */
  constructor(write: (bytes: Uint8Array) => void) {
    this.#write = write;
  }

  add(index: number, bytes: Uint8Array): void {
    this.#waiting.set(index, bytes);
    for (let ready = this.#waiting.get(this.#next); ready; ready = this.#waiting.get(this.#next)) {
      this.#waiting.delete(this.#next++);
      this.#write(ready);
    }
  }

  /** How many bands have been written out. */
  get written(): number {
    return this.#next;
  }
}
