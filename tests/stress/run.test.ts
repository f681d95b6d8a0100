import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runtimeName } from "../../src/runtime/mod.ts";
import { parseStressArgs } from "../../stress/args.ts";
import { CliUsageError } from "../../src/cli/_errors.ts";
import { resultBaseName } from "../../stress/main.ts";
import { countClientSocketsInTable, isWorkerThreadName, threadsInStatus } from "../../stress/probes.ts";
import type { StressResult } from "../../stress/types.ts";
import { runStressChild } from "../_helpers/stress_child.ts";

describe("stress end to end (child process)", () => {
  it(
    "an 8 s low-rate run passes every verdict, writes JSON + HTML and exits on its own",
    { timeout: 60_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "lunge-stress-"));
      try {
        const r = await runStressChild([
          "--duration",
          "8s",
          "--rate",
          "400",
          "--concurrency",
          "40",
          "--workers",
          "2",
          "--warmup",
          "500ms",
          "--out-dir",
          dir,
        ]);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.match(r.stdout, /PASS every verdict\n$/);
        for (
          const name of [
            "throughput",
            "counts",
            "errors",
            "heap \\(main thread\\)",
            "heap \\(load worker 1\\)",
            "heap \\(load worker 2\\)",
            "heap \\(target\\)",
            "RSS \\(load generator\\)",
            "RSS \\(target\\)",
            "workers terminated",
            "sockets closed",
          ]
        ) {
          assert.match(r.stdout, new RegExp(`PASS  ${name}`), name);
        }
        // A progress line per second on stderr with both sides' memory.
        assert.match(
          r.stderr,
          /\[steady\] .* rps=[\d,]+\/400 .* gen heap [\d.]+ MiB rss .* target heap [\d.]+ MiB/,
        );
        // No timer, socket or worker kept it alive: it exited promptly after the summary.
        assert.ok(
          r.exitAfterEndMs !== null && r.exitAfterEndMs < 3000,
          `exited ${r.exitAfterEndMs} ms after the end`,
        );
        const files = readdirSync(dir).sort();
        assert.equal(files.length, 2, files.join(","));
        assert.match(
          files[0],
          new RegExp(`^baseline-${runtimeName}-\\d{4}-\\d\\d-\\d\\dT\\d\\d-\\d\\d-\\d\\dZ\\.html$`),
        );
        const result = JSON.parse(readFileSync(join(dir, files[1]), "utf8")) as StressResult;
        assert.equal(result.schema, "lunge-stress-v1");
        // 400 req/s × 8 s: every arrival is counted, completed or missed. Missed sends are the arrivals still
        // waiting for one of the 40 connections when the schedule ends (a busy machine can stall them all);
        // the errors verdict above bounds them. The target saw exactly what lunge counted.
        assert.equal(
          result.counts.collector + result.counts.missedSends,
          3200,
          JSON.stringify(result.counts),
        );
        assert.equal(result.counts.target, result.counts.collector);
        // Each load worker reported its own heap, from its own thread, after a forced GC.
        assert.deepEqual(result.workerHeaps.map((w) => w.worker), [1, 2]);
        for (const w of result.workerHeaps) {
          assert.ok(
            w.points.length >= 3 && w.points.every((p) => p.heapUsed > 0 && p.afterGc),
            JSON.stringify(w),
          );
        }
        assert.ok(result.samples.length >= 3, String(result.samples.length));
        assert.ok(result.samples.every((s) => s.heapUsed > 0 && s.rss > 0));
        assert.ok(result.samples.some((s) => s.targetHeapUsed !== null && s.targetHeapUsed > 0));
        assert.equal(result.leaks.targetConnections, 0);
        assert.equal(result.leaks.workerThreadsDuring, 2); // the check really saw the two workers ...
        assert.equal(result.leaks.workerThreadsAfter, 0); // ... and saw them go
        const html = readFileSync(join(dir, files[0]), "utf8");
        assert.match(html, /data-chart="rps"/);
        assert.match(html, /data-chart="generator-memory"/);
        assert.match(html, /data-chart="worker-heap"/);
        assert.match(html, /data-chart="target-memory"/);
        assert.doesNotMatch(html, /<script/);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it("a usage mistake exits 2 with one line and starts nothing", async () => {
    const r = await runStressChild(["--rate", "fast"]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, 'stress: --rate must be a number, got "fast"\n');
    assert.equal(r.stdout, "");
  });

  it("--help prints the scenarios and every flag", async () => {
    const r = await runStressChild(["--help"]);
    assert.equal(r.code, 0);
    for (
      const word of [
        "baseline",
        "high",
        "burst",
        "soak",
        "--rate",
        "--duration",
        "--concurrency",
        "--collector",
        "--scenario",
        "--workers",
        "--json",
        "--out-dir",
      ]
    ) {
      assert.ok(r.stdout.includes(word), word);
    }
  });
});

describe("stress flags", () => {
  it("defaults to the baseline: 10,000 req/s for 5 minutes, 1000 connections, atomic", () => {
    const c = parseStressArgs([]);
    assert.equal(c.kind, "run");
    if (c.kind !== "run") return;
    assert.deepEqual(
      [
        c.config.scenario,
        c.config.rate,
        c.config.durationMs,
        c.config.concurrency,
        c.config.collector,
        c.config.checkThroughput,
      ],
      ["baseline", 10_000, 300_000, 1000, "atomic", true],
    );
  });

  it("burst ramps 1 s up and down and idles after; soak needs a duration", () => {
    const burst = parseStressArgs(["-s", "burst"]);
    assert.ok(burst.kind === "run" && burst.config.rampUpMs === 1000 && burst.config.idleAfterMs > 0);
    assert.throws(() => parseStressArgs(["--scenario", "soak"]), /needs --duration/);
    const soak = parseStressArgs(["--scenario", "soak", "-d", "1h"]);
    assert.ok(soak.kind === "run" && soak.config.durationMs === 3_600_000);
  });

  it("rejects bad values with one clear line", () => {
    assert.throws(
      () => parseStressArgs(["--scenario", "spike"]),
      /--scenario must be one of baseline, high, burst, soak, got "spike"/,
    );
    assert.throws(() => parseStressArgs(["--collector", "mutex"]), /--collector must be atomic or legacy/);
    assert.throws(() => parseStressArgs(["--duration", "500ms"]), /at least 1s/);
    assert.throws(() => parseStressArgs(["--bogus"]), /unknown option --bogus/);
    assert.throws(() => parseStressArgs(["--workers", "0"]), /--workers must be >= 1, got 0/);
    // The same error class and value parsers as the lunge CLI.
    assert.throws(
      () => parseStressArgs(["--workers", "1.5"]),
      (e: unknown) => e instanceof CliUsageError && e.message === "--workers must be a whole number, got 1.5",
    );
  });

  it("names result files <scenario>-<runtime>-<time>", () => {
    assert.equal(
      resultBaseName("burst", "deno", "2025-01-02T03:04:05.678Z"),
      "burst-deno-2025-01-02T03-04-05Z",
    );
  });
});

describe("stress probes", () => {
  it("reads the thread count of /proc/<pid>/status", () => {
    assert.equal(threadsInStatus("Name:\tbun\nState:\tR\nThreads:\t17\nSigQ:\t0/1\n"), 17);
    assert.equal(threadsInStatus("Name:\tbun\n"), null);
  });

  it("recognises load-worker threads by name on Bun and Deno", () => {
    assert.equal(isWorkerThreadName("lunge-load-12\n"), true);
    assert.equal(isWorkerThreadName("worker-3"), true);
    assert.equal(isWorkerThreadName("JITWorker"), false);
    assert.equal(isWorkerThreadName("tokio-runtime-w"), false);
  });

  it("counts client sockets by remote port, ESTABLISHED and CLOSE_WAIT only", () => {
    const table = "  sl  local_address rem_address   st tx_queue rx_queue\n" +
      "   0: 0100007F:C350 0100007F:1F90 01 00000000:00000000\n" + // client → 8080, established
      "   1: 0100007F:C351 0100007F:1F90 08 00000000:00000000\n" + // close-wait: still held
      "   2: 0100007F:C352 0100007F:1F90 06 00000000:00000000\n" + // time-wait: closed
      "   3: 0100007F:1F90 0100007F:C350 01 00000000:00000000\n"; // the server side: local port 8080
    assert.equal(countClientSocketsInTable(table, 8080), 2);
    assert.equal(countClientSocketsInTable(table, 8081), 0);
  });
});
