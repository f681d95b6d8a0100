// HdrHistogram interval logs: lunge's own V2 encoder, read back by hdr-histogram-js (the
// reference JS implementation), and a real run's --hlog against its own result.
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as hdr from "hdr-histogram-js";
import { formatHlogHeader, formatHlogLine, parseHlog } from "../../src/result/hlog.ts";
import { decodeHdrBase64, encodeHdrBase64 } from "../../src/result/_hdr_encoding.ts";
import { bucketIndex, HISTOGRAM_BUCKETS } from "../../src/shared/histogram_layout.ts";
import { percentilesOfCounts } from "../../src/shared/histogram_stats.ts";
import { runCli } from "../_helpers/cli_spawn.ts";
import { tempDir } from "../_helpers/chromium.ts";
import type { RunResult } from "../../src/result/run_result.ts";

/** The implementation's methods the `Histogram` interface does not declare. */
type JsHistogramLike = { sizeOfEquivalentValueRange(v: number): number; getCountAtValue(v: number): number };
const bucketWidth = (h: hdr.Histogram, v: number): number =>
  (h as unknown as JsHistogramLike).sizeOfEquivalentValueRange(v);
const countAt = (h: hdr.Histogram, v: number): number => (h as unknown as JsHistogramLike).getCountAtValue(v);

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Latencies in ns, log-uniform from 50 µs to 2 s. */
function sampleCounts(n: number, seed: number): Float64Array {
  const random = seeded(seed);
  const counts = new Float64Array(HISTOGRAM_BUCKETS);
  for (let i = 0; i < n; i++) {
    counts[bucketIndex(Math.round(50_000 * Math.exp(random() * Math.log(40_000))))]++;
  }
  return counts;
}

describe("hlog encoding", () => {
  it("a V2 compressed histogram lunge writes decodes in hdr-histogram-js with the same counts", () => {
    const counts = [0, 3, 0, 0, 0, 7, 1, 0, 2 ** 40, 0, 5];
    const text = encodeHdrBase64({ significantDigits: 3, lowest: 1, highest: 3_600_000_000, counts });
    const h = hdr.decodeFromCompressedBase64(text, 64);
    assert.equal(h.totalCount, 16 + 2 ** 40);
    assert.equal(countAt(h, 5), 7);
    assert.equal(countAt(h, 8), 2 ** 40);
    assert.deepEqual(Array.from(decodeHdrBase64(text).counts), counts);
  });

  it("and lunge decodes what hdr-histogram-js encodes", () => {
    const h = hdr.build({
      lowestDiscernibleValue: 1,
      highestTrackableValue: 3_600_000_000,
      numberOfSignificantValueDigits: 3,
    });
    for (const v of [1, 999, 1000, 2047, 2048, 123_456, 9_999_999]) h.recordValueWithCount(v, 3);
    const decoded = decodeHdrBase64(hdr.encodeIntoCompressedBase64(h));
    for (const v of [1, 999, 1000, 2047, 2048, 123_456, 9_999_999]) {
      assert.equal(decoded.counts[bucketIndex(v)], 3);
    }
  });

  it("an interval line's percentiles (µs) equal lunge's (ns) within one bucket", () => {
    const counts = sampleCounts(20_000, 7);
    const line = formatHlogLine(0, 1, counts);
    const h = hdr.decodeFromCompressedBase64(line.split(",")[3]);
    assert.equal(h.totalCount, 20_000);
    const ps = [50, 90, 99, 99.9];
    const lunge = new Float64Array(ps.length);
    percentilesOfCounts(counts, ps, lunge);
    ps.forEach((p, i) => {
      const us = h.getValueAtPercentile(p);
      const width = bucketWidth(h, us);
      assert.ok(Math.abs(lunge[i] / 1000 - us) <= width + 1, `p${p}: ${lunge[i] / 1000} vs ${us} ± ${width}`);
    });
  });

  it("parses its own log back (header, plan, segment, intervals)", () => {
    const counts = sampleCounts(500, 3);
    const text = formatHlogHeader({
      startEpochMs: 1_796_000_000_123,
      plan: "abcd",
      segment: { index: 1, count: 3 },
      version: "0.2.0",
    }) +
      formatHlogLine(0, 1, counts) + "\n" + formatHlogLine(1, 0.5, counts) + "\n";
    const log = parseHlog(text);
    assert.equal(log.meta.startEpochMs, 1_796_000_000_123);
    assert.deepEqual(log.meta.segment, { index: 1, count: 3 });
    assert.equal(log.meta.plan, "abcd");
    assert.deepEqual(log.intervals.map((i) => [i.startSec, i.lengthSec]), [[0, 1], [1, 0.5]]);
    assert.equal(log.intervals[1].counts.reduce((a, b) => a + b, 0), 500);
    assert.throws(() => parseHlog(text + "0.1,zz\n"), /line 8 is not an interval line/);
  });
});

