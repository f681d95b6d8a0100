// `lunge compare`: regression limits, warnings, and real runs (a slower /delay run fails p99=10%).
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { join } from "node:path";
import { openRunResult } from "../fixtures/run_result.ts";
import { compareResults, parseRegressionLimit } from "../../src/result/compare.ts";
import { formatCompareTable } from "../../src/report/compare_report.ts";
import { runCli } from "../_helpers/cli_spawn.ts";
import { tempDir } from "../_helpers/chromium.ts";
import type { RunResult } from "../../src/result/run_result.ts";

function slower(result: RunResult, factor: number): RunResult {
  const l = result.snapshot.latency;
  return {
    ...result,
    snapshot: { ...result.snapshot, latency: { ...l, p50: l.p50 * factor, p99: l.p99 * factor } },
  };
}

describe("compare limits", () => {
  it("parses relative, absolute and percentage-point limits", () => {
    assert.deepEqual(parseRegressionLimit("p99=10%"), {
      expression: "p99=10%",
      metric: "p99",
      kind: "relative",
      value: 10,
    });
    assert.equal(parseRegressionLimit("p99=1.5s").value, 1500);
    assert.equal(parseRegressionLimit("p99=250us").value, 0.25);
    assert.deepEqual(parseRegressionLimit("errors=0.1pp").kind, "absolute");
    assert.equal(parseRegressionLimit("rps=100").value, 100);
    assert.throws(() => parseRegressionLimit("errors=0.1"), /errors takes N% or Npp/);
    assert.throws(() => parseRegressionLimit("p99<10%"), /expected metric=N%/);
    assert.throws(() => parseRegressionLimit("p98=10%"), /unknown metric "p98"/);
  });

  it("a run compared with itself passes every limit", () => {
    const r = openRunResult();
    const limits = ["p99=0%", "rps=0%", "errors=0pp", "p50=0ms"].map(parseRegressionLimit);
    const report = compareResults(r, r, limits);
    assert.deepEqual(report.failed, []);
    assert.deepEqual(report.warnings, []);
  });

  it("p99 up 20% fails p99=10% and passes p99=25%; rps down 10% fails rps=5%; errors up 0.2pp fails 0.1pp", () => {
    const base = openRunResult();
    const worse = slower(base, 1.2);
    assert.deepEqual(compareResults(base, worse, [parseRegressionLimit("p99=10%")]).failed, ["p99=10%"]);
    assert.deepEqual(compareResults(base, worse, [parseRegressionLimit("p99=25%")]).failed, []);
    const lowRate = { ...base, achievedRate: base.achievedRate * 0.9 };
    assert.deepEqual(compareResults(base, lowRate, [parseRegressionLimit("rps=5%")]).failed, ["rps=5%"]);
    assert.deepEqual(
      compareResults(lowRate, base, [parseRegressionLimit("rps=5%")]).failed,
      [],
      "faster is no regression",
    );
    const total = base.snapshot.totalRequests;
    const errors = {
      ...base,
      snapshot: { ...base.snapshot, failedRequests: base.snapshot.failedRequests + total * 0.002 },
    };
    assert.deepEqual(compareResults(base, errors, [parseRegressionLimit("errors=0.1pp")]).failed, [
      "errors=0.1pp",
    ]);
    const table = formatCompareTable(
      compareResults(base, worse, [parseRegressionLimit("p99=10%")]),
      "base",
      "new",
    );
    assert.match(table, /p99 .*\(\+20\.0%\)\s+FAIL p99=10%/);
  });

  it("warns when runtime, machine, model or version differ", () => {
    const base = openRunResult();
    const other: RunResult = {
      ...base,
      tool: { name: "lunge", version: "9.9.9" },
      runtime: { name: "deno", version: "2.9.6", cpus: 8, cpuModel: "AMD EPYC" },
      options: { ...base.options, model: "closed", rate: null },
    };
    const warnings = compareResults(base, other, []).warnings.join("\n");
    for (const what of ["runtime", "machine", "load model", "lunge version"]) {
      assert.match(warnings, new RegExp(what));
    }
  });
});

describe("lunge compare on real runs", () => {
  const dir = tempDir("lunge-compare-");
  after(() => dir.remove());

  it("a slower run (builtin /delay/20) fails p99=10%; the same run against itself passes", async () => {
    const fast = join(dir.path, "fast.json");
    const slow = join(dir.path, "slow.json");
    const common = ["-c", "4", "-w", "1", "-d", "1500ms", "-q"];
    const [a, b] = await Promise.all([
      runCli(["run", "builtin:/", ...common, "--json", fast], { timeoutMs: 60_000 }),
      runCli(["run", "builtin:/delay/20", ...common, "--json", slow], { timeoutMs: 60_000 }),
    ]);
    assert.equal(a.code, 0, a.stderr);
    assert.equal(b.code, 0, b.stderr);
    const same = await runCli([
      "compare",
      fast,
      fast,
      "--max-regression",
      "p99=10%",
      "--max-regression",
      "rps=5%",
    ]);
    assert.equal(same.code, 0, same.stderr);
    assert.match(same.stdout, /no limit exceeded/);
    const htmlPath = join(dir.path, "compare.html");
    const worse = await runCli(["compare", fast, slow, "--max-regression", "p99=10%", "--html", htmlPath]);
    assert.equal(worse.code, 99, worse.stderr);
    assert.match(worse.stdout, /FAIL p99=10%/);
    assert.match(worse.stderr, /lunge: regression: p99=10% exceeded/);
    const json = await runCli(["compare", fast, slow, "--max-regression", "p99=10%", "--json", "-"]);
    assert.equal(json.code, 99);
    const report = JSON.parse(json.stdout) as { passed: boolean; failed: string[] };
    assert.deepEqual([report.passed, report.failed], [false, ["p99=10%"]]);
  });
});
