// `lunge merge` on fixture results: what is summed, merged bucket-wise, aligned, recomputed,
// and what is refused (with exit 2 and one line through the CLI).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { closedRunResult, openRunResult } from "../fixtures/run_result.ts";
import { mergeResults } from "../../src/result/merge.ts";
import { decodeHistograms } from "../../src/result/histogram_codec.ts";
import { latencyStatsOf } from "../../src/collector/snapshot.ts";
import { toJson } from "../../src/result/json.ts";
import { main } from "../../src/cli/main.ts";
import { lateStartWarning } from "../../src/cli/_scaleout_commands.ts";
import type { RunResult } from "../../src/result/run_result.ts";

function segment(result: RunResult, index: number, count = 3, fingerprint = "00c0ffee00c0ffee"): RunResult {
  return { ...result, plan: { fingerprint }, segment: { index, count, startAt: null } };
}

function shifted(result: RunResult, seconds: number): RunResult {
  const at = (iso: string): string => new Date(Date.parse(iso) + seconds * 1000).toISOString();
  return { ...result, startedAt: at(result.startedAt), endedAt: at(result.endedAt) };
}

/** Runs the CLI in-process with the given files; returns exit code and output. */
async function cli(argv: string[], files: Record<string, string>) {
  let stdout = "";
  let stderr = "";
  const written = new Map<string, string>();
  const code = await main(argv, {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stdoutIsTerminal: false,
    stderrIsTerminal: false,
    env: () => undefined,
    readFile: (path) => files[path] ?? null,
    writeFile: (path, text) => void written.set(path, text),
    run: () => Promise.reject(new Error("no run in this test")),
  });
  return { code, stdout, stderr, written };
}

