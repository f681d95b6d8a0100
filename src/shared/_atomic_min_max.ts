/**
 * Lock-free minimum and maximum of integer values (for example durations in
 * nanoseconds), updated with compare-and-swap loops.
 *
 * @module
 */
import type { AtomicSlotHandle } from "./_atomic_counter.ts";

const MIN = 0;
const MAX = 1;
const EMPTY_MIN = 0x7fffffffffffffffn;
const EMPTY_MAX = -0x8000000000000000n;

/**
 * Tracks the smallest and largest integer seen by any number of threads.
 * Values must be integers within ±2^53.
 *
 * @example
 * ```ts
 * import { AtomicMinMax } from "./_atomic_min_max.ts";
 * const m = AtomicMinMax.create();
 * m.update(7); m.update(3); m.update(9);
 * m.min(); // 3
 * m.max(); // 9
 * ```
 */
export class AtomicMinMax {
  readonly #slots: BigInt64Array;
  readonly #handle: AtomicSlotHandle;

  private constructor(handle: AtomicSlotHandle, init: boolean) {
    if (handle.byteOffset % 8 !== 0 || handle.byteOffset + 16 > handle.buffer.byteLength) {
      throw new RangeError("Cannot attach AtomicMinMax: needs 16 bytes at an 8-byte aligned offset");
    }
    this.#handle = handle;
    this.#slots = new BigInt64Array(handle.buffer, handle.byteOffset, 2);
    if (init) this.reset();
  }

  /** A min/max pair in a new SharedArrayBuffer, or in `buffer` at `byteOffset` (16 bytes). */
  static create(buffer?: SharedArrayBuffer, byteOffset = 0): AtomicMinMax {
    return new AtomicMinMax({ buffer: buffer ?? new SharedArrayBuffer(16), byteOffset }, true);
  }

  /** Attaches to a pair created elsewhere. */
  static attach(handle: AtomicSlotHandle): AtomicMinMax {
    return new AtomicMinMax(handle, false);
  }

  /** Plain data for `postMessage`. */
  handle(): AtomicSlotHandle {
    return { buffer: this.#handle.buffer, byteOffset: this.#handle.byteOffset };
  }

  /** Takes `value` into account. */
  update(value: number): void {
    const v = BigInt(value);
    const s = this.#slots;
    let seen = Atomics.load(s, MIN);
    while (v < seen) {
      const prev = Atomics.compareExchange(s, MIN, seen, v);
      if (prev === seen) break;
      seen = prev; // another thread moved it: compare again
    }
    seen = Atomics.load(s, MAX);
    while (v > seen) {
      const prev = Atomics.compareExchange(s, MAX, seen, v);
      if (prev === seen) break;
      seen = prev;
    }
  }

  /** The smallest value seen, or `Infinity` when none. */
  min(): number {
    const v = Atomics.load(this.#slots, MIN);
    return v === EMPTY_MIN ? Infinity : Number(v);
  }

  /** The largest value seen, or `-Infinity` when none. */
  max(): number {
    const v = Atomics.load(this.#slots, MAX);
    return v === EMPTY_MAX ? -Infinity : Number(v);
  }

  /** Forgets every value. */
  reset(): void {
    Atomics.store(this.#slots, MIN, EMPTY_MIN);
    Atomics.store(this.#slots, MAX, EMPTY_MAX);
  }
}
