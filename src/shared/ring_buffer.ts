/**
 * A bounded lock-free multi-producer multi-consumer queue of numbers living in
 * a SharedArrayBuffer (Dmitry Vyukov's bounded MPMC queue).
 *
 * Every slot carries a sequence number; a producer claims a slot with one
 * compare-and-swap on the head and publishes it by storing the slot's next
 * sequence, so producers and consumers never wait for each other: `tryPush`
 * returns `false` when the queue is full and `tryPop` returns `undefined`
 * when it is empty. Head and tail sit on separate 64-byte cache lines so that
 * producers and consumers do not invalidate each other's line.
 *
 * A slot holds `slotWords` float64 words, so a record of several numbers (an
 * event: type, name id, value, timestamp, ...) moves as one item.
 *
 * @module
 */

/** Int32 word index of the enqueue position (cache line 0). */
const HEAD = 0;
/** Capacity and slot width, for `attach` validation (same line as head: written once). */
const CAPACITY = 1;
const SLOT_WORDS = 2;
/** Int32 word index of the dequeue position (cache line 1). */
const TAIL = 16;
/** First Int32 word of the per-slot sequence numbers (cache line 2 onwards). */
const SEQ = 32;

/** Plain data that lets another thread attach to a ring buffer. */
export interface RingBufferHandle {
  /** The shared memory holding the ring. */
  buffer: SharedArrayBuffer;
  /** Byte offset of the ring in `buffer`; a multiple of 8. */
  byteOffset: number;
  /** Number of slots the ring was created with (a power of two). */
  capacity: number;
  /** Float64 words per slot the ring was created with. */
  slotWords: number;
}

/** Options for `LockFreeRingBuffer.create`. */
export interface RingBufferOptions {
  /** Number of slots; a power of two from 2 to 2^28. */
  capacity: number;
  /** Float64 words per slot (default 1). */
  slotWords?: number;
}

/**
 * Bytes of SharedArrayBuffer a ring of this shape needs.
 *
 * @example
 * ```ts
 * import { ringBufferBytes } from "./ring_buffer.ts";
 * const sab = new SharedArrayBuffer(ringBufferBytes(1024, 2));
 * ```
 */
export function ringBufferBytes(capacity: number, slotWords = 1): number {
  return dataOffset(capacity) + capacity * slotWords * 8;
}

function dataOffset(capacity: number): number {
  const seqEnd = (SEQ + capacity) * 4;
  return Math.ceil(seqEnd / 64) * 64; // data starts on its own cache line
}

function validateShape(capacity: number, slotWords: number): void {
  if (
    !Number.isInteger(capacity) || capacity < 2 || capacity > 2 ** 28 || (capacity & (capacity - 1)) !== 0
  ) {
    throw new RangeError(
      `Cannot create ring buffer: "capacity" must be a power of two from 2 to 2^28, got ${capacity}`,
    );
  }
  if (!Number.isInteger(slotWords) || slotWords < 1 || slotWords > 64) {
    throw new RangeError(
      `Cannot create ring buffer: "slotWords" must be an integer from 1 to 64, got ${slotWords}`,
    );
  }
}

/**
 * Bounded lock-free MPMC queue on a SharedArrayBuffer.
 *
 * @example
 * ```ts
 * import { LockFreeRingBuffer } from "./ring_buffer.ts";
 * const ring = LockFreeRingBuffer.create({ capacity: 8 });
 * ring.tryPush(42); // true
 * ring.tryPop(); // 42
 * ring.tryPop(); // undefined (empty)
 * // In a worker: LockFreeRingBuffer.attach(ring.handle())
 * ```
 */
export class LockFreeRingBuffer {
  /** Number of slots. */
  readonly capacity: number;
  /** Float64 words per slot. */
  readonly slotWords: number;
  readonly #i32: Int32Array;
  readonly #f64: Float64Array;
  readonly #mask: number;
  readonly #buffer: SharedArrayBuffer;
  readonly #byteOffset: number;

  private constructor(buffer: SharedArrayBuffer, byteOffset: number, capacity: number, slotWords: number) {
    this.capacity = capacity;
    this.slotWords = slotWords;
    this.#mask = capacity - 1;
    this.#buffer = buffer;
    this.#byteOffset = byteOffset;
    this.#i32 = new Int32Array(buffer, byteOffset, SEQ + capacity);
    this.#f64 = new Float64Array(buffer, byteOffset + dataOffset(capacity), capacity * slotWords);
  }

  /**
   * Creates a ring in a new SharedArrayBuffer, or in `buffer` at `byteOffset`
   * (8-byte aligned, `ringBufferBytes` long, zeroed).
   */
  static create(options: RingBufferOptions, buffer?: SharedArrayBuffer, byteOffset = 0): LockFreeRingBuffer {
    const slotWords = options.slotWords ?? 1;
    validateShape(options.capacity, slotWords);
    const bytes = ringBufferBytes(options.capacity, slotWords);
    const sab = buffer ?? new SharedArrayBuffer(bytes);
    if (byteOffset % 8 !== 0 || byteOffset + bytes > sab.byteLength) {
      throw new RangeError(`Cannot create ring buffer: needs ${bytes} bytes at an 8-byte aligned offset`);
    }
    const ring = new LockFreeRingBuffer(sab, byteOffset, options.capacity, slotWords);
    ring.#init();
    return ring;
  }

