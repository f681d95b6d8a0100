/**
 * HTTP/1.1 framing as RFC 9112 has it, against a real socket server that
 * sends the exact bytes: Transfer-Encoding read as a list of codings (§6.1,
 * §6.3: only a final `chunked` frames the body, a response with any other
 * final coding runs until the close) and chunk-size lines with nothing but
 * valid extensions after the size (§7.1). A malformed response fails its
 * request as a `protocol` error naming the cause, is counted, and the next
 * request goes on.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import type net from "node:net";
import { ErrorKind } from "../../src/collector/types.ts";
import { prepareRequest } from "../../src/http/mod.ts";
import { run } from "../../src/engine/run.ts";
import { startRawServer, testConnection } from "../_helpers/http.ts";

const OK = "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
const CHUNKED_HEAD = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";

/** Malformed responses, each with the cause the client must name. */
const MALFORMED: Array<[string, string, RegExp]> = [
  ["junk after the chunk size", `${CHUNKED_HEAD}2 abc\r\nok\r\n0\r\n\r\n`, /junk after the size/],
  ["a bare ; after the chunk size", `${CHUNKED_HEAD}2;\r\nok\r\n0\r\n\r\n`, /invalid chunk extension/],
  ["a space after the chunk size", `${CHUNKED_HEAD}2 \r\nok\r\n0\r\n\r\n`, /junk after the size/],
  ["an extension with = and no value", `${CHUNKED_HEAD}2;a=\r\nok\r\n0\r\n\r\n`, /invalid chunk extension/],
  ["an unterminated quoted extension", `${CHUNKED_HEAD}2;a="b\r\nok\r\n0\r\n\r\n`, /invalid chunk extension/],
  [
    "a chunk size without digits",
    `${CHUNKED_HEAD};a\r\nok\r\n0\r\n\r\n`,
    /invalid chunk size \(no hex digits\)/,
  ],
  [
    "a chunk size of 13 digits",
    `${CHUNKED_HEAD}0000000000002\r\nok\r\n0\r\n\r\n`,
    /invalid chunk size \(more than 12 hex digits\)/,
  ],
  [
    "codings without a comma",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip chunked\r\n\r\n0\r\n\r\n",
    /invalid Transfer-Encoding/,
  ],
  [
    "a coding parameter without a value",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked;a\r\n\r\n0\r\n\r\n",
    /invalid Transfer-Encoding/,
  ],
];

/** Responses whose final coding is not chunked: the body is what comes before the close. */
const UNTIL_CLOSE: Array<[string, string, number]> = [
  ["chunkedchunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunkedchunked\r\n\r\n2\r\nok\r\n0\r\n\r\n", 12],
  [
    "chunked before gzip",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\nContent-Length: 2\r\n\r\nabcdef",
    6,
  ],
  [
    "a second line whose coding is gzip",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n2\r\nok\r\n",
    7,
  ],
];

/** Responses framed by a final chunked coding. */
const CHUNKED_OK: Array<[string, string, number]> = [
  [
    "valid extensions, spaced and quoted",
    `${CHUNKED_HEAD}2 ; a ; b = "x;\\"y" ;c=d\r\nok\r\n1;e\r\n!\r\n0;last\r\n\r\n`,
    3,
  ],
  [
    "CHUNKED in capitals after a parameterized coding and empty elements",
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: , gzip;q="a,b",,CHUNKED ,\r\n\r\n2\r\nok\r\n0\r\n\r\n',
    2,
  ],
  [
    "two lines whose last coding is chunked",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
    2,
  ],
];

/** A server that answers request 0 with `first` (then closes when `close`), every other with OK. */
function firstThenOk(first: string, close: boolean) {
  return (socket: net.Socket, _request: unknown, index: number): void => {
    if (index > 0) socket.write(OK);
    else if (close) socket.end(first);
    else socket.write(first);
  };
}

function client(url: string): ReturnType<typeof testConnection> {
  return testConnection(prepareRequest({ url: `${url}/`, method: "GET", headers: {} }));
}

describe("HTTP/1.1 strict framing against a raw server", () => {
  for (const [what, bytes, cause] of MALFORMED) {
    it(`fails the request as a protocol error naming the cause on ${what}, then goes on`, async () => {
      const server = await startRawServer(firstThenOk(bytes, false));
      const t = client(server.url);
      try {
        const bad = await t.request();
        assert.equal(bad.errorKind, ErrorKind.Protocol);
        assert.match(t.conn.lastError ?? "", /^malformed response: /);
        assert.match(t.conn.lastError ?? "", cause);
        assert.deepEqual(await t.request(), { status: 200, bodyBytes: 2, errorKind: ErrorKind.None });
        assert.equal(server.connections, 2, "the failed connection is not reused");
      } finally {
        t.conn.close();
        await server.close();
      }
    });
  }

  for (const [what, bytes, bodyBytes] of UNTIL_CLOSE) {
    it(`reads a response whose final coding is not chunked until the close: ${what}`, async () => {
      const server = await startRawServer(firstThenOk(bytes, true));
      const t = client(server.url);
      try {
        assert.deepEqual(await t.request(), { status: 200, bodyBytes, errorKind: ErrorKind.None });
        assert.deepEqual(await t.request(), { status: 200, bodyBytes: 2, errorKind: ErrorKind.None });
      } finally {
        t.conn.close();
        await server.close();
      }
    });
  }

  for (const [what, bytes, bodyBytes] of CHUNKED_OK) {
    it(`reads a chunked body: ${what}`, async () => {
      const server = await startRawServer(firstThenOk(bytes, false));
      const t = client(server.url);
      try {
        assert.deepEqual(await t.request(), { status: 200, bodyBytes, errorKind: ErrorKind.None });
        assert.deepEqual(await t.request(), { status: 200, bodyBytes: 2, errorKind: ErrorKind.None });
        assert.equal(server.connections, 1, "the connection is kept");
      } finally {
        t.conn.close();
        await server.close();
      }
    });
  }

  it("a run counts each malformed response as a protocol error with its message and goes on", {
    timeout: 30_000,
  }, async () => {
    // Every other request gets one of the malformed responses, in turn; the rest get OK.
    const server = await startRawServer((socket, _request, index) => {
      socket.write(index % 2 === 1 ? MALFORMED[(index >> 1) % MALFORMED.length][1] : OK);
    });
    try {
      const requests = 2 * MALFORMED.length;
      const result = await run({ url: `${server.url}/`, requests, concurrency: 1, workers: 1 });
      const s = result.snapshot;
      assert.equal(s.totalRequests, requests);
      assert.equal(s.errorsByKind.protocol, MALFORMED.length);
      assert.equal(s.latency.count, MALFORMED.length, "the good responses are all measured");
      const messages = (result.errorMessages ?? []).filter((m) => m.kind === "protocol");
      assert.equal(messages.reduce((n, m) => n + m.count, 0), MALFORMED.length);
      for (const [what, , cause] of MALFORMED) {
        assert.ok(messages.some((m) => cause.test(m.message)), `${what}: ${JSON.stringify(messages)}`);
      }
    } finally {
      await server.close();
    }
  });
});
