/**
 * WebSocket bench, side by side in one run: echo round trips per client
 * CPU-second of lunge (Deno and Bun, the CLI's closed loop: `lunge run ws://...
 * --message hello -c C -w 1`), a client written on the `ws` package on Node
 * doing the same loop, artillery's WebSocket engine on the same flow (when
 * `node_modules/.bin/artillery` exists), and the native floor: a C client
 * (bench/_lib/ws_echo_client.c, epoll, one masked frame written and its echo
 * read per round trip, nothing else; built with `cc` when there is one). The
 * floor bounds what any client can reach here: if it is below 10x artillery,
 * the issue's "lunge >= 10x artillery" cannot be met and the bench says so.
 * The server is the `ws` package's echo server on Node, pinned to core 0; every client is pinned to core 1. The
 * figure is the round trips the server counted in a steady window divided by
 * the client's CPU (every thread, from /proc) in that window. Then 10,000 idle
 * WebSockets held open by lunge's client while the server pings each every
 * second: the client's RSS and the pongs it sent.
 *
 *   deno run -A bench/websocket.ts [--seconds 5] [--rounds 2] [-c 50] [--idle 10000 (0: none)] [--idle-only]
 *   (deno task bench:websocket)
 *
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { TASKSET_PATH } from "./_lib/nginx.ts";
import { measureThreadCpu } from "./_lib/thread_cpu.ts";
import { buildWsEchoClient } from "./_lib/ws_native_floor.ts";
import { startWsPeer, type WsPeer } from "../tests/_helpers/ws_peer.ts";

const args = process.argv.slice(2);
const opt = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const SECONDS = opt("--seconds", 5);
const ROUNDS = opt("--rounds", 2);
const CONNECTIONS = opt("-c", 50);
const IDLE = opt("--idle", 10_000);
/** `--idle-only`: skip the echo figures. */
const IDLE_ONLY = args.includes("--idle-only");
const ROOT = decodeURIComponent(new URL("../", import.meta.url).pathname);
const DENO = join(ROOT, "node_modules/deno/deno");
const BUN = join(ROOT, "node_modules/.bin/bun");
const ARTILLERY = join(ROOT, "node_modules/.bin/artillery");
const pinned = existsSync(TASKSET_PATH);

interface Client {
  name: string;
  argv: (url: string, totalS: number, dir: string) => string[];
  /** Start-up left out before the window, s. */
  settleS: number;
}

const lunge = (runtime: string[]) => (url: string, totalS: number): string[] => [
  ...runtime,
  join(ROOT, "cli.ts"),
  "run",
  url,
  "--message",
  "hello",
  "-c",
  String(CONNECTIONS),
  "-d",
  `${totalS}s`,
  "-w",
  "1",
  "-q",
];

const CLIENTS: Client[] = [
  { name: "lunge (deno)", argv: lunge([DENO, "run", "-A"]), settleS: 2 },
  { name: "lunge (bun)", argv: lunge([BUN]), settleS: 2 },
  {
    name: "ws package (node)",
    argv: (
      url,
      totalS,
    ) => ["node", join(ROOT, "bench/_lib/ws_loop_client.mjs"), url, String(CONNECTIONS), String(totalS)],
    settleS: 2,
  },
];
if (existsSync(ARTILLERY)) {
  CLIENTS.push({
    name: "artillery (ws engine)",
    argv: (url, totalS, dir) => {
      const config = join(dir, "artillery.yml");
      // C virtual users at once, each in a loop: send, wait for the echo (a capture waits for it).
      writeFileSync(
        config,
        [
          "config:",
          `  target: "${url}"`,
          "  phases:",
          `    - duration: 1`,
          `      arrivalCount: ${CONNECTIONS}`,
          "scenarios:",
          "  - engine: ws",
          "    flow:",
          "      - loop:",
          "          - send:",
          '              payload: \'{"m":"hello"}\'',
          "              capture:",
          '                json: "$.m"',
          "                as: m",
          `        count: ${Math.ceil(totalS * 100_000)}`,
          "",
        ].join("\n"),
      );
      return [ARTILLERY, "run", "--quiet", config];
    },
    settleS: 8,
  });
}

