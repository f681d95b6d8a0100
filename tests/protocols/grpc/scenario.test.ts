// ctx.grpc in scenarios against @grpc/grpc-js: unary, server streaming, client streaming and bidi calls,
// each under its name; calls per name and per status and messages both ways equal the server's counts.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { run } from "../../../src/engine/run.ts";
import { type GrpcPeer, startGrpcPeer } from "../../_helpers/grpc_peer.ts";

describe("gRPC scenarios (examples/grpc/scenario.ts) against grpc-js", () => {
  let peer: GrpcPeer;
  before(async () => {
    peer = await startGrpcPeer();
  });
  after(async () => {
    await peer.stop();
  });

  it("four kinds of call: counts per name, status and message equal the server's", async () => {
    const result = await run({
      url: "",
      scenario: "examples/grpc/scenario.ts",
      env: { GRPC_URL: peer.url },
      durationMs: 1200,
      concurrency: 3,
      workers: 2,
      thresholds: [],
    });
    const server = await peer.stats();
    const g = result.grpc!;
    assert.equal(g.kind, "mixed");
    const by = Object.fromEntries(g.methods.map((m) => [m.name, m]));
    const iterations = result.scenario!.iterations.count;
    assert.ok(iterations > 10, `only ${iterations} iterations`);
    for (
      const [name, path] of [["say", "Say"], ["count", "Count"], ["collect", "Collect"], ["chat", "Chat"]]
    ) {
      const calls = server.methods[`/lunge.echo.Echo/${path}`].calls;
      assert.equal(by[name].calls, calls, name);
      assert.deepEqual(by[name].statuses, { OK: calls }, name);
    }
    assert.equal(g.total.calls, server.calls);
    assert.equal(g.total.messagesSent, server.messagesIn);
    assert.equal(g.total.messagesReceived, server.messagesOut);
    assert.equal(by.count.messagesPerCall, 3);
    assert.equal(by.collect.messagesSent, 2 * by.collect.calls);
    assert.ok(by.count.firstMessage !== null);
    for (const c of result.scenario!.checks) assert.equal(c.fails, 0, `check "${c.name}" failed`);
    // The per-name metrics carry the calls too (count, latency), as ctx.http requests.
    assert.equal(result.names.find((n) => n.name === "say")!.count, by.say.calls);
  });
});
