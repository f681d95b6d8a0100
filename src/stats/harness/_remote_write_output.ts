/**
 * `--out prometheus=URL`: the run's metrics sent each second with
 * Prometheus remote write 1.0 (protobuf, snappy), on the main thread from the
 * snapshot. The load workers do nothing for it.
 *
 * @module
 */
import { system } from "../../runtime/mod.ts";
import { encodeWriteRequest } from "../remote_write/write_request.ts";
import {
  RemoteWriteQueue,
  type RemoteWriteQueueOptions,
  type RemoteWriteStats,
} from "../remote_write/queue.ts";
import { RunSeriesBuilder, type RunSeriesInput } from "../remote_write/run_series.ts";

export type { RemoteWriteStats } from "../remote_write/queue.ts";
export type { RunSeriesInput } from "../remote_write/run_series.ts";

/** Options of `startRemoteWriteOutput`. */
export interface RemoteWriteOutputOptions extends Omit<RemoteWriteQueueOptions, "url"> {
  /** The remote-write endpoint, e.g. `http://prometheus:9090/api/v1/write`. */
  url: string;
  /** Labels on every series, e.g. `{ run: "r1", segment: "0/3" }` (`job="lunge"` is added unless given). */
  labels: Readonly<Record<string, string>>;
  /** What one batch is built from, read on the main thread each interval. */
  read: () => RunSeriesInput | null;
  /** Interval between batches, ms (default 1000). */
  intervalMs?: number;
  /** How long `stop` may keep sending what is queued, ms (default 2000). */
  finalFlushMs?: number;
}

/** A running remote-write output. */
export interface RemoteWriteOutput {
  /** The counts so far. */
  stats(): RemoteWriteStats;
  /** Sends a last batch, waits for the queue at most `finalFlushMs`, and returns the counts. */
  stop(): Promise<RemoteWriteStats>;
}

/**
 * Starts sending. Throws a `TypeError` when `url` is not an http(s) URL.
 *
 * @example
 * ```ts
 * import { startRemoteWriteOutput } from "./_remote_write_output.ts";
 * declare const snapshot: import("../../collector/types.ts").MetricsSnapshot;
 * const output = startRemoteWriteOutput({
 *   url: "http://127.0.0.1:9090/api/v1/write",
 *   labels: { run: "r1", segment: "0/1" },
 *   read: () => ({ snapshot, latency: null, service: null, targetRate: null }),
 * });
 * const stats = await output.stop();
 * console.log(stats.droppedSamples);
 * ```
 */
export function startRemoteWriteOutput(options: RemoteWriteOutputOptions): RemoteWriteOutput {
  const url = new URL(options.url);
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`remote write needs an http:// or https:// URL, got "${options.url}"`);
  }
  const queue = new RemoteWriteQueue({ ...options, url: url.href });
  const builder = new RunSeriesBuilder({ job: "lunge", ...options.labels });
  let lastTimestamp = 0;
  const send = (): void => {
    let input: RunSeriesInput | null;
    try {
      input = options.read();
    } catch {
      return; // a snapshot failure must not stop the run
    }
    if (input === null) return;
    // Prometheus refuses a second sample at the same millisecond: timestamps strictly increase.
    const timestampMs = Math.max(Date.now(), lastTimestamp + 1);
    lastTimestamp = timestampMs;
    const series = builder.build(input, timestampMs);
    queue.push(encodeWriteRequest(series), series.length);
  };
  const timer = setInterval(send, options.intervalMs ?? 1000);
  system.unrefTimer(timer);
  let stopping: Promise<RemoteWriteStats> | null = null;
  return {
    stats: () => queue.stats(),
    stop(): Promise<RemoteWriteStats> {
      stopping ??= (() => {
        clearInterval(timer);
        send();
        return queue.close(options.finalFlushMs ?? 2000);
      })();
      return stopping;
    },
  };
}
