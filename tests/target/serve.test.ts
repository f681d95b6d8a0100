import { describe, it } from "node:test";
import assert from "node:assert/strict";
import net from "node:net";
import { createTargetApp } from "../../src/target/app.ts";
import { serveApp } from "../../src/runtime/serve.ts";
import { countEstablishedConnections, countEstablishedInTable } from "../../src/runtime/proc_net.ts";
import { readTextFileOrNull } from "../../src/runtime/files.ts";
import { needTool } from "../_helpers/tools.ts";

const procNet = needTool(
  "/proc/net/tcp",
  readTextFileOrNull("/proc/net/tcp") === null ? null : "/proc/net/tcp",
  "Linux only",
);

/** Opens a raw keep-alive connection and does one GET / on it. */
function keepAliveRequest(port: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, "127.0.0.1", () => {
      socket.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: keep-alive\r\n\r\n");
    });
    let received = "";
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      received += chunk;
      if (received.includes("\r\n\r\nok")) resolve(socket);
    });
    socket.on("error", reject);
  });
}

async function waitFor(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const end = performance.now() + timeoutMs;
  while (performance.now() < end) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 20));
  }
  return check();
}

describe("target served over HTTP", () => {
  it("reports the bound ephemeral port and answers", async () => {
    const target = createTargetApp();
    const server = await serveApp(target.fetch, { port: 0, hostname: "127.0.0.1" });
    try {
      assert.ok(server.port > 0 && server.port < 65536);
      const res = await fetch(`http://127.0.0.1:${server.port}/`);
      assert.equal(await res.text(), "ok");
    } finally {
      await server.close();
    }
  });

  it("ground truth is exact after N concurrent requests (per route, status, bytes)", async () => {
    const target = createTargetApp();
    const server = await serveApp(target.fetch, { port: 0, hostname: "127.0.0.1" });
    const base = `http://127.0.0.1:${server.port}`;
    try {
      const paths = ["/", "/status/404", "/status/502", "/bytes/300", "/flaky?error_rate=0.5"];
      let clientBytes = 0;
      const clientStatus: Record<string, number> = {};
      const rounds = 40;
      for (let round = 0; round < rounds; round++) {
        await Promise.all(paths.map(async (p) => {
          const res = await fetch(base + p);
          const bytes = (await res.arrayBuffer()).byteLength;
          clientBytes += bytes;
          clientStatus[res.status] = (clientStatus[res.status] ?? 0) + 1;
        }));
      }
      const stats = await (await fetch(`${base}/__lunge/stats`)).json();
      assert.equal(stats.totalRequests, rounds * paths.length);
      assert.equal(stats.byRoute["/"], rounds);
      assert.equal(stats.byRoute["/status/:code"], 2 * rounds);
      assert.equal(stats.byRoute["/bytes/:n"], rounds);
      assert.equal(stats.byRoute["/flaky"], rounds);
      assert.deepEqual(stats.byStatus, clientStatus);
      assert.equal(stats.bodyBytesSent, clientBytes);
      await fetch(`${base}/__lunge/reset`, { method: "POST" }).then((r) => r.text());
      assert.equal(target.groundTruth().totalRequests, 0);
    } finally {
      await server.close();
    }
  });

  it("a stall delays requests arriving during it", async () => {
    const target = createTargetApp();
    const server = await serveApp(target.fetch, { port: 0, hostname: "127.0.0.1" });
    const base = `http://127.0.0.1:${server.port}`;
    try {
      await fetch(`${base}/__lunge/stall?ms=200`, { method: "POST" }).then((r) => r.text());
      const start = performance.now();
      await fetch(`${base}/`).then((r) => r.text());
      const waited = performance.now() - start;
      assert.ok(waited >= 180, `waited ${waited} ms`);
    } finally {
      await server.close();
    }
  });

  it(
    "counts open connections: > 0 with a keep-alive connection, 0 after it closes",
    procNet.options(),
    async () => {
      let port = 0;
      const target = createTargetApp({ openConnections: () => countEstablishedConnections(port) });
      const server = await serveApp(target.fetch, { port: 0, hostname: "127.0.0.1" });
      port = server.port;
      try {
        assert.equal(target.groundTruth().openConnections, 0);
        const a = await keepAliveRequest(port);
        const b = await keepAliveRequest(port);
        assert.equal(target.groundTruth().openConnections, 2);
        a.destroy();
        b.end();
        const closed = await waitFor(() => target.groundTruth().openConnections === 0, 2000);
        assert.ok(closed, `still open: ${target.groundTruth().openConnections}`);
      } finally {
        await server.close();
      }
    },
  );
});

describe("proc/net/tcp parsing", () => {
  it("counts ESTABLISHED sockets by local port only", () => {
    const table = [
      "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
      "   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000 0 1",
      "   1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000  1000 0 2",
      "   2: 0100007F:C350 0100007F:1F90 01 00000000:00000000 00:00000000 00000000  1000 0 3",
      "   3: 0100007F:1F90 0100007F:C351 08 00000000:00000000 00:00000000 00000000  1000 0 4",
      "   4: 0100007F:1F90 0100007F:C352 01 00000000:00000000 00:00000000 00000000  1000 0 5",
      "",
    ].join("\n");
    assert.equal(countEstablishedInTable(table, 8080), 2); // 0x1F90; LISTEN, CLOSE_WAIT, client side left out
    assert.equal(countEstablishedInTable(table, 50000), 1); // 0xC350
    const v6 = "  sl  local_address                         remote_address                        st\n" +
      "   0: 0000000000000000FFFF00000100007F:1F90 0000000000000000FFFF00000100007F:D000 01 0\n";
    assert.equal(countEstablishedInTable(v6, 8080), 1);
  });
});
