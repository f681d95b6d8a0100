/**
 * Fault suite: the whole server stalls (SIGSTOP for 1 s) during an open-model
 * run at 10,000 req/s for 10 s. Latency is measured from the intended send
 * time, so the stall must show: the 1% slowest requests are those that
 * arrived in the stall's first 100 ms and waited ~0.9-1 s (wrk2 reports
 * p99 0.91 s here). The corrected p99 must lie in [0.85 s, 1.1 s].
 *
 * Timing-heavy: the upper bound holds only when the client keeps pace with
 * 10,000 req/s. When the machine is too loaded for that (achieved rate under
 * 95% of the target), the test still checks that the stall is not hidden
 * (p99 >= 0.85 s), that no count is lost and that the run ends on its own,
 * and logs why the upper bound was not checked.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { startProcessTarget } from "./_nginx.ts";
import { runLunge } from "./_run_cli.ts";

const RATE = 10_000;
const STOP_AT_MS = 4000;
const STALL_MS = 1000;

describe("faults: whole-server stall", () => {
  it("SIGSTOP 1 s at 10k req/s for 10 s: corrected p99 in [0.85 s, 1.1 s]", { timeout: 90_000 }, async () => {
    const target = await startProcessTarget();
    const timers: ReturnType<typeof setTimeout>[] = [];
    let stoppedAt = 0;
    try {
      // The run starts ~0.1-0.5 s after main() is called; the stall lands well inside the 10 s.
      timers.push(setTimeout(() => {
        stoppedAt = performance.now();
        process.kill(target.pid, "SIGSTOP");
        timers.push(setTimeout(() => process.kill(target.pid, "SIGCONT"), STALL_MS));
      }, STOP_AT_MS));
      const r = await runLunge([target.url + "/", "--rate", String(RATE), "-d", "10s", "-c", "1000"]);
      assert.ok(stoppedAt > 0, "the stall happened during the run");
      assert.ok(r.ms < 45_000, `the run ended on its own within its bound (took ${r.ms} ms)`);
      await target.stop();
      const s = r.result.snapshot;
      assert.equal(r.code, 0, r.stderr);
      assert.equal(s.failedRequests, 0);
      assert.equal(s.statusCounts["200"], await target.answered(), `client vs ${target.name}'s own count`);
      const p99 = s.latency.p99 / 1000;
      const keptPace = r.result.achievedRate >= 0.95 * RATE;
      const figures = `p99 ${p99.toFixed(3)} s, p50 ${(s.latency.p50 / 1000).toFixed(3)} s, achieved ` +
        `${r.result.achievedRate.toFixed(0)} req/s, missed sends ${s.missedSends}, target ${target.name}`;
      console.log(`server stall: ${figures}`);
      assert.ok(p99 >= 0.85, `the stall must show in the corrected p99: ${figures}`);
      if (keptPace) assert.ok(p99 <= 1.1, `corrected p99 too high: ${figures}`);
      else {console.log(
          "server stall: the client did not keep pace (machine too loaded); p99 <= 1.1 s not checked",
        );}
    } finally {
      for (const t of timers) clearTimeout(t);
      await target.stop();
    }
  });
});
