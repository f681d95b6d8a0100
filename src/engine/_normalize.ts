/**
 * Validation and defaults of `RunOptions`: every bad option is a
 * `RunOptionsError` naming the option, with a message like
 * `Cannot start run: "rate" must be > 0`, before anything starts. The
 * numeric options are checked against their limits and given their defaults
 * from the option table (`src/options/table.ts`).
 *
 * @module
 */
import { collectorKindFromEnv } from "../collector/create.ts";
import { system } from "../runtime/mod.ts";
import {
  COLLECTOR_KINDS,
  type Http2Mode,
  type LoadModel,
  RUN_OPTION_LIMITS,
  type RunOptions,
  RunOptionsError,
  type RunResultOptions,
  type Threshold,
  type Transport,
  TRANSPORTS,
} from "./options.ts";
import {
  checkSegment,
  checkStartAt,
  type ExecutionSegment,
  segmentConcurrency,
  WHOLE_PLAN,
} from "./execution_segment.ts";
import { normalizeHttp2 } from "./_normalize_http2.ts";
import { normalizeConnectOptions } from "./normalize_transport.ts";
import type { ConnectOptions } from "../http/types.ts";
import { normalizeWorkload, type WorkloadOptions } from "./_workload_options.ts";
import { numberOption, optionalNumberOption, optionDefault } from "../options/check_option.ts";
import type { TableRunValues } from "../options/table.ts";
import { type NormalizedWebSocket, normalizeWebSocket } from "../protocols/websocket/normalize_ws.ts";

/**
 * Options with every default applied. The fields the result reports are in
 * `RunResultOptions`; the numeric and choice options of the option table
 * come from `TableRunValues` (the two must agree: the type check fails otherwise).
 */
export interface NormalizedRunOptions extends RunResultOptions, TableRunValues {
  url: string;
  /** The path on the built-in target when `url` is "builtin" or "builtin:/path", else null. */
  builtinPath: string | null;
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  /** "off" (HTTP/1.1), "tls" (ALPN h2) or "prior-knowledge" (h2c). */
  http2: Http2Mode;
  /** Connections (`concurrency` for HTTP/1.1; `concurrency` / `streams` for HTTP/2). */
  connections: number;
  /** TLS, `--connect-to` and unix socket settings for the load workers (certificate files already read). */
  connect: ConnectOptions;
  thresholds: Threshold[];
  /** This instance's share of the plan (`{ index: 0, count: 1 }` for the whole plan). */
  segment: ExecutionSegment;
  /** Wall-clock start of the measured phase (epoch ms), or null to start at once. */
  startAtEpochMs: number | null;
  /** How often each load worker reads its own heap for `onWorkerHeap`, ms. */
  workerHeapEveryMs: number;
  /** Request set or scenario settings. */
  workload: WorkloadOptions;
  /** WebSocket settings (ws://, wss://, builtin:/ws/...), or null for HTTP. */
  websocket: NormalizedWebSocket | null;
}

const DEFAULT_DURATION_MS = optionDefault("durationMs") as number;
const MAX_CONCURRENCY = RUN_OPTION_LIMITS.concurrency;
/** Open model: the default pool limit (connections), well inside a 20,000 file descriptor limit. */
export const OPEN_POOL_LIMIT = 10_000;

// Messages start with the option's name in quotes (`"rate" must be > 0`); the error carries it.
function fail(message: string, _range = true): never {
  const option = /^"([^"]+)"/.exec(message)?.[1] ?? "options";
  throw new RunOptionsError(option, message);
}

function optionalNumber(
  name: string,
  value: number | null | undefined,
  check: (v: number) => boolean,
  rule: string,
): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== "number" || !Number.isFinite(value) || !check(value)) {
    fail(`"${name}" must be ${rule}, got ${String(value)}`);
  }
  return value;
}

/**
 * Checks `options` and fills in defaults.
 *
 * @example
 * ```ts
 * import { normalizeRunOptions } from "./_normalize.ts";
 * normalizeRunOptions({ url: "http://127.0.0.1:8080/", rate: 100 }).model; // "open"
 * ```
 */
