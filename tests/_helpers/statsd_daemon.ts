/**
 * Starts the Etsy StatsD daemon (npm `statsd`) under Node on loopback, with a
 * tiny backend that prints each flush as one JSON line, and sums counters and
 * timer counts across flushes so tests can compare totals.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { freePort, freeUdpPort } from "./free_port.ts";

export interface StatsdDaemon {
  port: number;
  /** Counter totals and timer counts summed over all flushes so far. */
  counters: Record<string, number>;
  timerCounts: Record<string, number>;
  gauges: Record<string, number>;
  badLines: number;
  /** Waits until `predicate` holds or the timeout passes. */
  waitFor(predicate: () => boolean, timeoutMs?: number): Promise<boolean>;
  stop(): Promise<void>;
}

const BACKEND = `
exports.init = function (startup, config, events) {
  events.on("flush", function (ts, m) {
    process.stdout.write("LUNGE_FLUSH " + JSON.stringify({ counters: m.counters, timer_counters: m.timer_counters, gauges: m.gauges }) + "\\n");
  });
  return true;
};
`;

/**
 * Starts the daemon on free ports. A port found free can be taken before the daemon binds it, and
 * Node's start takes seconds on a busy machine: so up to three tries, each given 20 s, and the
 * last try's stderr in the error.
 *
 * @example
 * const daemon = await startStatsdDaemon();
 * await daemon.stop();
 */
export async function startStatsdDaemon(): Promise<StatsdDaemon> {
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOnce(await freeUdpPort(), await freePort());
    } catch (error) {
      lastError = error as Error;
    }
  }
  throw lastError;
}

async function startOnce(port: number, mgmt: number): Promise<StatsdDaemon> {
  const dir = mkdtempSync(join(tmpdir(), "lunge-statsd-"));
  const backend = join(dir, "json_backend.js");
  writeFileSync(backend, BACKEND);
  const config = join(dir, "config.js");
  writeFileSync(
    config,
    `({ port: ${port}, address: "127.0.0.1", mgmt_address: "127.0.0.1", mgmt_port: ${mgmt}, flushInterval: 200, backends: [${
      JSON.stringify(backend)
    }], deleteIdleStats: true })`,
  );
  const bin = resolve("node_modules/statsd/bin/statsd");
  const child = spawn("node", [bin, config], { stdio: ["ignore", "pipe", "pipe"] });
  const daemon: StatsdDaemon = {
    port,
    counters: {},
    timerCounts: {},
    gauges: {},
    badLines: 0,
    async waitFor(predicate, timeoutMs = 5000) {
      const deadline = performance.now() + timeoutMs;
      while (!predicate() && performance.now() < deadline) await new Promise((r) => setTimeout(r, 25));
      return predicate();
    },
    stop() {
      return new Promise((resolveStop) => {
        if (child.exitCode !== null) {
          rmSync(dir, { recursive: true, force: true });
          resolveStop();
          return;
        }
        child.once("exit", () => {
          rmSync(dir, { recursive: true, force: true });
          resolveStop();
        });
        child.kill("SIGKILL");
      });
    },
  };
  let ready = false;
  let pending = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    pending += chunk;
    let nl;
    while ((nl = pending.indexOf("\n")) >= 0) {
      const line = pending.slice(0, nl);
      pending = pending.slice(nl + 1);
      if (line.includes("server is up")) ready = true;
      if (!line.startsWith("LUNGE_FLUSH ")) continue;
      ready = true;
      const m = JSON.parse(line.slice(12));
      for (const [k, v] of Object.entries(m.counters as Record<string, number>)) {
        if (k === "statsd.bad_lines_seen") daemon.badLines += v;
        daemon.counters[k] = (daemon.counters[k] ?? 0) + v;
      }
      for (const [k, v] of Object.entries(m.timer_counters as Record<string, number>)) {
        daemon.timerCounts[k] = (daemon.timerCounts[k] ?? 0) + v;
      }
      Object.assign(daemon.gauges, m.gauges);
    }
  });
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (chunk: string) => stderr = (stderr + chunk).slice(-2000));
  const up = await daemon.waitFor(() => ready || child.exitCode !== null, 20_000);
  if (!up || child.exitCode !== null) {
    await daemon.stop();
    throw new Error(`statsd daemon did not start on udp ${port} (exit ${child.exitCode}): ${stderr.trim()}`);
  }
  return daemon;
}
