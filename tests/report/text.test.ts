import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatSummary } from "../../src/report/_text.ts";
import {
  formatBytes,
  formatCount,
  formatDuration,
  formatMs,
  formatPercent,
} from "../../src/report/_units.ts";
import { stripAnsi } from "../../src/report/_ansi.ts";
import { closedRunResult, openRunResult, refusedRunResult } from "../fixtures/run_result.ts";

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[/;

describe("units", () => {
  it("formats latencies with a unit that keeps the digits that matter", () => {
    assert.equal(formatMs(0), "0ms");
    assert.equal(formatMs(0.0421), "42.10µs");
    assert.equal(formatMs(2.5), "2.500ms");
    assert.equal(formatMs(702.11), "702.1ms");
    assert.equal(formatMs(1002.6), "1.003s");
    assert.equal(formatMs(Number.NaN), "-");
  });
  it("formats bytes, counts, durations and percentages", () => {
    assert.equal(formatBytes(0), "0 B");
    assert.equal(formatBytes(1023), "1023 B");
    assert.equal(formatBytes(1536), "1.50 KiB");
    assert.equal(formatBytes(30_709_760), "29.29 MiB");
    assert.equal(formatCount(1_234_567), "1,234,567");
    assert.equal(formatCount(999.96, 1), "1,000.0");
    assert.equal(formatCount(-1234), "-1,234");
    assert.equal(formatDuration(850), "850ms");
    assert.equal(formatDuration(30_000), "30.0s");
    assert.equal(formatDuration(302_000), "5m02s");
    assert.equal(formatDuration(3_900_000), "1h05m00s");
    assert.equal(formatPercent(0.998), "99.80%");
  });
});

describe("formatSummary", () => {
  it("shows the run's figures, open-model rate and both latency columns", () => {
    const result = openRunResult();
    const text = formatSummary(result, { color: false });
    assert.doesNotMatch(text, ANSI);
    assert.match(text, /GET http:\/\/127\.0\.0\.1:8080\/api\/items\?limit=10/);
    assert.match(text, /open, 1,000 req\/s target, at most 100 in flight, 2 workers/);
    assert.match(text, /Collector\s+atomic/);
    assert.match(text, /Runtime\s+bun 1\.4\.4 \(2 CPUs/);
    assert.match(text, /Requests\s+30,000/);
    assert.match(text, /Successes\s+29,940\s+\(99\.80%\)/);
    assert.match(text, /Failures\s+60\s+\(0\.20%\)/);
    assert.match(text, /Rate\s+1,000\.0 req\/s\s+\(target 1,000 req\/s: 100\.00%\)/);
    assert.match(text, /Bytes\s+29\.29 MiB/);
    assert.match(text, /Missed sends\s+37/);
    assert.match(text, /Latency\s+corrected\s+service time/);
    const s = result.snapshot;
    // Every row holds the corrected value, then the service time.
    const rows: Array<[string, number, number]> = [
      ["min", s.latency.min, s.serviceTime!.min],
      ["p50", s.latency.p50, s.serviceTime!.p50],
      ["p75", s.latency.p75, s.serviceTime!.p75],
      ["p90", s.latency.p90, s.serviceTime!.p90],
      ["p95", s.latency.p95, s.serviceTime!.p95],
      ["p99", s.latency.p99, s.serviceTime!.p99],
      ["p99.9", s.latency.p999, s.serviceTime!.p999],
      ["max", s.latency.max, s.serviceTime!.max],
      ["mean", s.latency.mean, s.serviceTime!.mean],
      ["stddev", s.latency.stddev, s.serviceTime!.stddev],
    ];
    for (const [label, corrected, service] of rows) {
      const line = text.split("\n").find((l) => l.trim().startsWith(label + " "));
      assert.ok(line, `row ${label} missing`);
      assert.deepEqual(line.trim().split(/\s+/), [label, formatMs(corrected), formatMs(service)]);
    }
    // The stall shows in the corrected p99, not in the service time.
    assert.ok(s.latency.p99 > 100 && s.serviceTime!.p99 < 20);
    assert.match(text, /200\s+29,940\s+99\.80%/);
    assert.match(text, /503\s+50\s+0\.17%/);
    assert.match(text, /timeout\s+10\s+0\.03%/);
    assert.match(text, /✗ p99<50ms\s+actual 702\.1ms/);
    assert.match(text, /✓ errors<1%\s+actual 0\.20%/);
    assert.match(text, /✓ rps>990\s+actual 1,000\.0 req\/s/);
    assert.doesNotMatch(text, /INTERRUPTED|refused connections/);
    assert.ok(text.endsWith("\n"));
  });

  it("has one latency column and no target rate in the closed model", () => {
    const text = formatSummary(closedRunResult(), { color: false });
    assert.match(text, /closed, 50 virtual users, 2 workers/);
    assert.match(text, /Collector\s+legacy/);
    assert.match(text, /built-in target/);
    assert.doesNotMatch(text, /service time|corrected|target .* req\/s|Missed sends/);
    const p50 = text.split("\n").find((l) => l.trim().startsWith("p50 "));
    assert.equal(p50?.trim().split(/\s+/).length, 2);
    assert.match(text, /Errors\n\s+none/);
    assert.doesNotMatch(text, /Thresholds/);
  });

  it("says when the target refused connections and when the run was interrupted", () => {
    const text = formatSummary(refusedRunResult(), { color: false });
    assert.match(text, /^target refused connections: is it running at http:\/\/127\.0\.0\.1:9\/\?$/m);
    assert.match(text, /^INTERRUPTED: partial result$/m);
    assert.match(text, /refused\s+812\s+100\.00%/);
    assert.match(text, /Status codes\n\s+none/);
  });

  it("colors with ANSI only when asked, with the same text underneath", () => {
    const result = openRunResult();
    const colored = formatSummary(result, { color: true });
    assert.match(colored, ANSI);
    assert.equal(stripAnsi(colored), formatSummary(result, { color: false }));
    const refused = formatSummary(refusedRunResult(), { color: true });
    assert.ok(refused.includes("\x1b[31mtarget refused connections"), "refused line in red");
  });
});
