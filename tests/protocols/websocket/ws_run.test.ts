/**
 * WebSocket runs against real peers: the `ws` npm package's server in a Node
 * child process (ws:// and wss://) counts what it received and sent; lunge's
 * counts must equal them exactly, in the closed and the open model. Servers
 * that close, ping, refuse the handshake or break the framing: the failures
 * are counted by kind and the run goes on.
 */
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { run } from "../../../src/engine/run.ts";
import { RunOptionsError, type RunProgress } from "../../../src/engine/options.ts";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { selfSignedCert, startWsPeer, type WsPeer } from "../../_helpers/ws_peer.ts";
import { serverFrame, startWsScriptServer } from "../../_helpers/ws_script_server.ts";

/** Reads the server's counts until `done` holds for them (at most 1 s: what lunge sent may still be on its way). */
async function statsWhen(peer: WsPeer, done: (s: Awaited<ReturnType<WsPeer["stats"]>>) => boolean) {
  let s = await peer.stats();
  for (let i = 0; i < 50 && !done(s); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    s = await peer.stats();
  }
  return s;
}

/** The server's counts settle once lunge's closes have arrived. */
async function settledStats(peer: WsPeer, connections: number) {
  for (let i = 0; i < 50; i++) {
    const s = await peer.stats();
    if (Object.values(s.closeCodes).reduce((a, b) => a + b, 0) >= connections) return s;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return await peer.stats();
}

describe("WebSocket runs against the ws package's server", () => {
  let peer: WsPeer;
  before(async () => {
    peer = await startWsPeer();
  });
  after(async () => await peer.stop());

  it("closed model: every message sent was received by the server, every answer counted", async () => {
    const before = await peer.stats();
    const result = await run({
      url: `ws://127.0.0.1:${peer.port}/chat?room=1`,
      messages: ["hello {{seq}}", "wörld"],
      concurrency: 6,
      requests: 3001,
      workers: 2,
    });
    const after = await settledStats(peer, before.connections + 6);
    const ws = result.websocket!;
    assert.equal(result.snapshot.totalRequests, 3001);
    assert.equal(result.snapshot.statusCounts["101"], 3001);
    assert.equal(result.snapshot.sent, 3001, "the pacer counted every message it sent");
    assert.equal(ws.messagesSent, after.received - before.received);
    assert.equal(ws.messagesReceived, after.sent - before.sent);
    assert.equal(ws.bytesSent, after.bytesReceived - before.bytesReceived);
    assert.equal(ws.bytesReceived, after.bytesSent - before.bytesSent);
    assert.equal(ws.handshakes, 6);
    assert.equal(after.connections - before.connections, 6);
    assert.ok(ws.handshake.p50 > 0);
    assert.deepEqual(result.names.map((n) => n.name), [
      "ws handshake",
      "msg 1: hello {{seq}}",
      "msg 2: wörld",
    ]);
    assert.equal(result.names[1].count + result.names[2].count, 3001);
    assert.equal(ws.errors.protocol + ws.errors.closedByPeer + ws.errors.timeout, 0);
  });

  it("the progress line's figures: messages sent and answered", async () => {
    const seen: RunProgress[] = [];
    await run({
      url: `ws://127.0.0.1:${peer.port}/`,
      messages: ["tick"],
      rate: 100,
      durationMs: 2200,
      concurrency: 2,
      workers: 1,
      onProgress: (p) => seen.push(p),
    });
    assert.ok(seen.length >= 1, "one progress report a second");
    const p = seen[seen.length - 1];
    assert.equal(p.unit, "messages");
    assert.ok(p.requests > 0 && p.messagesSent! >= p.requests, JSON.stringify(p));
    assert.equal(p.grpcNotOk, undefined);
  });

  it("open model: messages at the rate, counted exactly", async () => {
    const before = await peer.stats();
    const result = await run({
      url: `ws://127.0.0.1:${peer.port}/`,
      messages: ["tick"],
      rate: 400,
      durationMs: 1000,
      concurrency: 4,
      workers: 1,
    });
    const after = await settledStats(peer, before.connections + (result.pool?.peak ?? 4));
    const ws = result.websocket!;
    const planned = result.snapshot.totalRequests + result.snapshot.missedSends;
    assert.ok(Math.abs(planned - 400) <= 2, `${planned}`);
    assert.equal(ws.messagesSent, after.received - before.received);
    assert.equal(ws.messagesReceived, after.sent - before.sent);
    assert.notEqual(result.snapshot.serviceTime, null);
  });
});

describe("WebSocket over TLS (wss://, the ws server behind https.createServer)", () => {
  const tls = selfSignedCert();
  let peer: WsPeer;
  before(async () => {
    peer = await startWsPeer(["--tls", tls.cert, tls.key]);
  });
  after(async () => {
    await peer.stop();
    tls.cleanup();
  });

  it("with --cacert: exact counts", async () => {
    const before = await peer.stats();
    const result = await run({
      url: `wss://localhost:${peer.port}/`,
      messages: ["secure {{seq}}"],
      cacert: tls.cert,
      concurrency: 3,
      requests: 500,
      workers: 1,
    });
    const after = await settledStats(peer, before.connections + 3);
    assert.equal(result.snapshot.totalRequests, 500);
    assert.equal(result.snapshot.successfulRequests, 500);
    assert.equal(result.websocket!.messagesSent, after.received - before.received);
    assert.equal(result.websocket!.messagesReceived, after.sent - before.sent);
  });

  it("without the CA: every handshake fails as tls; with -k it passes", async () => {
    const refused = await run({
      url: `wss://127.0.0.1:${peer.port}/`,
      messages: ["x"],
      concurrency: 1,
      requests: 3,
      workers: 1,
    });
    assert.equal(refused.snapshot.errorsByKind.tls, 3);
    assert.equal(refused.websocket!.errors.transport, 3);
    const insecure = await run({
      url: `wss://127.0.0.1:${peer.port}/`,
      messages: ["x"],
      insecure: true,
      concurrency: 1,
      requests: 3,
      workers: 1,
    });
    assert.equal(insecure.snapshot.successfulRequests, 3);
  });
});

describe("WebSocket servers that close, ping, refuse or break the framing", () => {
  it("a server closing with 4001 after 5 messages: closed by peer counted, connections re-opened", async () => {
    const peer = await startWsPeer(["--close-after", "5", "4001"]);
    try {
      const result = await run({
        url: `ws://127.0.0.1:${peer.port}/`,
        messages: ["m"],
        concurrency: 2,
        requests: 60,
        workers: 1,
      });
      const ws = result.websocket!;
      const stats = await statsWhen(peer, (s) => s.received === ws.messagesSent);
      assert.equal(result.snapshot.totalRequests, 60);
      // Each connection answers 5 and closes on the 6th message's arrival at most.
      assert.ok(ws.closeCodes["4001"] >= 8, JSON.stringify(ws.closeCodes));
      assert.equal(result.snapshot.successfulRequests + ws.errors.closedByPeer, 60);
      assert.equal(ws.messagesSent, stats.received);
      assert.equal(ws.messagesReceived, stats.sent);
      assert.equal(ws.handshakes, stats.connections);
    } finally {
      await peer.stop();
    }
  });

  it("pings from the server are answered with pongs, counted on both sides", async () => {
    const peer = await startWsPeer(["--ping-ms", "20"]);
    try {
      const result = await run({
        url: `ws://127.0.0.1:${peer.port}/`,
        messages: ["m"],
        rate: 50,
        durationMs: 500,
        concurrency: 2,
        workers: 1,
      });
      const stats = await statsWhen(peer, (s) => s.pongs === result.websocket!.pongsSent);
      assert.ok(result.websocket!.pongsSent > 0);
      assert.equal(result.websocket!.pongsSent, stats.pongs);
    } finally {
      await peer.stop();
    }
  });

  it("a handshake answered 200: refused with its status, counted per status", async () => {
    const server = await startWsScriptServer({
      handshake: () => "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
    });
    try {
      const result = await run({ url: server.url, messages: ["m"], concurrency: 1, requests: 4, workers: 1 });
      const ws = result.websocket!;
      assert.equal(result.snapshot.errorsByKind.protocol, 4);
      assert.deepEqual(ws.errors.handshakeStatus, { "200": 4 });
      assert.equal(ws.errors.handshakeRefused, 4);
      assert.match(result.errorMessages![0].message, /handshake refused: HTTP 200 instead of 101/);
    } finally {
      await server.close();
    }
  });

  it("a server answering with a masked frame: protocol errors naming the cause, the run goes on", async () => {
    const server = await startWsScriptServer({
      onData: (s) => s.write(Buffer.from([0x81, 0x82, 1, 2, 3, 4, 0x69, 0x6b])),
    });
    try {
      const result = await run({
        url: server.url,
        messages: ["m"],
        concurrency: 2,
        requests: 10,
        workers: 1,
      });
      const ws = result.websocket!;
      assert.equal(result.snapshot.errorsByKind.protocol, 10);
      assert.deepEqual(ws.protocolCauses, { "masked frame from the server": 10 });
      assert.equal(ws.handshakes, 10, "a fresh connection for each message");
    } finally {
      await server.close();
    }
  });

  it("a server that never answers: timeouts counted, the connection re-opened", async () => {
    const server = await startWsScriptServer({ onData: () => {} });
    try {
      const result = await run({
        url: server.url,
        messages: ["m"],
        concurrency: 1,
        requests: 2,
        timeoutMs: 150,
        workers: 1,
      });
      assert.equal(result.snapshot.errorsByKind.timeout, 2);
      assert.equal(result.websocket!.errors.timeout, 2);
    } finally {
      await server.close();
    }
  });

  it("a server answering with fragments and pings between them: one round trip each", async () => {
    const server = await startWsScriptServer({
      onData: (s) =>
        s.write(Buffer.concat([serverFrame(0x01, "ab"), serverFrame(0x89, "x"), serverFrame(0x80, "cd")])),
    });
    try {
      const result = await run({ url: server.url, messages: ["m"], concurrency: 1, requests: 5, workers: 1 });
      assert.equal(result.snapshot.successfulRequests, 5);
      assert.equal(result.websocket!.bytesReceived, 20);
      assert.equal(result.websocket!.pongsSent, 5);
    } finally {
      await server.close();
    }
  });
});

describe("WebSocket options", () => {
  it("a ws:// URL needs messages; messages need a ws:// URL; a body is refused", async () => {
    await assert.rejects(run({ url: "ws://127.0.0.1:1/", requests: 1 }), RunOptionsError);
    await assert.rejects(
      run({ url: "http://127.0.0.1:1/", messages: ["x"], requests: 1 }),
      /need a ws:\/\/ or wss:\/\/ URL/,
    );
    await assert.rejects(
      run({ url: "ws://127.0.0.1:1/", messages: ["x"], body: "b", requests: 1 }),
      /"body"/,
    );
  });

  it("a {{csv:...}} that cannot serve: one RunOptionsError naming --message and the file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lunge-ws-csv-"));
    try {
      writeFileSync(join(dir, "u.csv"), "name\nann\n");
      const cases: Array<[string, RegExp]> = [
        [`{{csv:${dir}/none.csv:name}}`, /^--message 2: cannot read CSV file ".*none\.csv"$/],
        [
          `{{csv:${dir}/u.csv:user}}`,
          /^--message 2: CSV file ".*u\.csv" has no column "user" \(columns: name\)$/,
        ],
      ];
      for (const [message, pattern] of cases) {
        await assert.rejects(
          run({ url: "ws://127.0.0.1:1/", messages: ["hi", message], requests: 1 }),
          (e: unknown) => {
            assert.ok(e instanceof RunOptionsError, String(e));
            assert.equal(e.option, "messages");
            assert.match(e.reason, pattern);
            return true;
          },
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("WebSocket messages from a CSV column", () => {
  it("{{csv:FILE:column}}: rows in turn by {{seq}}, the server receives each value", async () => {
    const peer = await startWsPeer(["--record-texts"]);
    const dir = mkdtempSync(join(tmpdir(), "lunge-ws-csv-"));
    try {
      writeFileSync(join(dir, "users.csv"), 'id,name\n1,ann\n2,"b,ob"\n3,cyd\n');
      const result = await run({
        url: `ws://127.0.0.1:${peer.port}/`,
        messages: [`hello {{csv:${dir}/users.csv:name}}`],
        concurrency: 4,
        requests: 30,
        workers: 2, // worker threads: the columns travel in the job; {{seq}} stays disjoint across them
      });
      assert.equal(result.snapshot.totalRequests, 30);
      const stats = await settledStats(peer, 4);
      assert.deepEqual(stats.texts, { "hello ann": 10, "hello b,ob": 10, "hello cyd": 10 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
      await peer.stop();
    }
  });
});