describe("lunge run --hlog", () => {
  const dir = tempDir("lunge-hlog-");
  after(() => dir.remove());

  it("per-interval counts equal the time series, overall percentiles lunge's within a bucket", async () => {
    const hlog = join(dir.path, "run.hlog");
    const json = join(dir.path, "run.json");
    const r = await runCli(
      ["run", "builtin", "-c", "4", "-w", "1", "-d", "2500ms", "--hlog", hlog, "--json", json, "-q"],
      { timeoutMs: 60_000 },
    );
    assert.equal(r.code, 0, r.stderr);
    const result = JSON.parse(readFileSync(json, "utf8")) as RunResult;
    const text = readFileSync(hlog, "utf8");
    assert.match(
      text,
      /^#\[Histogram log format version 1\.3\]\n#\[StartTime: \d+\.\d{3} \(seconds since epoch\), /,
    );
    assert.match(text, /\n#\[BaseTime: \d+\.\d{3} \(seconds since epoch\)\]\n/);
    assert.match(
      text,
      /\n"StartTimestamp","Interval_Length","Interval_Max","Interval_Compressed_Histogram"\n/,
    );
    const reader = new hdr.HistogramLogReader(text);
    const union = hdr.build({
      lowestDiscernibleValue: 1,
      highestTrackableValue: 3_600_000_000,
      numberOfSignificantValueDigits: 3,
    });
    const perInterval: number[] = [];
    for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram()) {
      perInterval.push(h.totalCount);
      union.add(h);
    }
    assert.equal(Math.round(reader.startTimeSec * 1000), Date.parse(result.startedAt));
    // The series counts requests from the lanes' counters, the log from their histograms; a
    // record being written while the owner drains may land in neighbouring seconds of the two
    // (never lost: the totals are equal). A histogram bump whose group mark the owner had not
    // seen yet moves to the next flush: about a millisecond of requests at a second boundary
    // (49 of 65,000 seen at 65k req/s), so the bound is 0.2% of the second plus 5.
    const series = result.timeSeries.map((p) => p.requests);
    assert.equal(perInterval.length, series.length);
    assert.equal(perInterval.reduce((a, b) => a + b, 0), series.reduce((a, b) => a + b, 0), "totals equal");
    perInterval.forEach((n, i) =>
      assert.ok(Math.abs(n - series[i]) <= 5 + series[i] * 0.002, `${perInterval} vs ${series}`)
    );
    assert.equal(union.totalCount, result.snapshot.totalRequests);
    for (const [p, key] of [[50, "p50"], [90, "p90"], [99, "p99"]] as const) {
      const us = union.getValueAtPercentile(p);
      const width = bucketWidth(union, us);
      const lungeUs = result.snapshot.latency[key] * 1000;
      assert.ok(Math.abs(lungeUs - us) <= width + 1, `${key}: lunge ${lungeUs} µs vs ${us} µs ± ${width}`);
    }
  });

  it("--hlog-interval 2s groups seconds; a bad interval is a usage error", async () => {
    const hlog = join(dir.path, "two.hlog");
    const r = await runCli([
      "run",
      "builtin",
      "-c",
      "2",
      "-w",
      "1",
      "-d",
      "3s",
      "--hlog",
      hlog,
      "--hlog-interval",
      "2s",
      "-q",
    ], {
      timeoutMs: 60_000,
    });
    assert.equal(r.code, 0, r.stderr);
    const log = parseHlog(readFileSync(hlog, "utf8"));
    assert.deepEqual(log.intervals.map((i) => i.startSec), [0, 2]);
    assert.equal(log.intervals[0].lengthSec, 2);
    const bad = await runCli(["run", "builtin", "--hlog", hlog, "--hlog-interval", "1500ms"], {
      timeoutMs: 30_000,
    });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--hlog-interval must be a whole number of seconds/);
  });
});