  /** Attaches to a ring created elsewhere (for example in another worker). */
  static attach(handle: RingBufferHandle): LockFreeRingBuffer {
    validateShape(handle.capacity, handle.slotWords);
    const ring = new LockFreeRingBuffer(handle.buffer, handle.byteOffset, handle.capacity, handle.slotWords);
    if (Atomics.load(ring.#i32, CAPACITY) !== handle.capacity) {
      throw new TypeError("Cannot attach ring buffer: the handle does not describe an initialised ring");
    }
    return ring;
  }

  #init(): void {
    const i32 = this.#i32;
    for (let i = 0; i < this.capacity; i++) i32[SEQ + i] = i;
    Atomics.store(i32, HEAD, 0);
    Atomics.store(i32, TAIL, 0);
    Atomics.store(i32, SLOT_WORDS, this.slotWords);
    Atomics.store(i32, CAPACITY, this.capacity);
  }

  /** Plain data to `postMessage` to a thread that will `attach`. */
  handle(): RingBufferHandle {
    return {
      buffer: this.#buffer,
      byteOffset: this.#byteOffset,
      capacity: this.capacity,
      slotWords: this.slotWords,
    };
  }

  /** Claims a slot for writing; returns its data index or -1 when full. */
  #claim(): number {
    const i32 = this.#i32;
    let pos = Atomics.load(i32, HEAD);
    for (;;) {
      const slot = pos & this.#mask;
      const dif = (Atomics.load(i32, SEQ + slot) - pos) | 0;
      if (dif === 0) {
        const seen = Atomics.compareExchange(i32, HEAD, pos, (pos + 1) | 0);
        if (seen === pos) return slot;
        pos = seen;
      } else if (dif < 0) {
        return -1; // the slot still holds an item from one lap ago: full
      } else {
        pos = Atomics.load(i32, HEAD); // another producer got there first
      }
    }
  }

  /** Publishes a claimed slot to consumers. */
  #publish(slot: number, pos: number): void {
    Atomics.store(this.#i32, SEQ + slot, pos);
  }

  /** Claims a slot for reading; returns its data index or -1 when empty. */
  #take(): number {
    const i32 = this.#i32;
    let pos = Atomics.load(i32, TAIL);
    for (;;) {
      const slot = pos & this.#mask;
      const dif = (Atomics.load(i32, SEQ + slot) - ((pos + 1) | 0)) | 0;
      if (dif === 0) {
        const seen = Atomics.compareExchange(i32, TAIL, pos, (pos + 1) | 0);
        if (seen === pos) return slot;
        pos = seen;
      } else if (dif < 0) {
        return -1; // not yet published: empty
      } else {
        pos = Atomics.load(i32, TAIL);
      }
    }
  }

  /** Pushes one number (word 0 of a slot); `false` when full. Never blocks. */
  tryPush(value: number): boolean {
    const slot = this.#claim();
    if (slot < 0) return false;
    this.#f64[slot * this.slotWords] = value;
    // The slot's sequence was `pos`; the claimed position is slot's lap + slot.
    this.#publish(slot, (this.#i32[SEQ + slot] + 1) | 0);
    return true;
  }

  /** Pops word 0 of the oldest slot; `undefined` when empty. Never blocks. */
  tryPop(): number | undefined {
    const slot = this.#take();
    if (slot < 0) return undefined;
    const value = this.#f64[slot * this.slotWords];
    this.#publish(slot, (this.#i32[SEQ + slot] + this.#mask) | 0);
    return value;
  }

  /** Pushes `slotWords` numbers from `src`; `false` when full. */
  tryPushFrom(src: Float64Array): boolean {
    const slot = this.#claim();
    if (slot < 0) return false;
    const base = slot * this.slotWords;
    for (let i = 0; i < this.slotWords; i++) this.#f64[base + i] = src[i];
    this.#publish(slot, (this.#i32[SEQ + slot] + 1) | 0);
    return true;
  }

  /** Pops the oldest slot's `slotWords` numbers into `dst`; `false` when empty. */
  tryPopInto(dst: Float64Array): boolean {
    const slot = this.#take();
    if (slot < 0) return false;
    const base = slot * this.slotWords;
    for (let i = 0; i < this.slotWords; i++) dst[i] = this.#f64[base + i];
    this.#publish(slot, (this.#i32[SEQ + slot] + this.#mask) | 0);
    return true;
  }

  /** Items in the queue right now (approximate while others push or pop). */
  size(): number {
    const n = (Atomics.load(this.#i32, HEAD) - Atomics.load(this.#i32, TAIL)) | 0;
    return n < 0 ? 0 : n > this.capacity ? this.capacity : n;
  }
}
