/**
 * A memory limiter: components reserve the bytes they hold
 * (ring buffers, packet pool, interned strings); a reservation past the hard
 * cap is refused, and pressure callbacks fire when usage crosses 75 % ("high")
 * and 90 % ("critical") of the cap, and again when it falls back ("normal").
 *
 * @module
 */

/** Memory pressure levels. */
export type MemoryPressure = "normal" | "high" | "critical";

/**
 * Tracks reserved bytes against a hard cap.
 *
 * @example
 * ```ts
 * import { MemoryLimiter } from "./_memory_limiter.ts";
 * const limiter = new MemoryLimiter(1000);
 * limiter.onPressure((level) => console.log(level));
 * limiter.tryReserve(800); // true, logs "high"
 * limiter.tryReserve(300); // false: over the cap
 * ```
 */
export class MemoryLimiter {
  /** Hard cap in bytes. */
  readonly limitBytes: number;
  #used = 0;
  #peak = 0;
  #refused = 0;
  #level: MemoryPressure = "normal";
  readonly #listeners: Array<(level: MemoryPressure, usedBytes: number) => void> = [];

  /**
   * Starts with nothing reserved, at "normal" pressure.
   *
   * @param limitBytes Hard cap in bytes; reservations past it are refused.
   */
  constructor(limitBytes: number) {
    this.limitBytes = limitBytes;
  }

  /** Reserves `bytes`; `false` (and nothing reserved) when it would pass the cap. */
  tryReserve(bytes: number): boolean {
    if (this.#used + bytes > this.limitBytes) {
      this.#refused++;
      return false;
    }
    this.#used += bytes;
    if (this.#used > this.#peak) this.#peak = this.#used;
    this.#update();
    return true;
  }

  /** Returns bytes reserved earlier. */
  release(bytes: number): void {
    this.#used = Math.max(0, this.#used - bytes);
    this.#update();
  }

  /** Adds a pressure callback. */
  onPressure(listener: (level: MemoryPressure, usedBytes: number) => void): void {
    this.#listeners.push(listener);
  }

  /** Bytes reserved now. */
  get usedBytes(): number {
    return this.#used;
  }

  /** Highest reservation seen. */
  get peakBytes(): number {
    return this.#peak;
  }

  /** Reservations refused. */
  get refused(): number {
    return this.#refused;
  }

  /** Current pressure level. */
  get level(): MemoryPressure {
    return this.#level;
  }

  #update(): void {
    const ratio = this.#used / this.limitBytes;
    const level: MemoryPressure = ratio >= 0.9 ? "critical" : ratio >= 0.75 ? "high" : "normal";
    if (level === this.#level) return;
    this.#level = level;
    for (const l of this.#listeners) l(level, this.#used);
  }
}
