import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseDuration } from "../../src/options/durations.ts";

describe("parseDuration", () => {
  const valid: Array<[string, number]> = [
    ["30s", 30_000],
    ["500ms", 500],
    ["2m", 120_000],
    ["1h", 3_600_000],
    ["1m30s", 90_000],
    ["1h2m3s", 3_723_000],
    ["250us", 0.25],
    ["250µs", 0.25],
    ["1500ns", 0.0015],
    ["1.5s", 1500],
    [".5s", 500],
    ["10", 10_000], // bare numbers are seconds, as in wrk and oha
    ["0.25", 250],
    ["0", 0],
    ["0s", 0],
    [" 5s ", 5000],
    ["2m500ms", 120_500],
  ];
  for (const [text, ms] of valid) {
    it(`"${text}" is ${ms} ms`, () => assert.equal(parseDuration(text), ms));
  }

  const invalid: Array<[string, RegExp]> = [
    ["", /Invalid duration "": expected a number with a unit/],
    ["abc", /Invalid duration "abc"/],
    ["-5s", /must not be negative/],
    ["-1", /must not be negative/],
    ["5x", /expected a number with a unit, e\.g\. 30s/],
    ["5 s", /Invalid duration "5 s"/],
    ["s", /Invalid duration "s"/],
    ["1m30", /Invalid duration "1m30"/],
    ["1e3s", /Invalid duration "1e3s"/],
    ["NaN", /Invalid duration "NaN"/],
    ["Infinity", /Invalid duration "Infinity"/],
    ["9".repeat(400) + "h", /too large/],
  ];
  for (const [text, message] of invalid) {
    it(`rejects "${text.slice(0, 20)}" with a RangeError`, () => {
      assert.throws(
        () => parseDuration(text),
        (e: unknown) => e instanceof RangeError && message.test(e.message),
      );
    });
  }
});
