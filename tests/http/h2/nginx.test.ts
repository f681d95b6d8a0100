import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { run } from "../../../src/engine/run.ts";
import { createConnectionFactory, prepareRequest } from "../../../src/http/mod.ts";
import type { HttpConnection } from "../../../src/http/mod.ts";
import { H2ConnectionPool } from "../../../src/http/h2/pool.ts";
import { tcpConnect } from "../../../src/runtime/connect.ts";
import { requireH2 } from "../../../src/engine/_http2_preflight.ts";
import { findNginx, type Nginx, startNginx } from "../../_helpers/nginx_h2.ts";
import { nginxTool } from "../../_helpers/nginx.ts";
import { runCli } from "../../_helpers/cli_spawn.ts";
import { readFileSync } from "node:fs";
import { join } from "node:path";

// nginx is a real peer here: a missing one fails these tests (CI installs it).
const nginxPath = findNginx();
if (nginxPath === null) nginxTool.require();
const T = { timeout: 60_000 };

/** Sends `total` requests over `handles` (each resends when answered); resolves with the outcomes. */
function drive(
  make: (cb: (status: number, bytes: number, kind: number) => void) => HttpConnection,
  handles: number,
  total: number,
  onEach: () => void = () => {},
): Promise<{ ok: number; failed: number; statuses: Map<number, number>; conns: HttpConnection[] }> {
  return new Promise((resolve, reject) => {
    let sent = 0;
    let done = 0;
    let ok = 0;
    let failed = 0;
    const statuses = new Map<number, number>();
    const conns: HttpConnection[] = [];
    const timer = setTimeout(() => reject(new Error(`stuck after ${done} of ${total}`)), 45_000);
    for (let i = 0; i < handles; i++) {
      const conn = make((status, _bytes, kind) => {
        done++;
        if (kind === 0) ok++;
        else failed++;
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
        onEach();
        if (done === total) {
          clearTimeout(timer);
          for (const c of conns) c.close();
          resolve({ ok, failed, statuses, conns });
        } else if (sent < total) {
          sent++;
          conn.send();
        }
      });
      conns.push(conn);
    }
    for (const c of conns) {
      if (sent < total) {
        sent++;
        c.send();
      }
    }
  });
}

/**
 * The access-log lines since `before`, once at least `want` are there (or 3 s passed): nginx writes
 * a line just after it sends the response, so the last one may trail the client by a moment.
 */
