/**
 * Validation and defaults of `RunOptions`: every bad option is a TypeError or
 * RangeError with a message like `Cannot start run: "rate" must be > 0`,
 * before anything starts.
 *
 * @module
 */
import { collectorKindFromEnv } from "../collector/create.ts";
import type { CollectorKind } from "../collector/create.ts";
import { system } from "../runtime/mod.ts";
import type { RunOptions, Threshold } from "./options.ts";
import type { LoadModel } from "./result.ts";
import { normalizeWorkload, type WorkloadOptions } from "./workload_options.ts";

/** Options with every default applied. */
export interface NormalizedRunOptions {
  url: string;
  /** The path on the built-in target when `url` is "builtin" or "builtin:/path", else null. */
  builtinPath: string | null;
  method: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
  model: LoadModel;
  rate: number | null;
  concurrency: number;
  workers: number;
  durationMs: number | null;
  requests: number | null;
  warmupMs: number;
  rampUpMs: number;
  rampDownMs: number;
  timeoutMs: number;
  collector: CollectorKind;
  transport: "auto" | "raw" | "fetch";
  thresholds: Threshold[];
  sampleCapacity: number;
  /** Request set or scenario settings. */
  workload: WorkloadOptions;
}

const DEFAULT_DURATION_MS = 10_000;
const MAX_CONCURRENCY = 100_000;

function fail(message: string, range = true): never {
  throw range
    ? new RangeError(`Cannot start run: ${message}`)
    : new TypeError(`Cannot start run: ${message}`);
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
 * import { normalizeRunOptions } from "./normalize.ts";
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
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
      fail(`"url" must be http:// or https://, got "${parsed.protocol}"`, false);
    }
  }
  const rate = optionalNumber(
    "rate",
    options.rate,
    (v) => v > 0 && v <= 10_000_000,
    "> 0 (and at most 10,000,000)",
  );
  const model: LoadModel = rate === null ? "closed" : "open";
  const durationMs = optionalNumber("durationMs", options.durationMs, (v) => v > 0, "> 0");
  const requests = optionalNumber(
    "requests",
    options.requests,
    (v) => v >= 1 && Number.isInteger(v),
    "an integer >= 1",
  );
  const warmupMs = optionalNumber("warmupMs", options.warmupMs, (v) => v >= 0, ">= 0") ?? 0;
  const rampUpMs = optionalNumber("rampUpMs", options.rampUpMs, (v) => v >= 0, ">= 0") ?? 0;
  const rampDownMs = optionalNumber("rampDownMs", options.rampDownMs, (v) => v >= 0, ">= 0") ?? 0;
  const timeoutMs = optionalNumber("timeoutMs", options.timeoutMs, (v) => v > 0, "> 0") ?? 10_000;
  const defaultConcurrency = rate === null
    ? 100
    : Math.min(MAX_CONCURRENCY, Math.max(10, Math.ceil(rate / 10)));
  const concurrency = optionalNumber(
    "concurrency",
    options.concurrency,
    (v) => Number.isInteger(v) && v >= 1 && v <= MAX_CONCURRENCY,
    `an integer from 1 to ${MAX_CONCURRENCY}`,
  ) ?? defaultConcurrency;
  const workersWanted = optionalNumber(
    "workers",
    options.workers,
    (v) => Number.isInteger(v) && v >= 1 && v <= 256,
    "an integer from 1 to 256",
  ) ?? system.cpuCount();
  const collector = options.collector ?? collectorKindFromEnv() ?? "atomic";
  if (collector !== "atomic" && collector !== "legacy") {
    fail(`"collector" must be "atomic" or "legacy", got "${String(collector)}"`);
  }
  const transport = options.transport ?? "auto";
  if (!["auto", "raw", "fetch"].includes(transport)) {
    fail(`"transport" must be auto, raw or fetch, got "${transport}"`);
  }
  const sampleCapacity = optionalNumber(
    "sampleCapacity",
    options.sampleCapacity,
    (v) => Number.isInteger(v) && v >= 0 && v <= 2 ** 24,
    "an integer from 0 to 2^24",
  ) ?? 10_000;
  const method = (options.method ?? "GET").toUpperCase();
  return {
    url,
    builtinPath,
    method,
    headers: { ...(options.headers ?? {}) },
    body: options.body,
    model,
    rate,
    concurrency,
    // No more workers than virtual users: each worker needs at least one.
    workers: Math.min(workersWanted, concurrency),
    durationMs: durationMs ?? (requests === null ? DEFAULT_DURATION_MS : null),
    requests,
    warmupMs,
    rampUpMs,
    rampDownMs,
    timeoutMs,
    collector,
    transport,
    thresholds: options.thresholds ?? [],
    sampleCapacity,
    workload,
  };
}
