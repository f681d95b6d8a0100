/**
 * gRPC client bench: lunge (Deno and Bun) beside h2load sending the same
 * prepared gRPC request (`-d body.bin -H 'content-type: application/grpc'
 * -H 'te: trailers'`) and beside a client loop on @grpc/grpc-js, unary calls
 * with a small message, side by side in one run against each server:
 *
 * - `nginx`: nginx (one worker, C) as a gRPC stub: every call to
 *   lunge.echo.Echo/* is answered with one prepared SayReply and the trailer
 *   `grpc-status: 0` (a fast server, so that the clients are the bottleneck);
 * - `grpc-js`: the @grpc/grpc-js test server (one Node thread): usually the
 *   bottleneck itself, so its rows compare per-call client costs at the rate it allowed.
 *
 * The server is pinned to core 0 and every client to core 1 with `taskset`;
 * the figure is calls per client CPU-second (user + sys from `/usr/bin/time`,
 * the whole client process). The server's share of its core during each run
 * says which side was the bottleneck (as `_lib/peers.ts` does).
 *
 *   deno run -A bench/grpc_compare.ts [--seconds 10] [--rounds 3] [-c 4] [-m 10] [--server nginx|grpc-js|both]
 *
 * @module
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { runCommand } from "./_lib/command.ts";
import { processCpuNs } from "./_lib/process_cpu.ts";
import { startNginx } from "./_lib/nginx.ts";
import { encodeJson, loadProtoFiles, resolveMethod } from "../src/grpc/proto.ts";
import { frameMessage } from "../src/grpc/framing.ts";

const args = process.argv.slice(2);
const opt = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const SECONDS = opt("--seconds", 10);
const ROUNDS = opt("--rounds", 3);
const CONNECTIONS = opt("-c", 4);
const STREAMS = opt("-m", 10);
const ROOT = new URL("../", import.meta.url).pathname;
const PROTO = join(ROOT, "examples/grpc/echo.proto");
const SERVER = join(ROOT, "tests/_helpers/grpc_server.mjs");
const CALL = "lunge.echo.Echo/Say";
const DATA = { name: "bench" };
const serverIndex = args.indexOf("--server");
const SERVERS = serverIndex < 0 || args[serverIndex + 1] === "both"
  ? ["nginx", "grpc-js"]
  : [args[serverIndex + 1]];

interface Sample {
  client: string;
  calls: number;
  cpu: number;
  /** The server's share of its core during the run, %. */
  serverPct: number;
}

function cpuOf(stderr: string): number {
  const m = /CPU ([\d.]+) ([\d.]+)\s*$/.exec(stderr.trim());
  return m === null ? NaN : Number(m[1]) + Number(m[2]);
}

const timed = (command: string[]): string[] => ["-c", "1", "/usr/bin/time", "-f", "CPU %U %S", ...command];

async function measured(
  client: string,
  serverPid: number,
  command: string[],
  count: (stdout: string) => number,
): Promise<Sample> {
  const cpu0 = processCpuNs(serverPid);
  const t0 = performance.now();
  const out = await runCommand("taskset", timed(command), (SECONDS + 60) * 1000);
  const wallNs = (performance.now() - t0) * 1e6;
  const serverPct = ((processCpuNs(serverPid) - cpu0) / wallNs) * 100;
  const calls = count(out.stdout);
  if (!(calls > 0)) console.error(`${client} failed: ${out.stderr.trim().split("\n").slice(-3).join(" | ")}`);
  return { client, calls, cpu: cpuOf(out.stderr), serverPct };
}

function h2load(pid: number, port: number, body: string): Promise<Sample> {
  return measured(
    "h2load",
    pid,
    [
      "h2load",
      "-c",
      String(CONNECTIONS),
      "-m",
      String(STREAMS),
      "-D",
      String(SECONDS),
      "-d",
      body,
      "-H",
      "content-type: application/grpc",
      "-H",
      "te: trailers",
      `http://127.0.0.1:${port}/${CALL}`,
    ],
    (stdout) => Number(/requests: \d+ total, \d+ started, \d+ done, (\d+) succeeded/.exec(stdout)?.[1] ?? 0),
  );
}

/** `seconds` 0: one call on one connection, which is lunge's start-up and shut-down cost. */
function lunge(
  runtime: "deno" | "bun",
  pid: number,
  port: number,
  dir: string,
  seconds = SECONDS,
): Promise<Sample> {
  const json = join(dir, `${runtime}.json`);
  const bin = join(ROOT, "node_modules", ".bin", runtime);
  const cli = join(ROOT, "cli.ts");
  const run = runtime === "deno" ? [bin, "run", "-A", cli] : [bin, cli];
  return measured(`lunge ${runtime}`, pid, [
    ...run,
    "run",
    `grpc://127.0.0.1:${port}`,
    "--call",
    CALL,
    "--proto",
    PROTO,
    "--data",
    JSON.stringify(DATA),
    ...(seconds === 0
      ? ["-n", "1", "-c", "1"]
      : ["-c", String(CONNECTIONS), "-s", String(STREAMS), "-d", `${seconds}s`]),
    "-w",
    "1",
    "--json",
    json,
    "-q",
  ], () => {
    try {
      return JSON.parse(readFileSync(json, "utf8")).grpc.total.statuses.OK ?? 0;
    } catch {
      return 0;
    }
  });
}

