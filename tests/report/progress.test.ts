import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { formatProgressLine, type ProgressInfo } from "../../src/report/_progress.ts";
import { visibleLength } from "../../src/report/_ansi.ts";

const info: ProgressInfo = {
  phase: "steady",
  elapsedMs: 12_000,
  totalMs: 30_000,
  requests: 120_000,
  rps: 9_987,
  p99Ms: 4.2,
  errors: 0,
  targetRate: 10_000,
};

describe("formatProgressLine", () => {
  it("prints a plain line with every figure when no terminal is attached", () => {
    const line = formatProgressLine(info, { color: false, terminal: false });
    assert.equal(line, "[steady] 12.0s/30.0s requests=120,000 rps=9,987/10,000 p99=4.200ms errors=0");
    const closed = formatProgressLine({ ...info, targetRate: null, totalMs: null, errors: 3 }, {
      color: false,
      terminal: false,
    });
    assert.equal(closed, "[steady] 12.0s requests=120,000 rps=9,987 p99=4.200ms errors=3");
  });

  it("draws a bar that fits the terminal width, with no newline and no carriage return", () => {
    for (const width of [200, 100, 80, 60, 30]) {
      const line = formatProgressLine(info, { color: false, terminal: true, width });
      assert.equal(visibleLength(line), width - 1, `width ${width}: ${JSON.stringify(line)}`);
      assert.doesNotMatch(line, /[\r\n]/);
    }
    const wide = formatProgressLine(info, { color: false, terminal: true, width: 120 });
    assert.match(wide, /^steady +█+░+ 12\.0s\/30\.0s {2}9,987\/10,000 req\/s {2}p99 4\.200ms {2}0 err/);
    // 12 of 30 seconds: 40% of the bar is filled.
    const filled = (wide.match(/█/g) ?? []).length;
    const empty = (wide.match(/░/g) ?? []).length;
    assert.equal(Math.round((filled / (filled + empty)) * 10), 4);
  });

  it("has no bar without a planned total, and colors only when asked", () => {
    const line = formatProgressLine({ ...info, totalMs: null }, { color: false, terminal: true, width: 100 });
    assert.doesNotMatch(line, /[█░]/);
    assert.ok(!line.includes("\x1b["), "no ANSI code");
    const colored = formatProgressLine({ ...info, errors: 12 }, { color: true, terminal: true, width: 100 });
    assert.ok(colored.includes("\x1b[31m12 err\x1b[39m"), JSON.stringify(colored));
    assert.equal(visibleLength(colored), 99);
  });

  it("a gRPC run counts calls and the calls not OK by status; a WebSocket run messages sent and answered", () => {
    const grpc: ProgressInfo = {
      ...info,
      requests: 1_200,
      rps: 100,
      targetRate: 100,
      errors: 30,
      unit: "calls",
      grpcNotOk: { DEADLINE_EXCEEDED: 5, UNAVAILABLE: 25 },
    };
    assert.equal(
      formatProgressLine(grpc, { color: false, terminal: false }),
      "[steady] 12.0s/30.0s calls=1,200 calls/s=100/100 p99=4.200ms not_ok=30 (2.50%: UNAVAILABLE 25, DEADLINE_EXCEEDED 5)",
    );
    assert.equal(
      formatProgressLine({ ...grpc, errors: 0, grpcNotOk: {} }, { color: false, terminal: false }),
      "[steady] 12.0s/30.0s calls=1,200 calls/s=100/100 p99=4.200ms not_ok=0",
    );
    assert.match(
      formatProgressLine(grpc, { color: false, terminal: true, width: 120 }),
      / {2}100\/100 calls\/s {2}p99 4\.200ms {2}30 not OK 2\.50% +$/,
    );
    const ws: ProgressInfo = {
      ...info,
      requests: 1_200,
      errors: 2,
      rps: 100,
      targetRate: null,
      unit: "messages",
      messagesSent: 1_210,
    };
    assert.equal(
      formatProgressLine(ws, { color: false, terminal: false }),
      "[steady] 12.0s/30.0s sent=1,210 answered=1,198 msg/s=100 p99=4.200ms errors=2",
    );
    assert.match(
      formatProgressLine(ws, { color: false, terminal: true, width: 120 }),
      / {2}100 msg\/s {2}sent 1,210 {2}p99 4\.200ms {2}2 err +$/,
    );
  });
});
