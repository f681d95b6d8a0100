/**
 * HTTP/2 responses that RFC 9113 §8.1.1 calls malformed, and HPACK strings
 * that RFC 7541 §5.2 makes a decoding error, sent as exact frames by a
 * scripted server: two different content-length values, an invalid one, DATA
 * that does not add up to the content-length (each a stream error: the stream
 * is reset with PROTOCOL_ERROR, the connection goes on), and invalid Huffman in
 * a header value the decoder skips (a connection error: GOAWAY with
 * COMPRESSION_ERROR, the next request goes to a new connection). Each fails its
 * request as a `protocol` error naming the cause; a run counts them and goes on.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ErrorKind } from "../../src/collector/types.ts";
import { Flag, FrameType } from "../../src/http/h2/_frames.ts";
import { run } from "../../src/engine/run.ts";
import {
  concatBytes,
  h2Frame,
  type H2Outcome,
  type H2Script,
  h2Sequence,
  startH2ScriptServer,
} from "./_h2_script_server.ts";

const PROTOCOL_ERROR = 0x1;
const COMPRESSION_ERROR = 0x9;
const STATUS_200 = 0x88;
/** A literal field without indexing whose name is static entry 28, content-length. */
const CONTENT_LENGTH = [0x0f, 0x0d];
/** A literal field without indexing whose name is static entry 54, server: its value is skipped. */
const SERVER = [0x0f, 0x27];

function digits(text: string): number[] {
  return [text.length, ...new TextEncoder().encode(text)];
}

/** HEADERS (END_HEADERS) with `block`, then DATA `body` ending the stream when `end`. */
function response(sid: number, block: number[], body: number[], end = true): Uint8Array {
  return concatBytes(
    h2Frame(FrameType.Headers, Flag.EndHeaders, sid, block),
    h2Frame(FrameType.Data, end ? Flag.EndStream : 0, sid, body),
  );
}

const OK_BODY = [111, 107];
const ok = (sid: number): Uint8Array =>
  response(sid, [STATUS_200, ...CONTENT_LENGTH, ...digits("2")], OK_BODY);
const OK_OUTCOME: H2Outcome = { status: 200, bytes: 2, kind: ErrorKind.None, error: "" };

interface Case {
  what: string;
  bytes: (sid: number) => Uint8Array;
  cause: RegExp;
  /** The frame the client must send back: RST_STREAM on this stream, or GOAWAY. */
  reset: "stream" | "connection";
}

const STREAM_ERRORS: Case[] = [
  {
    what: "two different content-length values",
    bytes: (sid) =>
      response(
        sid,
        [STATUS_200, ...CONTENT_LENGTH, ...digits("2"), ...CONTENT_LENGTH, ...digits("3")],
        OK_BODY,
      ),
    cause: /two different content-length values \(stream reset with PROTOCOL_ERROR\)/,
    reset: "stream",
  },
  {
    what: "an invalid content-length",
    bytes: (sid) => response(sid, [STATUS_200, ...CONTENT_LENGTH, ...digits("2x")], OK_BODY),
    cause: /an invalid content-length/,
    reset: "stream",
  },
  {
    what: "DATA beyond the content-length before the stream ends",
    bytes: (sid) => response(sid, [STATUS_200, ...CONTENT_LENGTH, ...digits("1")], [1, 2, 3], false),
    cause: /DATA length differs from content-length \(stream reset with PROTOCOL_ERROR\)/,
    reset: "stream",
  },
];

const HUFFMAN_ERRORS: Case[] = [
  ["padding longer than 7 bits", [0x82, 0x1f, 0xff]],
  ["padding that is not all ones", [0x81, 0x18]],
  ["EOS inside the string", [0x84, 0xff, 0xff, 0xff, 0xff]],
].map(([what, value]) => ({
  what: `invalid Huffman in a skipped value: ${what}`,
  bytes: (sid: number) =>
    response(
      sid,
      [STATUS_200, ...SERVER, ...(value as number[]), ...CONTENT_LENGTH, ...digits("2")],
      OK_BODY,
    ),
  cause: /HPACK decoding failed/,
  reset: "connection" as const,
}));

