/**
 * Workload bench: requests per client CPU-second of
 *
 * 1. the 2-step scenario (`bench/workloads/two_step.ts`: GET, then POST a JSON
 *    body with one check) against artillery running the same flow
 *    (`bench/workloads/artillery_two_step.yml`), same built-in target;
 * 2. `--targets` with 3 targets against the single-URL path.
 *
 * lunge runs in this process (the target is a child process, so this
 * process's CPU time is the client's); artillery runs as a child process
 * under `/usr/bin/time`, its start-up CPU measured by a one-request run and
 * subtracted (in artillery's favour). Rounds alternate; the best round of
 * each counts. Prints both ratios. artillery is not a project dependency: it
 * is installed on first use into a cache folder (`_lib/peer_install.ts`);
 * when it cannot be had, its rows say "not measured" and why.
 *
 *   deno run -A bench/workloads.ts [--quick]
 *   bun bench/workloads.ts [--quick]
 *
 * @module
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../src/engine/run.ts";
import { parseTargets } from "../src/request_sets/parse_targets.ts";
import { readTextFileOrNull } from "../src/runtime/files.ts";
import { system } from "../src/runtime/mod.ts";
import { startTarget } from "../src/target/start.ts";
import { runCommand } from "./_lib/command.ts";
import { Figures } from "./_lib/figures.ts";
import { ARTILLERY as ARTILLERY_PEER, ensurePeer } from "./_lib/peer_install.ts";

const HERE = new URL("./workloads/", import.meta.url);
const path = (name: string): string => decodeURIComponent(new URL(name, HERE).pathname);

interface Measured {
  requests: number;
  cpuMs: number;
  perCpuSecond: number;
}

async function lunge(options: Parameters<typeof run>[0]): Promise<Measured> {
  const before = system.cpuTimeMs();
  const result = await run({ workers: 1, ...options });
  const cpuMs = system.cpuTimeMs() - before;
  const requests = result.snapshot.totalRequests;
  return { requests, cpuMs, perCpuSecond: (requests / cpuMs) * 1000 };
}

/** Runs artillery with the YAML flow; CPU from /usr/bin/time (user + system). */
async function artillery(
  bin: string,
  url: string,
  seconds: number,
  rate: number,
  loops: number,
): Promise<Measured | null> {
  const dir = mkdtempSync(join(tmpdir(), "lunge-artillery-"));
  try {
    const yaml = readFileSync(path("artillery_two_step.yml"), "utf8")
      .replace(/target: ".*"/, `target: "${url}"`)
      .replace(/duration: \d+/, `duration: ${seconds}`)
      .replace(/arrivalRate: \d+/, `arrivalRate: ${rate}`)
      .replace(/count: \d+/, `count: ${loops}`);
    const file = join(dir, "flow.yml");
    writeFileSync(file, yaml);
    const out = await runCommand(
      "/usr/bin/time",
      ["-f", "CPU %U %S", "node", bin, "run", file],
      600_000,
    );
    const cpu = /CPU ([\d.]+) ([\d.]+)/.exec(out.stderr);
    const requests = [...out.stdout.matchAll(/http\.requests: \.*\s*(\d+)/g)].pop();
    if (out.code !== 0 || cpu === null || requests === undefined) {
      console.error(
        `artillery failed (exit ${out.code}): ${out.stderr.trim().split("\n").slice(-3).join(" | ")}`,
      );
      return null;
    }
    const cpuMs = (Number(cpu[1]) + Number(cpu[2])) * 1000;
    const n = Number(requests[1]);
    return { requests: n, cpuMs, perCpuSecond: (n / cpuMs) * 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const quick = system.args().includes("--quick");
  const rounds = quick ? 1 : 3;
  const seconds = quick ? 3 : 8;
  const target = await startTarget({ mode: "process" });
  const figures = new Figures();
  try {
    const url = target.url;
    const best = { scenario: 0, single: 0, targets: 0, artillery: 0 };
    const peer = await ensurePeer(ARTILLERY_PEER);
    if (peer.reason !== undefined) console.log(`artillery: not measured: ${peer.reason}`);
    const startup = peer.path === undefined ? null : await artillery(peer.path, url, 1, 1, 1);
    const startupMs = startup?.cpuMs ?? 0;
    if (peer.path !== undefined) {
      console.log(`artillery start-up: ${Math.round(startupMs)} ms CPU (subtracted)`);
    }
    const set = parseTargets(
      path("three_targets.http"),
      readTextFileOrNull(path("three_targets.http"))!,
      readTextFileOrNull,
    );
    for (let round = 0; round < rounds; round++) {
      const sc = await lunge({
        url,
        scenario: path("two_step.ts"),
        durationMs: seconds * 1000,
        concurrency: 50,
      });
      const single = await lunge({ url: `${url}/`, durationMs: seconds * 1000, concurrency: 50 });
      const targets = await lunge({ url, targets: set, durationMs: seconds * 1000, concurrency: 50 });
      const art = peer.path === undefined ? null : await artillery(peer.path, url, seconds, 10, 25);
      const artPerCpu = art === null ? NaN : (art.requests / Math.max(1, art.cpuMs - startupMs)) * 1000;
      console.log(
        `round ${round + 1}: scenario ${Math.round(sc.perCpuSecond)}, single ${
          Math.round(single.perCpuSecond)
        }, ` +
          `3 targets ${Math.round(targets.perCpuSecond)}, artillery ${Math.round(artPerCpu)} req/CPU-s ` +
          `(artillery ${art?.requests ?? 0} requests in ${Math.round(art?.cpuMs ?? 0)} ms CPU)`,
      );
      best.scenario = Math.max(best.scenario, sc.perCpuSecond);
      best.single = Math.max(best.single, single.perCpuSecond);
      best.targets = Math.max(best.targets, targets.perCpuSecond);
      if (Number.isFinite(artPerCpu)) best.artillery = Math.max(best.artillery, artPerCpu);
    }
    const runtime = system.name;
    figures.add(
      `2-step scenario (${runtime})`,
      best.scenario,
      "req/CPU-s",
      runtime === "bun" ? ">= 40000" : runtime === "deno" ? ">= 30000" : null,
    );
    if (peer.reason === undefined) {
      figures.add("artillery, same flow", best.artillery, "req/CPU-s");
      figures.add("scenario / artillery", best.scenario / best.artillery, "x", ">= 20");
    } else {
      figures.notMeasured("artillery, same flow", "req/CPU-s", peer.reason);
      figures.notMeasured("scenario / artillery", "x", peer.reason);
    }
    figures.add(`single URL (${runtime})`, best.single, "req/CPU-s");
    figures.add(`--targets, 3 targets (${runtime})`, best.targets, "req/CPU-s");
    figures.add("3 targets / single URL", best.targets / best.single, "x", ">= 0.9");
  } finally {
    await target.stop();
  }
  console.log(
    `\n== workloads (${system.name} ${system.version}, ${system.cpuCount()} CPUs)\n${figures.table()}`,
  );
  return 0;
}

if (import.meta.main) system.exit(await main());
