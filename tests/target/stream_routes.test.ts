/**
 * The built-in target's streaming routes (`GET /sse`, `POST /v1/chat/completions`)
 * against lunge: its ground truth (streams, events, tokens) equals what lunge counted;
 * thresholds on stream metrics, `lunge merge` and `lunge compare` carry the stream figures.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { run } from "../../src/engine/run.ts";
import { startTarget } from "../../src/target/start.ts";
import type { TargetHandle } from "../../src/target/types.ts";
import { mergeResults } from "../../src/result/merge.ts";
import { compareResults, parseRegressionLimit } from "../../src/result/compare.ts";
import { parseResultJson, toJson } from "../../src/result/json.ts";
import { parseAnyThreshold } from "../../src/thresholds/named_thresholds.ts";
import { formatSummary, renderHtml } from "../../src/report/mod.ts";

const JSON_HEADERS = { "content-type": "application/json" };

describe("built-in streaming routes: ground truth equals lunge's counts", () => {
  let target: TargetHandle;
  before(async () => {
    target = await startTarget({ mode: "process" });
  });
  after(async () => {
    await target.stop();
  });

  it("GET /sse: events, streams and bytes exact; first event and gaps near the route's pace", async () => {
    await target.reset();
    const result = await run({
      url: `${target.url}/sse?events=6&interval=15&first=25`,
      requests: 12,
      concurrency: 3,
      workers: 1,
    });
    const truth = await target.stats();
    const s = result.streams!;
    assert.equal(s.sseStreams, 12);
    assert.equal(truth.streams.sse.completed, 12);
    assert.equal(s.events, truth.streams.sse.events);
    assert.equal(s.events, 72);
    assert.equal(result.snapshot.bytes, truth.bodyBytesSent);
    assert.equal(s.metrics.event_gap!.count, 12 * 5);
    assert.ok(s.metrics.first_event!.p50 >= 25, `first event p50 ${s.metrics.first_event!.p50}`);
    assert.ok(s.metrics.event_gap!.p50 >= 14, `gap p50 ${s.metrics.event_gap!.p50}`);
    assert.equal(s.llmStreams, 0);
    assert.equal(s.metrics.ttft, undefined);
  });

  it("POST /v1/chat/completions stream: tokens exact, TTFT after the first-token delay, ITL at the pace; thresholds", async () => {
    await target.reset();
    const body = JSON.stringify({ model: "m", stream: true, max_tokens: 10, messages: [] });
    const result = await run({
      url: `${target.url}/v1/chat/completions?first=30&interval=5`,
      method: "POST",
      headers: JSON_HEADERS,
      body,
      requests: 8,
      concurrency: 2,
      workers: 1,
      thresholds: ["ttft_p99<5s", "ttft_p50<1ms", "itl_p99<1s", "first_event_p95<5s"].map(parseAnyThreshold),
    });
    const truth = await target.stats();
    const s = result.streams!;
    assert.equal(s.llmStreams, 8);
    assert.equal(truth.streams.llm.completed, 8);
    assert.equal(s.outputTokens, truth.streams.llm.tokens);
    assert.equal(s.outputTokens, 80);
    assert.equal(s.doneStreams, 8);
    assert.equal(s.usageStreams, 0);
    assert.equal(s.events, 8 * (1 + 10 + 1 + 1)); // role chunk, 10 tokens, finish chunk, [DONE]
    assert.equal(s.metrics.output_tokens!.p50, 10);
    assert.equal(s.metrics.itl!.count, 8 * 9);
    assert.ok(s.metrics.ttft!.p50 >= 30, `ttft p50 ${s.metrics.ttft!.p50}`);
    assert.ok(
      s.metrics.first_event!.p50 < s.metrics.ttft!.p50,
      "the role chunk comes before the first token",
    );
    assert.ok(s.metrics.tokens_per_s!.p50 > 0);
    assert.deepEqual(result.thresholds.map((t) => [t.metric, t.passed]), [
      ["ttft_p99", true],
      ["ttft_p50", false],
      ["itl_p99", true],
      ["first_event_p95", true],
    ]);
    assert.equal(result.thresholds[1].actual, s.metrics.ttft!.p50);
    const text = formatSummary(result, { color: false });
    assert.match(text, /Streams\n {2}8 event streams, 104 events; 8 LLM streams, 80 output tokens/);
    assert.match(text, /time to first token \(ttft\) +8 /);
    assert.match(text, /inter-token latency \(itl\) +72 /);
    const html = renderHtml(result);
    assert.ok(html.includes("<h2>Streams</h2>") && html.includes("time to first token (ttft)"));
  });

  it("usage block: output tokens from usage.completion_tokens; a whole answer is timed without stream figures", async () => {
    await target.reset();
    const streamed = await run({
      url: `${target.url}/v1/chat/completions?first=1&interval=1`,
      method: "POST",
      headers: JSON_HEADERS,
      body: JSON.stringify({ stream: true, max_tokens: 5, stream_options: { include_usage: true } }),
      requests: 4,
      concurrency: 1,
      workers: 1,
    });
    assert.equal(streamed.streams!.usageStreams, 4);
    assert.equal(streamed.streams!.outputTokens, 20);
    const whole = await run({
      url: `${target.url}/v1/chat/completions`,
      method: "POST",
      headers: JSON_HEADERS,
      body: JSON.stringify({ max_tokens: 5 }),
      requests: 4,
      concurrency: 1,
      workers: 1,
    });
    const truth = await target.stats();
    assert.equal(truth.streams.llm.whole, 4);
    assert.equal(whole.streams!.sseStreams, 0);
    assert.equal(whole.streams!.metrics.ttfb!.count, 4);
    assert.equal(whole.streams!.metrics.ttft, undefined);
  });

  it("merge adds the stream histograms and counts of segments; compare shows and limits them; JSON round-trips", async () => {
    const segment = async (index: number) =>
      await run({
        url: `${target.url}/sse?events=4&interval=5&first=5`,
        durationMs: 600,
        concurrency: 2,
        workers: 1,
        segment: { index, count: 2 },
      });
    const a = await segment(0);
    const b = await segment(1);
    const roundTrip = parseResultJson(toJson(a));
    assert.deepEqual(roundTrip.streams, a.streams);
    const merged = mergeResults([{ name: "a", result: a }, { name: "b", result: b }], {
      thresholds: [parseAnyThreshold("first_event_p99<5s")],
    });
    const m = merged.streams!;
    assert.equal(m.events, a.streams!.events + b.streams!.events);
    assert.equal(m.sseStreams, a.streams!.sseStreams + b.streams!.sseStreams);
    assert.equal(
      m.metrics.event_gap!.count,
      a.streams!.metrics.event_gap!.count + b.streams!.metrics.event_gap!.count,
    );
    assert.equal(
      m.metrics.first_event!.max,
      Math.max(a.streams!.metrics.first_event!.max, b.streams!.metrics.first_event!.max),
    );
    assert.equal(merged.thresholds[0].passed, true);
    const report = compareResults(a, b, [parseRegressionLimit("first_event_p99=1000%")]);
    const row = report.rows.find((r) => r.metric === "first_event_p99")!;
    assert.ok(row, "compare shows first_event_p99");
    assert.equal(row.base, a.streams!.metrics.first_event!.p99);
    assert.equal(report.failed.length, 0);
    assert.equal(report.rows.some((r) => r.metric === "ttft_p99"), false, "no LLM rows without LLM streams");
  });
});
