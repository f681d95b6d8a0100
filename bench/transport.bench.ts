/**
 * Transport figures, side by side in one run against Debian's nginx (one
 * worker): HTTPS requests per client CPU-second for wrk and for lunge on Bun
 * and on Deno, and peak RSS with 10,000 open keep-alive connections. nginx is
 * pinned to core 0 and each client to core 1 where `taskset` exists; client
 * CPU and peak RSS come from `/usr/bin/time`. lunge's start-up and
 * shut-down CPU (a `-n 1 -c 1` run with the same flags, measured each time)
 * is shown and subtracted in the "net" column: it is a fixed cost that wrk,
 * a native binary, hardly has, and that would otherwise dominate short runs.
 *
 * Run: `deno run -A bench/transport.bench.ts` or `bun bench/transport.bench.ts`
 * (env: LUNGE_BENCH_SECONDS=8, LUNGE_BENCH_CONNECTIONS=100, LUNGE_BENCH_IDLE_CONNECTIONS=10000,
 * LUNGE_BENCH_ROUNDS=3, LUNGE_BENCH_ONLY=https|rss). Each client runs ROUNDS times, interleaved with
 * the others, and its best round counts (highest net req/CPU-s; lowest peak RSS). Writes `bench/results/transport-<timestamp>.json`.
 *
 * @module
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { system } from "../src/runtime/mod.ts";
import { makeCertificates, type NginxHandle, startNginx } from "../tests/_helpers/nginx_tls.ts";
import { runCommand } from "./_lib/command.ts";

const SECONDS = Number(system.env("LUNGE_BENCH_SECONDS") ?? 8);
const CONNECTIONS = Number(system.env("LUNGE_BENCH_CONNECTIONS") ?? 100);
const IDLE_CONNECTIONS = Number(system.env("LUNGE_BENCH_IDLE_CONNECTIONS") ?? 10_000);
const ONLY = system.env("LUNGE_BENCH_ONLY") ?? "";
/** Rounds per client, interleaved; the best round per client is kept (the machine may be busy). */
const ROUNDS = Number(system.env("LUNGE_BENCH_ROUNDS") ?? 3);
const ROOT = fileURLToPath(new URL("../", import.meta.url));
const CLI = join(ROOT, "cli.ts");
const DENO = join(ROOT, "node_modules/.bin/deno");
const BUN = join(ROOT, "node_modules/.bin/bun");
const PIN_SERVER = existsSync("/usr/bin/taskset") ? ["taskset", "-c", "0"] : [];
const PIN_CLIENT = existsSync("/usr/bin/taskset") ? ["taskset", "-c", "1"] : [];

/** One client's outcome. */
interface ClientFigure {
  client: string;
  requests: number;
  cpuSeconds: number;
  perCpuSecond: number;
  /** CPU seconds of a `-n 1 -c 1` run (start-up and shut-down); 0 for wrk. */
  fixedCpuSeconds: number;
  /** Requests per CPU-second after subtracting `fixedCpuSeconds`. */
  netPerCpuSecond: number;
  maxRssMiB: number;
  errors: number;
}

/** Runs `argv` under `/usr/bin/time` pinned to the client core; returns its output and resources. */
async function timed(
  argv: string[],
  timeoutMs: number,
): Promise<{ out: string; cpu: number; rssKiB: number }> {
  const r = await runCommand("/usr/bin/time", ["-f", "TIME %U %S %M", ...PIN_CLIENT, ...argv], timeoutMs);
  const m = /TIME ([\d.]+) ([\d.]+) (\d+)/.exec(r.stderr);
  if (m === null) throw new Error(`no /usr/bin/time figures for ${argv[0]}: ${r.stderr.slice(-500)}`);
  return { out: r.stdout + r.stderr, cpu: Number(m[1]) + Number(m[2]), rssKiB: Number(m[3]) };
}

async function wrk(url: string, connections: number, seconds: number): Promise<ClientFigure> {
  const t = await timed(
    ["wrk", "-t1", `-c${connections}`, `-d${seconds}s`, "--timeout", "10s", url],
    (seconds + 30) * 1000,
  );
  const requests = Number(/(\d+) requests in/.exec(t.out)?.[1] ?? 0);
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(t.out);
  const non2xx = Number(/Non-2xx or 3xx responses: (\d+)/.exec(t.out)?.[1] ?? 0);
  return figure(
    "wrk",
    requests,
    t,
    (errors ? errors.slice(1).reduce((a, b) => a + Number(b), 0) : 0) + non2xx,
  );
}

async function lunge(
  runtime: "deno" | "bun",
  url: string,
  connections: number,
  seconds: number,
  extra: string[],
  dir: string,
): Promise<ClientFigure> {
  const json = join(dir, `${runtime}-${connections}.json`);
  const args = [
    "run",
    url,
    "-c",
    String(connections),
    "-d",
    `${seconds}s`,
    "-w",
    "1",
    "-q",
    "--json",
    json,
    ...extra,
  ];
  const argv = runtime === "deno" ? [DENO, "run", "-A", CLI, ...args] : [BUN, CLI, ...args];
  const t = await timed(argv, (seconds + 60) * 1000);
  const snapshot = JSON.parse(readFileSync(json, "utf8")).snapshot;
  const fixedArgs = ["run", url, "-n", "1", "-c", "1", "-w", "1", "-q", ...extra];
  const fixed = await timed(
    runtime === "deno" ? [DENO, "run", "-A", CLI, ...fixedArgs] : [BUN, CLI, ...fixedArgs],
    60_000,
  );
  return figure(`lunge on ${runtime}`, snapshot.totalRequests, t, snapshot.failedRequests, fixed.cpu);
}