const NATIVE = "native floor (C)";
const dir = mkdtempSync(join(tmpdir(), "lunge-ws-bench-"));
// Built into the bench's temporary folder, removed in the finally below with it.
const nativeClient = buildWsEchoClient(dir);
if (nativeClient !== null) {
  CLIENTS.push({
    name: NATIVE,
    argv: (url, totalS) => {
      const u = new URL(url);
      return [nativeClient, u.hostname, u.port, String(CONNECTIONS), String(totalS), "hello"];
    },
    settleS: 2,
  });
}

interface Sample {
  client: string;
  round: number;
  roundTrips: number;
  cpuS: number;
  perCpuS: number;
  perS: number;
  error: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

async function measure(
  client: Client,
  peer: WsPeer,
  url: string,
  round: number,
  dir: string,
): Promise<Sample> {
  const totalS = client.settleS + SECONDS + 2;
  const argv = client.argv(url, totalS, dir);
  const full = pinned ? [TASKSET_PATH, "-c", "1", ...argv] : argv;
  const child = spawn(full[0], full.slice(1), {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, NO_COLOR: "1" },
  });
  let stderr = "";
  child.stderr?.on("data", (d: Uint8Array) => (stderr += new TextDecoder().decode(d)));
  const exited = new Promise<void>((resolve) => child.once("close", () => resolve()));
  try {
    await sleep(client.settleS * 1000);
    const before = await peer.stats();
    const t0 = performance.now();
    const cpu = measureThreadCpu(child.pid ?? 0);
    await sleep(SECONDS * 1000);
    const cpuNs = cpu.stop();
    const wallS = (performance.now() - t0) / 1000;
    const after = await peer.stats();
    const roundTrips = after.sent - before.sent;
    const cpuS = cpuNs / 1e9;
    return {
      client: client.name,
      round,
      roundTrips,
      cpuS,
      perCpuS: roundTrips / cpuS,
      perS: roundTrips / wallS,
      error: roundTrips > 0 ? "" : `no round trips (${stderr.trim().split("\n").slice(-2).join(" | ")})`,
    };
  } finally {
    child.kill("SIGKILL");
    await exited;
  }
}

