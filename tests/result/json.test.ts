import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseResultJson, toJson } from "../../src/result/json.ts";
import { RESULT_SCHEMA_VERSION } from "../../src/result/run_result.ts";
import { closedRunResult, openRunResult, refusedRunResult } from "../fixtures/run_result.ts";

function rejects(text: string, message: RegExp): void {
  assert.throws(() => parseResultJson(text), (error: unknown) => {
    assert.ok(error instanceof TypeError, `expected a TypeError, got ${error}`);
    assert.match(error.message, /^Cannot read result JSON: /);
    assert.match(error.message, message);
    return true;
  });
}

describe("toJson / parseResultJson", () => {
  it("round-trips every fixture exactly", () => {
    for (const result of [openRunResult(), closedRunResult(), refusedRunResult()]) {
      const text = toJson(result);
      assert.deepEqual(parseResultJson(text), result);
      assert.ok(text.endsWith("\n"));
    }
  });

  it("writes keys in the documented order, whatever the object's order", () => {
    const result = openRunResult();
    const shuffled = Object.fromEntries(Object.entries(result).reverse()) as typeof result;
    const text = toJson(shuffled);
    assert.equal(text, toJson(result));
    const keys = Object.keys(JSON.parse(text));
    assert.deepEqual(keys.slice(0, 4), ["schemaVersion", "tool", "runtime", "startedAt"]);
    assert.deepEqual(keys.slice(-3), ["warnings", "names", "scenario"]);
    const at = (k: string) => keys.indexOf(k);
    assert.ok(at("thresholds") < at("pool") && at("pool") < at("warnings"), keys.join(","));
    assert.match(text, /^ {2}"schemaVersion": 2,$/m);
  });

  it("keeps the full time series and a histogram that sums to the request count", () => {
    const result = openRunResult();
    const back = parseResultJson(toJson(result));
    assert.equal(back.timeSeries.length, 30);
    const total = back.histogram.buckets.reduce((sum, [, count]) => sum + count, 0);
    assert.equal(total, result.snapshot.totalRequests);
    // Pairs stay on one line each: the file stays readable.
    assert.match(toJson(result), /^ {6}\[\d+, \d+\],?$/m);
  });

  it("writes a statistic of nothing (NaN, Infinity) as 0 so the file reads back", () => {
    const result = refusedRunResult();
    result.achievedRate = Number.NaN;
    result.snapshot.latency.min = Number.POSITIVE_INFINITY;
    const back = parseResultJson(toJson(result));
    assert.equal(back.achievedRate, 0);
    assert.equal(back.snapshot.latency.min, 0);
  });

  it("rejects garbage, a wrong schemaVersion and a wrong shape with a clear message", () => {
    rejects("", /not valid JSON/);
    rejects("lunge!", /not valid JSON/);
    rejects("[1, 2]", /expected an object with a "schemaVersion" field/);
    rejects("null", /expected an object/);
    rejects(`{"hello": 1}`, /unsupported "schemaVersion" none/);
    rejects(
      `{"schemaVersion": ${RESULT_SCHEMA_VERSION + 1}}`,
      /unsupported "schemaVersion" 3 \(this lunge reads version 2\)/,
    );
    rejects(`{"schemaVersion": "1"}`, /unsupported "schemaVersion" "1"/);

    // deno-lint-ignore no-explicit-any
    type Json = any;
    const good = JSON.parse(toJson(openRunResult()));
    const mutate = (change: (data: Json) => void): string => {
      const data = structuredClone(good);
      change(data);
      return JSON.stringify(data);
    };
    rejects(mutate((d) => delete d.snapshot.latency.p999), /"snapshot\.latency\.p999" is missing/);
    rejects(
      mutate((d) => (d.snapshot.latency.p99 = "12ms")),
      /"snapshot\.latency\.p99" must be a finite number/,
    );
    rejects(mutate((d) => (d.options.model = "semi")), /"options\.model" must be one of "closed", "open"/);
    rejects(mutate((d) => (d.timeSeries[3] = 7)), /"timeSeries\[3\]" must be an object/);
    rejects(
      mutate((d) => (d.histogram.buckets[0] = [1])),
      /"histogram\.buckets\[0\]" must be a \[number, number\] pair/,
    );
    rejects(
      mutate((d) => (d.snapshot.statusCounts["200"] = 1.5)),
      /"snapshot\.statusCounts\.200" must be an integer/,
    );
    rejects(mutate((d) => (d.interrupted = "no")), /"interrupted" must be true or false/);
  });
});
