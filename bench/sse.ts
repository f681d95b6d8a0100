/**
 * SSE bench: events read per client CPU-second beside plain requests per
 * client CPU-second, in one run, and the bytes allocated per event on the
 * stream path.
 *
 * nginx (one worker, pinned to core 0) serves `GET /` ("ok\n") and `GET /sse`:
 * a `text/event-stream` body of `--events` OpenAI-style chunks (no timers, so
 * the client's parsing is what is measured). lunge runs as a child pinned to
 * core 1 (`-w 1`, closed model), measured over a window after a warm-up; its
 * CPU comes from /proc. The probes feed events through the stream timer (the
 * HTTP parser's body tap, the SSE parser, the LLM chunk scan, the gap record
 * into a stream lane) and read the heap growth per event.
 *
 *   deno task bench:sse [--seconds 5] [--events 100] [--connections 50]
 *   bun bench/sse.ts
 *
 * @module
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { startNginx } from "./_lib/nginx.ts";
import { lungeCommand } from "./_lib/peers.ts";
import { childCpuInWindow } from "./_lib/child_cpu_window.ts";
import { CHUNK, probeEventPath, probeResponsePath } from "./_lib/stream_probe.ts";
import { system } from "../src/runtime/mod.ts";

interface Figure {
  label: string;
  perCpuSecond: number;
  cpuPct: number;
  perSecond: number;
  error: string;
}

async function measure(
  url: string,
  what: "requests" | "events",
  seconds: number,
  connections: number,
): Promise<Figure> {
  const dir = mkdtempSync(join(tmpdir(), "lunge-sse-bench-"));
  const file = join(dir, "result.json");
  const settleMs = 3000;
  const cmd = lungeCommand([
    "run",
    url,
    "-c",
    String(connections),
    "-w",
    "1",
    "--warmup",
    `${settleMs / 1000}s`,
    "-d",
    `${seconds}s`,
    "-q",
    "--json",
    file,
  ]);
  try {
    const w = await childCpuInWindow({ argv: [cmd.command, ...cmd.args], settleMs, seconds, cpu: 1 });
    const result = JSON.parse(readFileSync(file, "utf8"));
    const count = what === "requests" ? result.snapshot.totalRequests : result.streams?.events ?? 0;
    const perSecond = count / (result.durationMs / 1000);
    const error = w.code !== 0 ? `exit ${w.code}: ${w.stderrTail}` : "";
    return { label: what, perCpuSecond: perSecond / (w.cpuPct / 100), cpuPct: w.cpuPct, perSecond, error };
  } catch (e) {
    return { label: what, perCpuSecond: NaN, cpuPct: NaN, perSecond: NaN, error: String(e) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const fmt = (n: number): string => Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "n/a";

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: "string", default: "5" },
      events: { type: "string", default: "100" },
      connections: { type: "string", default: "50" },
    },
  });
  const seconds = Number(values.seconds);
  const events = Number(values.events);
  const connections = Number(values.connections);
  console.log(
    `# SSE bench: ${system.name} ${system.version}, ${system.cpuCount()} CPUs (${system.cpuModel()})`,
  );
  const probe = probeEventPath();
  console.log(
    `stream path, bytes per event: allocated ${
      Number.isNaN(probe.allocated) ? "n/a (heap moves only at GC here)" : probe.allocated.toFixed(2)
    }, retained ${Number.isNaN(probe.retained) ? "n/a" : probe.retained.toFixed(2)}`,
  );
  const response = probeResponsePath();
  console.log(
    `time to first byte, bytes per plain response: allocated ${
      Number.isNaN(response.allocated) ? "n/a" : response.allocated.toFixed(2)
    }, retained ${Number.isNaN(response.retained) ? "n/a" : response.retained.toFixed(2)}`,
  );
  const bodyDir = mkdtempSync(join(tmpdir(), "lunge-sse-body-"));
  const bodyFile = join(bodyDir, "events");
  writeFileSync(bodyFile, CHUNK.repeat(events));
  const nginx = await startNginx({
    cpu: 0,
    serverConfig: `location = /sse { types { } default_type text/event-stream; alias ${bodyFile}; }`,
  });
  try {
    console.log(`nginx pinned to core 0, lunge to core 1; -c ${connections} -w 1, ${seconds} s window`);
    const plain = await measure(`${nginx.url}/`, "requests", seconds, connections);
    const sse = await measure(`${nginx.url}/sse`, "events", seconds, connections);
    for (const f of [plain, sse]) {
      console.log(
        `${
          f.label === "requests" ? "plain requests" : `SSE events (${events}/stream)`
        } per client CPU-second: ${fmt(f.perCpuSecond)}  (${fmt(f.perSecond)}/s at ${
          f.cpuPct.toFixed(0)
        }% of a core)${f.error ? `  ERROR ${f.error}` : ""}`,
      );
    }
    console.log(
      `events per CPU-s / requests per CPU-s: ${(sse.perCpuSecond / plain.perCpuSecond).toFixed(2)}`,
    );
  } finally {
    await nginx.stop();
    rmSync(bodyDir, { recursive: true, force: true });
  }
}

await main();
