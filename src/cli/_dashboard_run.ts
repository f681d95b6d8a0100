/**
 * `lunge run --dashboard PORT` around one run: starts the feed and the
 * server before the run, hands the run's hooks over, shows the result when
 * the run ends, then keeps the page up until Ctrl-C (or not, with
 * `--dashboard-exit`).
 *
 * @module
 */
import type { MetricsCollector } from "../collector/types.ts";
import type { LiveTables, RunProgress, Threshold } from "../engine/options.ts";
import type { RunResult } from "../result/run_result.ts";
import { isLoopbackHost } from "../target/control_access.ts";
import { DashboardFeed } from "./_dashboard_feed.ts";
import { type DashboardServer, startDashboardServer } from "./_dashboard_server.ts";
import { CliUsageError } from "./_errors.ts";
import type { DashboardOutput } from "./_live_args.ts";

/** A dashboard around a run. */
export interface RunDashboard {
  /** Hand to `RunOptions.onCollector`. */
  onCollector(collector: MetricsCollector): void;
  /** Hand to `RunOptions.onLiveTables`. */
  onLiveTables(tables: LiveTables): void;
  /** Hand each progress tick here. */
  onProgress(progress: RunProgress): void;
  /** The run ended with `result`: the page shows it from now on. */
  finish(result: RunResult): void;
  /** Waits for Ctrl-C (unless `--dashboard-exit`, no result, or an interrupted run), then stops the server. */
  holdThenClose(onInterrupt: (handler: () => void) => () => void): Promise<void>;
}

/** What `startRunDashboard` needs besides the flags. */
export interface RunDashboardContext {
  /** The run in a few words (page title). */
  title: string;
  /** What the run counts: HTTP requests, gRPC calls or WebSocket messages (the page's labels). */
  unit?: "requests" | "calls" | "messages";
  /** The run's thresholds (judged live on the figures so far). */
  thresholds: readonly Threshold[];
  /** `$LUNGE_DASHBOARD_TOKEN`, when set. */
  envToken: string | undefined;
  /** Writes one line to the user (stderr). */
  log: (line: string) => void;
}

/**
 * Starts the dashboard; a non-loopback host without a token is a `CliUsageError`.
 *
 * @example
 * ```ts
 * import { startRunDashboard } from "./_dashboard_run.ts";
 * const dashboard = await startRunDashboard(
 *   { port: 0, hostname: "127.0.0.1", token: null, exitAtEnd: true },
 *   { title: "GET builtin", thresholds: [], envToken: undefined, log: console.error },
 * );
 * await dashboard.holdThenClose(() => () => {});
 * ```
 */
export async function startRunDashboard(
  spec: DashboardOutput,
  context: RunDashboardContext,
): Promise<RunDashboard> {
  const token = spec.token ?? context.envToken ?? "";
  if (token === "" && !isLoopbackHost(spec.hostname)) {
    throw new CliUsageError(
      `--dashboard-host ${spec.hostname} is not loopback: set --dashboard-token (or LUNGE_DASHBOARD_TOKEN)`,
      "run",
    );
  }
  const { script, css } = await import("../_bundled/dashboard_page_source.ts");
  const feed = new DashboardFeed(context.thresholds, context.unit);
  let server: DashboardServer;
  try {
    server = await startDashboardServer({
      port: spec.port,
      hostname: spec.hostname,
      token,
      title: context.title,
      feed,
      assets: { script, css },
    });
  } catch (error) {
    throw new Error(
      `cannot serve the dashboard on ${spec.hostname}:${spec.port}: ${
        error instanceof Error ? error.message : error
      }`,
    );
  }
  context.log(`live dashboard at ${server.url}`);
  feed.start();
  let ended = false;
  return {
    onCollector: feed.onCollector,
    onLiveTables: feed.onLiveTables,
    onProgress: feed.onProgress,
    finish(result: RunResult): void {
      feed.stop();
      server.finish(result);
      // A run stopped with Ctrl-C (or by a crash) ends the dashboard with it: the user asked to stop.
      ended = !result.interrupted;
    },
    async holdThenClose(onInterrupt): Promise<void> {
      feed.stop();
      if (ended && !spec.exitAtEnd) {
        context.log(`the dashboard shows the result at ${server.url} (Ctrl-C to stop)`);
        await new Promise<void>((resolve) => {
          const remove = onInterrupt(() => {
            remove();
            resolve();
          });
        });
      }
      await server.close();
    },
  };
}
