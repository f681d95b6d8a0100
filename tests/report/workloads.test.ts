import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatSummary, parseResultJson, renderHtml, toJson } from "../../src/report/mod.ts";
import type { NamedStats, RunResult } from "../../src/result/run_result.ts";
import { closedRunResult } from "../fixtures/run_result.ts";

function named(name: string, count: number, errors: Record<string, number> = {}): NamedStats {
  const errorCount = Object.values(errors).reduce((a, b) => a + b, 0);
  return {
    name,
    count,
    errors: errorCount,
    statusCounts: { "2xx": count - errorCount, ...errors },
    errorsByStatus: errors,
    errorsByKind: {},
    latency: { p50: 1.5, p90: 3, p99: 9.5, max: 20, mean: 2 },
  };
}

function scenarioResult(): RunResult {
  return {
    ...closedRunResult(),
    names: [named("login <admin>", 100), named("GET /me", 100, { "401": 3 })],
    scenario: {
      file: "examples/login_then_api.ts",
      iterations: { ...named("iterations", 100), errors: 2, errorsByKind: { other: 2 } },
      checks: [{ name: "me is 200", passes: 97, fails: 3 }],
      errors: [{ message: "boom <b>", count: 2 }],
      timedOut: 0,
      abandoned: 1,
      overflowedNames: 0,
    },
  };
}

describe("per-name and scenario reports", () => {
  it("text: per-name table, iterations, checks and iteration errors", () => {
    const text = formatSummary(scenarioResult(), { color: false });
    assert.match(text, /Per name\n\s+name\s+count\s+errors\s+p50\s+p90\s+p99\s+max/);
    assert.match(text, /GET \/me\s+100\s+3 \(401×3\)/);
    assert.match(text, /Iterations[\s\S]*iterations\s+100/);
    assert.match(text, /✗ me is 200\s+97\.00%\s+\(97 passed, 3 failed\)/);
    assert.match(text, /Iteration errors\n\s+2\s+boom <b>/);
    assert.match(text, /still running at the end \(not counted\): 1/);
  });

  it("JSON: schema 2 round-trips names and scenario; a version-1 file reads with empty parts", () => {
    const result = scenarioResult();
    const back = parseResultJson(toJson(result));
    assert.deepEqual(back.names, result.names);
    assert.deepEqual(back.scenario, result.scenario);
    const v1 = JSON.parse(toJson(closedRunResult()));
    v1.schemaVersion = 1;
    delete v1.names;
    delete v1.scenario;
    const old = parseResultJson(JSON.stringify(v1));
    assert.deepEqual(old.names, []);
    assert.equal(old.scenario, null);
  });

  it("HTML: escaped per-name, check and error tables", () => {
    const html = renderHtml(scenarioResult());
    assert.match(html, /<table class="names">[\s\S]*login &lt;admin&gt;/);
    assert.match(html, /<table class="checks">[\s\S]*me is 200/);
    assert.match(html, /<table class="iteration-errors">[\s\S]*boom &lt;b&gt;/);
    assert.ok(!html.includes("<admin>"));
    assert.ok(!renderHtml(closedRunResult()).includes('class="names"'));
  });
});
