/**
 * Open streams of one HTTP/2 connection by stream id: an open-addressing
 * table sized once for the most streams the connection may carry, so that
 * opening and closing streams allocates nothing.
 *
 * @module
 */

/** What the table stores: anything with a stream id (0 = not in a table). */
export interface HasStreamId {
  /** The stream id while the stream is open, else 0. */
  streamId: number;
}

/**
 * Maps open stream ids to their streams (linear probing, backward-shift deletion).
 *
 * @example
 * ```ts
 * import { StreamTable } from "./_stream_table.ts";
 * const table = new StreamTable<{ streamId: number }>(10);
 * const s = { streamId: 1 };
 * table.add(s);
 * table.get(1) === s; // true
 * table.remove(1);
 * ```
 */
export class StreamTable<T extends HasStreamId> {
  #slots: Array<T | null>;
  #mask: number;
  #size = 0;

  /** @param capacity The most streams open at once. */
  constructor(capacity: number) {
    let n = 16;
    while (n < capacity * 2) n *= 2;
    this.#slots = new Array<T | null>(n).fill(null);
    this.#mask = n - 1;
  }

  /** Number of open streams. */
  get size(): number {
    return this.#size;
  }

  /** The stream with id `id`, or null. */
  get(id: number): T | null {
    const slots = this.#slots;
    for (let i = (id >>> 1) & this.#mask;; i = (i + 1) & this.#mask) {
      const s = slots[i];
      if (s === null || s.streamId === id) return s;
    }
  }

  /** Adds `stream` (its `streamId` must be set and not in the table). */
  add(stream: T): void {
    if (this.#size * 2 >= this.#slots.length) this.#grow();
    const slots = this.#slots;
    let i = (stream.streamId >>> 1) & this.#mask;
    while (slots[i] !== null) i = (i + 1) & this.#mask;
    slots[i] = stream;
    this.#size++;
  }

  /** Removes the stream with id `id`; returns it, or null when absent. */
  remove(id: number): T | null {
    const slots = this.#slots;
    const mask = this.#mask;
    let i = (id >>> 1) & mask;
    while (true) {
      const s = slots[i];
      if (s === null) return null;
      if (s.streamId === id) break;
      i = (i + 1) & mask;
    }
    const found = slots[i];
    slots[i] = null;
    this.#size--;
    // Backward-shift: move later entries of the probe run into the gap.
    for (let j = (i + 1) & mask; slots[j] !== null; j = (j + 1) & mask) {
      const s = slots[j]!;
      const home = (s.streamId >>> 1) & mask;
      // Move s when its home is not cyclically within (i, j].
      if ((j > i && (home <= i || home > j)) || (j < i && home <= i && home > j)) {
        slots[i] = s;
        slots[j] = null;
        i = j;
      }
    }
    return found;
  }

  /** Calls `fn` for every open stream (order unspecified; `fn` must not change the table). */
  forEach(fn: (stream: T) => void): void {
    for (const s of this.#slots) if (s !== null) fn(s);
  }

  /** Removes every stream and returns them. */
  drain(): T[] {
    const out: T[] = [];
    for (let i = 0; i < this.#slots.length; i++) {
      const s = this.#slots[i];
      if (s !== null) {
        out.push(s);
        this.#slots[i] = null;
      }
    }
    this.#size = 0;
    return out;
  }

  #grow(): void {
    const old = this.#slots;
    this.#slots = new Array<T | null>(old.length * 2).fill(null);
    this.#mask = this.#slots.length - 1;
    this.#size = 0;
    for (const s of old) if (s !== null) this.add(s);
  }
}
