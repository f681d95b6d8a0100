/**
 * A stress verdict that could not be checked (no /proc, threads not
 * visible, a scenario without a fixed rate) says "not checked" everywhere:
 * in the verdict, the text summary, the HTML page and the JSON. It never
 * reads or counts as passed, and under CI=true it fails the run.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatStressSummary } from "../../stress/report_text.ts";
import { renderStressHtml } from "../../stress/report_html.ts";
import type { StressResult } from "../../stress/types.ts";
import { checked, judge, notChecked, runFailure, summaryLine } from "../../stress/verdicts.ts";
import { cleanStressResult } from "../_helpers/stress_result.ts";

/** A clean 20 s run whose leak probes saw nothing: no /proc here, threads not named. */
function runWithoutProbes(): StressResult {
  const partial = cleanStressResult({
    loadWorkers: 1,
    leaks: {
      threadsBefore: null,
      threadsAfter: null,
      workerThreadsDuring: null,
      workerThreadsAfter: null,
      targetConnections: null,
      targetConnectionsMs: 0,
      clientSockets: null,
    },
  });
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
