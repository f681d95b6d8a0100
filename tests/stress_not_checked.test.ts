/**
 * A stress verdict that could not be checked (no /proc, threads not
 * visible, a scenario without a fixed rate) says "not checked" everywhere:
 * in the verdict, the text summary, the HTML page and the JSON. It never
 * reads or counts as passed, and under CI=true it fails the run.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatStressSummary } from "../stress/report_text.ts";
import { renderStressHtml } from "../stress/report_html.ts";
import type { StressResult } from "../stress/types.ts";
import { checked, judge, notChecked, runFailure, summaryLine } from "../stress/verdicts.ts";

const MIB = 1024 * 1024;

/** A clean 20 s run whose leak probes saw nothing: no /proc here, threads not named. */
function runWithoutProbes(): StressResult {
  const samples = Array.from({ length: 20 }, (_, i) => ({
    t: i + 1,
    phase: "steady",
    rps: 1000,
    targetRate: 1000,
    p99Ms: 3,
    requests: (i + 1) * 1000,
    errors: 0,
    heapUsed: 10 * MIB,
    rss: 80 * MIB,
    external: MIB,
    targetHeapUsed: 8 * MIB,
    targetRss: 60 * MIB,
    targetExternal: MIB,
    targetConnections: 10,
    targetHeapAfterGc: 6 * MIB,
  }));
  const gc = { gc: true, startHeapUsed: 6 * MIB, endHeapUsed: 6 * MIB, startRss: 60 * MIB, endRss: 60 * MIB };
  const partial = {
    schema: "lunge-stress-v1" as const,
    config: {
      scenario: "baseline" as const,
      rate: 1000,
      durationMs: 20_000,
      rampUpMs: 0,
      rampDownMs: 0,
      idleAfterMs: 0,
      concurrency: 10,
      workers: 1,
      collector: "atomic" as const,
      warmupMs: 0,
      checkThroughput: true,
      outDir: null,
      json: false,
    },
    runtime: { name: "deno", version: "2", cpus: 2 },
    startedAt: "2026-11-30T00:00:00.000Z",
    endedAt: "2026-11-30T00:00:20.000Z",
    settleSeconds: 2,
    samples,
    loadWorkers: 1,
    workerHeaps: [{
      worker: 1,
      points: samples.map((s) => ({ t: s.t, heapUsed: 5 * MIB, afterGc: true, gcMs: 1 })),
      maxGcMs: 1,
    }],
    generatorSampledAfterGc: true,
    generatorGc: gc,
    targetGc: gc,
    leaks: {
      threadsBefore: null,
      threadsAfter: null,
      workerThreadsDuring: null,
      workerThreadsAfter: null,
      targetConnections: null,
      targetConnectionsMs: 0,
      clientSockets: null,
    },
    counts: { collector: 20_000, target: 20_000, failed: 0, missedSends: 0 },
    achievedRate: 1000,
    p99Ms: 3,
    interrupted: false,
    run: {} as StressResult["run"],
  };
  return { ...partial, verdicts: judge(partial) };
}

describe("stress verdicts not checked", () => {
  it("judge marks the probes it could not read as not checked, never passed", () => {
    const result = runWithoutProbes();
    const byName = Object.fromEntries(result.verdicts.map((v) => [v.name, v]));
    for (const name of ["workers terminated", "sockets closed"]) {
      assert.equal(byName[name].status, "not checked", name);
      assert.equal(byName[name].passed, false, name);
    }
    for (
      const name of [
        "throughput",
        "counts",
        "errors",
        "heap (main thread)",
        "heap (load worker 1)",
        "heap (target)",
        "RSS (load generator)",
        "RSS (target)",
      ]
    ) {
      assert.equal(byName[name].status, "passed", `${name}: ${byName[name].detail}`);
    }
    const json = JSON.parse(JSON.stringify(result)) as StressResult;
    assert.deepEqual(
      json.verdicts.filter((v) => v.status === "not checked").map((v) => [v.name, v.passed]),
      [["workers terminated", false], ["sockets closed", false]],
    );
  });

  it("a scenario without a fixed rate shows throughput as not checked", () => {
    const result = runWithoutProbes();
    const { verdicts: _, ...partial } = result;
    const burst = judge({
      ...partial,
      config: { ...partial.config, scenario: "burst", checkThroughput: false },
    });
    const throughput = burst.find((v) => v.name === "throughput")!;
    assert.equal(throughput.status, "not checked");
    assert.match(throughput.detail, /burst scenario does not hold one fixed rate/);
  });

  it("the text summary and the HTML page say NOT CHECKED and never 'every verdict passed'", () => {
    const result = runWithoutProbes();
    const text = formatStressSummary(result, { color: false, files: [] });
    assert.match(text, /^NOT CHECKED {2}workers terminated {6}load-worker threads not visible here$/m);
    assert.match(text, /^NOT CHECKED {2}sockets closed {10}socket table unknown here \(no \/proc\)$/m);
    assert.doesNotMatch(text, /PASS every verdict/);
    assert.match(text, /^PASS 8 of 10 verdicts; not checked: workers terminated, sockets closed$/m);
    const html = renderStressHtml(result);
    assert.match(html, /<td class="bad">NOT CHECKED<\/td><td>sockets closed<\/td>/);
    assert.doesNotMatch(html, /every verdict passed/);
    assert.match(html, /PASS 8 of 10 verdicts; not checked: workers terminated, sockets closed/);
  });

  it("does not fail the run outside CI, fails it under CI=true, and a failure wins", () => {
    const verdicts = runWithoutProbes().verdicts;
    assert.equal(runFailure(verdicts, false), null);
    assert.equal(
      runFailure(verdicts, true),
      "FAIL under CI=true: NOT CHECKED workers terminated: load-worker threads not visible here | " +
        "sockets closed: socket table unknown here (no /proc)",
    );
    const failing = [...verdicts, checked("counts", false, "collector 9, target ground truth 10 (-1)")];
    assert.equal(runFailure(failing, true), "FAIL counts: collector 9, target ground truth 10 (-1)");
    assert.equal(summaryLine([checked("a", true, "x")]), "PASS every verdict");
    assert.equal(summaryLine([notChecked("a", "x")]), "PASS 0 of 1 verdicts; not checked: a");
  });
});
