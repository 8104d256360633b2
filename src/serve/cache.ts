/**
 * The server's answers kept in memory, least recently used dropped first, within a byte budget. A picture is a
 * function of its spec, so an answer kept is an answer that is right.
 */
export class ByteCache<T> {
  readonly #entries = new Map<string, T>();
  #bytes = 0;

  /**
   * Keeps at most `budget` bytes, each entry's as `sizeOf` says; an entry over a quarter of it is not kept (it would
   * push out too much).
   */
  constructor(
    readonly budget: number,
    readonly sizeOf: (value: T) => number,
  ) {}

  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): T | undefined {
    const value = this.#entries.get(key);
    if (value) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: T): void {
    if (this.sizeOf(value) > this.budget / 4) return;
    const old = this.#entries.get(key);
    if (old) {
      this.#bytes -= this.sizeOf(old);
      this.#entries.delete(key);
    }
    this.#entries.set(key, value);
    this.#bytes += this.sizeOf(value);
    for (const [oldest, entry] of this.#entries) {
      if (this.#bytes <= this.budget) break;
      this.#entries.delete(oldest);
      this.#bytes -= this.sizeOf(entry);
    }
  }
}
