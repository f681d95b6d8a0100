/**
 * Internal: a declarative description of the `RunResult` JSON shape, used both
 * to validate a file read back (`parseResultJson`) and to write keys in the
 * documented order (`toJson`). The object builders are typed against the
 * TypeScript interfaces, so a field added to the type and not here fails
 * type checking.
 *
 * @module
 */
import { STREAMS_SHAPE } from "./_stream_shape.ts";
import type {
  ClientStatsSummary,
  EncodedHistogram,
  ErrorMessageCount,
  RunResult,
  ThresholdOutcome,
} from "./run_result.ts";
import { NAMES_SHAPE, SCENARIO_SHAPE } from "./_named_shape.ts";
import { WEBSOCKET_SHAPE } from "./websocket_summary.ts";
import { GRPC_SHAPE } from "./_grpc_shape.ts";
import { bool, int, num, object, type Shape, str } from "./_shape.ts";
import {
  COLLECTOR_KINDS,
  type LatencyStats,
  type MetricsSnapshot,
  type TimeSeriesPoint,
} from "../collector/types.ts";
import { LOAD_MODELS } from "../options/values.ts";

const nullable = (inner: Shape): Shape => ({ kind: "nullable", inner });
/** A field that results written before it existed do not have; read as `fallback` when given. */
const optional = (inner: Shape, fallback?: unknown): Shape => ({ kind: "optional", inner, fallback });
const oneOf = (...values: (string | number)[]): Shape => ({ kind: "literal", values });
const arrayOf = (item: Shape): Shape => ({ kind: "array", item });
const recordOf = (value: Shape): Shape => ({ kind: "record", value });

const latencyStats = object<LatencyStats>({
  count: int,
  min: num,
  mean: num,
  stddev: num,
  max: num,
  p50: num,
  p75: num,
  p90: num,
  p95: num,
  p99: num,
  p999: num,
});

const snapshot = object<MetricsSnapshot>({
  collector: oneOf(...COLLECTOR_KINDS),
  totalRequests: int,
  successfulRequests: int,
  failedRequests: int,
  invalidRecords: int,
  missedSends: int,
  sent: optional(int),
  bytes: num,
  requestsPerSecond: num,
  generationRate: num,
  latency: latencyStats,
  serviceTime: nullable(latencyStats),
  noResponseLatency: optional(nullable(latencyStats), null),
  statusCounts: recordOf(int),
  errorsByStatus: recordOf(int),
  errorsByKind: object<MetricsSnapshot["errorsByKind"]>({
    timeout: int,
    refused: int,
    reset: int,
    other: int,
    dns: int,
    tls: int,
    protocol: int,
    fd_limit: int,
  }),
  elapsedMs: num,
});

const timeSeriesPoint = object<TimeSeriesPoint>({
  second: int,
  requests: int,
  errors: int,
  rps: num,
  p50: num,
  p95: num,
  p99: num,
});

const histogram = object<EncodedHistogram>({
  encoding: str,
  subBucketBits: int,
  buckets: arrayOf({ kind: "pair", item: int }),
});

const clients = object<ClientStatsSummary>({
  clients: int,
  requests: int,
  errors: int,
  reconnections: int,
  timeouts: int,
  errorsByStatus: recordOf(int),
});

const threshold = object<ThresholdOutcome>({ expression: str, metric: str, actual: num, passed: bool });

/** The shape of a `RunResult`, keys in their documented order. */
export const RUN_RESULT_SHAPE: Shape = object<RunResult>({
  schemaVersion: int,
  tool: object<RunResult["tool"]>({ name: oneOf("lunge"), version: str }),
  runtime: object<RunResult["runtime"]>({ name: str, version: str, cpus: int, cpuModel: str }),
  startedAt: str,
  endedAt: str,
  durationMs: num,
  target: object<RunResult["target"]>({ url: str, method: str, builtin: bool }),
  options: object<RunResult["options"]>({
    model: oneOf(...LOAD_MODELS),
    rate: nullable(num),
    concurrency: int,
    workers: int,
    durationMs: nullable(num),
    requests: nullable(int),
    warmupMs: num,
    rampUpMs: num,
    rampDownMs: num,
    timeoutMs: num,
    collector: oneOf(...COLLECTOR_KINDS),
  }),
  interrupted: bool,
  snapshot,
  timeSeries: arrayOf(timeSeriesPoint),
  histogram,
  achievedRate: num,
  targetRefusedConnections: bool,
  clients,
  thresholds: arrayOf(threshold),
  serviceHistogram: optional(nullable(histogram)),
  plan: optional(object<NonNullable<RunResult["plan"]>>({ fingerprint: str })),
  segment: optional(
    nullable(object<NonNullable<RunResult["segment"]>>({ index: int, count: int, startAt: nullable(str) })),
  ),
  merged: optional(nullable(object<NonNullable<RunResult["merged"]>>({
    inputs: int,
    count: int,
    segments: arrayOf(int),
    partial: bool,
  }))),
  pool: optional(
    nullable(
      object<NonNullable<RunResult["pool"]>>({ initial: int, limit: int, peak: int, delayedSends: int }),
    ),
    null,
  ),
  warnings: optional(arrayOf(str), []),
  errorMessages: optional(arrayOf(object<ErrorMessageCount>({ kind: str, message: str, count: int }))),
  names: NAMES_SHAPE,
  scenario: SCENARIO_SHAPE,
  streams: STREAMS_SHAPE,
  websocket: optional(WEBSOCKET_SHAPE),
  grpc: GRPC_SHAPE,
});

