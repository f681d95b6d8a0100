/**
 * A server-wide stall, as a GC pause would cause: while it lasts every
 * arriving request waits for its end. One promise per stall, none per request.
 *
 * @module
 */

/**
 * Stall state of the target.
 *
 * @example
 * ```ts
 * import { Stall } from "./stall.ts";
 * const stall = new Stall();
 * stall.start(50);
 * if (stall.active) await stall.ended; // about 50 ms later
 * ```
 */
export class Stall {
  /** Whether a stall is in progress; checking it costs one property read. */
  active = false;
  /** Resolves when the current stall ends (already resolved when none). */
  ended: Promise<void> = Promise.resolve();
  #until = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #resolve: (() => void) | undefined;

  /** Stalls for `ms` from now; a stall already running is extended if this one ends later. */
  start(ms: number): void {
    const until = performance.now() + ms;
    if (this.active && until <= this.#until) return;
    this.#until = until;
    if (!this.active) {
      this.active = true;
      this.ended = new Promise<void>((resolve) => (this.#resolve = resolve));
    }
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.end(), ms);
  }

  /** Ends the stall now, releasing every waiting request. */
  end(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (!this.active) return;
    this.active = false;
    this.#resolve?.();
    this.#resolve = undefined;
  }
}
