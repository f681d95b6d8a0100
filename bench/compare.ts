/**
 * The figures of the README's "How it compares", all in one run on one
 * machine: each is an existing bench, run here one after the other as a child
 * process, and its printed figures are gathered into one table.
 *
 * - plain HTTP/1.1, c=100: lunge on Bun and on Deno against wrk, h2load --h1
 *   and autocannon (`bench/overhead.ts peers --quick`, per runtime);
 * - HTTPS and peak RSS at 10,000 connections (`bench/transport.bench.ts`);
 * - 1000 req/s evenly paced (`bench/overhead.ts overheads --quick`), and
 *   wrk2 at the same rate when a `wrk2` binary is on the PATH or in
 *   `LUNGE_BENCH_WRK2` (it is not packaged; build it from giltene/wrk2);
 * - gRPC unary against h2load (`bench/grpc_compare.ts`);
 * - the 2-step scenario against artillery (`bench/workloads.ts`, artillery
 *   installed into the on-demand cache on first use).
 *
 *   deno task bench:compare      (about 25 minutes; the machine should be quiet)
 *
 * Prints the table as Markdown and writes `bench/results/compare-<timestamp>.json`.
 *
 * @module
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { system } from "../src/runtime/mod.ts";
import { runCommand } from "./_lib/command.ts";
import { startNginx } from "./_lib/nginx.ts";
import { benchEnvironment } from "./_lib/env_info.ts";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const RESULTS = join(ROOT, "bench/results");
const RUNTIMES = ["bun", "deno"] as const;
type Runtime = typeof RUNTIMES[number];
const BIN: Record<Runtime, string> = {
  bun: join(ROOT, "node_modules/.bin/bun"),
  deno: join(ROOT, "node_modules/.bin/deno"),
};
const MINUTES = 20;

/** Runs one bench script on `runtime`; returns what it printed (stdout and stderr), or throws. */
async function bench(
  runtime: Runtime,
  script: string,
  args: string[],
  env: Record<string, string> = {},
): Promise<string> {
  const argv = runtime === "deno"
    ? ["run", "-A", "--v8-flags=--expose-gc", join(ROOT, script), ...args]
    : [join(ROOT, script), ...args];
  system.writeStderr(`# ${runtime} ${script} ${args.join(" ")}\n`);
  const r = await runCommand(BIN[runtime], argv, MINUTES * 60_000, env);
  if (r.code !== 0) {
    throw new Error(
      `${runtime} ${script} exited ${r.code}: ${r.stderr.trim().split("\n").slice(-3).join(" | ")}`,
    );
  }
  return `${r.stdout}\n${r.stderr}`;
}

/** The value of the figure table row whose name matches `name` (a regular expression), or NaN. */
function figure(out: string, name: RegExp): number {
  for (const line of out.split("\n")) {
    const m = new RegExp(`^(?:${name.source})\\s{2,}(\\S+)`).exec(line);
    if (m !== null) return Number(m[1]);
  }
  return NaN;
}

const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : "not measured");
const k1 = (x: number): string => (Number.isFinite(x) ? `${(x / 1000).toFixed(1)}k` : "not measured");

interface Row {
  figure: string;
  peer: string;
  bun: string;
  deno: string;
  command: string;
}

async function plain(rows: Row[]): Promise<void> {
  const out: Record<Runtime, string> = { bun: "", deno: "" };
  for (const rt of RUNTIMES) out[rt] = await bench(rt, "bench/overhead.ts", ["peers", "--quick"]);
  for (const peer of ["wrk", "h2load", "autocannon"]) {
    const ratio = (rt: Runtime): number =>
      figure(out[rt], new RegExp(`lunge \\(${rt}\\) / ${peer}[^,]*, req per client CPU-s \\(steady[^)]*\\)`));
    const perCpu = figure(out.bun, new RegExp(`peers c=100: ${peer}[^(]* req per CPU-s \\(steady[^)]*\\)`));
    rows.push({
      figure: `plain HTTP/1.1, c=100: lunge / ${peer}, req per client CPU-s (median of rounds)`,
      peer: `${peer} ${k1(perCpu)}`,
      bun: f2(ratio("bun")),
      deno: f2(ratio("deno")),
      command: "`bun bench/overhead.ts peers --quick`, `deno task bench:overhead peers --quick`",
    });
  }
}

