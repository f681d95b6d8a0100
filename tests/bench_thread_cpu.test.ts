import { describe, it } from "node:test";
import assert from "node:assert/strict";
import process from "node:process";
import { measureThreadCpu } from "../bench/_lib/thread_cpu.ts";

describe("bench: CPU of a process over a window, every thread", () => {
  it("counts the CPU this process burns inside the window", () => {
    const window = measureThreadCpu(process.pid);
    const until = performance.now() + 200;
    let x = 0;
    while (performance.now() < until) x += Math.sqrt(x + 1);
    const ns = window.stop();
    assert.ok(x > 0);
    // 200 ms of wall time spent computing: most of it is CPU even on a loaded machine.
    assert.ok(ns >= 50e6 && ns < 5e9, `CPU in the window: ${ns / 1e6} ms`);
  });

  it("NaN for a process that is gone", () => {
    assert.ok(Number.isNaN(measureThreadCpu(2 ** 22 + 12345).stop()));
  });
});
