/**
 * A FIFO ring of stream handles waiting for a stream (the connection is
 * opening, or the server's concurrent-stream limit is reached); growing only
 * when more handles wait than ever before.
 *
 * @module
 */

/**
 * A double-ended ring buffer.
 *
 * @example
 * ```ts
 * import { StreamQueue } from "./_stream_queue.ts";
 * const q = new StreamQueue<string>();
 * q.push("b");
 * q.pushFront("a");
 * q.shift(); // "a"
 * ```
 */
export class StreamQueue<T> {
  #items: Array<T | null> = new Array<T | null>(16).fill(null);
  #head = 0;
  #length = 0;

  /** Items waiting. */
  get length(): number {
    return this.#length;
  }

  /** Adds `item` at the back. */
  push(item: T): void {
    if (this.#length === this.#items.length) this.#grow();
    this.#items[(this.#head + this.#length) % this.#items.length] = item;
    this.#length++;
  }

  /** Adds `item` at the front (it goes next). */
  pushFront(item: T): void {
    if (this.#length === this.#items.length) this.#grow();
    this.#head = (this.#head - 1 + this.#items.length) % this.#items.length;
    this.#items[this.#head] = item;
    this.#length++;
  }

  /** Removes and returns the front item (the queue must not be empty). */
  shift(): T {
    const item = this.#items[this.#head]!;
    this.#items[this.#head] = null;
    this.#head = (this.#head + 1) % this.#items.length;
    this.#length--;
    return item;
  }

  /** Removes `item` wherever it is (rare: a timeout while waiting). */
  remove(item: T): void {
    const n = this.#length;
    for (let i = 0; i < n; i++) {
      const x = this.shift();
      if (x !== item) this.push(x);
    }
  }

  #grow(): void {
    const old = this.#items;
    const next = new Array<T | null>(old.length * 2).fill(null);
    for (let i = 0; i < this.#length; i++) next[i] = old[(this.#head + i) % old.length];
    this.#items = next;
    this.#head = 0;
  }
}