/** Answers request 0 with `first`, every other with OK. */
function firstThenOk(first: (sid: number) => Uint8Array): H2Script {
  return { onRequest: (socket, sid, index) => socket.write(index === 0 ? first(sid) : ok(sid)) };
}

describe("HTTP/2 strict framing against a scripted server", () => {
  for (const c of [...STREAM_ERRORS, ...HUFFMAN_ERRORS]) {
    it(`fails the request as a protocol error on ${c.what}, then goes on`, async () => {
      const server = await startH2ScriptServer(firstThenOk(c.bytes));
      try {
        const [bad, next] = await h2Sequence(server.port, 2);
        assert.equal(bad.kind, ErrorKind.Protocol, JSON.stringify(bad));
        assert.match(bad.error, c.cause);
        assert.deepEqual(next, OK_OUTCOME);
        if (c.reset === "stream") {
          assert.deepEqual(server.resets, [[FrameType.RstStream, 1, PROTOCOL_ERROR]]);
          assert.equal(server.connections(), 1, "a stream error keeps the connection");
        } else {
          assert.deepEqual(server.resets, [[FrameType.GoAway, 0, COMPRESSION_ERROR]]);
          assert.equal(server.connections(), 2);
        }
      } finally {
        server.close();
      }
    });
  }

  it("fails the request when the stream ends with less DATA than the content-length", async () => {
    const server = await startH2ScriptServer(
      firstThenOk((sid) => response(sid, [STATUS_200, ...CONTENT_LENGTH, ...digits("5")], OK_BODY)),
    );
    try {
      const [bad, next] = await h2Sequence(server.port, 2);
      assert.equal(bad.kind, ErrorKind.Protocol);
      assert.match(bad.error, /DATA length differs from content-length/);
      assert.deepEqual(next, OK_OUTCOME);
    } finally {
      server.close();
    }
  });

  it("accepts the same content-length repeated, and a valid Huffman value it skips", async () => {
    const server = await startH2ScriptServer({
      onRequest: (socket, sid) =>
        socket.write(
          response(sid, [
            STATUS_200,
            ...SERVER,
            0x81,
            0x1f,
            ...CONTENT_LENGTH,
            ...digits("2"),
            ...CONTENT_LENGTH,
            ...digits("2"),
          ], OK_BODY),
        ),
    });
    try {
      assert.deepEqual(await h2Sequence(server.port, 3), [OK_OUTCOME, OK_OUTCOME, OK_OUTCOME]);
      assert.deepEqual(server.resets, []);
    } finally {
      server.close();
    }
  });

  it("a run counts each malformed response as a protocol error with its message and goes on", {
    timeout: 30_000,
  }, async () => {
    const cases = [...STREAM_ERRORS, ...HUFFMAN_ERRORS];
    const server = await startH2ScriptServer({
      onRequest: (socket, sid, index) =>
        socket.write(index % 2 === 1 ? cases[(index >> 1) % cases.length].bytes(sid) : ok(sid)),
    });
    try {
      const requests = 2 * cases.length;
      const result = await run({
        url: `http://127.0.0.1:${server.port}/`,
        http2PriorKnowledge: true,
        requests,
        concurrency: 1,
        workers: 1,
      });
      const s = result.snapshot;
      assert.equal(s.totalRequests, requests);
      assert.equal(s.errorsByKind.protocol, cases.length, JSON.stringify(result.errorMessages));
      assert.equal(s.latency.count, cases.length, "the good responses are all measured");
      const messages = (result.errorMessages ?? []).filter((m) => m.kind === "protocol");
      for (const c of cases) {
        assert.ok(messages.some((m) => c.cause.test(m.message)), `${c.what}: ${JSON.stringify(messages)}`);
      }
    } finally {
      server.close();
    }
  });
});
