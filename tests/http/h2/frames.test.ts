import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type net from "node:net";
import { FrameReader } from "../../../src/http/h2/_frame_reader.ts";
import { Flag, FrameType, writeFrameHeader } from "../../../src/http/h2/_frames.ts";
import { H2ConnectionPool } from "../../../src/http/h2/pool.ts";
import { prepareRequest } from "../../../src/http/request.ts";
import { tcpConnect } from "../../../src/runtime/connect.ts";
import { ErrorKind } from "../../../src/collector/types.ts";
import { concatBytes as concat, h2Frame as frame, startH2ScriptServer } from "../_h2_script_server.ts";

interface Seen {
  kind: "frame" | "data";
  type: number;
  flags: number;
  streamId: number;
  payload: number[];
  dataLength?: number;
}

function collect(): { reader: FrameReader; seen: Seen[] } {
  const seen: Seen[] = [];
  const reader = new FrameReader({
    onFrame: (type, flags, streamId, p, start, length) => {
      seen.push({ kind: "frame", type, flags, streamId, payload: [...p.subarray(start, start + length)] });
      return true;
    },
    onData: (streamId, flags, frameLength, dataLength) => {
      seen.push({ kind: "data", type: 0, flags, streamId, payload: [frameLength], dataLength });
      return true;
    },
  });
  return { reader, seen };
}

describe("FrameReader", () => {
  const stream = concat(
    frame(FrameType.Settings, 0, 0, [0, 3, 0, 0, 0, 100]),
    frame(FrameType.Headers, Flag.EndHeaders, 1, [0x88]),
    frame(FrameType.Data, 0, 1, new Uint8Array(20_000).subarray(0, 16_384)),
    frame(FrameType.Data, Flag.Padded | Flag.EndStream, 1, [3, 1, 2, 3, 4, 0, 0, 0]),
    frame(FrameType.Data, Flag.EndStream, 3, []),
    frame(FrameType.Ping, 0, 0, [1, 2, 3, 4, 5, 6, 7, 8]),
  );
  const expected: Seen[] = [
    { kind: "frame", type: FrameType.Settings, flags: 0, streamId: 0, payload: [0, 3, 0, 0, 0, 100] },
    { kind: "frame", type: FrameType.Headers, flags: Flag.EndHeaders, streamId: 1, payload: [0x88] },
    { kind: "data", type: 0, flags: 0, streamId: 1, payload: [16_384], dataLength: 16_384 },
    { kind: "data", type: 0, flags: Flag.Padded | Flag.EndStream, streamId: 1, payload: [8], dataLength: 4 },
    { kind: "data", type: 0, flags: Flag.EndStream, streamId: 3, payload: [0], dataLength: 0 },
    { kind: "frame", type: FrameType.Ping, flags: 0, streamId: 0, payload: [1, 2, 3, 4, 5, 6, 7, 8] },
  ];

  it("cuts frames out of one chunk", () => {
    const { reader, seen } = collect();
    assert.equal(reader.feed(stream, 0, stream.length), true);
    assert.deepEqual(seen, expected);
  });

  for (const step of [1, 2, 7, 9, 10, 100, 4096]) {
    it(`cuts the same frames out of ${step}-byte chunks`, () => {
      const { reader, seen } = collect();
      for (let at = 0; at < stream.length; at += step) {
        assert.equal(reader.feed(stream, at, Math.min(stream.length, at + step)), true);
      }
      assert.deepEqual(seen, expected);
    });
  }

  it("rejects a frame larger than the maximum frame size", () => {
    const { reader } = collect();
    const big = new Uint8Array(9);
    writeFrameHeader(big, 0, 16_385, FrameType.Headers, 0, 1);
    assert.equal(reader.feed(big, 0, 9), false);
    assert.match(reader.error!, /exceeds the maximum frame size/);
  });

  it("rejects DATA padding that does not fit the frame", () => {
    const { reader } = collect();
    const bad = frame(FrameType.Data, Flag.Padded, 1, [5, 1, 2]);
    assert.equal(reader.feed(bad, 0, bad.length), false);
    assert.match(reader.error!, /padding/);
  });
});

// ---- a scripted HTTP/2 server ----

/** Response HEADERS block: ":status: 200" and "content-length: <n>". */
function responseBlock(length: number): Uint8Array {
  const digits = new TextEncoder().encode(String(length));
  return Uint8Array.from([0x88, 0x0f, 0x0d, digits.length, ...digits]);
}

const scriptedServer = startH2ScriptServer;