export function normalizeRunOptions(options: RunOptions): NormalizedRunOptions {
  if (options === null || typeof options !== "object") fail("options must be an object", false);
  const workload = normalizeWorkload(options);
  const url = options.url || workload.defaultUrl;
  if (typeof url !== "string" || url === "") fail('"url" is required', false);
  let builtinPath: string | null = null;
  if (url === "builtin" || url.startsWith("builtin:")) {
    builtinPath = url === "builtin" ? "/" : url.slice("builtin:".length);
    if (!builtinPath.startsWith("/")) {
      fail(`"url" builtin path must start with "/", got "${builtinPath}"`, false);
    }
  } else {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      fail(`"url" is not a valid URL: "${url}"`, false);
    }
    if (!["http:", "https:", "ws:", "wss:"].includes(parsed.protocol)) {
      fail(`"url" must be http:// or https:// (or ws://, wss://), got "${parsed.protocol}"`, false);
    }
  }
  const rate = optionalNumberOption("rate", options.rate);
  const model: LoadModel = rate === null ? "closed" : "open";
  const durationMs = optionalNumberOption("durationMs", options.durationMs);
  const requests = optionalNumberOption("requests", options.requests);
  const warmupMs = numberOption("warmupMs", options.warmupMs);
  const rampUpMs = numberOption("rampUpMs", options.rampUpMs);
  const rampDownMs = numberOption("rampDownMs", options.rampDownMs);
  const timeoutMs = numberOption("timeoutMs", options.timeoutMs);
  const defaultConcurrency = rate === null
    ? 100
    : Math.min(MAX_CONCURRENCY, Math.max(10, Math.ceil(rate / 10)));
  const concurrency = optionalNumberOption("concurrency", options.concurrency) ?? defaultConcurrency;
  const maxConcurrency = rate === null ? concurrency : optionalNumber(
    "maxConcurrency",
    options.maxConcurrency,
    (v) => Number.isInteger(v) && v >= concurrency && v <= MAX_CONCURRENCY,
    `an integer from "concurrency" (${concurrency}) to ${MAX_CONCURRENCY}`,
  ) ?? (options.concurrency !== undefined && options.concurrency !== null
    ? concurrency
    : Math.max(concurrency, Math.min(OPEN_POOL_LIMIT, Math.ceil((rate * timeoutMs) / 1000))));
  const keepLatencies = numberOption("keepLatencies", options.keepLatencies);
  const workerHeapEveryMs = optionalNumber(
    "workerHeapEveryMs",
    options.workerHeapEveryMs,
    (v) => Number.isInteger(v) && v >= 100 && v <= 3_600_000,
    "an integer from 100 to 3600000 (ms)",
  ) ?? 2000;
  const workersWanted = optionalNumberOption("workers", options.workers) ?? system.cpuCount();
  const collector = options.collector ?? collectorKindFromEnv() ?? "atomic";
  if (!(COLLECTOR_KINDS as readonly string[]).includes(collector)) {
    fail(
      `"collector" must be ${COLLECTOR_KINDS.map((k) => `"${k}"`).join(" or ")}, got "${String(collector)}"`,
    );
  }
  const transport = options.transport ?? optionDefault("transport") as Transport;
  if (!(TRANSPORTS as readonly string[]).includes(transport)) {
    fail(`"transport" must be ${TRANSPORTS.join(", ")}, got "${transport}"`);
  }
  const sampleCapacity = numberOption("sampleCapacity", options.sampleCapacity);
  const method = (options.method ?? optionDefault("method") as string).toUpperCase();
  const segment = checkSegment(options.segment ?? WHOLE_PLAN);
  if (segment.count > 1 && concurrency < segment.count) {
    fail(`"concurrency" (${concurrency}) must be at least the segment count (${segment.count})`);
  }
  if (requests !== null && requests < segment.count) {
    fail(`"requests" (${requests}) must be at least the segment count (${segment.count})`);
  }
  const startAt = options.startAt instanceof Date ? options.startAt.getTime() : options.startAt;
  const startAtEpochMs = optionalNumber("startAt", startAt, (v) => v > 0, "epoch ms");
  if (startAtEpochMs !== null) checkStartAt(startAtEpochMs, Date.now());
  const h2 = normalizeHttp2(options, builtinPath !== null, transport, concurrency, MAX_CONCURRENCY);
  return {
    url,
    builtinPath,
    method,
    headers: { ...(options.headers ?? {}) },
    body: options.body,
    model,
    rate,
    concurrency: h2.concurrency,
    // HTTP/2 streams map onto a fixed set of connections: the pool does not grow there.
    maxConcurrency: h2.streams > 1 ? h2.concurrency : maxConcurrency,
    // No more workers than connections: each worker needs at least one.
    workers: Math.min(workersWanted, segmentConcurrency(h2.connections, segment)),
    durationMs: durationMs ?? (requests === null ? DEFAULT_DURATION_MS : null),
    requests,
    warmupMs,
    rampUpMs,
    rampDownMs,
    timeoutMs,
    collector,
    transport,
    http2: h2.mode,
    connections: h2.connections,
    streams: h2.streams,
    connect: normalizeConnectOptions(options),
    thresholds: options.thresholds ?? [],
    sampleCapacity,
    segment,
    startAtEpochMs,
    keepLatencies,
    workerHeapEveryMs,
    workload,
    wsMaxMessageBytes: numberOption("wsMaxMessageBytes", options.wsMaxMessageBytes),
    websocket: normalizeWebSocket(options, url, builtinPath, h2.mode, workload.targets !== null),
  };
}
