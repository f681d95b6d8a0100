/**
 * Error messages with their counts, gathered in each load worker off the
 * success path (touched only when a request fails), sent to the orchestrator
 * with the worker's "done" message and merged there. Bounded: past
 * `MAX_DISTINCT` distinct messages, new ones are counted under one
 * "(other messages)" entry of their kind.
 *
 * @module
 */
import { ERROR_KIND_NAMES, ErrorKind } from "../collector/types.ts";
import type { ErrorMessageCount } from "../result/run_result.ts";

export type { ErrorMessageCount };

/** Distinct messages kept per tally; more are folded into "(other messages)". */
export const MAX_DISTINCT = 64;
/** Longest message kept, in characters. */
const MAX_MESSAGE = 200;
/** Messages in a result: the most frequent ones. */
export const TOP_MESSAGES = 10;

/** Wire form of a tally entry: [kind index, message, count]. */
export type ErrorTallyEntry = [number, string, number];

/**
 * A bounded count of error messages.
 *
 * @example
 * ```ts
 * import { ErrorTally } from "./error_tally.ts";
 * import { ErrorKind } from "../collector/types.ts";
 * const tally = new ErrorTally();
 * tally.add(ErrorKind.Refused, "connect ECONNREFUSED 127.0.0.1:1");
 * tally.add(ErrorKind.Refused, "connect ECONNREFUSED 127.0.0.1:1");
 * console.log(tally.top(10)); // [{ kind: "refused", message: "connect ECONNREFUSED 127.0.0.1:1", count: 2 }]
 * ```
 */
export class ErrorTally {
  readonly #counts = new Map<string, ErrorTallyEntry>();

  /** Counts `n` failures of `kind` (an `ErrorKind` value) with `message`. */
  add(kind: number, message: string, n = 1): void {
    const text = message.length > MAX_MESSAGE ? `${message.slice(0, MAX_MESSAGE - 1)}…` : message;
    let key = `${kind}\u0000${text}`;
    let entry = this.#counts.get(key);
    if (entry === undefined) {
      if (this.#counts.size >= MAX_DISTINCT) {
        key = `${kind}\u0000(other messages)`;
        entry = this.#counts.get(key);
      }
      if (entry === undefined) {
        entry = [kind, key.slice(key.indexOf("\u0000") + 1), 0];
        this.#counts.set(key, entry);
      }
    }
    entry[2] += n;
  }

  /**
   * Counts one failed request: `message` when the connection gave one, else a
   * description of `kind` (a timeout names its limit).
   */
  addFailure(kind: number, message: string | undefined, timeoutMs: number): void {
    if (message !== undefined && message !== "") this.add(kind, message);
    else if (kind === ErrorKind.Timeout) this.add(kind, `request timed out after ${timeoutMs} ms`);
    else this.add(kind, `${ERROR_KIND_NAMES[kind] ?? "other"} error`);
  }

  /** Adds every entry of another tally's wire form. */
  merge(entries: readonly ErrorTallyEntry[]): void {
    for (const [kind, message, count] of entries) this.add(kind, message, count);
  }

  /** The wire form, for `postMessage`. */
  entries(): ErrorTallyEntry[] {
    return [...this.#counts.values()].map((e) => [e[0], e[1], e[2]]);
  }

  /** The `n` most frequent messages, most frequent first (ties by message). */
  top(n: number = TOP_MESSAGES): ErrorMessageCount[] {
    return [...this.#counts.values()]
      .sort((a, b) => b[2] - a[2] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0))
      .slice(0, n)
      .map(([kind, message, count]) => ({ kind: ERROR_KIND_NAMES[kind] ?? "other", message, count }));
  }
}
