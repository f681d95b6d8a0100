// gRPC against @grpc/grpc-js beyond the happy path: server reflection, TLS (an openssl-made certificate),
// deadlines that expire, UNAVAILABLE for some calls, and a server restarted mid-run: lunge's counts per
// status equal the server's, and the run goes on. Two load workers on threads in one of them.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { run } from "../../../src/engine/run.ts";
import { type GrpcPeer, type GrpcServerStats, startGrpcPeer } from "../../_helpers/grpc_peer.ts";
import { makeCertificates, type TestCertificates } from "../../_helpers/nginx_tls.ts";

const PROTO = ["examples/grpc/echo.proto"];
const SAY = "lunge.echo.Echo/Say";

function minus(a: GrpcServerStats, b: GrpcServerStats): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(a.statuses)) {
    if (v - (b.statuses[k] ?? 0) > 0) out[k] = v - (b.statuses[k] ?? 0);
  }
  return out;
}

describe("gRPC faults and transports against grpc-js", () => {
  let peer: GrpcPeer;
  before(async () => {
    peer = await startGrpcPeer();
  });
  after(async () => {
    await peer.stop();
  });

  it("server reflection (no --proto): the method is found and called", async () => {
    const s0 = await peer.stats();
    const result = await run({ url: peer.url, call: SAY, data: { name: "r" }, requests: 50, workers: 1 });
    const s1 = await peer.stats();
    assert.equal(result.grpc!.source, "reflection");
    assert.deepEqual(result.grpc!.total.statuses, { OK: 50 });
    assert.equal(
      s1.methods["/lunge.echo.Echo/Say"].calls - (s0.methods["/lunge.echo.Echo/Say"]?.calls ?? 0),
      50,
    );
  });

  it("reflection falls back to v1alpha; a server without reflection asks for --proto", async () => {
    const old = await startGrpcPeer({ reflection: "v1alpha" });
    const none = await startGrpcPeer({ reflection: "none" });
    try {
      const result = await run({ url: old.url, call: SAY, requests: 20, workers: 1 });
      assert.equal(result.grpc!.source, "reflection");
      assert.deepEqual(result.grpc!.total.statuses, { OK: 20 });
      assert.equal((await old.stats()).calls, 20);
      await assert.rejects(
        run({ url: none.url, call: SAY, requests: 20, workers: 1 }),
        /has no server reflection .*give the service's --proto file/,
      );
      assert.equal((await none.stats()).calls, 0);
    } finally {
      await old.stop();
      await none.stop();
    }
  });

  it("two workers on threads, open model: counts equal the server's", async () => {
    const s0 = await peer.stats();
    const result = await run({
      url: peer.url,
      call: SAY,
      proto: PROTO,
      data: '{"name":"a"}\n{"name":"b","fail_code":8}',
      rate: 400,
      durationMs: 1000,
      concurrency: 4,
      workers: 2,
    });
    const s1 = await peer.stats();
    const g = result.grpc!.total;
    assert.ok(g.calls > 100, `only ${g.calls} calls`);
    assert.equal(s1.calls - s0.calls, g.calls);
    assert.deepEqual(minus(s1, s0), { "0": g.statuses.OK, "8": g.statuses.RESOURCE_EXHAUSTED });
    assert.equal(result.snapshot.totalRequests, g.calls);
  });

  /** 12 calls the server answers after 600 ms, under a deadline of `timeoutMs`. */
  const slowCalls = (timeoutMs: number): ReturnType<typeof run> =>
    run({
      url: peer.url,
      call: SAY,
      proto: PROTO,
      data: { delay_ms: 600 },
      timeoutMs,
      requests: 12,
      concurrency: 4,
      workers: 1,
    });

  it("deadlines that expire: DEADLINE_EXCEEDED on both sides, counted alike", async () => {
    const s0 = await peer.stats();
    const result = await slowCalls(150);
    await new Promise((r) => setTimeout(r, 100));
    const s1 = await peer.stats();
    assert.deepEqual(result.grpc!.total.statuses, { DEADLINE_EXCEEDED: 12 });
    assert.deepEqual(minus(s1, s0), { "4": 12 });
    assert.equal(result.snapshot.errorsByKind.timeout + (result.snapshot.errorsByStatus["504"] ?? 0), 12);
  });

  it("a deadline too short to connect in (1 ms) still runs: setup calls are not held to it", async () => {
    // Before, the preflight got the call deadline too and the run failed as "cannot be reached".
    const result = await slowCalls(1);
    assert.deepEqual(result.grpc!.total.statuses, { DEADLINE_EXCEEDED: 12 });
  });

  it("UNAVAILABLE for every 4th call: counts per status equal the server's", async () => {
    const flaky = await startGrpcPeer({ unavailableEvery: 4 });
    try {
      const result = await run({
        url: flaky.url,
        call: SAY,
        proto: PROTO,
        requests: 200,
        concurrency: 3,
        workers: 1,
      });
      const s = await flaky.stats();
      assert.deepEqual(result.grpc!.total.statuses, { OK: 150, UNAVAILABLE: 50 });
      assert.deepEqual(s.statuses, { "0": 150, "14": 50 });
    } finally {
      await flaky.stop();
    }
  });

  it("a server restarted mid-run: the run goes on, OK counts equal both servers' together", async () => {
    const first = await startGrpcPeer();
    let second: GrpcPeer | null = null;
    let firstStats: GrpcServerStats | null = null;
    // The run ends once the restarted server has answered some calls, not at a fixed time: on a busy
    // machine the graceful stop and the new server's start took longer than a fixed 2.5 s run lasted.
    const end = new AbortController();
    const restart = (async () => {
      await new Promise((r) => setTimeout(r, 700));
      firstStats = await first.stop();
      await new Promise((r) => setTimeout(r, 200));
      const restarted = await startGrpcPeer({ port: first.port });
      second = restarted;
      const giveUp = Date.now() + 10_000;
      while ((await restarted.stats()).calls < 50 && Date.now() < giveUp) {
        await new Promise((r) => setTimeout(r, 50));
      }
      end.abort();
    })();
    try {
      const result = await run({
        url: first.url,
        call: SAY,
        proto: PROTO,
        data: { delay_ms: 2 },
        durationMs: 20_000,
        concurrency: 4,
        workers: 1,
        timeoutMs: 2000,
        signal: end.signal,
      });
      await restart;
      const secondStats = await second!.stats();
      const g = result.grpc!.total;
      assert.equal(g.statuses.OK, firstStats!.statuses["0"] + secondStats.statuses["0"]);
      assert.ok(secondStats.calls > 0, "no call reached the restarted server");
      assert.ok((g.statuses.UNAVAILABLE ?? 0) > 0, "no call failed while the server was down");
      assert.equal(g.calls, g.statuses.OK + g.statuses.UNAVAILABLE);
      assert.equal(firstStats!.calls + secondStats.calls, g.statuses.OK);
    } finally {
      await restart.catch(() => {});
      await first.stop();
      const s = second as GrpcPeer | null;
      if (s !== null) await s.stop();
    }
  });
});