/**
 * Checks `value` against `shape` and returns a copy with object keys in the
 * shape's order (unknown keys dropped). Throws a `TypeError` naming the first
 * offending path, e.g. `"snapshot.latency.p99" must be a number`.
 *
 * @example
 * ```ts
 * import { conform, RUN_RESULT_SHAPE } from "./_result_shape.ts";
 * import type { RunResult } from "./run_result.ts";
 * declare const data: unknown;
 * const result = conform(data, RUN_RESULT_SHAPE, "") as RunResult;
 * ```
 */
export function conform(value: unknown, shape: Shape, path: string): unknown {
  const where = path === "" ? "the result" : `"${path}"`;
  const fail = (expected: string): never => {
    throw new TypeError(`${where} must be ${expected}, got ${describe(value)}`);
  };
  switch (shape.kind) {
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) fail("a finite number");
      return value;
    case "integer":
      if (typeof value !== "number" || !Number.isSafeInteger(value)) fail("an integer");
      return value;
    case "string":
      if (typeof value !== "string") fail("a string");
      return value;
    case "boolean":
      if (typeof value !== "boolean") fail("true or false");
      return value;
    case "literal":
      if (!shape.values.includes(value as string | number)) {
        fail(`one of ${shape.values.map((v) => JSON.stringify(v)).join(", ")}`);
      }
      return value;
    case "nullable":
      return value === null ? null : conform(value, shape.inner, path);
    case "optional":
      return value === undefined ? undefined : conform(value, shape.inner, path);
    case "array":
      if (!Array.isArray(value)) fail("an array");
      return (value as unknown[]).map((item, i) => conform(item, shape.item, `${path}[${i}]`));
    case "pair":
      if (!Array.isArray(value) || value.length !== 2) fail("a [number, number] pair");
      return (value as unknown[]).map((item, i) => conform(item, shape.item, `${path}[${i}]`));
    case "record": {
      if (!isPlainObject(value)) fail("an object");
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        out[key] = conform(item, shape.value, join(path, key));
      }
      return out;
    }
    case "object": {
      if (!isPlainObject(value)) fail("an object");
      const input = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [key, fieldShape] of Object.entries(shape.fields)) {
        const fieldPath = join(path, key);
        if (fieldShape.kind === "optional" && input[key] === undefined) {
          if (fieldShape.fallback !== undefined) out[key] = structuredClone(fieldShape.fallback);
          continue;
        }
        if (!(key in input)) throw new TypeError(`"${fieldPath}" is missing`);
        out[key] = conform(input[key], fieldShape, fieldPath);
      }
      return out;
    }
  }
}

/**
 * Returns a copy of `value` with object keys in the shape's order, for
 * writing. Lenient: it never throws; non-finite numbers (a statistic of no
 * data) become 0 so that the file stays valid JSON that reads back.
 *
 * @example
 * ```ts
 * import { order, RUN_RESULT_SHAPE } from "./_result_shape.ts";
 * import type { RunResult } from "./run_result.ts";
 * declare const result: RunResult;
 * console.log(JSON.stringify(order(result, RUN_RESULT_SHAPE)));
 * ```
 */
export function order(value: unknown, shape: Shape): unknown {
  if (typeof value === "number") return Number.isFinite(value) ? value : 0;
  switch (shape.kind) {
    case "nullable":
      return value === null || value === undefined ? null : order(value, shape.inner);
    case "optional":
      return value === undefined ? structuredClone(shape.fallback) : order(value, shape.inner);
    case "array":
    case "pair":
      return Array.isArray(value) ? value.map((item) => order(item, shape.item)) : value;
    case "record": {
      if (!isPlainObject(value)) return value;
      const out: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value as Record<string, unknown>)) {
        out[key] = order(item, shape.value);
      }
      return out;
    }
    case "object": {
      if (!isPlainObject(value)) return value;
      const input = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [key, fieldShape] of Object.entries(shape.fields)) {
        if (fieldShape.kind === "optional" && input[key] === undefined) continue;
        out[key] = order(input[key], fieldShape);
      }
      // Keys the shape does not know yet are kept, after the known ones.
      for (const key of Object.keys(input)) if (!(key in out)) out[key] = input[key];
      return out;
    }
    default:
      return value;
  }
}

function join(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}

function isPlainObject(value: unknown): boolean {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "string") return `"${value.length > 20 ? value.slice(0, 20) + "…" : value}"`;
  if (typeof value === "object") return "an object";
  return String(value);
}
