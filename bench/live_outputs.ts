/**
 * What the live dashboard and Prometheus remote write cost together: the
 * same open-model run against nginx (1 worker, pinned to CPU 0) at 10,000
 * req/s with one load worker (lunge pinned to CPU 1), with and without
 * `--dashboard PORT` (one page's event stream read by this process) and
 * `--out prometheus=URL` (a sink in this process that answers 204), in
 * alternating rounds; lunge's whole-process CPU over a window after start-up
 * (`child_cpu_window.ts`), and the difference in % of one core.
 * Target: at most 1% of a core. Beside it, the same work timed directly on
 * this thread (one dashboard frame and one remote-write batch, encoded and
 * compressed, from a collector holding a spread of 10,000 latencies): a
 * figure the machine's noise moves far less than the A/B's.
 *
 * `deno task bench:live [--rounds N] [--rate R] [--seconds S]`
 * (or `bun bench/live_outputs.ts`).
 *
 * @module
 */
import { createServer } from "node:http";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { childCpuInWindow } from "./_lib/child_cpu_window.ts";
import { freePort, hasNginx, hasTaskset, startNginx } from "./_lib/nginx.ts";
import { lungeCommand, median } from "./_lib/peers.ts";
import { system } from "../src/runtime/mod.ts";
import { createCollector } from "../src/collector/create.ts";
import { DashboardFeed } from "../src/cli/_dashboard_feed.ts";
import { RunSeriesBuilder } from "../src/stats/remote_write/run_series.ts";
import { encodeWriteRequest } from "../src/stats/remote_write/write_request.ts";
import { compress } from "snappyjs";

const SETTLE_MS = 4000;

function flag(name: string, fallback: number): number {
  const args = system.args();
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
}

