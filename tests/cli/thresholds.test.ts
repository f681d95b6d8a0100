import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type { MetricsSnapshot } from "../../src/collector/types.ts";
import {
  evaluateThresholds,
  parseThreshold,
  THRESHOLD_METRICS,
  ThresholdError,
  thresholdMetricValue,
} from "../../src/thresholds/thresholds.ts";

function snapshot(overrides: Partial<MetricsSnapshot> = {}): MetricsSnapshot {
  return {
    collector: "atomic",
    totalRequests: 1000,
    successfulRequests: 990,
    failedRequests: 10,
    invalidRecords: 0,
    missedSends: 3,
    bytes: 2000,
    requestsPerSecond: 100,
    generationRate: 100,
    noResponseLatency: null,
    latency: {
      count: 1000,
      min: 0.5,
      mean: 4,
      stddev: 2,
      max: 120,
      p50: 3,
      p75: 5,
      p90: 8,
      p95: 12,
      p99: 48,
      p999: 110,
    },
    serviceTime: {
      count: 1000,
      min: 0.4,
      mean: 2,
      stddev: 1,
      max: 30,
      p50: 1.5,
      p75: 2,
      p90: 3,
      p95: 4,
      p99: 9,
      p999: 25,
    },
    statusCounts: { "200": 990, "503": 10 },
    errorsByStatus: { "503": 10 },
    errorsByKind: { timeout: 2, refused: 0, reset: 0, other: 0, dns: 0, tls: 0, protocol: 0, fd_limit: 0 },
    elapsedMs: 10_000,
    ...overrides,
  };
}

describe("parseThreshold", () => {
  const valid: Array<[string, string, string, number]> = [
    ["p99<50ms", "p99", "<", 50],
    ["p95<=1.5s", "p95", "<=", 1500],
    ["p50 < 200us", "p50", "<", 0.2],
    ["p999<2m", "p999", "<", 120_000],
    ["max<100", "max", "<", 100], // a bare latency is ms, as in k6
    ["mean>=0.5ms", "mean", ">=", 0.5],
    ["errors<1%", "errors", "<", 1],
    ["errors<=0.1%", "errors", "<=", 0.1],
    ["rps>9900", "rps", ">", 9900],
    ["rps>=100/s", "rps", ">=", 100],
    ["requests>1000", "requests", ">", 1000],
    ["missed_sends==0", "missed_sends", "==", 0],
    ["error_count<5", "error_count", "<", 5],
    ["service_p99<10ms", "service_p99", "<", 10],
    ["p(99)<50ms", "p99", "<", 50], // k6 spellings
    ["p(99.9)<1s", "p999", "<", 1000],
    ["avg<5ms", "mean", "<", 5],
    ["med<5ms", "p50", "<", 5],
    ["P99<50MS".replace("MS", "ms"), "p99", "<", 50],
  ];
  for (const [expression, metric, op, value] of valid) {
    it(`parses ${expression}`, () => {
      assert.deepEqual(parseThreshold(expression), { expression, metric, op, value });
    });
  }

  const invalid: Array<[string, RegExp]> = [
    ["p98<5ms", /Unknown metric "p98" in threshold "p98<5ms"; valid metrics: p50, p75, .*missed_sends/],
    ["latency<5ms", /Unknown metric "latency"/],
    ["p99", /Invalid threshold "p99": expected <metric><op><value>/],
    ["p99<<5ms", /Invalid threshold "p99<<5ms"/],
    ["p99=5ms", /Invalid threshold "p99=5ms"/],
    ["p99<", /Invalid threshold/],
    ["<5ms", /Invalid threshold/],
    ["p99<-5ms", /Invalid threshold/],
    ["p99<5parsecs", /"p99" takes a duration/],
    ["p99<5%", /"p99" takes a duration/],
    ["errors<1", /"errors" is a percentage, write it with %/],
    ["errors<0.01", /percentage/],
    ["errors<1ms", /percentage/],
    ["rps>5%", /"rps" takes requests per second/],
    ["requests>5s", /"requests" takes a plain count/],
    ["", /Invalid threshold ""/],
    ["constructor<5", /Unknown metric "constructor"/],
  ];
  for (const [expression, message] of invalid) {
    it(`rejects "${expression}"`, () => {
      assert.throws(() => parseThreshold(expression), (e: unknown) => {
        assert.ok(e instanceof ThresholdError, `not a ThresholdError: ${e}`);
        assert.ok(e instanceof TypeError);
        assert.equal(e.expression, expression);
        assert.match(e.message, message);
        return true;
      });
    });
  }

  it("lists every metric of THRESHOLD_METRICS in the unknown-metric message", () => {
    try {
      parseThreshold("nope<1");
      assert.fail("should throw");
    } catch (e) {
      for (const name of Object.keys(THRESHOLD_METRICS)) assert.ok((e as Error).message.includes(name), name);
    }
  });
});

