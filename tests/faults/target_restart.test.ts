/**
 * Fault suite: the target killed and restarted mid-run. Answered requests
 * are counted exactly (the client's 200s equal the server's own count),
 * refusals appear while it is down, and the run recovers once it is back.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { startFaultServer } from "./_fault_server.ts";
import { runLunge } from "./_run_cli.ts";

describe("faults: target killed and restarted", () => {
  it("counts match the server's, refused while down, recovered after", { timeout: 60_000 }, async () => {
    const server = await startFaultServer({ kind: "ok" });
    const timers: ReturnType<typeof setTimeout>[] = [];
    try {
      timers.push(setTimeout(() => void server.kill(), 1200));
      timers.push(setTimeout(() => void server.restart(), 2200));
      const r = await runLunge([server.url + "/", "-d", "4s", "-c", "8", "-w", "1"]);
      assert.ok(r.ms < 20_000, `took ${r.ms} ms`);
      assert.equal(r.code, 0, r.stderr);
      const s = r.result.snapshot;
      assert.equal(s.statusCounts["200"], server.answered, "every answer counted, none invented");
      assert.ok(s.errorsByKind.refused > 0, "refused while the target was down");
      for (const [kind, n] of Object.entries(s.errorsByKind)) {
        if (kind !== "refused" && kind !== "reset") assert.equal(n, 0, `${kind} errors`);
      }
      // Recovery: the last complete second is mostly successes again.
      const points = r.result.timeSeries.filter((p) => p.requests > 0);
      const last = points[points.length - 2] ?? points[points.length - 1];
      assert.ok(last.requests - last.errors > last.errors, JSON.stringify(last));
    } finally {
      for (const t of timers) clearTimeout(t);
      await server.close();
    }
  });
});
