/**
 * Harness-facing stats pieces: the live StatsD run output and the
 * `/metrics` + `/health` app of a running harness.
 *
 * @example
 * ```ts
 * import { createHarnessMetricsApp, startStatsdRunOutput } from "./mod.ts";
 * ```
 *
 * @module
 */
export * from "./_statsd_output.ts";
export * from "./_metrics_app.ts";
export * from "./_remote_write_output.ts";
export type { RemoteWriteQueueOptions } from "../remote_write/queue.ts";