function answer(socket: net.Socket, sid: number, body = "ok"): void {
  const bytes = new TextEncoder().encode(body);
  socket.write(concat(
    frame(FrameType.Headers, Flag.EndHeaders, sid, responseBlock(bytes.length)),
    frame(FrameType.Data, Flag.EndStream, sid, bytes),
  ));
}

interface Outcome {
  status: number;
  bytes: number;
  kind: number;
}

/** Sends `count` requests one after another on one handle and collects the outcomes. */
async function sequence(
  port: number,
  count: number,
): Promise<{ outcomes: Outcome[]; reconnects: number; lastError: string }> {
  const req = prepareRequest({ url: `http://127.0.0.1:${port}/`, method: "GET", headers: {} });
  const pool = new H2ConnectionPool(req, {
    streams: 1,
    connect: (l) => tcpConnect(req.hostname, req.port, l),
  });
  const outcomes: Outcome[] = [];
  return await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`stuck: ${JSON.stringify(outcomes)}`)), 20_000);
    const conn = pool.create((status, bytes, kind) => {
      outcomes.push({ status, bytes, kind });
      if (outcomes.length < count) conn.send();
      else {
        clearTimeout(timer);
        const result = { outcomes, reconnects: conn.reconnects, lastError: conn.lastError ?? "" };
        conn.close();
        resolve(result);
      }
    });
    conn.send();
  });
}

const OK: Outcome = { status: 200, bytes: 2, kind: ErrorKind.None };

