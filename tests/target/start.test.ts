import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { startTarget } from "../../src/target/start.ts";
import type { TargetMode } from "../../src/target/types.ts";
import { spawnRuntimeProcess } from "../../src/runtime/process.ts";
import { readTextFileOrNull } from "../../src/runtime/files.ts";
import { inCi } from "../_helpers/tools.ts";

// Outside Linux there is no socket table to count; under CI=true it must be there.
const hasProc = readTextFileOrNull("/proc/net/tcp") !== null || inCi();

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url).then((r) => r.text());
    return false;
  } catch {
    return true;
  }
}

for (const mode of ["worker", "process"] as TargetMode[]) {
  describe(`startTarget in ${mode} mode`, () => {
    it("starts on an ephemeral port, answers, counts exactly, resets, stops", async () => {
      const target = await startTarget({ mode });
      try {
        assert.equal(target.mode, mode);
        assert.ok(target.port > 0);
        assert.equal(target.url, `http://127.0.0.1:${target.port}`);
        for (let i = 0; i < 10; i++) assert.equal(await fetch(`${target.url}/`).then((r) => r.text()), "ok");
        for (let i = 0; i < 3; i++) {
          const res = await fetch(`${target.url}/status/418`);
          await res.text();
          assert.equal(res.status, 418);
        }
        const stats = await target.stats();
        assert.equal(stats.totalRequests, 13);
        assert.equal(stats.byRoute["/"], 10);
        assert.equal(stats.byRoute["/status/:code"], 3);
        assert.deepEqual(stats.byStatus, { "200": 10, "418": 3 });
        assert.equal(stats.bodyBytesSent, 10 * 2 + 3 * 3);
        assert.ok(stats.memory.rss > 0);
        if (hasProc) assert.equal(typeof stats.openConnections, "number");
        await target.reset();
        assert.equal((await target.stats()).totalRequests, 0);
      } finally {
        await target.stop();
      }
      assert.ok(await refused(`${target.url}/`), "port closed after stop");
      await target.stop(); // idempotent
    });

    it("stall makes requests wait", async () => {
      const target = await startTarget({ mode });
      try {
        await target.stall(250);
        const start = performance.now();
        await fetch(`${target.url}/`).then((r) => r.text());
        const waited = performance.now() - start;
        assert.ok(waited >= 200, `waited ${waited} ms`);
        assert.equal((await target.stats()).totalRequests, 1);
      } finally {
        await target.stop();
      }
    });

    it("after stop nothing keeps the process alive", async () => {
      const child = spawnRuntimeProcess(new URL("../fixtures/target_start_stop.ts", import.meta.url), [mode]);
      const lines: string[] = [];
      child.onStdoutLine((line) => lines.push(line));
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<"timeout">((r) => (timer = setTimeout(() => r("timeout"), 15_000)));
      const result = await Promise.race([child.exited, timedOut]);
      clearTimeout(timer);
      if (result === "timeout") {
        child.kill("SIGKILL");
        await child.exited;
      }
      assert.deepEqual(lines, ["stopped"], child.stderrTail());
      assert.equal(result, 0, `exit: ${result}; stderr: ${child.stderrTail()}`);
    });
  });
}

describe("startTarget options", () => {
  it("rejects a bad port or mode before starting anything", async () => {
    await assert.rejects(startTarget({ port: -1 }), RangeError);
    await assert.rejects(startTarget({ port: 70000 }), /"port" must be an integer from 0 to 65535/);
    await assert.rejects(startTarget({ mode: "thread" as TargetMode }), TypeError);
  });

  it("reports a port already in use as a start failure", async () => {
    const first = await startTarget({ mode: "worker" });
    try {
      await assert.rejects(startTarget({ mode: "worker", port: first.port }), /Cannot start target/);
      await assert.rejects(startTarget({ mode: "process", port: first.port }), /Cannot start target/);
    } finally {
      await first.stop();
    }
  });
});
