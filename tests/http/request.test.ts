import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createConnection, prepareRequest } from "../../src/http/mod.ts";
import { RawHttpConnection } from "../../src/http/raw_connection.ts";
import { FetchHttpConnection } from "../../src/http/_fetch_connection.ts";
import { classifyError } from "../../src/http/errors.ts";
import { ErrorKind } from "../../src/collector/types.ts";

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const noop = (): void => {};

describe("prepareRequest", () => {
  it("serializes a GET once with Host and no body", () => {
    const req = prepareRequest({
      url: "http://127.0.0.1:8080/a/b?x=1",
      method: "GET",
      headers: { "X-Id": "7" },
    });
    assert.equal(req.transport, "raw");
    assert.equal(req.hostname, "127.0.0.1");
    assert.equal(req.port, 8080);
    assert.equal(text(req.bytes), "GET /a/b?x=1 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\nX-Id: 7\r\n\r\n");
  });

  it("sends the method as written: methods are case-sensitive (RFC 9110 §9.1)", () => {
    const req = prepareRequest({ url: "http://127.0.0.1:8080/", method: "DOwork", headers: {} });
    assert.equal(req.method, "DOwork");
    assert.ok(text(req.bytes).startsWith("DOwork / HTTP/1.1\r\n"));
  });

  it("adds Content-Length for a body (UTF-8 bytes) and for an empty POST", () => {
    const post = prepareRequest({ url: "http://localhost/echo", method: "POST", headers: {}, body: "héllo" });
    assert.equal(
      text(post.bytes),
      "POST /echo HTTP/1.1\r\nHost: localhost\r\nContent-Length: 6\r\n\r\nhéllo",
    );
    assert.equal(post.port, 80);
    const empty = prepareRequest({ url: "http://localhost/", method: "POST", headers: {} });
    assert.match(text(empty.bytes), /Content-Length: 0\r\n\r\n$/);
  });

  it("keeps a user Host header and marks HEAD bodiless", () => {
    const req = prepareRequest({
      url: "http://[::1]:81/",
      method: "HEAD",
      headers: { host: "example.test" },
    });
    assert.equal(req.hostname, "::1");
    assert.equal(req.noResponseBody, true);
    assert.equal(text(req.bytes), "HEAD / HTTP/1.1\r\nhost: example.test\r\n\r\n");
  });

  it("selects the raw client for http and https, fetch when forced", () => {
    const https = prepareRequest({ url: "https://example.com/", method: "GET", headers: {} });
    assert.equal(https.transport, "raw");
    assert.deepEqual(https.tls, { alpn: ["http/1.1"], servername: "example.com" });
    assert.equal(https.port, 443);
    const forced = prepareRequest({ url: "http://127.0.0.1/", method: "GET", headers: {} }, {
      transport: "fetch",
    });
    assert.equal(forced.transport, "fetch");
    assert.ok(createConnection(forced, noop) instanceof FetchHttpConnection);
    const raw = prepareRequest({ url: "http://127.0.0.1/", method: "GET", headers: {} });
    assert.ok(createConnection(raw, noop) instanceof RawHttpConnection);
  });

  it("throws TypeError on bad input", () => {
    const bad: Array<[string, string, Record<string, string>, string?]> = [
      ["not a url", "GET", {}],
      ["ftp://host/", "GET", {}],
      ["http://u:p@host/", "GET", {}],
      ["http://host/", "GE T", {}],
      ["http://host/", "", {}],
      ["http://host/", "GET", { "Bad Name": "x" }],
      ["http://host/", "GET", { "X-A": "a\r\nInjected: 1" }],
      ["http://host/", "GET", {}, "body on a GET"],
    ];
    for (const [url, method, headers, body] of bad) {
      assert.throws(() => prepareRequest({ url, method, headers, body }), TypeError, `${url} ${method}`);
    }
    assert.throws(
      () =>
        prepareRequest({ url: "https://host/", method: "GET", headers: {} }, {
          transport: "fetch",
          unixSocket: "/s",
        }),
      /need the raw client/,
    );
    assert.throws(
      () => prepareRequest({ url: "https://host/", method: "GET", headers: {} }, { unixSocket: "/s" }),
      /http:\/\/ URLs only/,
    );
    assert.throws(
      () => prepareRequest({ url: "https://host/", method: "GET", headers: {} }, { connectTo: ["a:b"] }),
      /HOST:PORT:TARGET_HOST:TARGET_PORT/,
    );
    assert.throws(
      () => prepareRequest({ url: "https://host/", method: "GET", headers: {} }, { tls: { cert: "x" } }),
      /both "cert" and "key"/,
    );
  });

  it("connects to the --connect-to address but keeps the URL's host in Host and SNI", () => {
    const req = prepareRequest({ url: "https://example.com/a", method: "GET", headers: {} }, {
      connectTo: ["other.org:443:127.0.0.2:1", "example.com:443:127.0.0.1:8443"],
      tls: { insecure: true },
    });
    assert.equal(req.hostname, "127.0.0.1");
    assert.equal(req.port, 8443);
    assert.equal(req.tls?.servername, "example.com");
    assert.equal(req.tls?.insecure, true);
    assert.match(new TextDecoder().decode(req.bytes), /\r\nHost: example\.com\r\n/);
    const any = prepareRequest({ url: "http://[::1]:8080/", method: "GET", headers: {} }, {
      connectTo: ["::[::1]:"],
    });
    assert.deepEqual([any.hostname, any.port, any.tls], ["::1", 8080, null]);
    const unix = prepareRequest({ url: "http://localhost/", method: "GET", headers: {} }, {
      unixSocket: "/tmp/x.sock",
    });
    assert.equal(unix.unixSocket, "/tmp/x.sock");
  });
});

describe("classifyError", () => {
  it("maps codes, Deno error names and fetch causes", () => {
    const withCode = (code: string): Error => Object.assign(new Error(code), { code });
    assert.equal(classifyError(withCode("ECONNREFUSED")), ErrorKind.Refused);
    assert.equal(classifyError(withCode("ECONNRESET")), ErrorKind.Reset);
    assert.equal(classifyError(withCode("EPIPE")), ErrorKind.Reset);
    const denoRefused = new Error("Connection refused (os error 111)");
    denoRefused.name = "ConnectionRefused";
    assert.equal(classifyError(denoRefused), ErrorKind.Refused);
    assert.equal(
      classifyError(new TypeError("fetch failed", { cause: withCode("ECONNRESET") })),
      ErrorKind.Reset,
    );
    assert.equal(classifyError(withCode("ENOTFOUND")), ErrorKind.Dns);
    assert.equal(classifyError(withCode("EMFILE")), ErrorKind.FdLimit);
    assert.equal(classifyError(withCode("DEPTH_ZERO_SELF_SIGNED_CERT")), ErrorKind.Tls);
    assert.equal(classifyError("weird"), ErrorKind.Other);
  });
});
