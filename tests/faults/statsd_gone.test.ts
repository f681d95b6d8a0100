/**
 * Fault suite: the StatsD destination goes away mid-run. The run is
 * unaffected (no errors, counts equal the server's) and the end-of-run line
 * reports what was sent and lost.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { startStatsSink } from "../_helpers/statsd_sink.ts";
import { startFaultServer } from "./_fault_server.ts";
import { runLunge } from "./_run_cli.ts";

describe("faults: StatsD destination gone mid-run", () => {
  it("the run goes on unaffected; sent and dropped are reported", { timeout: 60_000 }, async () => {
    const server = await startFaultServer({ kind: "ok" });
    const sink = await startStatsSink();
    const port = sink.port;
    let received = -1;
    // The destination goes away once it has received the first interval's metrics.
    const gone = sink.waitForEvents(1, 3000).then((events) => {
      received = events.length;
      return sink.close();
    });
    try {
      const r = await runLunge([
        server.url + "/",
        "-d",
        "3s",
        "-c",
        "4",
        "-w",
        "1",
        "--out",
        `statsd=127.0.0.1:${port}`,
      ]);
      assert.ok(r.ms < 15_000, `the run ended on its own within its bound (took ${r.ms} ms)`);
      assert.equal(r.code, 0, r.stderr);
      const s = r.result.snapshot;
      assert.equal(s.failedRequests, 0);
      assert.equal(s.statusCounts["200"], server.answered);
      assert.equal(s.totalRequests, server.received);
      assert.ok(received > 0, "the sink got metrics before it went away");
      const line = new RegExp(
        `statsd 127\\.0\\.0\\.1:${port}: ([\\d,]+) events sent in [\\d,]+ packets, ([\\d,]+) dropped.*, ([\\d,]+) send errors`,
      ).exec(r.stderr);
      assert.ok(line, r.stderr);
      const sent = Number(line[1].replaceAll(",", ""));
      // The events sent after the sink closed never arrived: sent exceeds what it got.
      assert.ok(sent > received, `sent ${sent}, received ${received}`);
    } finally {
      await gone;
      await sink.close().catch(() => {});
      await server.close();
    }
  });
});
