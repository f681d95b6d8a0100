/**
 * Options of a load run: what `run()` takes and what the CLI builds from
 * its flags.
 *
 * @module
 */
import type { CollectorKind } from "../collector/create.ts";
import type { Phase } from "./result.ts";
import type { RequestSet } from "./targets/parse_targets.ts";
import type { TargetsOrder } from "./targets/request_source.ts";

/** Live progress, reported once per second during a run. */
export interface RunProgress {
  /** The phase the run is in now (warm-up, ramp-up, steady, ramp-down, done). */
  phase: Phase;
  /** Milliseconds since the run (warm-up included) started. */
  elapsedMs: number;
  /** Planned total in ms (warm-up included), or null for a request-count limit. */
  totalMs: number | null;
  /** Requests completed in the measured part so far. */
  requests: number;
  /** Requests per second over the last second. */
  rps: number;
  /** p99 latency (ms) over the last second. */
  p99Ms: number;
  /** Failed requests in the measured part so far. */
  errors: number;
  /** Target rate now (open model, ramps included), or null in the closed model. */
  targetRate: number | null;
}

/** A parsed threshold, e.g. `p99<50ms` → { metric: "p99", op: "<", value: 50 }. */
export interface Threshold {
  /** As the user wrote it. */
  expression: string;
  /** One of the metric names of `THRESHOLD_METRICS` in `thresholds.ts`. */
  metric: string;
  /** Comparison the measured value must satisfy against `value` to pass. */
  op: "<" | "<=" | ">" | ">=" | "==";
  /** In the metric's unit: ms for latencies, percent for error rates, req/s for rates, plain counts. */
  value: number;
}

/** Everything `run()` accepts. Only `url` is required. */
export interface RunOptions {
  /** `http://` or `https://` URL, or `"builtin"` / `"builtin:/path"` to start and load the built-in target (may be `""` with `targets`). */
  url: string;
  /** HTTP method (default GET). */
  method?: string;
  /** Extra request headers, sent on every request (`Host` and `Content-Length` are added unless given). */
  headers?: Record<string, string>;
  /** Request body, sent on every request (a string is UTF-8 encoded); not allowed with GET or HEAD. */
  body?: string | Uint8Array;
  /** Open model: constant arrival rate in requests/s. Omit (or null) for the closed model. */
  rate?: number | null;
  /** Requests in flight at most (virtual users); default 100 (closed) or enough for the rate (open). */
  concurrency?: number;
  /** Load worker threads; default the number of CPUs. */
  workers?: number;
  /** Measured duration in ms (default 10 s unless `requests` is set). */
  durationMs?: number | null;
  /** Stop after this many measured requests. */
  requests?: number | null;
  /** Warm-up in ms before measuring (not counted). */
  warmupMs?: number;
  /** Linear ramp of the rate (open) or of the virtual users (closed) at the start of the measured part. */
  rampUpMs?: number;
  /** Linear ramp down at the end of the measured part. */
  rampDownMs?: number;
  /** Per-request timeout in ms (default 10 s). */
  timeoutMs?: number;
  /** Which collector records the run (default from the environment, else atomic). */
  collector?: CollectorKind;
  /** Force a transport: "raw" sockets (http only) or "fetch"; default "auto". */
  transport?: "auto" | "raw" | "fetch";
  /** Thresholds to evaluate at the end (see `parseThreshold`). */
  thresholds?: Threshold[];
  /** Aborting ends the run early: workers stop and a partial result is returned (`interrupted: true`). */
  signal?: AbortSignal;
  /** Called once per second with live figures. */
  onProgress?: (progress: RunProgress) => void;
  /** Called with the live collector once it exists (for live outputs such as StatsD or /metrics). */
  onCollector?: (collector: import("../collector/types.ts").MetricsCollector) => void;
  /** Latency samples kept per worker for accuracy checks (default 10,000). */
  sampleCapacity?: number;
  /**
   * A request set (`--targets FILE`, read with `parseTargets`): sent instead of
   * `url`/`method`/`headers`/`body`, with metrics per target name. `url` may
   * then be omitted (it defaults to the first target's URL).
   */
  targets?: RequestSet;
  /** How targets are chosen: "round-robin" (default) or "random"; weighted when weights are given. */
  targetsOrder?: TargetsOrder;
  /**
   * A TypeScript (or JavaScript) scenario module to run instead of one
   * request (`lunge run scenario.ts`): see `docs/scenarios.md`. Its exported
   * `options` fill in what these options leave unset.
   */
  scenario?: string;
  /** Bound on one scenario iteration in ms (default 60 s); longer ones fail as timed out. */
  iterationTimeoutMs?: number;
  /** The scenario's `ctx.env` record (default: empty). */
  env?: Record<string, string>;
}
