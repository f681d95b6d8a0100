/**
 * Error types of the stats library. Recording never throws:
 * these appear only at configuration and start-up, or as values handed to
 * the logger.
 *
 * @module
 */

/**
 * The buffer was full and an event was dropped (reported through counters,
 * never thrown from the hot path).
 *
 * @example
 * ```ts
 * import { BufferFullError } from "./_errors.ts";
 * new BufferFullError("drop-newest").message;
 * ```
 */
export class BufferFullError extends Error {
  /**
   * Builds the message `Stats buffer full: dropping events (strategy <strategy>)`.
   *
   * @param strategy The drop strategy in force.
   */
  constructor(strategy: string) {
    super(`Stats buffer full: dropping events (strategy ${strategy})`);
    this.name = "BufferFullError";
  }
}

/**
 * The UDP socket could not be opened or a send failed.
 *
 * @example
 * ```ts
 * import { StatsNetworkError } from "./_errors.ts";
 * new StatsNetworkError("Cannot start stats: no such host", new Error("ENOTFOUND")).cause;
 * ```
 */
export class StatsNetworkError extends Error {
  /**
   * Creates the error with its underlying cause.
   *
   * @param message What failed, e.g. `Cannot start stats: ...`.
   * @param cause The underlying socket or DNS error, kept on `cause`.
   */
  constructor(message: string, cause?: unknown) {
    super(message, { cause });
    this.name = "StatsNetworkError";
  }
}

/**
 * The configuration does not fit its memory cap (other bad values are
 * `RangeError`/`TypeError` from `resolveStatsConfig`).
 *
 * @example
 * ```ts
 * import { StatsConfigurationError } from "./_errors.ts";
 * new StatsConfigurationError("too big") instanceof RangeError; // true
 * ```
 */
export class StatsConfigurationError extends RangeError {
  /**
   * Creates the error; it is a `RangeError`.
   *
   * @param message Which settings do not fit and by how much.
   */
  constructor(message: string) {
    super(message);
    this.name = "StatsConfigurationError";
  }
}
