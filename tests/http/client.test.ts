import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { prepareRequest } from "../../src/http/mod.ts";
import { ErrorKind } from "../../src/collector/types.ts";
import { serveApp } from "../../src/runtime/serve.ts";
import { closedPort, sleep, startRawServer, testConnection } from "../_helpers/http.ts";

const get = (url: string) => prepareRequest({ url, method: "GET", headers: {} });
const ok = (body: string, extra = ""): string =>
  `HTTP/1.1 200 OK\r\nContent-Length: ${new TextEncoder().encode(body).length}\r\n${extra}\r\n${body}`;

describe("raw HTTP client", () => {
  it("reports status codes and body bytes, reusing one connection", async () => {
    const statuses = [200, 404, 503, 201];
    const server = await startRawServer((s, _r, i) =>
      s.write(`HTTP/1.1 ${statuses[i % 4]} X\r\nContent-Length: ${i * 10}\r\n\r\n${"b".repeat(i * 10)}`)
    );
    const t = testConnection(get(`${server.url}/`));
    try {
      for (let i = 0; i < 4; i++) {
        assert.deepEqual(await t.request(), {
          status: statuses[i],
          bodyBytes: i * 10,
          errorKind: ErrorKind.None,
        });
      }
      assert.equal(server.connections, 1);
      assert.equal(t.conn.reconnects, 0);
      assert.equal(t.conn.inFlight, false);
    } finally {
      t.conn.close();
      await server.close();
    }
  });

  it("counts chunked bodies and survives responses written byte by byte", async () => {
    const chunked = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4\r\nabcd\r\n3\r\nefg\r\n0\r\n\r\n";
    const server = await startRawServer(async (s) => {
      s.setNoDelay(true);
      for (const c of chunked) {
        s.write(c);
        await sleep(1);
      }
    });
    const t = testConnection(get(`${server.url}/`));
    try {
      assert.deepEqual(await t.request(), { status: 200, bodyBytes: 7, errorKind: ErrorKind.None });
      assert.deepEqual(await t.request(), { status: 200, bodyBytes: 7, errorKind: ErrorKind.None });
      assert.equal(server.connections, 1);
    } finally {
      t.conn.close();
      await server.close();
    }
  });

  it("closes on unsolicited extra bytes (two responses in one packet) and reconnects cleanly", async () => {
    const server = await startRawServer((s, _r, i) => s.write(i === 0 ? ok("one") + ok("two") : ok("three")));
    const t = testConnection(get(`${server.url}/`));
    try {
      assert.deepEqual(await t.request(), { status: 200, bodyBytes: 3, errorKind: ErrorKind.None });
      assert.deepEqual(await t.request(), { status: 200, bodyBytes: 5, errorKind: ErrorKind.None });
      assert.equal(server.connections, 2);
      assert.equal(t.conn.reconnects, 1);
    } finally {
      t.conn.close();
      await server.close();
    }
  });

  it("reconnects without an error when the server closes an idle keep-alive connection", async () => {
    const server = await startRawServer((s) => {
      s.write(ok("ok"));
      setTimeout(() => s.end(), 5); // idle close right after the response
    });
    const t = testConnection(get(`${server.url}/`));
    try {
      for (let i = 0; i < 3; i++) {
        assert.deepEqual(await t.request(), { status: 200, bodyBytes: 2, errorKind: ErrorKind.None });
        await sleep(40);
      }
      assert.equal(server.connections, 3);
      assert.equal(t.conn.reconnects, 2);
    } finally {
      t.conn.close();
      await server.close();
    }
  });

  it("retries once on a new connection when a reused one is dropped before any response byte", async () => {
    // Each connection answers its first request and silently drops the second: the idle-close race.
    const perSocket = new WeakMap<object, number>();
    const server = await startRawServer((s) => {
      const n = (perSocket.get(s) ?? 0) + 1;
      perSocket.set(s, n);
      if (n === 1) s.write(ok("ok"));
      else s.destroy();
    });
    const t = testConnection(get(`${server.url}/`));
    try {
      for (let i = 0; i < 3; i++) {
        assert.deepEqual(await t.request(), { status: 200, bodyBytes: 2, errorKind: ErrorKind.None });
      }
      assert.equal(server.connections, 3);
      assert.equal(server.requests.length, 5);
    } finally {
      t.conn.close();
      await server.close();
    }
  });

  it("follows Connection: close and close-delimited bodies", async () => {
    const server = await startRawServer((s, _r, i) => {
      if (i % 2 === 0) s.write(ok("bye", "Connection: close\r\n"));
      else s.end("HTTP/1.1 200 OK\r\n\r\nuntil the close");
    });
    const t = testConnection(get(`${server.url}/`));
    try {
      assert.deepEqual(await t.request(), { status: 200, bodyBytes: 3, errorKind: ErrorKind.None });
      assert.deepEqual(await t.request(), { status: 200, bodyBytes: 15, errorKind: ErrorKind.None });
      assert.deepEqual(await t.request(), { status: 200, bodyBytes: 3, errorKind: ErrorKind.None });
      assert.equal(server.connections, 3);
    } finally {
      t.conn.close();
      await server.close();
    }
  });

  it("reports Refused for a closed port", async () => {
    const t = testConnection(get(`http://127.0.0.1:${await closedPort()}/`));
    assert.deepEqual(await t.request(), { status: 0, bodyBytes: 0, errorKind: ErrorKind.Refused });
    assert.deepEqual(await t.request(), { status: 0, bodyBytes: 0, errorKind: ErrorKind.Refused });
    assert.equal(t.conn.reconnects, 1);
    t.conn.close();
  });

  it("reports Reset when the server drops the connection mid-response, then recovers", async () => {
    const server = await startRawServer((s, _r, i) => {
      if (i === 0) {
        s.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\npartial");
        setTimeout(() => s.destroy(), 10);
      } else s.write(ok("fine"));
    });
    const t = testConnection(get(`${server.url}/`));
    try {
      assert.deepEqual(await t.request(), { status: 0, bodyBytes: 0, errorKind: ErrorKind.Reset });
      assert.deepEqual(await t.request(), { status: 200, bodyBytes: 4, errorKind: ErrorKind.None });
    } finally {
      t.conn.close();
      await server.close();
    }
  });

  it("reports Protocol for a malformed response and does not crash", async () => {
    const server = await startRawServer((s, _r, i) => s.write(i === 0 ? "garbage\r\n\r\n" : ok("x")));
    const t = testConnection(get(`${server.url}/`));
    try {
      assert.deepEqual(await t.request(), { status: 0, bodyBytes: 0, errorKind: ErrorKind.Protocol });
      assert.deepEqual(await t.request(), { status: 200, bodyBytes: 1, errorKind: ErrorKind.None });
    } finally {
      t.conn.close();
      await server.close();
    }
  });

  it("abort(Timeout) fails the request once, and the connection is usable again", async () => {
    const server = await startRawServer((s, _r, i) => {
      if (i > 0) s.write(ok("late"));
    });
    const t = testConnection(get(`${server.url}/`));
    try {
      t.conn.abort(ErrorKind.Timeout); // idle: no-op
      assert.equal(t.outcomes.length, 0);
      t.conn.send();
      assert.throws(() => t.conn.send(), /already in flight/);
      await sleep(50);
      assert.equal(t.conn.inFlight, true);
      t.conn.abort(ErrorKind.Timeout);
      assert.equal(t.conn.inFlight, false);
      assert.deepEqual(await t.next(), { status: 0, bodyBytes: 0, errorKind: ErrorKind.Timeout });
      assert.deepEqual(await t.request(), { status: 200, bodyBytes: 4, errorKind: ErrorKind.None });
      await sleep(30);
      assert.equal(t.outcomes.length, 2, "exactly one outcome per send");
      assert.equal(t.conn.reconnects, 1);
    } finally {
      t.conn.close();
      await server.close();
    }
  });

  it("close() drops an in-flight request without reporting it", async () => {
    const server = await startRawServer(() => {});
    const t = testConnection(get(`${server.url}/`));
    try {
      t.conn.send();
      await sleep(30);
      t.conn.close();
      await sleep(30);
      assert.equal(t.conn.inFlight, false);
      assert.equal(t.outcomes.length, 0);
    } finally {
      await server.close();
    }
  });

  it("sends a POST body", async () => {
    const server = await startRawServer((s, r) => s.write(ok(r.body.toUpperCase())));
    const req = prepareRequest({
      url: `${server.url}/echo`,
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: "payload-123",
    });
    const t = testConnection(req);
    try {
      assert.deepEqual(await t.request(), { status: 200, bodyBytes: 11, errorKind: ErrorKind.None });
      assert.equal(server.requests[0].body, "payload-123");
      assert.match(server.requests[0].head, /^POST \/echo HTTP\/1\.1\r\n/);
    } finally {
      t.conn.close();
      await server.close();
    }
  });

  it("works against the runtime's own HTTP server (HEAD, 204, chunked streams)", async () => {
    const server = await serveApp((request) => {
      const path = new URL(request.url).pathname;
      if (path === "/none") return new Response(null, { status: 204 });
      if (path === "/stream") {
        return new Response(
          new ReadableStream({
            start(c) {
              c.enqueue(new Uint8Array(1000));
              c.enqueue(new Uint8Array(234));
              c.close();
            },
          }),
        );
      }
      return new Response("x".repeat(5000));
    }, { port: 0, hostname: "127.0.0.1" });
    const base = `http://127.0.0.1:${server.port}`;
    const conns = [
      testConnection(get(`${base}/`)),
      testConnection(prepareRequest({ url: `${base}/`, method: "HEAD", headers: {} })),
      testConnection(get(`${base}/none`)),
      testConnection(get(`${base}/stream`)),
    ];
    try {
      const expected = [[200, 5000], [200, 0], [204, 0], [200, 1234]];
      for (let round = 0; round < 3; round++) {
        for (let i = 0; i < conns.length; i++) {
          const o = await conns[i].request();
          assert.deepEqual(
            [o.status, o.bodyBytes, o.errorKind],
            [...expected[i], ErrorKind.None],
            `conn ${i}`,
          );
        }
      }
    } finally {
      for (const c of conns) c.conn.close();
      await server.close();
    }
  });
});