async function idle(runtime: string, argv: string[]): Promise<Record<string, unknown>> {
  const peer = await startWsPeer(["--ping-ms", "1000"], pinned ? "0" : null);
  try {
    const url = `ws://127.0.0.1:${peer.port}/`;
    const full = [...argv, join(ROOT, "bench/_lib/ws_idle_child.ts"), url, String(IDLE), "5"];
    const out = await new Promise<string>((resolve) => {
      const child = spawn(pinned ? TASKSET_PATH : full[0], pinned ? ["-c", "1", ...full] : full.slice(1), {
        stdio: ["ignore", "pipe", "inherit"],
      });
      let text = "";
      child.stdout?.on("data", (d: Uint8Array) => (text += new TextDecoder().decode(d)));
      child.once("close", () => resolve(text));
    });
    const stats = await peer.stats();
    return { runtime, ...JSON.parse(out.trim().split("\n").pop() || "{}"), serverPongs: stats.pongs };
  } catch (error) {
    return { runtime, error: String(error) };
  } finally {
    await peer.stop();
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0
    ? NaN
    : s.length % 2
    ? s[(s.length - 1) / 2]
    : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const peer = await startWsPeer([], pinned ? "0" : null);
const samples: Sample[] = [];
try {
  const url = `ws://127.0.0.1:${peer.port}/`;
  console.log(
    `WebSocket echo, ${CONNECTIONS} connections, ${SECONDS} s windows, ${ROUNDS} rounds` +
      (pinned ? " (server on core 0, clients on core 1)" : " (not pinned: no taskset)"),
  );
  for (let round = 0; round < (IDLE_ONLY ? 0 : ROUNDS); round++) {
    // The order rotates every round, so a change in the machine's load weighs on every client alike.
    const order = CLIENTS.map((_, i) => CLIENTS[(i + round) % CLIENTS.length]);
    for (const client of order) {
      const s = await measure(client, peer, url, round, dir);
      samples.push(s);
      console.log(
        `  round ${round + 1}  ${client.name.padEnd(22)} ${
          Math.round(s.perCpuS).toString().padStart(9)
        } round trips/CPU-s` +
          `  ${Math.round(s.perS).toString().padStart(8)}/s  ${s.error}`,
      );
    }
  }
} finally {
  await peer.stop();
  rmSync(dir, { recursive: true, force: true });
}

const rows = CLIENTS.map((c) => {
  const mine = samples.filter((s) => s.client === c.name && s.error === "");
  return {
    client: c.name,
    perCpuS: median(mine.map((s) => s.perCpuS)),
    perS: median(mine.map((s) => s.perS)),
  };
});
const byName = Object.fromEntries(rows.map((r) => [r.client, r]));
console.log("\nRound trips per client CPU-second (median):");
for (const r of rows) {
  console.log(
    `  ${r.client.padEnd(22)} ${Math.round(r.perCpuS).toString().padStart(9)}   (${Math.round(r.perS)}/s)`,
  );
}
const ratio = (a: string, b: string): number => byName[a]?.perCpuS / byName[b]?.perCpuS;
const ratios: Record<string, number | null> = {};
for (const runtime of ["deno", "bun"]) {
  ratios[`${runtime}_vs_ws`] = ratio(`lunge (${runtime})`, "ws package (node)");
  ratios[`${runtime}_vs_artillery`] = existsSync(ARTILLERY)
    ? ratio(`lunge (${runtime})`, "artillery (ws engine)")
    : null;
}
const hasNative = nativeClient !== null;
for (const runtime of ["deno", "bun"]) {
  ratios[`${runtime}_vs_native_floor`] = hasNative ? ratio(`lunge (${runtime})`, NATIVE) : null;
}
ratios.native_floor_vs_ws = hasNative ? ratio(NATIVE, "ws package (node)") : null;
ratios.native_floor_vs_artillery = hasNative && existsSync(ARTILLERY)
  ? ratio(NATIVE, "artillery (ws engine)")
  : null;
for (const [k, v] of Object.entries(ratios)) {
  const missing = k.includes("native") && !hasNative ? "no working cc" : "no node_modules/.bin/artillery";
  console.log(`  ${k.padEnd(26)} ${v === null ? `not measured (${missing})` : `${v.toFixed(2)}x`}`);
}
// The floor is the most round trips per CPU-second any client reaches on this machine and kernel.
const floorVsArtillery = ratios.native_floor_vs_artillery ?? NaN;
const floorX = `the native floor is ${floorVsArtillery.toFixed(2)}x artillery`;
const verdict = !Number.isFinite(floorVsArtillery)
  ? "not judged (no native floor or no artillery figure)"
  : floorVsArtillery < 10
  ? `${floorX}: "lunge >= 10x artillery" cannot be met by any client on this machine; ` +
    "the restated target is lunge / ws package and lunge / native floor (docs/benchmarks.md, WebSocket echo)"
  : `${floorX}: 10x artillery is within a client's reach`;
console.log(`  ${verdict}`);

const idles = [];
if (IDLE > 0) {
  console.log(`\n${IDLE} idle WebSockets, server pings each every second, held 5 s:`);
  idles.push(await idle("deno", [DENO, "run", "-A", "--v8-flags=--expose-gc"]), await idle("bun", [BUN]));
  for (const r of idles) console.log(`  ${JSON.stringify(r)}`);
}

mkdirSync(join(ROOT, "bench/results"), { recursive: true });
writeFileSync(
  join(ROOT, "bench/results/websocket.json"),
  JSON.stringify(
    {
      connections: CONNECTIONS,
      seconds: SECONDS,
      rounds: ROUNDS,
      samples,
      rows,
      ratios,
      verdict,
      idle: idles,
    },
    null,
    2,
  ) + "\n",
);
process.exit(0);