/** The newest `bench/results/transport-*.json`. */
function newestTransport(): { results: Record<string, Array<Record<string, number | string>>> } {
  const files = readdirSync(RESULTS).filter((f) => f.startsWith("transport-") && f.endsWith(".json"))
    .map((f) => join(RESULTS, f)).sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  return JSON.parse(readFileSync(files[0], "utf8"));
}

async function transport(rows: Row[]): Promise<void> {
  await bench("deno", "bench/transport.bench.ts", [], { LUNGE_BENCH_ROUNDS: "3", LUNGE_BENCH_SECONDS: "5" });
  const { results } = newestTransport();
  const by = (
    list: Array<Record<string, number | string>>,
    client: string,
  ): Record<string, number | string> => list.find((r) => r.client === client) ?? {};
  const https = results.https ?? [];
  const wrk = Number(by(https, "wrk").netPerCpuSecond);
  const cell = (rt: Runtime): string => {
    const r = by(https, `lunge on ${rt}`);
    return `${k1(Number(r.perCpuSecond))} (${f2(Number(r.perCpuSecond) / wrk)}, net ${
      f2(Number(r.netPerCpuSecond) / wrk)
    })`;
  };
  rows.push({
    figure: "HTTPS, c=100, req per client CPU-s (ratio to wrk, net of start-up)",
    peer: `wrk ${k1(wrk)}`,
    bun: cell("bun"),
    deno: cell("deno"),
    command: "`LUNGE_BENCH_ROUNDS=3 LUNGE_BENCH_SECONDS=5 deno task bench:transport`",
  });
  const rss = results.rss ?? [];
  const mib = (client: string): string => `${Number(by(rss, client).maxRssMiB).toFixed(1)} MiB`;
  rows.push({
    figure: "peak RSS, 10,000 keep-alive connections under load",
    peer: `wrk ${mib("wrk")}`,
    bun: mib("lunge on bun"),
    deno: mib("lunge on deno"),
    command: "the same",
  });
}

/** wrk2 at 1000 req/s against nginx, % of a core (pinned like the rest), or NaN without a wrk2 binary. */
async function wrk2PerCent(): Promise<{ pct: number; why: string }> {
  const candidates = [system.env("LUNGE_BENCH_WRK2") ?? "", "/usr/local/bin/wrk2", "/usr/bin/wrk2"];
  const path = candidates.find((p) => p !== "" && existsSync(p));
  if (path === undefined) {
    return { pct: NaN, why: "no wrk2 binary (LUNGE_BENCH_WRK2=path; build giltene/wrk2)" };
  }
  const nginx = await startNginx({ cpu: 0 });
  try {
    const seconds = 10;
    const r = await runCommand(
      "/usr/bin/time",
      [
        "-f",
        "TIME %U %S %e",
        "taskset",
        "-c",
        "1",
        path,
        "-t1",
        "-c50",
        `-d${seconds}s`,
        "-R1000",
        nginx.url,
      ],
      (seconds + 30) * 1000,
    );
    const m = /TIME ([\d.]+) ([\d.]+) ([\d.]+)/.exec(r.stderr);
    if (m === null) return { pct: NaN, why: `wrk2 failed: ${r.stderr.trim().split("\n").pop()}` };
    return { pct: ((Number(m[1]) + Number(m[2])) / Number(m[3])) * 100, why: "" };
  } finally {
    await nginx.stop();
  }
}

async function lowRate(rows: Row[]): Promise<void> {
  const cells: Record<Runtime, string> = { bun: "", deno: "" };
  let native = "";
  for (const rt of RUNTIMES) {
    const out = await bench(rt, "bench/overhead.ts", ["overheads", "--quick"]);
    const pct = figure(out, /1000 req\/s \(-w 1\): lunge whole-process CPU/);
    const ratio = figure(out, /1000 req\/s \(-w 1\): lunge \/ native floor/);
    const floor = figure(out, /1000 req\/s: native floor \(C client, evenly paced, a request per arrival\)/);
    cells[rt] = `${pct.toFixed(2)} (${f2(ratio)}× the C client)`;
    native += `${native === "" ? "" : ", "}${Number.isFinite(floor) ? floor.toFixed(2) : f2(pct / ratio)}`;
  }
  const wrk2 = await wrk2PerCent();
  rows.push({
    figure: "1000 req/s evenly paced, % of a core",
    peer: `C client ${native}; wrk2 ${
      Number.isFinite(wrk2.pct) ? wrk2.pct.toFixed(2) : `not measured (${wrk2.why})`
    }`,
    bun: cells.bun,
    deno: cells.deno,
    command: "`bun bench/overhead.ts overheads --quick`, `deno task bench:overhead overheads --quick`",
  });
}