describe("fetch fallback (forced on an http URL; no TLS server here)", () => {
  it("reports status, body bytes, refused and timeouts through the same interface", async () => {
    const server = await serveApp((request) => {
      const path = new URL(request.url).pathname;
      if (path === "/slow") return new Promise((r) => setTimeout(() => r(new Response("late")), 300));
      return new Response("hello", { status: path === "/missing" ? 404 : 200 });
    }, { port: 0, hostname: "127.0.0.1" });
    const base = `http://127.0.0.1:${server.port}`;
    const fetchGet = (url: string) =>
      prepareRequest({ url, method: "GET", headers: {} }, { transport: "fetch" });
    const t = testConnection(fetchGet(`${base}/`));
    const missing = testConnection(fetchGet(`${base}/missing`));
    const slow = testConnection(fetchGet(`${base}/slow`));
    const refused = testConnection(fetchGet(`http://127.0.0.1:${await closedPort()}/`));
    try {
      assert.deepEqual(await t.request(), { status: 200, bodyBytes: 5, errorKind: ErrorKind.None });
      assert.deepEqual(await t.request(), { status: 200, bodyBytes: 5, errorKind: ErrorKind.None });
      assert.deepEqual(await missing.request(), { status: 404, bodyBytes: 5, errorKind: ErrorKind.None });
      assert.deepEqual(await refused.request(), { status: 0, bodyBytes: 0, errorKind: ErrorKind.Refused });
      slow.conn.send();
      await sleep(30);
      slow.conn.abort(ErrorKind.Timeout);
      assert.deepEqual(await slow.next(), { status: 0, bodyBytes: 0, errorKind: ErrorKind.Timeout });
      await sleep(400); // the aborted request's late result must not be reported
      assert.equal(slow.outcomes.length, 1);
    } finally {
      for (const c of [t, missing, slow, refused]) c.conn.close();
      await server.close();
    }
  });
});
