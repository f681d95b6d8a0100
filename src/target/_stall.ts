/**
 * A server-wide stall, as a GC pause would cause: while it lasts every
 * arriving request waits for its end. One promise per stall, none per request.
 *
 * @module
 */

/** Longest a stall lasts from its start, extensions included (documented in the README). */
export const MAX_STALL_MS = 60_000;
/** Requests a stall holds at most; more are answered `503` at once (memory stays bounded). */
export const MAX_STALLED_REQUESTS = 100_000;

/**
 * Stall state of the target.
 *
 * @example
 * ```ts
 * import { Stall } from "./_stall.ts";
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
  #startedAt = 0;
  /** Requests held by the current stall. */
  held = 0;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #resolve: (() => void) | undefined;

  /**
   * Stalls for `ms` from now; a stall already running is extended if this one
   * ends later, but never past `MAX_STALL_MS` after it began.
   */
  start(ms: number): void {
    const now = performance.now();
    if (!this.active) this.#startedAt = now;
    const until = Math.min(now + ms, this.#startedAt + MAX_STALL_MS);
    if (this.active && until <= this.#until) return;
    this.#until = until;
    ms = until - now;
    if (!this.active) {
      this.active = true;
      this.held = 0;
      this.ended = new Promise<void>((resolve) => (this.#resolve = resolve));
    }
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.end(), ms);
  }

  /** Milliseconds until the current stall ends (0 when none). */
  get remainingMs(): number {
    return this.active ? Math.max(0, this.#until - performance.now()) : 0;
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
