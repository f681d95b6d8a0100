/**
 * Options of a load run: what `run()` takes and what the CLI builds from
 * its flags, with their limits and allowed values (`RUN_OPTION_LIMITS`,
 * `COLLECTOR_KINDS`, `TRANSPORTS`, `LOAD_MODELS`), re-exported from
 * `src/options/values.ts`. The CLI, `run()` and the stress CLI import them here.
 *
 * @module
 */
import type { CollectorKind } from "../collector/create.ts";
import type { Phase } from "../result/run_result.ts";
import type { ExecutionSegment } from "./execution_segment.ts";

export { RunOptionsError } from "../options/run_options_error.ts";

// The limits and allowed values live in the options room; this is the one module callers import.
export {
  COLLECTOR_KINDS,
  type CollectorKind,
  groupThousands,
  HTTP2_MODES,
  type Http2Mode,
  LOAD_MODELS,
  type LoadModel,
  RUN_OPTION_LIMITS,
  type RunResultOptions,
  type Transport,
  TRANSPORTS,
} from "../options/values.ts";
import type { TargetsOrder, Transport } from "../options/values.ts";
import type { RequestSet } from "../request_sets/types.ts";

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
  /**
   * What `requests` counts: gRPC calls (`"calls"`), WebSocket messages answered (`"messages"`), or
   * requests (absent: HTTP, request sets, scenarios).
   */
  unit?: "requests" | "calls" | "messages";
  /** A gRPC run: its calls that did not end OK so far, by status name (`{ UNAVAILABLE: 3 }`). */
  grpcNotOk?: Record<string, number>;
  /** A WebSocket run: messages sent so far (`requests` counts those answered, or failed). */
  messagesSent?: number;
}

/** One load worker's heap, as handed to `onWorkerHeap`. */
export interface WorkerHeapReading {
  /** Which load worker, 1-based (the thread is named `lunge-load-<worker>`). */
  worker: number;
  /** Milliseconds since the run (warm-up included) started, as `RunProgress.elapsedMs`. */
  elapsedMs: number;
  /** Heap used by the worker's own isolate, bytes. */
  heapUsed: number;
  /** Whether a forced full GC ran right before the reading (then `heapUsed` is live memory). */
  afterGc: boolean;
  /** How long that GC paused the worker, ms (0 without one). */
  gcMs: number;
}

/** A parsed threshold, e.g. `p99<50ms` (declared with the threshold code, which the result room uses too). */
export type { Threshold } from "../thresholds/types.ts";
import type { Threshold } from "../thresholds/types.ts";