function figure(
  client: string,
  requests: number,
  t: { cpu: number; rssKiB: number },
  errors: number,
  fixedCpu = 0,
): ClientFigure {
  return {
    client,
    requests,
    cpuSeconds: t.cpu,
    perCpuSecond: t.cpu > 0 ? requests / t.cpu : 0,
    fixedCpuSeconds: fixedCpu,
    netPerCpuSecond: t.cpu - fixedCpu > 0 ? requests / (t.cpu - fixedCpu) : 0,
    maxRssMiB: t.rssKiB / 1024,
    errors,
  };
}

function print(title: string, rows: ClientFigure[], ratioOf: (r: ClientFigure) => string): void {
  system.writeStdout(`\n${title}\n`);
  system.writeStdout(
    "client          requests   CPU s   req/CPU-s   fixed CPU s   net req/CPU-s   peak RSS MiB   errors   vs wrk\n",
  );
  for (const r of rows) {
    system.writeStdout(
      `${r.client.padEnd(15)} ${String(r.requests).padStart(8)} ${r.cpuSeconds.toFixed(2).padStart(7)} ${
        Math.round(r.perCpuSecond).toString().padStart(11)
      } ${r.fixedCpuSeconds.toFixed(2).padStart(13)} ${
        Math.round(r.netPerCpuSecond).toString().padStart(15)
      } ${r.maxRssMiB.toFixed(1).padStart(14)} ${String(r.errors).padStart(8)}   ${ratioOf(r)}\n`,
    );
  }
}

/** Runs every client `rounds` times, interleaved; keeps each client's round with the highest `score`. */
async function best(
  rounds: number,
  score: (r: ClientFigure) => number,
  clients: Array<() => Promise<ClientFigure>>,
): Promise<ClientFigure[]> {
  const kept: Array<ClientFigure | null> = clients.map(() => null);
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < clients.length; i++) {
      const r = await clients[i]();
      system.writeStderr(
        `# round ${round + 1}: ${r.client} ${Math.round(r.netPerCpuSecond)} net req/CPU-s, ${
          r.maxRssMiB.toFixed(1)
        } MiB\n`,
      );
      if (kept[i] === null || score(r) > score(kept[i]!)) kept[i] = r;
    }
  }
  return kept as ClientFigure[];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "lunge-transport-bench-"));
  const certs = makeCertificates();
  const servers: NginxHandle[] = [];
  const results: Record<string, ClientFigure[]> = {};
  try {
    if (ONLY === "" || ONLY === "https") {
      const tls = await startNginx({
        tls: { cert: certs.serverCert, key: certs.serverKey },
        prefix: PIN_SERVER,
      });
      servers.push(tls);
      const url = `${tls.url}/`;
      const extra = ["--cacert", certs.serverCert];
      const rows = await best(ROUNDS, (r) => r.netPerCpuSecond, [
        () => wrk(url, CONNECTIONS, SECONDS),
        () => lunge("bun", url, CONNECTIONS, SECONDS, extra, dir),
        () => lunge("deno", url, CONNECTIONS, SECONDS, extra, dir),
      ]);
      results.https = rows;
      print(
        `HTTPS (HTTP/1.1 over TLS), c=${CONNECTIONS}, ${SECONDS}s, nginx on core 0, client on core 1`,
        rows,
        (r) =>
          `${(r.perCpuSecond / rows[0].perCpuSecond).toFixed(2)} (net ${
            (r.netPerCpuSecond / rows[0].netPerCpuSecond).toFixed(2)
          })`,
      );
    }
    if (ONLY === "" || ONLY === "rss") {
      const plain = await startNginx({ prefix: PIN_SERVER, workerConnections: 2 * IDLE_CONNECTIONS + 100 });
      servers.push(plain);
      const url = `${plain.url}/`;
      const extra = ["--timeout", "30s"];
      const rows = await best(ROUNDS, (r) => -r.maxRssMiB, [
        () => wrk(url, IDLE_CONNECTIONS, SECONDS),
        () => lunge("bun", url, IDLE_CONNECTIONS, SECONDS, extra, dir),
        () => lunge("deno", url, IDLE_CONNECTIONS, SECONDS, extra, dir),
      ]);
      results.rss = rows;
      print(
        `Peak RSS with ${IDLE_CONNECTIONS} keep-alive connections under load, plain HTTP/1.1, ${SECONDS}s`,
        rows,
        (r) => `${(r.maxRssMiB / rows[0].maxRssMiB).toFixed(1)}x RSS`,
      );
    }
  } finally {
    for (const s of servers) await s.stop();
    certs.remove();
    rmSync(dir, { recursive: true, force: true });
  }
  mkdirSync(join(ROOT, "bench/results"), { recursive: true });
  const file = join(ROOT, `bench/results/transport-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(
    file,
    JSON.stringify({ schema: "lunge-transport-bench-v1", seconds: SECONDS, results }, null, 2),
  );
  system.writeStdout(`\nwrote ${file}\n`);
}

await main();
