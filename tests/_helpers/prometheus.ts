/**
 * Test helper: a real Prometheus (`/usr/bin/prometheus`) on loopback with the
 * remote-write receiver on, a temporary storage directory and a
 * configuration without scrape targets; its HTTP query API; and a stop that
 * removes everything.
 *
 * @module
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free_port.ts";
import { type NeededTool, needTool } from "./tools.ts";
import { type CliRun, runCli } from "./cli_spawn.ts";

function findPrometheus(): string | null {
  const probe = spawnSync("prometheus", ["--version"], { encoding: "utf8" });
  return probe.error ? null : "prometheus";
}

/** prometheus, found or not: skip outside CI, fail under CI=true when missing. */
export const prometheusTool: NeededTool = needTool(
  "prometheus",
  findPrometheus(),
  "apt-get install -y prometheus",
);

/** One value of an instant-query result. */
export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

/** A running Prometheus. */
export interface RunningPrometheus {
  /** `http://127.0.0.1:PORT`. */
  base: string;
  /** The remote-write endpoint. */
  writeUrl: string;
  /** An instant query (at `time`, Unix seconds, or now); throws on an API error. */
  query(expr: string, time?: number): Promise<PromSample[]>;
  /** The raw JSON answer of an instant query (status, errorType, data). */
  queryRaw(
    expr: string,
    time?: number,
  ): Promise<{ status: string; error?: string; data?: { result: unknown[] } }>;
  /** Stops the process and removes its storage. */
  stop(): Promise<void>;
}

/**
 * Starts Prometheus with `--web.enable-remote-write-receiver` on a free port
 * and waits until it is ready (at most 30 s).
 *
 * @example
 * ```ts
 * import { startPrometheus } from "./prometheus.ts";
 * const prom = await startPrometheus();
 * console.log(await prom.query("up"));
 * await prom.stop();
 * ```
 */
export async function startPrometheus(): Promise<RunningPrometheus> {
  const bin = prometheusTool.require();
  const dir = mkdtempSync(join(tmpdir(), "lunge-prom-"));
  const config = join(dir, "prometheus.yml");
  writeFileSync(config, "global:\n  scrape_interval: 15s\nscrape_configs: []\n");
  const port = await freePort();
  const child = spawn(bin, [
    `--config.file=${config}`,
    `--storage.tsdb.path=${join(dir, "data")}`,
    `--web.listen-address=127.0.0.1:${port}`,
    "--web.enable-remote-write-receiver",
    "--log.level=warn",
  ], { stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (d: string) => (stderr += d));
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const base = `http://127.0.0.1:${port}`;
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const response = await fetch(`${base}/-/ready`);
      await response.arrayBuffer();
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus did not start: ${stderr.slice(-500)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const queryRaw = async (expr: string, time?: number) => {
    const at = time === undefined ? "" : `&time=${time}`;
    const response = await fetch(`${base}/api/v1/query?query=${encodeURIComponent(expr)}${at}`);
    return await response.json();
  };
  return {
    base,
    writeUrl: `${base}/api/v1/write`,
    queryRaw,
    async query(expr: string, time?: number): Promise<PromSample[]> {
      const answer = await queryRaw(expr, time);
      if (answer.status !== "success") throw new Error(`query ${expr} failed: ${answer.error}`);
      return (answer.data.result as Array<{ metric: Record<string, string>; value: [number, string] }>)
        .map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
    stop,
  };
}

/** Options of `runWithRemoteWrite`. */
export interface RemoteWriteRunOptions {
  /** The URL to load (default `builtin`). */
  target?: string;
  /** Open-model rate (default 300). */
  rate?: number;
  /** Duration in s (default 3). */
  seconds?: number;
  /** `--json` file. */
  json: string;
  /** More flags. */
  extra?: string[];
  /** `LUNGE_RUN_ID`, when given. */
  runId?: string;
  /** Kill after (default 60 s). */
  timeoutMs?: number;
}

/**
 * `lunge run TARGET --rate R -d Ss -w 1 --json FILE --out prometheus=URL …` in a child process.
 *
 * @example
 * ```ts
 * import { runWithRemoteWrite } from "./prometheus.ts";
 * const run = await runWithRemoteWrite("http://127.0.0.1:9090/api/v1/write", { json: "/tmp/r.json", runId: "r1" });
 * console.log(run.code);
 * ```
 */
export function runWithRemoteWrite(writeUrl: string, options: RemoteWriteRunOptions): Promise<CliRun> {
  const args = [
    ...[
      "run",
      options.target ?? "builtin",
      "--rate",
      String(options.rate ?? 300),
      "-d",
      `${options.seconds ?? 3}s`,
    ],
    ...["-w", "1", "--json", options.json, "--out", `prometheus=${writeUrl}`, ...(options.extra ?? [])],
  ];
  return runCli(args, {
    env: options.runId === undefined ? {} : { LUNGE_RUN_ID: options.runId },
    timeoutMs: options.timeoutMs ?? 60_000,
  });
}
