import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ResponseParser } from "../../src/http/_response_parser.ts";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

interface Parsed {
  status: number;
  bodyBytes: number;
  keepAlive: boolean;
}

/** Feeds `bytes` in slices of `step` bytes and collects every completed response. */
function parseAll(parser: ResponseParser, bytes: Uint8Array, step = bytes.length): Parsed[] {
  const out: Parsed[] = [];
  for (let start = 0; start < bytes.length; start += step) {
    const end = Math.min(start + step, bytes.length);
    let pos = start;
    while (pos < end) {
      pos = parser.feed(bytes, pos, end);
      assert.ok(pos >= 0, `parse error: ${parser.error}`);
      if (parser.complete) {
        out.push({ status: parser.status, bodyBytes: parser.bodyBytes, keepAlive: parser.keepAlive });
      }
    }
  }
  return out;
}

const FIXED = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 11\r\n\r\nhello world";
const CHUNKED = "HTTP/1.1 201 Created\r\ntransfer-encoding: chunked\r\n\r\n" +
  "5\r\nhello\r\n1;ext=1\r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: yes\r\n\r\n";

describe("ResponseParser", () => {
  it("parses a Content-Length response in one read", () => {
    assert.deepEqual(parseAll(new ResponseParser(), enc(FIXED)), [{
      status: 200,
      bodyBytes: 11,
      keepAlive: true,
    }]);
  });

  it("counts decoded chunked body bytes and skips extensions and trailers", () => {
    assert.deepEqual(parseAll(new ResponseParser(), enc(CHUNKED)), [{
      status: 201,
      bodyBytes: 16,
      keepAlive: true,
    }]);
  });

  it("gives the same results when fed byte by byte", () => {
    const all = enc(FIXED + CHUNKED + FIXED);
    const whole = parseAll(new ResponseParser(), all);
    assert.equal(whole.length, 3);
    assert.deepEqual(parseAll(new ResponseParser(), all, 1), whole);
    assert.deepEqual(parseAll(new ResponseParser(), all, 7), whole);
  });

  it("parses two responses from one buffer, stopping after each", () => {
    const parser = new ResponseParser();
    const bytes = enc(
      "HTTP/1.1 404 Not Found\r\nContent-Length: 3\r\n\r\nnopHTTP/1.1 500 X\r\nContent-Length: 0\r\n\r\n",
    );
    const first = parser.feed(bytes, 0, bytes.length);
    assert.equal(parser.complete, true);
    assert.equal(parser.status, 404);
    assert.equal(parser.bodyBytes, 3);
    assert.equal(first, bytes.indexOf(72, 5)); // the 'H' of the second response
    const second = parser.feed(bytes, first, bytes.length);
    assert.equal(second, bytes.length);
    assert.equal(parser.status, 500);
    assert.equal(parser.bodyBytes, 0);
  });

  it("treats HEAD, 204 and 304 responses as bodiless even with a Content-Length", () => {
    const head = new ResponseParser();
    head.reset(true);
    assert.deepEqual(parseAll(head, enc("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\n")), [
      { status: 200, bodyBytes: 0, keepAlive: true },
    ]);
    const both = enc("HTTP/1.1 204 No Content\r\n\r\nHTTP/1.1 304 Not Modified\r\nContent-Length: 5\r\n\r\n");
    assert.deepEqual(parseAll(new ResponseParser(), both).map((r) => [r.status, r.bodyBytes]), [[204, 0], [
      304,
      0,
    ]]);
  });

  it("honours Connection: close and HTTP/1.0 defaults", () => {
    const bytes = enc(
      "HTTP/1.1 200 OK\r\nConnection: Close\r\nContent-Length: 0\r\n\r\n" +
        "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n" +
        "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 0\r\n\r\n",
    );
    assert.deepEqual(parseAll(new ResponseParser(), bytes).map((r) => r.keepAlive), [false, false, true]);
  });

  it("skips interim 1xx responses", () => {
    const bytes = enc("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    assert.deepEqual(parseAll(new ResponseParser(), bytes, 3), [{
      status: 200,
      bodyBytes: 2,
      keepAlive: true,
    }]);
  });

  it("reads a body without length until the close", () => {
    const parser = new ResponseParser();
    assert.deepEqual(parseAll(parser, enc("HTTP/1.1 200 OK\r\n\r\nabc"), 2), []);
    assert.equal(parser.midResponse, true);
    assert.equal(parser.finish(), true);
    assert.deepEqual([parser.status, parser.bodyBytes, parser.keepAlive], [200, 3, false]);
  });

  it("finish() mid-response with a known length is not a completion", () => {
    const parser = new ResponseParser();
    parseAll(parser, enc("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"));
    assert.equal(parser.finish(), false);
    assert.equal(parser.midResponse, true);
  });

  it("rejects malformed responses without throwing", () => {
    for (
      const bad of [
        "HTTZ/1.1 200 OK\r\n\r\n",
        "HTTP/1.1 2x0 OK\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 12a\r\n\r\n",
        "HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
        "HTTP/1.1 200 OK\r\nno colon here\r\n\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY\r\n",
        "HTTP/1.1 101 Switching Protocols\r\n\r\n",
      ]
    ) {
      const parser = new ResponseParser();
      const bytes = enc(bad);
      let pos = 0;
      while (pos >= 0 && pos < bytes.length && !parser.complete) pos = parser.feed(bytes, pos, bytes.length);
      assert.equal(pos, -1, `accepted: ${JSON.stringify(bad)}`);
      assert.notEqual(parser.error, "");
      assert.equal(parser.feed(bytes, 0, bytes.length), -1, "stays failed until reset");
    }
  });

  it("ignores long unrelated headers and rejects an oversized head", () => {
    const long = `HTTP/1.1 200 OK\r\nX-Big: ${"a".repeat(20000)}\r\nContent-Length: 1\r\n\r\nz`;
    assert.deepEqual(parseAll(new ResponseParser(), enc(long), 1000), [{
      status: 200,
      bodyBytes: 1,
      keepAlive: true,
    }]);
    const huge = enc(`HTTP/1.1 200 OK\r\n${"X-A: b\r\n".repeat(40000)}\r\n`);
    assert.equal(new ResponseParser().feed(huge, 0, huge.length), -1);
  });
});
