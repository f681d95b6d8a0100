/**
 * The stream path allocates nothing per event: events fed through the HTTP
 * parser's body tap, the SSE parser, the LLM chunk scan and a gap record into
 * a stream lane leave no heap growth per event (a byte count, not a speed).
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { probeEventPath } from "../../bench/_lib/stream_probe.ts";

describe("stream path allocation probe", () => {
  it("no heap bytes per event (allocated where the runtime can see it; retained everywhere GC can be forced)", () => {
    const { allocated, retained } = probeEventPath();
    if (!Number.isNaN(allocated)) assert.ok(allocated < 1, `allocated ${allocated} bytes per event`);
    if (!Number.isNaN(retained)) assert.ok(retained < 1, `retained ${retained} bytes per event`);
  });
});
