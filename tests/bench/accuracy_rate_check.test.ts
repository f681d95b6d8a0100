// The closed-model rate check of the accuracy bench as pure functions: it
// passes within 1% of the server's count, fails past it, says how far the
// responses in transit at the end can move a run without a warm-up, and its
// control row shows it rejects the rate lunge gave after a warm-up before the
// warm-up's completions counted.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { closedEdgeBoundPct, closedRateCheck, closedRateControl } from "../../bench/_lib/accuracy_checks.ts";
import type { GroundTruth } from "../../src/target/types.ts";
import type { RunResult } from "../../src/result/run_result.ts";
import { closedRunResult } from "../fixtures/run_result.ts";

/** A closed run of `concurrency` VUs over 3 s whose achievedRate is `rate`. */
function closed(concurrency: number, rate: number): RunResult {
  const r = closedRunResult();
  return {
    ...r,
    achievedRate: rate,
    durationMs: 3000,
    options: { ...r.options, concurrency, durationMs: 3000 },
  };
}

/** The server's ground truth: `responses` sent inside a 3 s window. */
function truth(responses: number): GroundTruth {
  const window = { fromEpochMs: 0, toEpochMs: 3000, arrivals: responses, responses };
  return { arrivals: { window } } as unknown as GroundTruth;
}

describe("closed-model rate check", () => {
  it("passes within 1% of the server's count per second and fails past it", () => {
    assert.equal(closedRateCheck("r", closed(100, 10_090), truth(30_000))[0].pass, true);
    assert.equal(closedRateCheck("r", closed(100, 9_910), truth(30_000))[0].pass, true);
    const [off] = closedRateCheck("r", closed(100, 10_110), truth(30_000));
    assert.equal(off.pass, false);
    assert.equal(off.expected, 10_000);
    assert.ok(Math.abs(off.errorPct - 1.1) < 1e-9);
    assert.equal(
      closedRateCheck("r", closed(100, 0), truth(0))[0].pass,
      false,
      "nothing compared is no pass",
    );
  });

  it("bounds the end edge of a run without a warm-up by c over the completions", () => {
    assert.ok(Math.abs(closedEdgeBoundPct(closed(100, 20_000)) - (100 * 100) / 60_000) < 1e-9);
    assert.ok(closedEdgeBoundPct(closed(10_000, 20_000)) > 16);
    assert.equal(closedEdgeBoundPct(closed(100, 0)), Infinity);
  });

  it("control: the pre-fix warm-up rate (c / window lower) is rejected, so the row passes", () => {
    // 10,000 VUs, 20,000 req/s measured and counted at the server: the old figure is 3,333/s lower.
    const [row] = closedRateControl("r", closed(10_000, 20_000), truth(60_000));
    assert.equal(row.pass, true);
    assert.ok(Math.abs(row.measured - (20_000 - 10_000 / 3)) < 1e-6);
    // Where c / window is inside the limit the old figure passes the check: the row says so.
    assert.equal(closedRateControl("r", closed(100, 20_000), truth(60_000))[0].pass, false);
  });
});
