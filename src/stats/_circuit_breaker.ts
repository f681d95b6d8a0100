/**
 * A circuit breaker for the UDP sender: closed while sends
 * succeed, open after `failureThreshold` failures (sends are refused and the
 * events dropped as `circuit_open`), half-open after `resetTimeoutMs` (one
 * probe packet may go), closed again when the probe is not followed by an
 * error within `probeSettleMs`.
 *
 * UDP reports "port unreachable" asynchronously, after the send itself
 * succeeded, so successes and failures interleave: a failure streak is only
 * reset by `failureThreshold` successes in a row, not by one.
 *
 * @module
 */

/**
 * Breaker states; the numbers are what the internal metrics export.
 *
 * @example
 * ```ts
 * import { BREAKER_STATE_NAMES, BreakerState } from "./_circuit_breaker.ts";
 * BREAKER_STATE_NAMES[BreakerState.HalfOpen]; // "half_open"
 * ```
 */
export const BreakerState = {
  /** Sending normally; failures are counted. */
  Closed: 0,
  /** Sends are refused (the client drops their events) until `resetTimeoutMs` has passed. */
  Open: 1,
  /** One probe send is allowed: a failure reopens; success, then `probeSettleMs` without failure, closes. */
  HalfOpen: 2,
} as const;

/** One of the `BreakerState` values. */
export type BreakerState = typeof BreakerState[keyof typeof BreakerState];

/** Lower-case names of the breaker states, indexed by state. */
export const BREAKER_STATE_NAMES: readonly string[] = ["closed", "open", "half_open"];

/** Options of `CircuitBreaker`. */
export interface CircuitBreakerOptions {
  /** Failures before opening (seed: 10). */
  failureThreshold?: number;
  /** Time open before a probe (seed: 30 s). */
  resetTimeoutMs?: number;
  /** Quiet time after a successful probe before closing (default 100 ms). */
  probeSettleMs?: number;
  /** Clock in milliseconds (injectable for tests). */
  now?: () => number;
  /** Called on every state change. */
  onStateChange?: (from: BreakerState, to: BreakerState) => void;
}

/**
 * Closed / open / half-open circuit breaker.
 *
 * @example
 * ```ts
 * import { BreakerState, CircuitBreaker } from "./_circuit_breaker.ts";
 * const breaker = new CircuitBreaker({ failureThreshold: 2, resetTimeoutMs: 1000 });
 * breaker.recordFailure();
 * breaker.recordFailure();
 * breaker.state === BreakerState.Open; // true
 * breaker.allowSend(); // false until 1 s has passed
 * ```
 */
export class CircuitBreaker {
  #state: BreakerState = BreakerState.Closed;
  #failures = 0;
  #successStreak = 0;
  #openedAt = 0;
  #probeAt = -1;
  #probeOkAt = -1;
  #opens = 0;
  readonly #threshold: number;
  readonly #resetMs: number;
  readonly #settleMs: number;
  readonly #now: () => number;
  readonly #onChange?: (from: BreakerState, to: BreakerState) => void;

  /**
   * Starts closed.
   *
   * @param options Failure threshold (default 10), reset timeout (default 30 s), probe settle time, clock, listener.
   */
  constructor(options: CircuitBreakerOptions = {}) {
    this.#threshold = options.failureThreshold ?? 10;
    this.#resetMs = options.resetTimeoutMs ?? 30_000;
    this.#settleMs = options.probeSettleMs ?? 100;
    this.#now = options.now ?? (() => performance.now());
    this.#onChange = options.onStateChange;
  }

  /** Current state (after applying any due timeout). */
  get state(): BreakerState {
    this.#tick();
    return this.#state;
  }

  /** Whether the breaker was closed at its last update (a field read: no clock, for hot loops). */
  get isClosed(): boolean {
    return this.#state === BreakerState.Closed;
  }

  /** Half-open with its probe sent and its outcome not yet known. */
  get probePending(): boolean {
    return this.#state === BreakerState.HalfOpen && this.#probeAt >= 0;
  }

  /** Times the breaker has opened. */
  get opens(): number {
    return this.#opens;
  }

  /**
   * Whether a packet may be sent now. In half-open exactly one probe is let
   * through until its outcome is known.
   */
  allowSend(): boolean {
    this.#tick();
    if (this.#state === BreakerState.Closed) return true;
    if (this.#state === BreakerState.Open) return false;
    if (this.#probeAt >= 0) return false;
    this.#probeAt = this.#now();
    return true;
  }

  /** A send completed without error. */
  recordSuccess(): void {
    if (this.#state === BreakerState.HalfOpen) {
      if (this.#probeAt >= 0 && this.#probeOkAt < 0) this.#probeOkAt = this.#now();
      this.#tick();
      return;
    }
    if (
      this.#state === BreakerState.Closed && this.#failures > 0 && ++this.#successStreak >= this.#threshold
    ) {
      this.#failures = 0;
      this.#successStreak = 0;
    }
  }

  /** A send failed, or the socket reported an error. */
  recordFailure(): void {
    this.#tick();
    if (this.#state === BreakerState.HalfOpen) {
      this.#open();
      return;
    }
    if (this.#state === BreakerState.Open) return;
    this.#successStreak = 0;
    if (++this.#failures >= this.#threshold) this.#open();
  }

  #open(): void {
    this.#openedAt = this.#now();
    this.#probeAt = -1;
    this.#probeOkAt = -1;
    this.#opens++;
    this.#set(BreakerState.Open);
  }

  #tick(): void {
    if (this.#state === BreakerState.Open && this.#now() - this.#openedAt >= this.#resetMs) {
      this.#probeAt = -1;
      this.#probeOkAt = -1;
      this.#set(BreakerState.HalfOpen);
    } else if (
      this.#state === BreakerState.HalfOpen && this.#probeOkAt >= 0 &&
      this.#now() - this.#probeOkAt >= this.#settleMs
    ) {
      this.#failures = 0;
      this.#successStreak = 0;
      this.#set(BreakerState.Closed);
    }
  }

  #set(to: BreakerState): void {
    const from = this.#state;
    if (from === to) return;
    this.#state = to;
    this.#onChange?.(from, to);
  }
}
