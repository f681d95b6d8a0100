/**
 * Fault suite: nothing hangs at shutdown. SIGTERM stops a run like Ctrl-C
 * (partial report, exit 143); a second Ctrl-C quits at once (130); a load
 * worker crashing mid-run ends the run with exit 1, the partial result and
 * the worker's error; every wait on another thread (the collector's seqlock,
 * the legacy mutex) is bounded.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../_helpers/cli_spawn.ts";
import { SharedMutex } from "../../src/shared/mutex.ts";
import { laneBytes } from "../../src/collector/accumulator.ts";
import { C_BYTES_SEQ, COUNTER_WORDS } from "../../src/collector/_lane_layout.ts";
import { parseResultJson } from "../../src/result/json.ts";

describe("faults: shutdown", () => {
  it("SIGTERM mid-run: partial report and JSON, exit 143", { timeout: 60_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "lunge-sigterm-"));
    try {
      const json = join(dir, "r.json");
      const started = performance.now();
      const r = await runCli(["run", "builtin", "-d", "60s", "-c", "4", "-w", "1", "--json", json], {
        interruptWhen: /\[steady\]/,
        signal: "SIGTERM",
        timeoutMs: 30_000,
      });
      assert.equal(r.code, 143, r.stderr);
      assert.ok(performance.now() - started < 25_000, "ends long before the 60 s plan");
      assert.match(r.stderr, /terminated, stopping/);
      assert.match(r.stdout, /INTERRUPTED: partial result/);
      const result = parseResultJson(readFileSync(json, "utf8"));
      assert.equal(result.interrupted, true);
      assert.ok(result.snapshot.totalRequests > 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a second Ctrl-C quits at once with 130 (no report)", { timeout: 60_000 }, async () => {
    // Requests that take 5 s: after the first Ctrl-C the run would wait its 1 s grace for them.
    const r = await runCli(["run", "builtin:/delay/5000", "-d", "60s", "-c", "4", "-w", "1"], {
      interruptWhen: /\[steady\]/,
      repeatAfterMs: 50,
      timeoutMs: 30_000,
    });
    assert.equal(r.code, 130, r.stderr);
    assert.doesNotMatch(r.stdout, /Summary/, "the second Ctrl-C does not wait for the report");
    assert.ok((r.msAfterSecondSignal ?? Infinity) < 900, `exited ${r.msAfterSecondSignal} ms after it`);
  });

  it(
    "a load worker crashing mid-run: exit 1, the partial result, the worker's error",
    { timeout: 60_000 },
    async () => {
      const dir = mkdtempSync(join(tmpdir(), "lunge-crash-"));
      try {
        const json = join(dir, "r.json");
        const started = performance.now();
        const r = await runCli(["run", "builtin", "-d", "30s", "-c", "4", "-w", "2", "-q", "--json", json], {
          env: { LUNGE_TEST_WORKER_CRASH_MS: "800" },
          timeoutMs: 30_000,
        });
        assert.equal(r.code, 1, r.stderr);
        assert.ok(performance.now() - started < 20_000, "ends long before the 30 s plan");
        assert.match(r.stderr, /^lunge: load worker 1 crashed: .*simulated crash/m);
        assert.match(r.stdout, /INTERRUPTED: partial result/);
        const result = parseResultJson(readFileSync(json, "utf8"));
        assert.equal(result.interrupted, true);
        assert.ok(result.snapshot.totalRequests > 0, "what the workers measured is kept");
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  );

  it("the legacy mutex: a lock abandoned by its holder fails with a clear error, bounded", () => {
    const m = SharedMutex.create();
    m.lock(); // the holder "dies" without unlocking
    const t0 = performance.now();
    assert.throws(() => m.lock(200), /held for over 200 ms/);
    const waited = performance.now() - t0;
    assert.ok(waited >= 150 && waited < 2000, `waited ${waited} ms`);
  });

  it("the byte-counter seqlock: a lane left mid-carry fails with a clear error, bounded", () => {
    const lane = new Uint32Array(new SharedArrayBuffer(COUNTER_WORDS * 4));
    assert.equal(laneBytes(lane, 100), 0);
    Atomics.store(lane, C_BYTES_SEQ, 1); // odd: the writer died mid-carry
    const t0 = performance.now();
    assert.throws(() => laneBytes(lane, 100), /mid-update for over 100 ms/);
    assert.ok(performance.now() - t0 < 2000);
  });
});
