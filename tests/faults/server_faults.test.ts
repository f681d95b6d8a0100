/**
 * Fault suite: servers that misbehave. Each run ends on its own within its
 * bound, loses no count (the client's figures equal the server's own), and
 * ends with the right exit code and error kinds.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { system } from "../../src/runtime/mod.ts";
import { startFaultServer } from "./_fault_server.ts";
import { runLunge } from "./_run_cli.ts";

const kinds = (r: { snapshot: { errorsByKind: Record<string, number> } }): Record<string, number> =>
  Object.fromEntries(Object.entries(r.snapshot.errorsByKind).filter(([, n]) => n > 0));

describe("faults: server misbehaviour", () => {
  it(
    "resets the connection after the headers: every request a reset, exit 1",
    { timeout: 60_000 },
    async () => {
      const server = await startFaultServer({ kind: "reset-after-headers" });
      try {
        const r = await runLunge([server.url + "/", "-d", "1500ms", "-c", "4", "-w", "1"]);
        assert.ok(r.ms < 15_000, `took ${r.ms} ms`);
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr, /every request failed: connection reset or closed by 127\.0\.0\.1:\d+/);
        const s = r.result.snapshot;
        assert.ok(s.totalRequests > 10);
        assert.deepEqual(kinds(r.result), { reset: s.totalRequests });
        assert.equal(s.totalRequests, server.received, "one failed request per request the server saw");
        assert.ok((r.result.errorMessages ?? []).length > 0);
      } finally {
        await server.close();
      }
    },
  );

  it("never finishes the body: every request times out, exit 1", { timeout: 60_000 }, async () => {
    const server = await startFaultServer({ kind: "never-finish" });
    try {
      const r = await runLunge([
        server.url + "/",
        "-d",
        "1500ms",
        "-c",
        "4",
        "-w",
        "1",
        "--timeout",
        "300ms",
      ]);
      assert.ok(r.ms < 15_000, `took ${r.ms} ms`);
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /every request failed: requests to 127\.0\.0\.1:\d+ timed out \(after 300 ms\)/);
      const s = r.result.snapshot;
      assert.ok(s.totalRequests >= 8, `${s.totalRequests}`);
      assert.deepEqual(kinds(r.result), { timeout: s.totalRequests });
      assert.equal(s.totalRequests, server.received);
      assert.equal(r.result.errorMessages?.[0].message, "request timed out after 300 ms");
    } finally {
      await server.close();
    }
  });

  it(
    "closes after N requests with Connection: close: no errors, counts equal",
    { timeout: 60_000 },
    async () => {
      const server = await startFaultServer({ kind: "close-after", n: 3 });
      try {
        const r = await runLunge([server.url + "/", "-d", "1500ms", "-c", "4", "-w", "1"]);
        assert.ok(r.ms < 15_000, `the run ended on its own within its bound (took ${r.ms} ms)`);
        assert.equal(r.code, 0, r.stderr);
        const s = r.result.snapshot;
        assert.deepEqual(kinds(r.result), {});
        assert.equal(s.statusCounts["200"], server.answered);
        assert.equal(s.totalRequests, server.received);
        assert.ok(
          r.result.clients.reconnections >= server.answered / 3 - 8,
          `${r.result.clients.reconnections}`,
        );
      } finally {
        await server.close();
      }
    },
  );

  it(
    "closes silently after N requests: GET retried (no errors), POST not (reset)",
    { timeout: 60_000 },
    async () => {
      const get = await startFaultServer({ kind: "silent-close-after", n: 3, delayMs: 5 });
      try {
        const r = await runLunge([get.url + "/", "-d", "1500ms", "-c", "4", "-w", "1"]);
        assert.ok(r.ms < 15_000, `the run ended on its own within its bound (took ${r.ms} ms)`);
        assert.equal(r.code, 0, r.stderr);
        assert.deepEqual(kinds(r.result), {});
        assert.equal(r.result.snapshot.statusCounts["200"], get.answered);
        assert.ok(get.received > get.answered, "the race happened: requests sent on closing connections");
      } finally {
        await get.close();
      }
      const post = await startFaultServer({ kind: "silent-close-after", n: 3, delayMs: 5 });
      try {
        const r = await runLunge([
          post.url + "/",
          "-m",
          "POST",
          "-b",
          "x",
          "-d",
          "1500ms",
          "-c",
          "4",
          "-w",
          "1",
        ]);
        assert.ok(r.ms < 15_000, `the run ended on its own within its bound (took ${r.ms} ms)`);
        const s = r.result.snapshot;
        assert.equal(s.statusCounts["200"], post.answered);
        assert.ok(s.errorsByKind.reset > 0, "stale closes under POST are errors");
        assert.deepEqual(kinds(r.result), { reset: s.errorsByKind.reset });
        // Never sent twice: each unanswered request the server saw is one reset.
        assert.equal(post.received - post.answered, s.errorsByKind.reset);
        assert.match(r.result.errorMessages?.[0].message ?? "", /not retried: the method is not idempotent/);
        assert.equal(r.code, 0, r.stderr);
      } finally {
        await post.close();
      }
    },
  );

  it(
    "a 1 MiB header line: a capped protocol error, no memory blow-up, exit 1",
    { timeout: 60_000 },
    async () => {
      const server = await startFaultServer({ kind: "huge-header", bytes: 1024 * 1024 });
      let peak = 0;
      const base = system.memory().rss;
      const sampler = setInterval(() => (peak = Math.max(peak, system.memory().rss - base)), 20);
      try {
        const r = await runLunge([server.url + "/", "-d", "1500ms", "-c", "4", "-w", "1"]);
        assert.ok(r.ms < 15_000, `the run ended on its own within its bound (took ${r.ms} ms)`);
        assert.equal(r.code, 1, r.stderr);
        assert.match(
          r.stderr,
          /every request failed: malformed responses from 127\.0\.0\.1:\d+: malformed response: (response head too large|header line too long)/,
        );
        const s = r.result.snapshot;
        assert.ok(s.totalRequests > 10);
        assert.deepEqual(kinds(r.result), { protocol: s.totalRequests });
        assert.equal(s.totalRequests, server.received);
        // The server writes 1 MiB per response; the client reads at most 256 KiB of each head, keeps none.
        console.log(
          `1 MiB header line: ${s.totalRequests} requests, RSS grew by at most ${
            (peak / 1048576).toFixed(1)
          } MiB`,
        );
        assert.ok(peak < 200 * 1024 * 1024, `RSS grew by ${(peak / 1048576).toFixed(0)} MiB`);
      } finally {
        clearInterval(sampler);
        await server.close();
      }
    },
  );
});
