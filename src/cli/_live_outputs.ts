/**
 * The live outputs of `lunge run`: `--out statsd=HOST:PORT` (the run's
 * metrics streamed each second, like k6's StatsD output),
 * `--out prometheus=URL` (Prometheus remote write each second) and
 * `--metrics-port N` (Prometheus `/metrics` and JSON `/health` of the
 * running harness). Both start before the run and read the collector
 * handed over through `RunOptions.onCollector`.
 *
 * @example
 * ```ts
 * import { startLiveOutputs } from "./_live_outputs.ts";
 * const live = await startLiveOutputs({ statsd: ["127.0.0.1:8125"], metricsPort: 0, log: console.error });
 * // run({ ..., onCollector: live.onCollector });
 * await live.stop();
 * ```
 *
 * @module
 */
import type { MetricsCollector, MetricsSnapshot } from "../collector/types.ts";
import { Accumulator } from "../collector/accumulator.ts";
import { buildSnapshot, EMPTY_LATENCY } from "../collector/snapshot.ts";
import type { LiveTables, RunProgress } from "../engine/options.ts";
import { statsdSummaryLine } from "./_statsd_summary.ts";

/** Options of `startLiveOutputs`. */
export interface LiveOutputsOptions {
  /** StatsD destinations, `HOST:PORT` each. */
  statsd: readonly string[];
  /** Prometheus remote-write URLs (`--out prometheus=URL`); default none. */
  prometheus?: readonly string[];
  /** Labels of every remote-written series (`run`, `segment`). */
  labels?: Readonly<Record<string, string>>;
  /** Port of the `/metrics` server on 127.0.0.1 (0: any free port), or null for none. */
  metricsPort: number | null;
  /** Writes one informational line (without newline) to the user, e.g. the /metrics URL. */
  log: (line: string) => void;
}

/** Running live outputs. */
export interface LiveOutputs {
  /** Hand this to `RunOptions.onCollector`. */
  onCollector: (collector: MetricsCollector) => void;
  /** Hand each progress tick here too (the planned rate for remote write). */
  onProgress?: (progress: RunProgress) => void;
  /** Hand to `RunOptions.onLiveTables` (per-name totals for remote write). */
  onLiveTables?: (tables: LiveTables) => void;
  /** The port `/metrics` is served on, or null. */
  readonly metricsPort: number | null;
  /** Sends a last StatsD interval, closes sockets and the server. */
  stop(): Promise<void>;
}

/** The snapshot served before the run's collector exists: all zeros. */
function emptySnapshot(): MetricsSnapshot {
  return buildSnapshot(new Accumulator(), {
    collector: "atomic",
    elapsedMs: 0,
    generationRate: 0,
    latency: EMPTY_LATENCY,
    serviceTime: null,
  });
}

/**
 * Starts the live outputs asked for. Throws when a StatsD address is invalid
 * or the metrics port cannot be bound, before the run starts.
 *
 * @example
 * ```ts
 * import { startLiveOutputs } from "./_live_outputs.ts";
 * const live = await startLiveOutputs({ statsd: [], metricsPort: 0, log: console.error });
 * console.log(live.metricsPort);
 * await live.stop();
 * ```
 */
export async function startLiveOutputs(options: LiveOutputsOptions): Promise<LiveOutputs> {
  let collector: MetricsCollector | null = null;
  const getSnapshot = (): MetricsSnapshot => collector === null ? emptySnapshot() : collector.getSnapshot();
  const stoppers: Array<() => Promise<void>> = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stoppers.splice(0).reverse()) {
      try {
        await stop();
      } catch {
        // one output failing to close must not hide the run's result
      }
    }
  };

  let metricsPort: number | null = null;
  let progress: RunProgress | null = null;
  let tables: LiveTables | null = null;
  try {
    const remote = (options.prometheus ?? []).length > 0 ? await import("./_remote_write_outputs.ts") : null;
    for (
      const output of remote?.startRemoteWrites(options.prometheus ?? [], options.labels ?? {}, {
        collector: () => collector,
        progress: () => progress,
        tables: () => tables,
      }) ?? []
    ) {
      stoppers.push(() =>
        output.stop().then((stats) => options.log(remote!.remoteWriteSummaryLine(output.url, stats)))
      );
      options.log(
        `remote write to ${output.url} (${
          Object.entries(options.labels ?? {}).map(([k, v]) => `${k}="${v}"`).join(", ")
        })`,
      );
    }
    // Loaded only when asked for: the stats library and Hono stay out of plain runs.
    const harness = await import("../stats/harness/mod.ts");
    const clients = [];
    for (const address of options.statsd) {
      const output = await harness.startStatsdRunOutput({ address, getSnapshot });
      stoppers.push(() =>
        output.stop().then(() => options.log(statsdSummaryLine(address, output.client.metrics())))
      );
      clients.push(output.client);
      options.log(`streaming metrics to statsd ${address}`);
    }
    if (options.metricsPort !== null) {
      const { serveApp } = await import("../runtime/serve.ts");
      const app = harness.createHarnessMetricsApp({ getSnapshot, stats: clients[0] });
      const server = await serveApp(app.fetch, { port: options.metricsPort, hostname: "127.0.0.1" });
      stoppers.push(() => server.close());
      metricsPort = server.port;
      options.log(`serving http://127.0.0.1:${server.port}/metrics and /health`);
    }
  } catch (error) {
    await stopAll();
    throw error;
  }

  return {
    onCollector: (c: MetricsCollector): void => {
      collector = c;
    },
    onProgress: (p: RunProgress): void => {
      progress = p;
    },
    onLiveTables: (t: LiveTables): void => {
      tables = t;
    },
    metricsPort,
    stop: stopAll,
  };
}
