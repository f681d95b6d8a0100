/**
 * The event buffer: three lock-free rings (high, medium, low priority; seed
 * 004, 4.2) whose slots hold one event each as five float64 words
 * `[meta, nameId, tagSetId, value, timestampMs]`, with `meta = type |
 * priority << 3 | rateShift << 5`. Pushing applies the drop strategy (4.1)
 * and counts drops by reason; popping drains high, then medium, then low.
 *
 * @module
 */
import { LockFreeRingBuffer } from "../shared/ring_buffer.ts";
import { DROP_REASON_NAMES, DropReason, DropStrategy, Priority } from "./types.ts";

/** Float64 words per event slot. */
export const EVENT_WORDS = 5;

/**
 * Packs type, priority and sampling shift into an event's meta word.
 *
 * @example
 * ```ts
 * import { packMeta } from "./_event_buffer.ts";
 * packMeta(2, 0, 0); // 2: a high-priority timer
 * ```
 */
export function packMeta(type: number, priority: number, rateShift: number): number {
  return (type & 7) | ((priority & 3) << 3) | ((rateShift & 7) << 5);
}

function floorPow2(n: number): number {
  let p = 16;
  while (p * 2 <= n) p *= 2;
  return p;
}

/** Ring sizes for a total buffer size: 1/8 high, 1/2 medium, 1/4 low (16384 -> 2K/8K/4K, the seed's). */
function ringSizes(bufferSize: number): [number, number, number] {
  return [floorPow2(bufferSize / 8), floorPow2(bufferSize / 2), floorPow2(bufferSize / 4)];
}

/**
 * Three priority rings with a drop strategy.
 *
 * @example
 * ```ts
 * import { EVENT_WORDS, packMeta, PriorityEventBuffer } from "./_event_buffer.ts";
 * const buffer = new PriorityEventBuffer({ bufferSize: 1024, strategy: "drop-newest" });
 * const slot = new Float64Array(EVENT_WORDS);
 * slot[0] = packMeta(0, 1, 0); slot[3] = 1; slot[4] = Date.now();
 * buffer.push(slot); // true
 * buffer.pop(slot); // true
 * ```
 */
export class PriorityEventBuffer {
  /** The rings, indexed by priority. */
  readonly rings: readonly LockFreeRingBuffer[];
  /** Total slots across the rings. */
  readonly capacity: number;
  /** Drops by `DropReason` (only the buffer's own reasons are counted here). */
  readonly drops: Float64Array = new Float64Array(DROP_REASON_NAMES.length);
  readonly #strategy: DropStrategy;
  readonly #scratch = new Float64Array(EVENT_WORDS);
  #sampleTick = 0;
  #peak = 0;

  /**
   * Allocates the three rings: 1/8 of `bufferSize` high, 1/2 medium, 1/4 low
   * priority, each rounded down to a power of two (at least 16).
   *
   * @param options `bufferSize`: the total slots asked for; `strategy`: what a push into a full ring does.
   */
  constructor(options: { bufferSize: number; strategy: DropStrategy }) {
    this.rings = ringSizes(options.bufferSize).map((capacity) =>
      LockFreeRingBuffer.create({ capacity, slotWords: EVENT_WORDS })
    );
    this.capacity = this.rings[0].capacity + this.rings[1].capacity + this.rings[2].capacity;
    this.#strategy = options.strategy;
  }

  /** Bytes of SharedArrayBuffer the rings hold (for the memory limiter). */
  static bytesFor(bufferSize: number): number {
    return ringSizes(bufferSize).reduce((sum, c) => sum + c * (EVENT_WORDS * 8 + 4) + 192, 0);
  }

  /** Buffers an event (applying the drop strategy); `false` when it was dropped. Never blocks. */
  push(slot: Float64Array): boolean {
    const priority = (slot[0] >> 3) & 3;
    const ring = this.rings[priority];
    const strategy = this.#strategy;
    if (strategy === DropStrategy.DropByPriority && priority !== Priority.High) {
      const utilization = this.size() / this.capacity;
      if ((priority === Priority.Low && utilization >= 0.75) || utilization >= 0.9) {
        this.drops[DropReason.PriorityShed]++;
        return false;
      }
    } else if (strategy === DropStrategy.DropSampled) {
      const fill = ring.size() / ring.capacity;
      if (fill >= 0.5) {
        const shift = fill >= 0.75 ? 2 : 1;
        if ((++this.#sampleTick & ((1 << shift) - 1)) !== 0) {
          this.drops[DropReason.SampledOut]++;
          return false;
        }
        slot[0] = (slot[0] & 31) | (shift << 5);
      }
    }
    if (ring.tryPushFrom(slot)) return true;
    if (strategy === DropStrategy.DropOldest && ring.tryPopInto(this.#scratch)) {
      this.drops[DropReason.EvictedOldest]++;
      if (ring.tryPushFrom(slot)) return true;
    }
    this.drops[DropReason.BufferFull]++;
    return false;
  }

  /** Samples the fill level for `peak`; called at each drain, not on the hot path. Returns the size. */
  notePeak(): number {
    const s = this.size();
    if (s > this.#peak) this.#peak = s;
    return s;
  }

  /** Pops the next event (high first) into `slot`; `false` when all rings are empty. */
  pop(slot: Float64Array): boolean {
    return this.rings[0].tryPopInto(slot) || this.rings[1].tryPopInto(slot) || this.rings[2].tryPopInto(slot);
  }

  /** Events buffered now. */
  size(): number {
    return this.rings[0].size() + this.rings[1].size() + this.rings[2].size();
  }

  /** Highest number of events buffered at once. */
  get peak(): number {
    return this.#peak;
  }

  /** Sum of all drop counters. */
  totalDrops(): number {
    let n = 0;
    for (let i = 0; i < this.drops.length; i++) n += this.drops[i];
    return n;
  }
}
