// --start-at through run(): measuring begins at the given wall-clock time, the warm-up before it.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { after, before } from "node:test";
import { run } from "../../src/engine/run.ts";
import { startTarget } from "../../src/target/start.ts";
import type { TargetHandle } from "../../src/target/types.ts";

/**
 * Generous: `workers: 1` runs the load on this thread (no worker to spawn), and a start past
 * startAt is checked as such (the first test), or shortens the warm-up (the second).
 */
const LEAD_MS = 3000;

describe("run({ startAt })", () => {
  let target: TargetHandle;
  before(async () => {
    target = await startTarget({ mode: "process" });
  });
  after(async () => {
    await target.stop();
  });

  it("without a warm-up the measured phase starts exactly at startAt; segment and plan are recorded", async () => {
    const startAt = Date.now() + LEAD_MS;
    const result = await run({
      url: target.url + "/",
      rate: 200,
      durationMs: 1000,
      workers: 1,
      startAt,
      segment: { index: 1, count: 2 },
    });
    const started = Date.parse(result.startedAt);
    // A process that was not ready by startAt (a machine far too busy) starts at once, late.
    if (started > startAt + 100) assert.ok(result.snapshot.missedSends > 0 || started < startAt + 1000);
    else assert.ok(Math.abs(started - startAt) <= 2, `started ${started - startAt} ms from startAt`);
    // Segment 1 of 2 of 200/s for 1 s: the odd arrivals, 100 of them.
    // (A missed send is one sent late or never: sent + missed covers the plan, sent never exceeds it.)
    assert.ok(result.snapshot.totalRequests <= 100);
    assert.ok(result.snapshot.totalRequests + result.snapshot.missedSends >= 100);
    if (result.snapshot.missedSends === 0) assert.equal(result.snapshot.totalRequests, 100);
    assert.deepEqual(result.segment, { index: 1, count: 2, startAt: new Date(startAt).toISOString() });
    assert.match(result.plan?.fingerprint ?? "", /^[0-9a-f]{16}$/);
    assert.equal(result.timeSeries[0]?.second, 0, "no empty seconds before the start");
  });

  it("with a warm-up, it runs before startAt and is not measured", async () => {
    const startAt = Date.now() + LEAD_MS;
    const result = await run({
      url: "builtin",
      rate: 200,
      durationMs: 1000,
      warmupMs: 1000,
      workers: 1,
      startAt,
    });
    const started = Date.parse(result.startedAt);
    // Measuring is switched on by a timer at the end of the warm-up: on time, or a little late.
    assert.ok(
      started - startAt >= -2 && started - startAt < 500,
      `started ${started - startAt} ms from startAt`,
    );
    // The measured second plans 200 arrivals and the warm-up 200 more. A warm-up arrival sent late,
    // after the edge, counts as measured (HTTP counts by send time), so a machine that stalls at the
    // edge can measure a few more than 200 (one busy-core run did); the warm-up itself measured would
    // be about 400.
    const { totalRequests, missedSends } = result.snapshot;
    assert.ok(totalRequests + missedSends < 300, `${totalRequests} measured + ${missedSends} missed`);
    assert.ok(totalRequests > 100, `${totalRequests} measured`);
  });

  it("a startAt more than 1 s past is refused before anything starts", async () => {
    await assert.rejects(
      run({ url: "http://127.0.0.1:1/", startAt: Date.now() - 5000 }),
      /Cannot start run: "startAt" .* in the past/,
    );
  });
});