function grpcJs(pid: number, port: number): Promise<Sample> {
  return measured("grpc-js loop", pid, [
    "node",
    join(ROOT, "bench/_lib/grpcjs_client.mjs"),
    String(port),
    String(CONNECTIONS),
    String(STREAMS),
    String(SECONDS),
    PROTO,
  ], (stdout) => Number(/ok (\d+)/.exec(stdout)?.[1] ?? 0));
}

/** A running server: its port, the pid whose CPU is the server's, and how to stop it. */
interface Server {
  port: number;
  pid: number;
  stop(): Promise<void>;
}

/** The worker process of an nginx master (its CPU is the server's), else the master. */
function nginxWorkerPid(master: number): number {
  try {
    const children = readFileSync(`/proc/${master}/task/${master}/children`, "utf8").trim().split(/\s+/);
    return children[0] ? Number(children[0]) : master;
  } catch {
    return master;
  }
}

async function startServer(kind: string, dir: string): Promise<Server> {
  if (kind === "nginx") {
    const root = join(dir, "www");
    mkdirSync(join(root, "lunge.echo.Echo"), { recursive: true });
    const reply = frameMessage(
      method.responseType.encode(method.responseType.fromObject({ message: "hello bench" })).finish(),
    );
    writeFileSync(join(root, "lunge.echo.Echo", "Say"), reply);
    const nginx = await startNginx({
      cpu: 0,
      http2: true,
      httpConfig: "http2_max_concurrent_streams 1000;",
      serverConfig: `root ${root};
    location /lunge.preflight.v1.Preflight/ {
      default_type application/grpc;
      add_header grpc-status 12 always;
      return 200 "";
    }
    location /lunge.echo.Echo/ {
      default_type application/grpc;
      add_trailer grpc-status 0 always;
      # A POST to a static file is 405: answered with the file instead.
      error_page 405 =200 $uri;
    }`,
    });
    await new Promise((r) => setTimeout(r, 200));
    return { port: nginx.port, pid: nginxWorkerPid(nginx.pid), stop: () => nginx.stop() };
  }
  const child = spawn("taskset", ["-c", "0", "node", SERVER], { stdio: ["pipe", "pipe", "inherit"] });
  const port: number = await new Promise((resolve) =>
    createInterface({ input: child.stdout! }).once("line", (line) => resolve(JSON.parse(line).port))
  );
  // taskset execs node: the same pid.
  return {
    port,
    pid: child.pid!,
    stop: () => {
      child.kill("SIGKILL");
      return Promise.resolve();
    },
  };
}

const dir = mkdtempSync(join(tmpdir(), "lunge-grpc-bench-"));
const method = resolveMethod(loadProtoFiles([PROTO], []), CALL);
const body = join(dir, "body.bin");
writeFileSync(body, frameMessage(encodeJson(method.requestType, DATA)));
try {
  for (const kind of SERVERS) {
    const server = await startServer(kind, dir);
    try {
      await compare(kind, server);
    } finally {
      await server.stop();
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

async function compare(kind: string, server: Server): Promise<void> {
  const { pid, port } = server;
  const startup = {
    deno: await lunge("deno", pid, port, dir, 0),
    bun: await lunge("bun", pid, port, dir, 0),
  };
  const samples: Sample[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    samples.push(await h2load(pid, port, body));
    samples.push(await lunge("deno", pid, port, dir));
    samples.push(await lunge("bun", pid, port, dir));
    samples.push(await grpcJs(pid, port));
  }
  const best = new Map<string, Sample>();
  for (const s of samples) {
    const prev = best.get(s.client);
    if (prev === undefined || s.calls / s.cpu > prev.calls / prev.cpu) best.set(s.client, s);
  }
  const perCpu = (s: Sample): number => s.calls / s.cpu;
  const h2 = best.get("h2load")!;
  const js = best.get("grpc-js loop")!;
  console.log(
    `gRPC unary ${CALL} (${JSON.stringify(DATA)}), h2c, ${CONNECTIONS} connections x ${STREAMS} streams, ` +
      `${SECONDS}s, best of ${ROUNDS}; ${kind} server on core 0, client on core 1`,
  );
  console.log(
    "client          calls   calls/s   CPU-s  calls per CPU-s  / h2load  / grpc-js  server core  bound",
  );
  for (const s of best.values()) {
    const bound = s.serverPct >= 90 ? "server" : s.cpu / SECONDS >= 0.9 ? "client" : "neither (machine busy)";
    console.log(
      `${s.client.padEnd(13)} ${String(s.calls).padStart(8)} ${(s.calls / SECONDS).toFixed(0).padStart(8)} ${
        s.cpu.toFixed(2).padStart(7)
      } ${perCpu(s).toFixed(0).padStart(16)} ${(perCpu(s) / perCpu(h2)).toFixed(2).padStart(9)} ${
        (perCpu(s) / perCpu(js)).toFixed(2).padStart(9)
      } ${s.serverPct.toFixed(0).padStart(10)}%  ${bound}`,
    );
  }
  for (const rt of ["deno", "bun"] as const) {
    const s = best.get(`lunge ${rt}`)!;
    const steady = s.calls / Math.max(0.01, s.cpu - startup[rt].cpu);
    console.log(
      `lunge ${rt} without its start-up (${startup[rt].cpu.toFixed(2)} CPU-s for one call): ${
        steady.toFixed(0)
      } ` +
        `calls per CPU-s (${(steady / perCpu(h2)).toFixed(2)} x h2load, ${
          (steady / perCpu(js)).toFixed(1)
        } x grpc-js)`,
    );
  }
}