describe("mergeResults", () => {
  const a = segment(openRunResult(), 0);
  const b = segment(closedRunResult(), 1);
  const c = segment(shifted(openRunResult(), 2), 2);
  const merged = mergeResults([{ name: "a", result: a }, { name: "b", result: b }, { name: "c", result: c }]);

  it("sums counts, status codes, errors and clients", () => {
    const total = a.snapshot.totalRequests + b.snapshot.totalRequests + c.snapshot.totalRequests;
    assert.equal(merged.snapshot.totalRequests, total);
    assert.equal(merged.snapshot.failedRequests, 120);
    assert.equal(merged.snapshot.statusCounts["503"], 100);
    assert.equal(merged.snapshot.errorsByKind.timeout, 20);
    assert.equal(merged.snapshot.missedSends, 74);
    assert.equal(merged.clients.clients, 250);
    assert.equal(merged.options.workers, 6);
  });

  it("sums the sent counts when every segment has them; leaves them out otherwise (older results)", () => {
    const withSent = (r: RunResult, sent: number): RunResult => ({ ...r, snapshot: { ...r.snapshot, sent } });
    const all = mergeResults([
      { name: "a", result: withSent(a, 10) },
      { name: "b", result: withSent(b, 20) },
      { name: "c", result: withSent(c, 30) },
    ]);
    assert.equal(all.snapshot.sent, 60);
    assert.equal(merged.snapshot.sent, undefined);
    assert.equal("sent" in merged.snapshot, false);
  });

  it("merges histograms bucket-wise: percentiles are those of the union", () => {
    const union = decodeHistograms([a.histogram, b.histogram, c.histogram]);
    const expected = latencyStatsOf(
      union,
      Math.min(a.snapshot.latency.min, b.snapshot.latency.min),
      Math.max(a.snapshot.latency.max, b.snapshot.latency.max),
    );
    assert.deepEqual(merged.snapshot.latency, expected);
    assert.equal(merged.snapshot.latency.count, merged.snapshot.totalRequests);
  });

  it("aligns the time series by wall-clock second and spans the union for the rate", () => {
    const at = (r: RunResult, s: number) => r.timeSeries.find((p) => p.second === s)?.requests ?? 0;
    const point = merged.timeSeries.find((p) => p.second === 2)!;
    assert.equal(point.requests, at(a, 2) + at(b, 2) + at(c, 0));
    assert.equal(merged.durationMs, 32_000);
    assert.equal(merged.achievedRate, merged.snapshot.totalRequests / 32);
    assert.equal(merged.startedAt, a.startedAt);
  });

  it("records the merge and evaluates thresholds on the merged figures", () => {
    assert.deepEqual(merged.merged, { inputs: 3, count: 3, segments: [0, 1, 2], partial: false });
    assert.equal(merged.segment, null);
    const t = mergeResults([{ name: "a", result: a }, { name: "b", result: b }, { name: "c", result: c }], {
      thresholds: [{ expression: "requests==1", metric: "requests", op: "==", value: 1 }],
    }).thresholds;
    assert.deepEqual(t.map((x) => [x.passed, x.actual]), [[false, merged.snapshot.totalRequests]]);
  });

  it("merges per-name metrics by name: counts exact, mean weighted, percentiles an upper bound", () => {
    const named = (name: string, count: number, p99: number, mean: number) => ({
      name,
      count,
      errors: 1,
      statusCounts: { "200": count - 1, "503": 1 },
      errorsByStatus: { "503": 1 },
      errorsByKind: {},
      latency: { p50: p99 / 2, p90: p99 * 0.9, p99, max: p99 * 2, mean },
    });
    const m = mergeResults([
      { name: "a", result: { ...a, names: [named("GET /a", 2, 10, 4)] } },
      { name: "b", result: { ...b, names: [named("GET /a", 6, 20, 8), named("GET /b", 7, 5, 1)] } },
      { name: "c", result: c },
    ]);
    assert.deepEqual(m.names.map((n) => n.name), ["GET /a", "GET /b"]);
    const ga = m.names[0];
    assert.equal(ga.count, 8);
    assert.equal(ga.errors, 2);
    assert.deepEqual(ga.statusCounts, { "200": 6, "503": 2 });
    assert.equal(ga.latency.mean, (2 * 4 + 6 * 8) / 8);
    assert.equal(ga.latency.p99, 20);
    assert.equal(ga.latency.max, 40);
    assert.equal(m.names[1].count, 7);
  });

  it("merges name-keyed sections it does not know generically", () => {
    const extra = (requests: number, more = {}) => ({
      "/a": { requests, errors: 1, histogram: a.histogram, latency: a.snapshot.latency },
      ...more,
    });
    const m = mergeResults([
      { name: "a", result: a, raw: { ...a, custom: extra(2) } },
      { name: "b", result: b, raw: { ...b, custom: extra(3, { "/b": { requests: 7 } }) } },
      { name: "c", result: c, raw: c as unknown as Record<string, unknown> },
    ]) as RunResult & { custom: Record<string, Record<string, unknown>> };
    assert.equal(m.custom["/a"].requests, 5);
    assert.equal(m.custom["/a"].errors, 2);
    assert.deepEqual(m.custom["/b"], { requests: 7 });
    const lat = m.custom["/a"].latency as RunResult["snapshot"]["latency"];
    assert.equal(lat.count, 2 * a.snapshot.latency.count, "stats recomputed from the merged histogram");
  });

  it("refuses different plans, a duplicate or missing segment; --allow-partial marks the result", () => {
    const other = segment(closedRunResult(), 1, 3, "1111111111111111");
    assert.throws(
      () => mergeResults([{ name: "a", result: a }, { name: "x", result: other }]),
      /a and x are results of different plans/,
    );
    assert.throws(
      () => mergeResults([{ name: "a", result: a }, { name: "a2", result: a }]),
      /a and a2 are both segment 0\/3/,
    );
    assert.throws(
      () => mergeResults([{ name: "a", result: a }, { name: "b", result: b }]),
      /segment 2\/3 missing/,
    );
    const partial = mergeResults([{ name: "a", result: a }, { name: "b", result: b }], {
      allowPartial: true,
    });
    assert.deepEqual(partial.merged, { inputs: 2, count: 3, segments: [0, 1], partial: true });
    assert.throws(
      () => mergeResults([{ name: "a", result: a }, { name: "n", result: segment(closedRunResult(), 1, 4) }]),
      /split the plan differently/,
    );
  });
});

