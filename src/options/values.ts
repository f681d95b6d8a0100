/**
 * The limits and allowed values of the run options, written once: `run()`
 * (through `normalize`), the `lunge` CLI and the stress CLI check against
 * these, and the types of the options are derived from the tuples. Callers
 * outside the engine reach them through `engine/options.ts`, which
 * re-exports them; the option table beside this file builds on them.
 *
 * @module
 */
import { COLLECTOR_KINDS, type CollectorKind } from "../collector/types.ts";

export { COLLECTOR_KINDS, type CollectorKind };

/**
 * The transports a run can be forced onto.
 *
 * @example
 * ```ts
 * import { TRANSPORTS } from "./values.ts";
 * TRANSPORTS.join(", "); // "auto, raw, fetch"
 * ```
 */
export const TRANSPORTS = ["auto", "raw", "fetch"] as const;
/** One of `TRANSPORTS`. */
export type Transport = typeof TRANSPORTS[number];

/**
 * How the targets of a request set are chosen: in turn, or at random
 * (weighted when weights are given).
 *
 * @example
 * ```ts
 * import { TARGETS_ORDERS } from "./values.ts";
 * TARGETS_ORDERS[0]; // "round-robin"
 * ```
 */
export const TARGETS_ORDERS: readonly TargetsOrder[] = ["round-robin", "random"];
/** One of `TARGETS_ORDERS` (spelled out: the public type must not refer to a constant the API does not export). */
export type TargetsOrder = "round-robin" | "random";

/**
 * The load models: closed (C virtual users loop) or open (constant arrival
 * rate). `run()` picks open when a `rate` is given.
 *
 * @example
 * ```ts
 * import { LOAD_MODELS } from "./values.ts";
 * LOAD_MODELS.includes("open"); // true
 * ```
 */
export const LOAD_MODELS = ["closed", "open"] as const;
/** Load model: closed (C virtual users loop) or open (constant arrival rate). */
export type LoadModel = typeof LOAD_MODELS[number];

/**
 * How requests travel: HTTP/1.1, HTTP/2 over TLS (ALPN), or h2c with prior knowledge.
 *
 * @example
 * ```ts
 * import { HTTP2_MODES } from "./values.ts";
 * HTTP2_MODES[0]; // "off"
 * ```
 */
export const HTTP2_MODES = ["off", "tls", "prior-knowledge"] as const;
/** One of `HTTP2_MODES`. */
export type Http2Mode = typeof HTTP2_MODES[number];

/**
 * The upper limits of the numeric run options, inclusive. The lower limits
 * are in the option's meaning (a rate above 0, at least one worker).
 *
 * @example
 * ```ts
 * import { RUN_OPTION_LIMITS } from "./values.ts";
 * RUN_OPTION_LIMITS.workers; // 256
 * ```
 */
export const RUN_OPTION_LIMITS = {
  /** Highest arrival rate, requests/s. */
  rate: 10_000_000,
  /** Most requests in flight (`concurrency`, `maxConcurrency`, and connections × streams). */
  concurrency: 100_000,
  /** Most load worker threads. */
  workers: 256,
  /** Most concurrent HTTP/2 streams per connection. */
  streams: 1000,
  /** Most raw latencies a worker keeps for tests: 2^26. */
  keepLatencies: 67_108_864,
  /** Most latency samples a worker keeps: 2^24. */
  sampleCapacity: 16_777_216,
} as const;

/**
 * `n` with thousands separators, for the messages that quote a limit.
 *
 * @example
 * ```ts
 * import { groupThousands } from "./values.ts";
 * groupThousands(10_000_000); // "10,000,000"
 * ```
 */
export function groupThousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/**
 * The effective options of a run after defaults were applied, as
 * `RunResult.options` carries them. The normalized options extend this, so
 * the fields are listed here once.
 *
 * @example
 * ```ts
 * import type { RunResultOptions } from "./values.ts";
 * const closed: Pick<RunResultOptions, "model" | "rate"> = { model: "closed", rate: null };
 * ```
 */
export interface RunResultOptions {
  /** Closed or open (a `rate` was given). */
  model: LoadModel;
  /** Target rate in requests/s (open model), or `null`. */
  rate: number | null;
  /** Requests in flight at most (virtual users; connections × streams with HTTP/2). */
  concurrency: number;
  /** Load worker threads. */
  workers: number;
  /** Measured duration in ms, or `null` when the run is bounded by `requests`. */
  durationMs: number | null;
  /** Request-count limit of the measured part, or `null`. */
  requests: number | null;
  /** Warm-up in ms before measuring. */
  warmupMs: number;
  /** Ramp up in ms at the start of the measured part. */
  rampUpMs: number;
  /** Ramp down in ms at the end of the measured part. */
  rampDownMs: number;
  /** Per-request timeout in ms. */
  timeoutMs: number;
  /** The collector that recorded the run. */
  collector: CollectorKind;
}