async function logSince(server: Nginx, before: number, want: number): Promise<string[]> {
  const deadline = Date.now() + 3000;
  while (server.accessLog().length - before < want && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  return server.accessLog().slice(before);
}

describe("HTTP/2 against nginx (h2c with prior knowledge)", () => {
  let nginx: Nginx;
  before(async () => {
    nginx = await startNginx({ listen: "http2" });
  });
  after(async () => {
    await nginx?.stop();
  });

  it("counts exactly what nginx logs, every line HTTP/2.0", T, async () => {
    const before = nginx.accessLog().length;
    const result = await run({
      url: `http://127.0.0.1:${nginx.port}/`,
      http2PriorKnowledge: true,
      concurrency: 2,
      streams: 10,
      requests: 3000,
      workers: 1,
    });
    const lines = await logSince(nginx, before, result.snapshot.totalRequests);
    const s = result.snapshot;
    assert.equal(s.totalRequests, lines.length);
    assert.ok(s.totalRequests >= 3000, `${s.totalRequests} requests`);
    assert.equal(s.statusCounts["200"], s.totalRequests);
    assert.ok(lines.every((l) => l === "HTTP/2.0 200 GET"), lines.find((l) => l !== "HTTP/2.0 200 GET"));
    assert.equal(s.bytes, 9 * s.totalRequests);
  });

  it("carries request bodies (POST) and large responses (flow control)", T, async () => {
    const body = "b".repeat(100_000); // larger than the server's initial stream window
    const post = prepareRequest({
      url: `http://127.0.0.1:${nginx.port}/`,
      method: "POST",
      headers: {},
      body,
    });
    const r1 = await drive(createConnectionFactory(post, { http2: "prior-knowledge", streams: 4 }), 4, 40);
    assert.equal(r1.ok, 40, `failed ${r1.failed}`);
    assert.equal(r1.statuses.get(200), 40);
    const big = prepareRequest({ url: `http://127.0.0.1:${nginx.port}/big`, method: "GET", headers: {} });
    let bytes = 0;
    const make = createConnectionFactory(big, { http2: "prior-knowledge", streams: 8 });
    const r2 = await drive((cb) => make((s, b, k) => ((bytes += b), cb(s, b, k))), 8, 200);
    assert.equal(r2.ok, 200);
    assert.equal(r2.statuses.get(200), 200);
    assert.equal(bytes, 200 * 64 * 1024);
  });
});

describe("HTTP/2 GOAWAY from nginx (keepalive_requests)", () => {
  let nginx: Nginx;
  before(async () => {
    nginx = await startNginx({ listen: "http2", server: "keepalive_requests 50;" });
  });
  after(async () => {
    await nginx?.stop();
  });

  it("retries streams past the last-stream id on a new connection and counts them", T, async () => {
    const before = nginx.accessLog().length;
    const result = await run({
      url: `http://127.0.0.1:${nginx.port}/`,
      http2PriorKnowledge: true,
      concurrency: 2,
      streams: 10,
      requests: 2000,
      workers: 1,
    });
    const lines = await logSince(nginx, before, result.snapshot.totalRequests);
    const s = result.snapshot;
    assert.equal(s.totalRequests, lines.length, "every request counted once, retried ones included");
    assert.equal(s.statusCounts["200"], s.totalRequests, JSON.stringify(s.errorsByKind ?? {}));
    // 2000 requests at 50 per connection: about 40 connections, each reconnect counted.
    assert.ok(result.clients.reconnections >= 30, `${result.clients.reconnections} reconnections`);
  });

  it("resends unprocessed streams (library level)", T, async () => {
    const req = prepareRequest({ url: `http://127.0.0.1:${nginx.port}/`, method: "GET", headers: {} });
    const pool = new H2ConnectionPool(req, {
      streams: 10,
      connect: (l) => tcpConnect(req.hostname, req.port, l),
    });
    const before = nginx.accessLog().length;
    const r = await drive((cb) => pool.create(cb), 10, 500);
    assert.equal(r.ok, 500);
    assert.equal((await logSince(nginx, before, 500)).length, 500);
    assert.ok(pool.sessions[0].connects >= 10, `${pool.sessions[0].connects} connections`);
    const retried = r.conns.reduce((n, c) => n + c.reconnects, 0);
    assert.ok(retried >= pool.sessions[0].connects - 1, `${retried} retries and reconnects counted`);
  });
});

describe("HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS from nginx", () => {
  let nginx: Nginx;
  before(async () => {
    nginx = await startNginx({ listen: "http2", server: "http2_max_concurrent_streams 3;" });
  });
  after(async () => {
    await nginx?.stop();
  });

  it("never has more streams open than the server allows", T, async () => {
    const req = prepareRequest({ url: `http://127.0.0.1:${nginx.port}/big`, method: "GET", headers: {} });
    const pool = new H2ConnectionPool(req, {
      streams: 10,
      connect: (l) => tcpConnect(req.hostname, req.port, l),
    });
    let most = 0;
    const r = await drive((cb) => pool.create(cb), 10, 300, () => {
      most = Math.max(most, pool.sessions[0].activeStreams);
    });
    assert.equal(r.ok, 300, `failed ${r.failed}`);
    assert.equal(r.statuses.get(200), 300);
    assert.ok(most <= 3, `${most} streams open at once`);
    assert.ok(most >= 2, `only ${most} streams used`);
    assert.equal(r.conns.reduce((n, c) => n + c.reconnects, 0), 0, "no refused streams");
  });
});

describe("HTTP/2 over TLS against nginx (ALPN h2)", () => {
  let h2: Nginx;
  let h1: Nginx;
  before(async () => {
    h2 = await startNginx({ listen: "ssl http2", tls: true });
    h1 = await startNginx({ listen: "ssl", tls: true });
  });
  after(async () => {
    await h2?.stop();
    await h1?.stop();
  });

  it("counts exactly what nginx logs over TLS with 10 streams", T, async () => {
    const req = prepareRequest(
      { url: `https://127.0.0.1:${h2.port}/`, method: "GET", headers: {} },
      { tls: { insecure: true } },
    );
    const before = h2.accessLog().length;
    const r = await drive(createConnectionFactory(req, { http2: "tls", streams: 10 }), 20, 2000);
    assert.equal(r.ok, 2000, `failed ${r.failed}`);
    const lines = await logSince(h2, before, 2000);
    assert.equal(lines.length, 2000);
    assert.ok(lines.every((l) => l === "HTTP/2.0 200 GET"));
  });

  it("lunge run --http2 -k: totals equal the access log, HTTP/2.0 on every line", T, async () => {
    const json = join(h2.dir, "result.json");
    const before = h2.accessLog().length;
    const out = await runCli([
      "run",
      `https://127.0.0.1:${h2.port}/`,
      "--http2",
      "-k",
      "-c",
      "2",
      "-s",
      "10",
      "-n",
      "2000",
      "-w",
      "1",
      "-q",
      "--json",
      json,
    ]);
    assert.equal(out.code, 0, out.stderr);
    const total = JSON.parse(readFileSync(json, "utf8")).snapshot.totalRequests;
    const lines = await logSince(h2, before, total);
    assert.equal(total, lines.length);
    assert.ok(total >= 2000);
    assert.ok(lines.every((l) => l === "HTTP/2.0 200 GET"));
  });

  it("lunge run --http2 --cacert verifies the server without -k", T, async () => {
    const before = h2.accessLog().length;
    const out = await runCli([
      "run",
      `https://127.0.0.1:${h2.port}/`,
      "--http2",
      "--cacert",
      join(h2.dir, "cert.pem"),
      "-c",
      "1",
      "-s",
      "10",
      "-n",
      "200",
      "-w",
      "1",
      "-q",
    ]);
    assert.equal(out.code, 0, out.stderr);
    assert.match(out.stdout, /Successes\s+200/);
    assert.equal((await logSince(h2, before, 200)).length, 200);
  });

  it("the preflight accepts an h2 server and names a server without h2", T, async () => {
    await requireH2({ url: `https://127.0.0.1:${h2.port}/`, method: "GET", headers: {} }, undefined, 10_000);
    await assert.rejects(
      requireH2({ url: `https://127.0.0.1:${h1.port}/`, method: "GET", headers: {} }, undefined, 10_000),
      /did not offer h2/,
    );
  });

  it("lunge run --http2 against a server without h2: exit 1, one line", T, async () => {
    const out = await runCli(["run", `https://127.0.0.1:${h1.port}/`, "--http2", "-n", "10", "-q"]);
    assert.equal(out.code, 1, out.stderr);
    const lines = out.stderr.trim().split("\n");
    assert.equal(lines.length, 1, out.stderr);
    assert.match(lines[0], /did not offer h2/);
    assert.equal(h1.accessLog().length, 0, "no request was sent");
  });
});
