/**
 * A mutex in a SharedArrayBuffer, built on `Atomics.wait`/`Atomics.notify`
 * (Drepper's three-state futex mutex: 0 free, 1 locked, 2 locked with
 * waiters). Used by the legacy collector and on cold paths; the hot path of
 * the atomic collector never takes it.
 *
 * @module
 */

const FREE = 0;
const LOCKED = 1;
const CONTENDED = 2;
/** Spins before sleeping: a short critical section is usually over by then. */
const SPINS = 64;
/** How long `lock()` waits at most: critical sections are microseconds long, so a lock held this long was abandoned. */
export const LOCK_TIMEOUT_MS = 5000;

/** Plain data that lets another thread attach to a mutex. */
export interface MutexHandle {
  /** The shared memory holding the lock word. */
  buffer: SharedArrayBuffer;
  /** Byte offset of the 4-byte lock word; a multiple of 4. */
  byteOffset: number;
}

/**
 * A blocking mutual-exclusion lock shared between threads.
 *
 * @example
 * ```ts
 * import { SharedMutex } from "./mutex.ts";
 * const m = SharedMutex.create();
 * m.lock();
 * try {
 *   // critical section
 * } finally {
 *   m.unlock();
 * }
 * ```
 */
export class SharedMutex {
  readonly #word: Int32Array;
  readonly #handle: MutexHandle;

  private constructor(handle: MutexHandle) {
    if (handle.byteOffset % 4 !== 0 || handle.byteOffset + 4 > handle.buffer.byteLength) {
      throw new RangeError("Cannot attach SharedMutex: needs 4 bytes at a 4-byte aligned offset");
    }
    this.#handle = handle;
    this.#word = new Int32Array(handle.buffer, handle.byteOffset, 1);
  }

  /** A mutex in a new SharedArrayBuffer, or in `buffer` at `byteOffset` (zeroed). */
  static create(buffer?: SharedArrayBuffer, byteOffset = 0): SharedMutex {
    return new SharedMutex({ buffer: buffer ?? new SharedArrayBuffer(4), byteOffset });
  }

  /** Attaches to a mutex created elsewhere. */
  static attach(handle: MutexHandle): SharedMutex {
    return new SharedMutex(handle);
  }

  /** Plain data for `postMessage`. */
  handle(): MutexHandle {
    return { buffer: this.#handle.buffer, byteOffset: this.#handle.byteOffset };
  }

  /**
   * Takes the lock. Bounded: after `timeoutMs` (default `LOCK_TIMEOUT_MS`) of
   * waiting it throws, since the holder must have died (a worker terminated
   * inside its critical section) and waiting on would hang for ever.
   */
  lock(timeoutMs: number = LOCK_TIMEOUT_MS): void {
    const w = this.#word;
    let c = Atomics.compareExchange(w, 0, FREE, LOCKED);
    if (c === FREE) return;
    for (let i = 0; i < SPINS && c !== FREE; i++) {
      c = Atomics.compareExchange(w, 0, FREE, LOCKED);
    }
    if (c === FREE) return;
    if (c !== CONTENDED) c = Atomics.exchange(w, 0, CONTENDED);
    const deadline = performance.now() + timeoutMs;
    while (c !== FREE) {
      const left = deadline - performance.now();
      if (left <= 0) {
        throw new Error(
          `Cannot take the shared lock: held for over ${timeoutMs} ms ` +
            "(the thread holding it was terminated inside its critical section)",
        );
      }
      Atomics.wait(w, 0, CONTENDED, left);
      c = Atomics.exchange(w, 0, CONTENDED);
    }
  }

  /** Takes the lock if it is free; returns whether it did. Never blocks. */
  tryLock(): boolean {
    return Atomics.compareExchange(this.#word, 0, FREE, LOCKED) === FREE;
  }

  /** Releases the lock and wakes one waiter if there is any. */
  unlock(): void {
    if (Atomics.sub(this.#word, 0, 1) !== LOCKED) {
      Atomics.store(this.#word, 0, FREE);
      Atomics.notify(this.#word, 0, 1);
    }
  }

  /** Runs `fn` under the lock. */
  withLock<T>(fn: () => T): T {
    this.lock();
    try {
      return fn();
    } finally {
      this.unlock();
    }
  }
}
