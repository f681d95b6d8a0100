/**
 * 64-bit atomic counters in a SharedArrayBuffer. Backed by `BigInt64Array`
 * so that counts stay exact up to 2^63 — 150k increments a second for 24
 * hours is 1.3e10, far past what a 32-bit word could hold.
 *
 * @module
 */

const ONE = 1n;

/** Plain data that lets another thread attach to a counter. */
export interface AtomicSlotHandle {
  /** The shared memory holding the slot. */
  buffer: SharedArrayBuffer;
  /** Byte offset of the slot; a multiple of 8. */
  byteOffset: number;
}

function slotView(handle: AtomicSlotHandle, words: number, what: string): BigInt64Array {
  if (handle.byteOffset % 8 !== 0 || handle.byteOffset + words * 8 > handle.buffer.byteLength) {
    throw new RangeError(`Cannot attach ${what}: needs ${words * 8} bytes at an 8-byte aligned offset`);
  }
  return new BigInt64Array(handle.buffer, handle.byteOffset, words);
}

/**
 * A lock-free 64-bit counter that any number of threads may add to.
 *
 * @example
 * ```ts
 * import { AtomicCounter } from "./_atomic_counter.ts";
 * const c = AtomicCounter.create();
 * c.increment();
 * c.add(41);
 * c.value(); // 42
 * // In a worker: AtomicCounter.attach(c.handle()).increment();
 * ```
 */
export class AtomicCounter {
  readonly #slot: BigInt64Array;
  readonly #handle: AtomicSlotHandle;

  private constructor(handle: AtomicSlotHandle) {
    this.#handle = handle;
    this.#slot = slotView(handle, 1, "AtomicCounter");
  }

  /** A counter in a new SharedArrayBuffer, or in `buffer` at `byteOffset`. */
  static create(buffer?: SharedArrayBuffer, byteOffset = 0): AtomicCounter {
    return new AtomicCounter({ buffer: buffer ?? new SharedArrayBuffer(8), byteOffset });
  }

  /** Attaches to a counter created elsewhere. */
  static attach(handle: AtomicSlotHandle): AtomicCounter {
    return new AtomicCounter(handle);
  }

  /** Plain data for `postMessage`. */
  handle(): AtomicSlotHandle {
    return { buffer: this.#handle.buffer, byteOffset: this.#handle.byteOffset };
  }

  /** Adds one; returns nothing so that nothing is allocated. */
  increment(): void {
    Atomics.add(this.#slot, 0, ONE);
  }

  /** Adds an integer `n` (may be negative). */
  add(n: number): void {
    Atomics.add(this.#slot, 0, BigInt(n));
  }

  /** The current value. */
  value(): number {
    return Number(Atomics.load(this.#slot, 0));
  }

  /** Sets the value (use for reset). */
  store(n: number): void {
    Atomics.store(this.#slot, 0, BigInt(n));
  }

  /** Sets the value to `n` and returns what it was. */
  exchange(n: number): number {
    return Number(Atomics.exchange(this.#slot, 0, BigInt(n)));
  }

  /** Sets the value to `next` only if it is `expected`; returns the value seen. */
  compareExchange(expected: number, next: number): number {
    return Number(Atomics.compareExchange(this.#slot, 0, BigInt(expected), BigInt(next)));
  }
}

/**
 * A lock-free total of durations, kept in integer nanoseconds (exact for 292
 * years of accumulated time).
 *
 * @example
 * ```ts
 * import { AtomicDuration } from "./_atomic_counter.ts";
 * const d = AtomicDuration.create();
 * d.addMs(1.5);
 * d.addMs(0.25);
 * d.totalMs(); // 1.75
 * ```
 */
export class AtomicDuration {
  readonly #slot: BigInt64Array;
  readonly #handle: AtomicSlotHandle;

  private constructor(handle: AtomicSlotHandle) {
    this.#handle = handle;
    this.#slot = slotView(handle, 1, "AtomicDuration");
  }

  /** A duration total in a new SharedArrayBuffer, or in `buffer` at `byteOffset`. */
  static create(buffer?: SharedArrayBuffer, byteOffset = 0): AtomicDuration {
    return new AtomicDuration({ buffer: buffer ?? new SharedArrayBuffer(8), byteOffset });
  }

  /** Attaches to a duration total created elsewhere. */
  static attach(handle: AtomicSlotHandle): AtomicDuration {
    return new AtomicDuration(handle);
  }

  /** Plain data for `postMessage`. */
  handle(): AtomicSlotHandle {
    return { buffer: this.#handle.buffer, byteOffset: this.#handle.byteOffset };
  }

  /** Adds a duration given in nanoseconds (rounded to an integer). */
  addNs(ns: number): void {
    Atomics.add(this.#slot, 0, BigInt(Math.round(ns)));
  }

  /** Adds a duration given in milliseconds. */
  addMs(ms: number): void {
    this.addNs(ms * 1e6);
  }

  /** The total in nanoseconds. */
  totalNs(): number {
    return Number(Atomics.load(this.#slot, 0));
  }

  /** The total in milliseconds. */
  totalMs(): number {
    return this.totalNs() / 1e6;
  }

  /** Sets the total back to zero. */
  reset(): void {
    Atomics.store(this.#slot, 0, 0n);
  }
}
