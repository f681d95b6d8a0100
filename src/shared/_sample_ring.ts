/**
 * The latency-sample ring: a fixed-size circular buffer of the
 * most recent samples with an atomic write position. Writers never wait;
 * when it is full the oldest samples are overwritten.
 *
 * @module
 */

/** Int32 words before the samples: [position, ever filled, requested capacity, pad]. */
const POS = 0;
const FILLED = 1;
const CAPACITY = 2;
const HEADER_BYTES = 16;

/** Plain data that lets another thread attach to a sample ring. */
export interface SampleRingHandle {
  /** The shared memory holding the ring. */
  buffer: SharedArrayBuffer;
  /** Byte offset of the ring in `buffer`; a multiple of 8. */
  byteOffset: number;
  /** Samples kept, as requested at creation (1 to 2^26; storage rounds up to a power of two). */
  capacity: number;
}

function slotsFor(capacity: number): number {
  // A power of two lets the 32-bit write position wrap without a seam.
  return 2 ** Math.ceil(Math.log2(Math.max(2, capacity)));
}

/**
 * Bytes of SharedArrayBuffer a ring of `capacity` samples needs.
 *
 * @example
 * ```ts
 * import { sampleRingBytes } from "./_sample_ring.ts";
 * sampleRingBytes(10_000); // 16 + 16384 * 8
 * ```
 */
export function sampleRingBytes(capacity: number): number {
  return HEADER_BYTES + slotsFor(capacity) * 8;
}

/**
 * Keeps the last `capacity` latency samples (default 10,000); any number of
 * threads may `write`.
 *
 * @example
 * ```ts
 * import { LatencySampleRing } from "./_sample_ring.ts";
 * const ring = LatencySampleRing.create(4);
 * for (const d of [1, 2, 3, 4, 5]) ring.write(d);
 * ring.readSamples(); // Float64Array [2, 3, 4, 5]: the oldest was overwritten
 * ```
 */
export class LatencySampleRing {
  /** How many of the latest samples are kept. */
  readonly capacity: number;
  readonly #header: Uint32Array;
  readonly #samples: Float64Array;
  readonly #mask: number;
  readonly #handle: SampleRingHandle;

  private constructor(handle: SampleRingHandle) {
    const { buffer, byteOffset, capacity } = handle;
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 2 ** 26) {
      throw new RangeError(
        `Cannot create sample ring: "capacity" must be an integer from 1 to 2^26, got ${capacity}`,
      );
    }
    if (byteOffset % 8 !== 0 || byteOffset + sampleRingBytes(capacity) > buffer.byteLength) {
      throw new RangeError(
        `Cannot attach sample ring: needs ${sampleRingBytes(capacity)} bytes at an 8-byte aligned offset`,
      );
    }
    const slots = slotsFor(capacity);
    this.capacity = capacity;
    this.#handle = handle;
    this.#mask = slots - 1;
    this.#header = new Uint32Array(buffer, byteOffset, 4);
    this.#samples = new Float64Array(buffer, byteOffset + HEADER_BYTES, slots);
  }

  /** A ring in a new SharedArrayBuffer, or in `buffer` at `byteOffset` (zeroed). */
  static create(capacity = 10_000, buffer?: SharedArrayBuffer, byteOffset = 0): LatencySampleRing {
    const ring = new LatencySampleRing({
      buffer: buffer ?? new SharedArrayBuffer(sampleRingBytes(capacity)),
      byteOffset,
      capacity,
    });
    Atomics.store(ring.#header, CAPACITY, capacity);
    return ring;
  }

  /** Attaches to a ring created elsewhere. */
  static attach(handle: SampleRingHandle): LatencySampleRing {
    return new LatencySampleRing(handle);
  }

  /** Plain data for `postMessage`. */
  handle(): SampleRingHandle {
    return { ...this.#handle };
  }

  /** Appends one sample, overwriting the oldest when full. Lock-free. */
  write(duration: number): void {
    const pos = Atomics.add(this.#header, POS, 1);
    this.#samples[pos & this.#mask] = duration;
    if (pos === this.#mask) Atomics.store(this.#header, FILLED, 1); // the ring has gone round once
  }

  /** The write position: samples written so far, modulo 2^32. */
  position(): number {
    return Atomics.load(this.#header, POS);
  }

  /**
   * The kept samples written before position `upToPos` (default: now), oldest
   * first; at most `capacity` of them, and only those not yet overwritten.
   */
  readSamples(upToPos: number = this.position()): Float64Array {
    const filled = Atomics.load(this.#header, FILLED) === 1;
    const lag = (this.position() - upToPos) >>> 0; // writes since upToPos
    const intact = Math.max(0, this.#mask + 1 - lag);
    const written = filled ? this.capacity : Math.min(upToPos >>> 0, this.capacity);
    const available = Math.min(written, intact);
    const out = new Float64Array(available);
    for (let i = 0; i < available; i++) {
      out[i] = this.#samples[(upToPos - available + i) & this.#mask];
    }
    return out;
  }

  /** Forgets every sample. Not atomic with concurrent writes. */
  reset(): void {
    Atomics.store(this.#header, POS, 0);
    Atomics.store(this.#header, FILLED, 0);
  }
}