/** Everything `run()` accepts. Only `url` is required. */
export interface RunOptions {
  /** `http://`, `https://`, `ws://` or `wss://` URL, or `"builtin"` / `"builtin:/path"` to start and load the built-in target (may be `""` with `targets`). */
  url: string;
  /** HTTP method (default GET). */
  method?: string;
  /** Extra request headers, sent on every request (`Host` and `Content-Length` are added unless given). */
  headers?: Record<string, string>;
  /** Request body, sent on every request (a string is UTF-8 encoded); not allowed with GET or HEAD. */
  body?: string | Uint8Array;
  /** Open model: constant arrival rate in requests/s. Omit (or null) for the closed model. */
  rate?: number | null;
  /**
   * Requests in flight at most (virtual users); default 100 (closed). Open
   * model: the connections ready at the start, default `max(10, rate / 10)`;
   * the pool grows on demand up to `maxConcurrency`.
   */
  concurrency?: number;
  /**
   * Open model: the most connections the pool may grow to when every one is
   * busy. Default: `concurrency` when it is given (a fixed pool), else
   * `min(10000, rate × timeout in s)` (never below `concurrency`): enough for
   * every request of a timeout's worth of arrivals to be in flight at once.
   * Arrivals that wait because all of them are busy are reported
   * (`pool.delayedSends`) with a warning.
   */
  maxConcurrency?: number;
  /** Load workers, a thread each (a single one runs on the calling thread); default the number of CPUs. */
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
  /** Force a transport: "raw" sockets or "fetch"; default "auto" (raw). */
  transport?: Transport;
  /** HTTP/2 over TLS, negotiated with ALPN "h2" (https:// URLs); `concurrency` is then the number of connections. */
  http2?: boolean;
  /** HTTP/2 without TLS and without upgrade (h2c with prior knowledge, http:// URLs). */
  http2PriorKnowledge?: boolean;
  /** HTTP/2: concurrent streams per connection (h2load's `-m`), 1 to 1000; default 1. */
  streams?: number;
  /** Skip TLS certificate verification (`-k`). @default {false} */
  insecure?: boolean;
  /** PEM file of the CA certificates that verify the server (`--cacert`). */
  cacert?: string;
  /** PEM file of the client certificate (`--cert`); needs `key`. */
  cert?: string;
  /** PEM file of the client certificate's private key (`--key`). */
  key?: string;
  /** TLS server name (SNI) and the name the certificate must match (`--servername`); default the URL's host. */
  servername?: string;
  /** `HOST:PORT:TARGET_HOST:TARGET_PORT` rules: connect elsewhere, keep the URL's Host and SNI (`--connect-to`). */
  connectTo?: string[];
  /** Send HTTP/1.1 over this unix domain socket instead of TCP (`--unix-socket`); http:// URLs only. */
  unixSocket?: string;
  /** Thresholds to evaluate at the end (see `parseThreshold`). */
  thresholds?: Threshold[];
  /** Aborting ends the run early: workers stop and a partial result is returned (`interrupted: true`). */
  signal?: AbortSignal;
  /** Called once per second with live figures. */
  onProgress?: (progress: RunProgress) => void;
  /**
   * Called on this thread every `workerHeapEveryMs` with each load worker's own heap, read in that
   * worker (after a forced full GC where the runtime allows: Bun always, Deno with `--expose-gc`; it
   * pauses the worker for a few ms, more on a busy machine). Unset: no reading, no timer. A single load
   * worker that runs on this thread reports this thread's heap.
   */
  onWorkerHeap?: (reading: WorkerHeapReading) => void;
  /** How often each load worker reads its heap for `onWorkerHeap`, ms (100 to 3,600,000). @default {2000} */
  workerHeapEveryMs?: number;
  /** Called with the live collector once it exists (for live outputs such as StatsD or /metrics). */
  onCollector?: (collector: import("../collector/types.ts").MetricsCollector) => void;
  /** Called with the run's other live tables once they exist (the live dashboard): open connections, per-name totals. */
  onLiveTables?: (tables: LiveTables) => void;
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
  /**
   * Test-only: each load worker keeps up to this many raw latencies (of
   * measured requests that got a response) in a plain array and hands them to
   * `onLatencies` at the end; an independent path to check the collector's
   * percentiles. Default 0: off, at no cost.
   */
  keepLatencies?: number;
  /** Test-only: receives the raw latencies kept (ns, every worker's) and how many were not kept. */
  onLatencies?: (latenciesNs: Float64Array, dropped: number) => void;
  /** Run only share `index` of `count` of the plan (`--segment I/N`); default the whole plan. */
  segment?: ExecutionSegment;
  /** Start the measured phase at this wall-clock time (epoch ms or a Date); the warm-up runs before it. */
  startAt?: number | Date;
  /** Called on the main thread with each measured second's latency histogram (ns bucket counts; read it at once). */
  onIntervalHistogram?: (interval: IntervalHistogram) => void;
  /** WebSocket (ws://, wss:// URLs): the messages to send in turn, templates as in request sets. */
  messages?: string[];
  /** WebSocket: send binary frames instead of text (default false). */
  wsBinary?: boolean;
  /** WebSocket: the largest message (and frame) accepted from the server, bytes (default 16 MiB). */
  wsMaxMessageBytes?: number;
  // ---- gRPC (a grpc:// or grpcs:// `url`; docs/grpc.md) ----
  /** The method to call, `package.Service/Method` (`--call`). */
  call?: string;
  /** `.proto` files that declare it (`--proto`, repeatable); none: server reflection. */
  proto?: string[];
  /** Folders searched for the `.proto` files' imports (`--import-path`, repeatable). */
  importPaths?: string[];
  /**
   * The request message(s) (`--data`): a JSON object, JSON text, a JSON array or
   * JSON lines (one message per line, sent in turn). Default `{}`.
   */
  data?: string | object;
  /** Metadata sent with every call (`--metadata 'key: value'`). */
  metadata?: Record<string, string>;
  /** Request message compression (`--compression`): "identity" (default) or "gzip". */
  compression?: string;
}

/** What `onLiveTables` hands over: read on the main thread, at most once a second. */
export interface LiveTables {
  /** Connections (virtual users) open now. */
  openConnections(): number;
  /** Totals per name (targets, scenario steps); empty when the run has no names. */
  names(): import("../collector/named_lanes.ts").NamedStats[];
}

/** One measured second's latency histogram, as handed to `onIntervalHistogram`. */
export interface IntervalHistogram {
  /** The second of the measured phase (0 = the first). */
  second: number;
  /** Length of the interval in ms (1000, or less for the last, partial one). */
  lengthMs: number;
  /** Bucket counts in the log-linear ns layout; reused after the call returns. */
  counts: Float64Array;
}