/** A remote-write sink: reads each request and answers 204; counts what it got. */
async function startSink(): Promise<{ url: string; requests: () => number; close: () => void }> {
  let requests = 0;
  const server = createServer((req, res) => {
    req.on("data", () => {});
    req.on("end", () => {
      requests++;
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://127.0.0.1:${port}/api/v1/write`,
    requests: () => requests,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

/** Reads the dashboard's event stream like an open page does, from `atMs` on; returns the bytes read. */
function readEvents(port: number, atMs: number): { bytes: () => number; stop: () => void } {
  let bytes = 0;
  const abort = new AbortController();
  const timer = setTimeout(async () => {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/events`, { signal: abort.signal });
      const reader = response.body!.getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        bytes += value.length;
      }
    } catch {
      // stopped, or the run ended
    }
  }, atMs);
  return {
    bytes: () => bytes,
    stop: () => {
      clearTimeout(timer);
      abort.abort();
    },
  };
}

interface Reading {
  cpuPct: number;
  requests: number;
  error: string;
}

async function oneRun(
  url: string,
  rate: number,
  seconds: number,
  live: { sink: string } | null,
): Promise<Reading & { sseBytes: number }> {
  const dir = mkdtempSync(join(tmpdir(), "lunge-bench-live-"));
  const file = join(dir, "r.json");
  const total = Math.ceil(SETTLE_MS / 1000 + seconds + 1);
  const args = ["run", `${url}/`, "--rate", String(rate), "-d", `${total}s`, "-w", "1", "-q", "--json", file];
  let events: ReturnType<typeof readEvents> | null = null;
  if (live !== null) {
    const port = await freePort();
    args.push("--dashboard", String(port), "--dashboard-exit", "--out", `prometheus=${live.sink}`);
    events = readEvents(port, SETTLE_MS / 2);
  }
  const cmd = lungeCommand(args);
  try {
    const w = await childCpuInWindow({
      argv: [cmd.command, ...cmd.args],
      settleMs: SETTLE_MS,
      seconds,
      cpu: 1,
    });
    let requests = NaN;
    try {
      requests = JSON.parse(readFileSync(file, "utf8")).snapshot.totalRequests;
    } catch {
      // the error says why
    }
    const error = w.code !== 0 ? `exit ${w.code}: ${w.stderrTail}` : "";
    return { cpuPct: error ? NaN : w.cpuPct, requests, error, sseBytes: events?.bytes() ?? 0 };
  } finally {
    events?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Milliseconds of this thread's time one second of both outputs takes (median of `n` seconds' work). */
function directCostMs(n: number): { feedMs: number; remoteMs: number } {
  const collector = createCollector({ lanes: 2 });
  for (let i = 0; i < 10_000; i++) {
    collector.recordNs(i % 50 === 0 ? 503 : 200, 200_000 + (i % 997) * 3_000, 2, 0, 150_000);
  }
  collector.flush();
  const feed = new DashboardFeed([]);
  feed.onCollector(collector);
  feed.listen(() => {});
  const builder = new RunSeriesBuilder({ job: "lunge", run: "bench", segment: "0/1" });
  const feedTimes: number[] = [];
  const remoteTimes: number[] = [];
  for (let i = 0; i < n; i++) {
    collector.recordNs(200, 300_000 + i, 2, 0, 150_000);
    let t = performance.now();
    feed.tick();
    feedTimes.push(performance.now() - t);
    t = performance.now();
    const series = builder.build({
      snapshot: collector.getSnapshot(),
      latency: collector.getHistogram(),
      service: (collector as unknown as { getServiceHistogram(): Float64Array }).getServiceHistogram(),
      targetRate: 10_000,
    }, Date.now() + i);
    compress(encodeWriteRequest(series));
    remoteTimes.push(performance.now() - t);
  }
  collector.close();
  return { feedMs: median(feedTimes), remoteMs: median(remoteTimes) };
}

async function main(): Promise<number> {
  if (!hasNginx()) {
    console.error("bench live: nginx is missing (apt-get install -y nginx)");
    return 1;
  }
  const rounds = flag("rounds", 3);
  const rate = flag("rate", 10_000);
  const seconds = flag("seconds", 8);
  const nginx = await startNginx({ cpu: 0 });
  const sink = await startSink();
  const plain: number[] = [];
  const live: number[] = [];
  try {
    console.log(
      `live outputs at ${rate} req/s, -w 1, ${seconds} s windows, ${rounds} rounds` +
        ` (nginx on CPU 0, lunge on CPU 1${
          hasTaskset() ? "" : ": taskset missing, not pinned"
        }; ${system.name} ${system.version})`,
    );
    for (let r = 0; r < rounds; r++) {
      // Alternate the order so that a drift of the machine does not favour one side.
      for (const withLive of r % 2 === 0 ? [false, true] : [true, false]) {
        const reading = await oneRun(nginx.url, rate, seconds, withLive ? { sink: sink.url } : null);
        if (reading.error) {
          console.error(`  round ${r + 1} ${withLive ? "live" : "plain"}: ${reading.error}`);
          continue;
        }
        // A round on a busy core may fall behind the plan: its CPU is scaled to the planned count.
        const planned = rate * Math.ceil(SETTLE_MS / 1000 + seconds + 1);
        (withLive ? live : plain).push(reading.cpuPct * planned / reading.requests);
        console.log(
          `  round ${r + 1} ${withLive ? "dashboard + remote write" : "plain                   "}: ` +
            `${reading.cpuPct.toFixed(2)}% of a core, ${reading.requests} requests (scaled to the plan: ` +
            `${
              (reading.cpuPct * rate * Math.ceil(SETTLE_MS / 1000 + seconds + 1) / reading.requests).toFixed(
                2,
              )
            }%)` +
            (withLive ? `, ${reading.sseBytes} SSE bytes read` : ""),
        );
      }
    }
  } finally {
    sink.close();
    await nginx.stop();
  }
  const direct = directCostMs(200);
  console.log(
    `direct, per second of run: dashboard frame ${direct.feedMs.toFixed(3)} ms, remote-write batch ` +
      `${direct.remoteMs.toFixed(3)} ms = ${((direct.feedMs + direct.remoteMs) / 10).toFixed(3)}% of a core`,
  );
  if (plain.length === 0 || live.length === 0) return 1;
  const cost = median(live) - median(plain);
  console.log(
    `median (scaled) plain ${median(plain).toFixed(2)}%, with both ${median(live).toFixed(2)}%: ` +
      `cost ${cost.toFixed(2)}% of a core (target <= 1%; ${sink.requests()} remote-write requests received)`,
  );
  console.log(
    "note: on a shared 2-core machine the rounds move by more than 1% of a core; read the spread above.",
  );
  return 0;
}

system.exit(await main());