describe("HTTP/2 session against a scripted server", () => {
  it("answers PING with a PING ACK carrying the same payload", async () => {
    let pong: number[] | null = null;
    const server = await scriptedServer({
      onConnect: (s) => s.write(frame(FrameType.Ping, 0, 0, [9, 8, 7, 6, 5, 4, 3, 2])),
      onFrame: (type, flags, _sid, payload) => {
        if (type === FrameType.Ping && flags & Flag.Ack) pong = [...payload];
      },
      onRequest: (s, sid) => answer(s, sid),
    });
    try {
      const r = await sequence(server.port, 2);
      assert.deepEqual(r.outcomes, [OK, OK]);
      assert.deepEqual(pong, [9, 8, 7, 6, 5, 4, 3, 2]);
    } finally {
      server.close();
    }
  });

  it("assembles a header block from HEADERS and CONTINUATION frames", async () => {
    const server = await scriptedServer({
      onRequest: (s, sid) => {
        const block = responseBlock(2);
        s.write(concat(
          frame(FrameType.Headers, 0, sid, block.subarray(0, 1)),
          frame(FrameType.Continuation, 0, sid, block.subarray(1, 3)),
          frame(FrameType.Continuation, Flag.EndHeaders, sid, block.subarray(3)),
          frame(FrameType.Data, Flag.EndStream, sid, [111, 107]),
        ));
      },
    });
    try {
      assert.deepEqual((await sequence(server.port, 3)).outcomes, [OK, OK, OK]);
    } finally {
      server.close();
    }
  });

  it("retries a stream refused with RST_STREAM REFUSED_STREAM and counts it", async () => {
    const server = await scriptedServer({
      onRequest: (s, sid, index) => {
        if (index === 0) s.write(frame(FrameType.RstStream, 0, sid, [0, 0, 0, 7]));
        else answer(s, sid);
      },
    });
    try {
      const r = await sequence(server.port, 2);
      assert.deepEqual(r.outcomes, [OK, OK]);
      assert.equal(r.reconnects, 1);
    } finally {
      server.close();
    }
  });

  it("retries streams above a GOAWAY's last-stream id on a new connection", async () => {
    const server = await scriptedServer({
      onRequest: (s, sid, _index, connection) => {
        if (connection === 0) s.write(frame(FrameType.GoAway, 0, 0, [0, 0, 0, 0, 0, 0, 0, 0]));
        else answer(s, sid);
      },
    });
    try {
      const r = await sequence(server.port, 2);
      assert.deepEqual(r.outcomes, [OK, OK]);
      assert.equal(server.connections(), 2);
      assert.ok(r.reconnects >= 1);
    } finally {
      server.close();
    }
  });

  it("reports RST_STREAM INTERNAL_ERROR as a reset and goes on", async () => {
    const server = await scriptedServer({
      onRequest: (s, sid, index) => {
        if (index === 0) s.write(frame(FrameType.RstStream, 0, sid, [0, 0, 0, 2]));
        else answer(s, sid);
      },
    });
    try {
      const r = await sequence(server.port, 2);
      assert.deepEqual(r.outcomes, [{ status: 0, bytes: 0, kind: ErrorKind.Reset }, OK]);
    } finally {
      server.close();
    }
  });

  const malformed: Array<[string, (sid: number) => Uint8Array]> = [
    ["an oversized frame", (sid) => {
      const f = new Uint8Array(9 + 20_000);
      writeFrameHeader(f, 0, 20_000, FrameType.Headers, Flag.EndHeaders, sid);
      return f;
    }],
    ["an undecodable header block", (sid) => frame(FrameType.Headers, Flag.EndHeaders, sid, [0x80])],
    ["DATA on stream 0", () => frame(FrameType.Data, 0, 0, [1])],
    ["a PING of the wrong size", () => frame(FrameType.Ping, 0, 0, [1, 2, 3])],
    ["a SETTINGS frame on a stream", (sid) => frame(FrameType.Settings, 0, sid, [])],
    [
      "a response without :status",
      (sid) => frame(FrameType.Headers, Flag.EndHeaders | Flag.EndStream, sid, [0x0f, 0x0d, 1, 48]),
    ],
    ["a body longer than content-length", (sid) =>
      concat(
        frame(FrameType.Headers, Flag.EndHeaders, sid, responseBlock(1)),
        frame(FrameType.Data, Flag.EndStream, sid, [1, 2, 3]),
      )],
    ["CONTINUATION without HEADERS", (sid) => frame(FrameType.Continuation, Flag.EndHeaders, sid, [0x88])],
  ];
  for (const [what, bad] of malformed) {
    it(`fails the request as a protocol error on ${what}, then recovers`, async () => {
      const server = await scriptedServer({
        onRequest: (s, sid, index) => (index === 0 ? s.write(bad(sid)) : answer(s, sid)),
      });
      try {
        const r = await sequence(server.port, 2);
        assert.equal(r.outcomes[0].kind, ErrorKind.Protocol, JSON.stringify(r.outcomes));
        assert.deepEqual(r.outcomes[1], OK);
      } finally {
        server.close();
      }
    });
  }

  it("after a timeout on a silent connection, the next request goes to a new connection", async () => {
    const server = await scriptedServer({
      silent: (connection) => connection === 0, // the first connection goes quiet after its SETTINGS
      onRequest: (s, sid, _index, connection) => {
        if (connection > 0) answer(s, sid);
      },
    });
    try {
      const req = prepareRequest({ url: `http://127.0.0.1:${server.port}/`, method: "GET", headers: {} });
      const pool = new H2ConnectionPool(req, {
        streams: 1,
        connect: (l) => tcpConnect(req.hostname, req.port, l),
      });
      const outcomes: Outcome[] = [];
      let next: (() => void) | null = null;
      const conn = pool.create((status, bytes, kind) => {
        outcomes.push({ status, bytes, kind });
        next?.();
      });
      conn.send();
      await new Promise((r) => setTimeout(r, 300));
      conn.abort(ErrorKind.Timeout); // what the engine's sweep does at the deadline
      assert.deepEqual(outcomes, [{ status: 0, bytes: 0, kind: ErrorKind.Timeout }]);
      await new Promise<void>((resolve) => {
        next = resolve;
        conn.send();
      });
      conn.close();
      assert.deepEqual(outcomes[1], OK);
      assert.equal(server.connections(), 2);
    } finally {
      server.close();
    }
  });

  it("gives up a connection that answers neither requests nor a liveness PING", async () => {
    const server = await scriptedServer({
      onRequest: (s, sid, _index, connection) => {
        if (connection > 0) answer(s, sid); // the first one acknowledges SETTINGS, then ignores everything
      },
    });
    try {
      const req = prepareRequest({ url: `http://127.0.0.1:${server.port}/`, method: "GET", headers: {} });
      const pool = new H2ConnectionPool(req, {
        streams: 1,
        connect: (l) => tcpConnect(req.hostname, req.port, l),
      });
      const outcomes: Outcome[] = [];
      const conn = pool.create((status, bytes, kind) => outcomes.push({ status, bytes, kind }));
      for (let attempt = 0; attempt < 5 && outcomes.at(-1)?.kind !== ErrorKind.None; attempt++) {
        conn.send();
        await new Promise((r) => setTimeout(r, 300));
        if (conn.inFlight) conn.abort(ErrorKind.Timeout);
      }
      conn.close();
      assert.deepEqual(outcomes.at(-1), OK);
      assert.ok(outcomes.length <= 3, `${outcomes.length} attempts`);
      assert.equal(server.connections(), 2);
    } finally {
      server.close();
    }
  });

  it("fails requests as refused when nothing listens", async () => {
    const server = await scriptedServer({ onRequest: () => {} });
    const port = server.port;
    server.close();
    await new Promise((r) => setTimeout(r, 50));
    const r = await sequence(port, 1);
    assert.equal(r.outcomes[0].kind, ErrorKind.Refused);
  });
});