describe("gRPC over TLS (grpcs://) against grpc-js", () => {
  let certs: TestCertificates;
  let peer: GrpcPeer;
  before(async () => {
    certs = makeCertificates();
    peer = await startGrpcPeer({ tls: { cert: certs.serverCert, key: certs.serverKey } });
  });
  after(async () => {
    await peer.stop();
    certs.remove();
  });

  it("unary and server streaming with --cacert: counts equal the server's", async () => {
    const s0 = await peer.stats();
    const unary = await run({
      url: peer.url,
      call: SAY,
      proto: PROTO,
      cacert: certs.serverCert,
      requests: 100,
      concurrency: 2,
      workers: 1,
    });
    const stream = await run({
      url: peer.url,
      call: "lunge.echo.Echo/Count",
      proto: PROTO,
      data: { count: 4 },
      cacert: certs.serverCert,
      requests: 30,
      workers: 1,
    });
    const s1 = await peer.stats();
    assert.deepEqual(unary.grpc!.total.statuses, { OK: 100 });
    assert.deepEqual(stream.grpc!.total.statuses, { OK: 30 });
    assert.equal(stream.grpc!.total.messagesReceived, 120);
    assert.equal(s1.calls - s0.calls, 130);
    assert.equal(s1.messagesOut - s0.messagesOut, 220);
    assert.equal(unary.target.url, peer.url);
  });

  it("reflection over TLS; an unverified certificate fails the preflight as one line", async () => {
    const result = await run({ url: peer.url, call: SAY, insecure: true, requests: 10, workers: 1 });
    assert.equal(result.grpc!.source, "reflection");
    assert.equal(result.grpc!.total.statuses.OK, 10);
    await assert.rejects(
      run({ url: peer.url, call: SAY, proto: PROTO, requests: 10, workers: 1 }),
      /cannot be reached/,
    );
  });
});
