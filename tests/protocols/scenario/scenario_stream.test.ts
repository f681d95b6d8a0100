/**
 * `ctx.http.stream` in a scenario against the built-in target: events with
 * their data, ids and times; stream figures per step name; counts equal the
 * target's ground truth.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { run } from "../../../src/engine/run.ts";
import { startTarget } from "../../../src/target/start.ts";
import type { TargetHandle } from "../../../src/target/types.ts";
import { parseAnyThreshold } from "../../../src/thresholds/named_thresholds.ts";

describe("ctx.http.stream", () => {
  let target: TargetHandle;
  before(async () => {
    target = await startTarget({ mode: "process" });
  });
  after(async () => {
    await target.stop();
  });

  it("iterates events with times; records stream figures per step; counts exact", async () => {
    await target.reset();
    const result = await run({
      url: target.url,
      scenario: "tests/fixtures/scenarios/sse_events.ts",
      durationMs: 1000,
      concurrency: 3,
      workers: 1,
      thresholds: ["sse.first_event_p50>10ms", "quiet.events_max==3", "sse.ttft_p99<1s"].map(
        parseAnyThreshold,
      ),
    });
    const truth = await target.stats();
    const checks = result.scenario!.checks;
    assert.ok(checks.length === 5, JSON.stringify(checks));
    for (const c of checks) assert.equal(c.fails, 0, `check "${c.name}" failed ${c.fails} times`);
    const s = result.streams!;
    const iterations = result.scenario!.iterations.count;
    assert.ok(iterations > 0);
    // Streams of iterations still running at the end are not in the result; the target counts them.
    assert.ok(s.sseStreams >= iterations * 2 && s.sseStreams <= truth.streams.sse.streams);
    const byName = Object.fromEntries(s.names.map((n) => [n.name, n]));
    assert.equal(byName.sse.events, byName.sse.sseStreams * 4);
    assert.equal(byName.quiet.events, byName.quiet.sseStreams * 3);
    assert.equal(s.events, byName.sse.events + byName.quiet.events);
    assert.equal(byName.sse.metrics.event_gap!.count, byName.sse.sseStreams * 3);
    assert.ok(byName.sse.metrics.first_event!.p50 >= 19);
    assert.ok(byName.sse.metrics.event_gap!.p50 >= 9);
    // Per-step stream thresholds; a metric the step never had (no tokens) measures NaN and fails.
    assert.deepEqual(result.thresholds.map((t) => [t.metric, t.passed]), [
      ["stream:sse:first_event_p50", true],
      ["stream:quiet:events_max", true],
      ["stream:sse:ttft_p99", false],
    ]);
    assert.ok(Number.isNaN(result.thresholds[2].actual));
  });
});
