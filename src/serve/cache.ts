/**
 * The server's answers kept in memory, least recently used dropped first, within a byte budget. A picture is a
 * function of its spec, so an answer kept is an answer that is right.
 */
export class ByteCache {
  readonly #entries = new Map<string, Buffer>();
  #bytes = 0;

  /** Keeps at most `budget` bytes; an entry over a quarter of it is not kept (it would push out too much). */
  constructor(readonly budget: number) {}

  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): Buffer | undefined {
    const value = this.#entries.get(key);
    if (value) {
      this.#entries.delete(key);
      this.#entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: Buffer): void {
    if (value.length > this.budget / 4) return;
    const old = this.#entries.get(key);
    if (old) {
      this.#bytes -= old.length;
      this.#entries.delete(key);
    }
    this.#entries.set(key, value);
    this.#bytes += value.length;
    for (const [oldest, bytes] of this.#entries) {
      if (this.#bytes <= this.budget) break;
      this.#entries.delete(oldest);
      this.#bytes -= bytes.length;
    }
  }
}
