import { describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { measureThreadCpu } from "../../bench/_lib/thread_cpu.ts";

describe("bench: CPU of a process over a window, every thread", () => {
  it("counts the CPU this process burns inside the window", () => {
    const window = measureThreadCpu(process.pid);
    // Burn 100 ms of CPU (not of wall time: a loaded machine gives this process a fraction of a core).
    const before = process.cpuUsage();
    let x = 0;
    let usedUs = 0;
    while (usedUs < 100_000) {
      for (let i = 0; i < 10_000; i++) x += Math.sqrt(x + i);
      const now = process.cpuUsage(before);
      usedUs = now.user + now.system;
    }
    const ns = window.stop();
    assert.ok(x > 0);
    // Every thread counts, so at least what getrusage saw (allowing for its coarser accounting).
    assert.ok(
      ns >= 0.5 * usedUs * 1e3 && ns < 60e9,
      `CPU in the window: ${ns / 1e6} ms, getrusage ${usedUs / 1e3} ms`,
    );
  });

  it("NaN for a process that is gone", () => {
    assert.ok(Number.isNaN(measureThreadCpu(2 ** 22 + 12345).stop()));
  });
});