describe("evaluateThresholds", () => {
  const s = snapshot();
  const table: Array<[string, number, boolean]> = [
    ["p99<50ms", 48, true],
    ["p99<48ms", 48, false],
    ["p99<=48ms", 48, true],
    ["p999<100ms", 110, false],
    ["max<=0.12s", 120, true],
    ["min>0.4ms", 0.5, true],
    ["mean<4ms", 4, false],
    // (10 failed + 3 missed sends) / (1000 requests + 3 missed sends)
    ["errors<1%", (13 / 1003) * 100, false],
    ["errors<=1.3%", (13 / 1003) * 100, true],
    ["errors<2%", (13 / 1003) * 100, true],
    ["error_count==10", 10, true],
    ["timeouts<2", 2, false],
    ["rps>9900", 9950, true],
    ["rps>=10000", 9950, false],
    ["requests>=1000", 1000, true],
    ["missed_sends==0", 3, false],
    ["service_p99<10ms", 9, true],
    ["service_max<20ms", 30, false],
  ];
  for (const [expression, actual, passed] of table) {
    it(`${expression} → actual ${actual}, ${passed ? "pass" : "fail"}`, () => {
      const [outcome] = evaluateThresholds([parseThreshold(expression)], s, 9950);
      assert.equal(outcome.expression, expression);
      assert.equal(outcome.actual, actual);
      assert.equal(outcome.passed, passed);
    });
  }

  it("uses the latency as service time in the closed model (no service time recorded)", () => {
    assert.equal(thresholdMetricValue("service_p99", snapshot({ serviceTime: null }), 0), 48);
  });

  it("fails latency thresholds of a run without requests (NaN never passes), errors are 0%", () => {
    const empty = snapshot({
      missedSends: 0,
      totalRequests: 0,
      successfulRequests: 0,
      failedRequests: 0,
      latency: {
        count: 0,
        min: 0,
        mean: 0,
        stddev: 0,
        max: 0,
        p50: 0,
        p75: 0,
        p90: 0,
        p95: 0,
        p99: 0,
        p999: 0,
      },
    });
    const [p99, errors] = evaluateThresholds(
      [parseThreshold("p99<50ms"), parseThreshold("errors<1%")],
      empty,
      0,
    );
    assert.ok(Number.isNaN(p99.actual));
    assert.equal(p99.passed, false);
    assert.equal(errors.actual, 0);
    assert.equal(errors.passed, true);
  });

  it("counts missed sends as errors: an open run that never sent its arrivals fails errors<1%", () => {
    const backlog = snapshot({
      totalRequests: 200,
      successfulRequests: 200,
      failedRequests: 0,
      missedSends: 800,
    });
    const [errors] = evaluateThresholds([parseThreshold("errors<1%")], backlog, 0);
    assert.equal(errors.actual, 80);
    assert.equal(errors.passed, false);
  });

  it("evaluates several thresholds in order", () => {
    const outcomes = evaluateThresholds(["p99<50ms", "errors<0.5%", "rps>100"].map(parseThreshold), s, 9950);
    assert.deepEqual(outcomes.map((o) => o.passed), [true, false, true]);
  });
});