describe("lunge merge / run: bad input is exit 2 and one line", () => {
  const files = {
    "a.json": toJson(segment(openRunResult(), 0)),
    "b.json": toJson(segment(closedRunResult(), 1)),
    "c.json": toJson(segment(openRunResult(), 2)),
    "other.json": toJson(segment(closedRunResult(), 1, 3, "2222222222222222")),
    "bad.json": '{"schemaVersion": 1, "tool": ',
    "v9.json": JSON.stringify({ ...segment(openRunResult(), 1), schemaVersion: 9 }),
  };
  const oneLine = (text: string) => assert.equal(text.trimEnd().split("\n").length, 1, text);

  const cases: Array<[string, string[], RegExp]> = [
    ["malformed JSON", ["merge", "a.json", "bad.json"], /bad\.json: not valid JSON/],
    ["different plans", ["merge", "a.json", "other.json", "c.json"], /different plans/],
    [
      "another schema version",
      ["merge", "a.json", "v9.json", "c.json"],
      /v9\.json: unsupported "schemaVersion" 9/,
    ],
    ["a duplicate segment", ["merge", "a.json", "a.json", "b.json"], /both segment 0\/3/],
    ["a missing segment", ["merge", "a.json", "b.json"], /segment 2\/3 missing/],
    ["a missing file", ["merge", "a.json", "nope.json"], /cannot read "nope\.json"/],
    [
      "segment 3/3",
      ["run", "http://127.0.0.1:1/", "--segment", "3/3"],
      /--segment index must be from 0 to 2/,
    ],
    [
      "--start-at in the past",
      ["run", "http://127.0.0.1:1/", "--start-at", "2020-01-01T00:00:00Z"],
      /in the past/,
    ],
    ["--start-at not a time", ["run", "http://127.0.0.1:1/", "--start-at", "soon"], /RFC 3339/],
    ["compare a malformed file", ["compare", "a.json", "bad.json"], /bad\.json: not valid JSON/],
    [
      "compare a bad limit",
      ["compare", "a.json", "b.json", "--max-regression", "p98=1%"],
      /unknown metric "p98"/,
    ],
  ];
  for (const [name, argv, message] of cases) {
    it(name, async () => {
      const r = await cli(argv, files);
      assert.equal(r.code, 2, r.stderr);
      assert.match(r.stderr, message);
      oneLine(r.stderr);
    });
  }

  it("merges, writes --json, and exits 99 when a threshold fails on the merged result", async () => {
    const ok = await cli(["merge", "a.json", "b.json", "c.json", "--json", "m.json"], files);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /merged 3 of 3 segments/);
    assert.ok(ok.written.has("m.json"));
    const failed = await cli(["merge", "a.json", "b.json", "c.json", "--threshold", "p99<1ms", "-q"], files);
    assert.equal(failed.code, 99);
    assert.match(failed.stderr, /1 of 1 threshold failed: p99<1ms/);
    const partial = await cli(["merge", "a.json", "b.json", "--allow-partial", "--html", "p.html"], files);
    assert.equal(partial.code, 0);
    assert.match(partial.stdout, /PARTIAL: 2 of 3 segments merged/);
    assert.match(partial.written.get("p.html") ?? "", /PARTIAL: 2 of 3 segments merged/);
  });

  it("run --json - prints the result as one JSON line on stdout and the summary on stderr", async () => {
    let stdout = "";
    let stderr = "";
    const code = await main(["run", "http://127.0.0.1:1/", "--segment", "1/3", "--json", "-", "-q"], {
      stdout: (t) => void (stdout += t),
      stderr: (t) => void (stderr += t),
      env: () => undefined,
      run: (options) => {
        assert.deepEqual(options.segment, { index: 1, count: 3 });
        return Promise.resolve(segment(openRunResult(), 1));
      },
    });
    assert.equal(code, 99, "the exit code still reflects the fixture's failed threshold");
    const lines = stdout.trimEnd().split("\n");
    assert.equal(lines.length, 1);
    assert.deepEqual((JSON.parse(lines[0]) as RunResult).segment, { index: 1, count: 3, startAt: null });
    assert.match(stderr, /Split\s+segment 1\/3/);
  });

  it("warns when a --start-at run began measuring more than 1 s late", () => {
    const r = openRunResult();
    const at = (ms: number) => new Date(Date.parse(r.startedAt) + ms).toISOString();
    assert.equal(lateStartWarning({ ...r, segment: { index: 0, count: 2, startAt: at(-900) } }), null);
    assert.match(
      lateStartWarning({ ...r, segment: { index: 0, count: 2, startAt: at(-2400) } }) ?? "",
      /measuring began 2\.4 s after --start-at/,
    );
    assert.equal(lateStartWarning(r), null);
  });

  it("reads a .jsonl file of results (kubectl logs), skipping other lines", async () => {
    const line = (name: string) => JSON.stringify(JSON.parse(files[name as keyof typeof files]));
    const jsonl = ["lunge: progress line", line("a.json"), line("b.json"), "", line("c.json")].join("\n");
    const r = await cli(["merge", "fleet.jsonl", "--json", "-", "-q"], { ...files, "fleet.jsonl": jsonl });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual((JSON.parse(r.stdout) as RunResult).merged?.segments, [0, 1, 2]);
  });
});
