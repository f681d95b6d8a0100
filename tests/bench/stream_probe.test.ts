/**
 * The stream path allocates nothing per event, and the time to first byte
 * nothing per plain response: the HTTP parser's body tap, the SSE parser, the
 * LLM chunk scan and the records into a stream lane leave no heap bytes per
 * operation (byte counts, not speeds). Where the runtime's heap figure moves
 * only at GC (Bun), the retained bytes are checked instead.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { probeEventPath, probeResponsePath } from "../../bench/_lib/stream_probe.ts";

function check(what: string, probe: { allocated: number; retained: number }): void {
  if (!Number.isNaN(probe.allocated)) {
    assert.ok(probe.allocated < 1, `${what}: allocated ${probe.allocated} bytes`);
    return;
  }
  // The retained slope can carry a one-time JIT cost; a per-operation leak of even one small object is >= 8.
  if (!Number.isNaN(probe.retained)) {
    assert.ok(probe.retained < 4, `${what}: retained ${probe.retained} bytes`);
  }
}

describe("stream path allocation probes", () => {
  it("no heap bytes per event (body tap, SSE parser, LLM scan, gap into a lane)", () => {
    check("per event", probeEventPath());
  });
  it("no heap bytes per plain response for its time to first byte (timer reset, body tap, lane record)", () => {
    check("per response", probeResponsePath());
  });
});
