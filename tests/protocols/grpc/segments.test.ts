// gRPC over --segment I/N: two segment runs against @grpc/grpc-js and `lunge merge` of their results give
// the calls per status and the messages the server counted, per call as in one run.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { run } from "../../../src/engine/run.ts";
import { mergeResults } from "../../../src/result/merge.ts";
import { type GrpcPeer, startGrpcPeer } from "../../_helpers/grpc_peer.ts";

describe("gRPC segments merged", () => {
  let peer: GrpcPeer;
  before(async () => {
    peer = await startGrpcPeer();
  });
  after(async () => {
    await peer.stop();
  });

  it("two segments of 100 server-streaming calls merge to the server's counts", async () => {
    const base = {
      url: peer.url,
      call: "lunge.echo.Echo/Count",
      proto: ["examples/grpc/echo.proto"],
      data: '{"count":2}\n{"count":3,"fail_code":14}',
      requests: 100,
      concurrency: 2,
      workers: 1,
    };
    const a = await run({ ...base, segment: { index: 0, count: 2 } });
    const b = await run({ ...base, segment: { index: 1, count: 2 } });
    const merged = mergeResults([{ name: "a", result: a }, { name: "b", result: b }]);
    const server = await peer.stats();
    const g = merged.grpc!.total;
    assert.equal(g.calls, 100);
    assert.equal(server.calls, 100);
    assert.equal(g.statuses.OK, server.statuses["0"]);
    assert.equal(g.statuses.UNAVAILABLE, server.statuses["14"]);
    assert.equal(g.messagesReceived, server.messagesOut);
    assert.equal(g.messagesPerCall, g.messagesReceived / 100);
    assert.equal(merged.grpc!.methods.length, 0);
  });
});