async function grpc(rows: Row[]): Promise<void> {
  const out = await bench("deno", "bench/grpc_compare.ts", [
    "--server",
    "nginx",
    "--rounds",
    "3",
    "--seconds",
    "6",
  ]);
  const perCpu = (client: string): number => {
    const m = new RegExp(`^${client}\\s+\\d+\\s+\\d+\\s+[\\d.]+\\s+(\\d+)`, "m").exec(out);
    return m === null ? NaN : Number(m[1]);
  };
  const h2load = perCpu("h2load");
  const cell = (rt: Runtime): string =>
    `${k1(perCpu(`lunge ${rt}`))} (${f2(perCpu(`lunge ${rt}`) / h2load)})`;
  rows.push({
    figure: "gRPC unary, calls per client CPU-s (same prepared request)",
    peer: `h2load ${k1(h2load)}`,
    bun: cell("bun"),
    deno: cell("deno"),
    command: "`deno task bench:grpc --server nginx --rounds 3 --seconds 6`",
  });
}

async function scenario(rows: Row[]): Promise<void> {
  const cells: Record<Runtime, string> = { bun: "", deno: "" };
  let artillery = NaN;
  for (const rt of RUNTIMES) {
    const out = await bench(rt, "bench/workloads.ts", []);
    cells[rt] = `${f2(figure(out, /scenario \/ artillery/))}×`;
    artillery = figure(out, /artillery, same flow/);
  }
  rows.push({
    figure: "2-step scenario (GET, POST with a check), lunge / artillery",
    peer: `artillery ${Number.isFinite(artillery) ? Math.round(artillery) : "not measured"} req/CPU-s`,
    bun: cells.bun,
    deno: cells.deno,
    command: "`deno task bench:workloads`, `bun bench/workloads.ts`",
  });
}

function markdown(rows: Row[]): string {
  const head = ["figure", "wrk / peer", "lunge on Bun", "lunge on Deno", "command"];
  const lines = rows.map((r) => [r.figure, r.peer, r.bun, r.deno, r.command]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const line = (cells: string[]): string => `| ${cells.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [line(head), line(widths.map((w) => "-".repeat(w))), ...lines.map(line)].join("\n");
}

if (import.meta.main) {
  const started = new Date();
  const rows: Row[] = [];
  const steps: Array<[string, (rows: Row[]) => Promise<void>]> = [
    ["plain", plain],
    ["https and rss", transport],
    ["1000 req/s", lowRate],
    ["grpc", grpc],
    ["scenario", scenario],
  ];
  for (const [name, step] of steps) {
    try {
      await step(rows);
    } catch (error) {
      system.writeStderr(`# ${name}: ${(error as Error).message}\n`);
      rows.push({ figure: name, peer: "failed", bun: "", deno: "", command: (error as Error).message });
    }
  }
  const minutes = ((Date.now() - started.getTime()) / 60_000).toFixed(1);
  const env = await benchEnvironment("full");
  const heading = `${started.toISOString().slice(0, 10)}, ${env.cpuModel}, ${env.cpus} cores, lunge ` +
    `${env.lungeVersion} at ${env.gitCommit.slice(0, 7)}${env.gitDirty ? " (uncommitted changes)" : ""}, ` +
    `one run of \`deno task bench:compare\` (${minutes} min)`;
  console.log(`\n${heading}\n\n${markdown(rows)}`);
  mkdirSync(RESULTS, { recursive: true });
  const file = join(RESULTS, `compare-${started.toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, JSON.stringify({ schema: "lunge-compare-v1", heading, rows }, null, 2));
  console.log(`\nwrote ${file}`);
}
