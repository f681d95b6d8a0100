/**
 * Unit tests of the hardening pieces: the error-message tally, the one-line
 * cause of a run where every request failed, the file-descriptor check, the
 * idempotent-method rule, error messages in the three reports, and the CLI's
 * exit codes for them.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { ErrorKind } from "../../src/collector/types.ts";
import { ErrorTally, MAX_DISTINCT } from "../../src/worker/error_tally.ts";
import { checkFdLimit, FD_HEADROOM, parseFdLimits } from "../../src/engine/_fd_limit.ts";
import { RunOptionsError } from "../../src/engine/options.ts";
import { errorMessage, isRetryableMethod } from "../../src/http/failure_message.ts";
import { RunFailedError } from "../../src/engine/run_failure.ts";
import { totalFailureLine } from "../../src/report/_failure_cause.ts";
import { formatSummary, parseResultJson, renderHtml, toJson } from "../../src/report/mod.ts";
import { main } from "../../src/cli/main.ts";
import { closedRunResult, refusedRunResult } from "../fixtures/run_result.ts";
import { fakeIo } from "../_helpers/cli_io.ts";
import type { RunResult } from "../../src/result/run_result.ts";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { runtimeName } from "../../src/runtime/mod.ts";
import { ROOT, runCommand } from "../_helpers/dist_package.ts";

function allFailed(kind: string, n = 100): RunResult {
  const r = refusedRunResult();
  const kinds = { timeout: 0, refused: 0, reset: 0, other: 0, dns: 0, tls: 0, protocol: 0, fd_limit: 0 };
  (kinds as Record<string, number>)[kind] = n;
  return {
    ...r,
    interrupted: false,
    snapshot: { ...r.snapshot, totalRequests: n, failedRequests: n, errorsByKind: kinds },
  };
}

describe("ErrorTally", () => {
  it("counts messages per kind, merges wire forms, keeps the top 10 in order", () => {
    const a = new ErrorTally();
    for (let i = 0; i < 12; i++) for (let k = 0; k <= i; k++) a.add(ErrorKind.Reset, `m${i}`);
    a.addFailure(ErrorKind.Timeout, "", 250);
    a.addFailure(ErrorKind.Timeout, undefined, 250);
    const b = new ErrorTally();
    b.merge(a.entries());
    b.merge(a.entries());
    const top = b.top();
    assert.equal(top.length, 10);
    assert.deepEqual(top[0], { kind: "reset", message: "m11", count: 24 });
    assert.ok(top.every((m, i) => i === 0 || top[i - 1].count >= m.count));
    assert.deepEqual(b.top(100).find((m) => m.kind === "timeout"), {
      kind: "timeout",
      message: "request timed out after 250 ms",
      count: 4,
    });
  });

  it("stays bounded: past the distinct limit, messages fold into '(other messages)'", () => {
    const t = new ErrorTally();
    for (let i = 0; i < 10_000; i++) t.add(ErrorKind.Other, `unique ${i}`);
    assert.equal(t.entries().length, MAX_DISTINCT + 1);
    const total = t.entries().reduce((n, e) => n + e[2], 0);
    assert.equal(total, 10_000, "no count lost");
    assert.ok(t.entries().some((e) => e[1] === "(other messages)"));
    t.add(ErrorKind.Other, "x".repeat(5000));
    assert.ok(t.entries().every((e) => e[1].length <= 200));
  });
});

describe("the cause when every request failed", () => {
  it("names the dominant cause with the host", () => {
    assert.equal(
      totalFailureLine(allFailed("refused")),
      "every request failed: connection refused by 127.0.0.1:9",
    );
    const dns = {
      ...allFailed("dns"),
      target: { url: "http://nonexistent.invalid/", method: "GET", builtin: false },
    };
    assert.equal(totalFailureLine(dns), "every request failed: DNS lookup failed for nonexistent.invalid");
    assert.match(totalFailureLine(allFailed("timeout")) ?? "", /timed out \(after [\d,]+ ms\)/);
    assert.match(totalFailureLine(allFailed("fd_limit")) ?? "", /out of file descriptors/);
    const mixed = allFailed("refused", 80);
    mixed.snapshot = {
      ...mixed.snapshot,
      totalRequests: 100,
      errorsByKind: { ...mixed.snapshot.errorsByKind, reset: 20 },
    };
    assert.equal(
      totalFailureLine(mixed),
      "every request failed: connection refused by 127.0.0.1:9 (80 of 100)",
    );
  });

  it("HTTP statuses: every request answered 503", () => {
    const r = allFailed("refused", 0);
    r.snapshot = { ...r.snapshot, totalRequests: 50, failedRequests: 50, statusCounts: { "503": 50 } };
    assert.equal(totalFailureLine(r), "every request failed: HTTP 503 from GET http://127.0.0.1:9/");
  });

  it("null when something succeeded or nothing completed", () => {
    assert.equal(totalFailureLine(closedRunResult()), null);
    const none = allFailed("refused", 0);
    assert.equal(totalFailureLine(none), null);
  });
});

describe("file-descriptor limit", () => {
  it("parses /proc/self/limits", () => {
    const text = "Limit                     Soft Limit           Hard Limit           Units\n" +
      "Max open files            1024                 524288               files\n";
    assert.deepEqual(parseFdLimits(text), { soft: 1024, hard: 524288 });
    assert.deepEqual(parseFdLimits("Max open files  unlimited unlimited files"), {
      soft: Infinity,
      hard: Infinity,
    });
    assert.equal(parseFdLimits("nothing here"), null);
  });

  it("refuses a concurrency above the limit with the numbers and how to raise it", () => {
    checkFdLimit(1024 - FD_HEADROOM, { soft: 1024, hard: 1024 });
    checkFdLimit(1_000_000, null);
    assert.throws(
      () => checkFdLimit(5000, { soft: 1024, hard: 524288 }),
      (e: Error) =>
        e instanceof RunOptionsError && e.option === "concurrency" &&
        /^Cannot start run: --concurrency 5,000 needs about 5,100 open files/.test(e.message) &&
        /limit is 1,024/.test(e.message) && /ulimit -Sn 5100/.test(e.message),
    );
    assert.throws(
      () => checkFdLimit(100_000, { soft: 20_000, hard: 20_000 }),
      /limit is 20,000 \(hard limit 20,000\); raise it first, e.g. 'ulimit -n 100100' \(above the hard limit/,
    );
  });

  it(
    "the CLI under 'ulimit -n 512' with -c 1000: exit 2, one line with the numbers",
    { timeout: 60_000 },
    async () => {
      const cli = fileURLToPath(new URL("../../cli.ts", import.meta.url));
      const run = runtimeName === "deno"
        ? `"${process.execPath}" run -A "${cli}"`
        : `"${process.execPath}" "${cli}"`;
      const r = await runCommand("sh", [
        "-c",
        `ulimit -n 512 && exec ${run} run http://127.0.0.1:1/ -c 1000 -d 1s -q`,
      ], {
        cwd: ROOT,
        timeoutMs: 60_000,
      });
      assert.equal(r.code, 2, r.stderr);
      assert.match(
        r.stderr,
        /^lunge: --concurrency 1,000 needs about 1,100 open files, but the limit is 512 \(hard limit 512\); .*ulimit -n 1100/,
      );
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
    },
  );
});

describe("idempotency and messages", () => {
  it("only GET, HEAD, PUT, DELETE and OPTIONS are retried", () => {
    for (const m of ["GET", "head", "PUT", "DELETE", "OPTIONS"]) assert.ok(isRetryableMethod(m), m);
    for (const m of ["POST", "PATCH", "CONNECT", "TRACE"]) assert.ok(!isRetryableMethod(m), m);
  });

  it("errorMessage keeps the code and the cause, on one line", () => {
    assert.equal(
      errorMessage(Object.assign(new Error("connect failed"), { code: "ECONNREFUSED" })),
      "connect failed (ECONNREFUSED)",
    );
    assert.equal(
      errorMessage(new TypeError("fetch failed", { cause: new Error("getaddrinfo ENOTFOUND x") })),
      "fetch failed: getaddrinfo ENOTFOUND x",
    );
    assert.equal(errorMessage(null), "connection closed by the peer");
  });
});

describe("error messages in the reports and the exit codes", () => {
  const withMessages = (): RunResult => ({
    ...allFailed("refused", 30),
    errorMessages: [{ kind: "refused", message: "connect ECONNREFUSED 127.0.0.1:9 <x>", count: 30 }],
  });

  it("text, JSON (round trip) and HTML show the top messages", () => {
    const r = withMessages();
    assert.match(
      formatSummary(r, { color: false }),
      /Error messages\n\s+30\s+refused\s+connect ECONNREFUSED 127\.0\.0\.1:9 <x>/,
    );
    const back = parseResultJson(toJson(r));
    assert.deepEqual(back.errorMessages, r.errorMessages);
    assert.equal(parseResultJson(toJson(closedRunResult())).errorMessages, undefined, "absent stays absent");
    assert.match(renderHtml(r), /<td>connect ECONNREFUSED 127\.0\.0\.1:9 &lt;x&gt;<\/td>/);
  });

  it("every request failed: report printed and written, then exit 1 with the cause", async () => {
    const f = fakeIo({ result: () => ({ ...withMessages(), interrupted: false }) });
    const code = await main(["run", "http://127.0.0.1:9/", "-d", "1s", "--json", "r.json"], f.io);
    assert.equal(code, 1);
    assert.match(f.stdout(), /Summary/);
    assert.ok(f.files.has("r.json"));
    assert.match(f.stderr(), /lunge: every request failed: connection refused by 127\.0\.0\.1:9\n$/);
  });

  it("a worker crash: the partial result is reported and written, exit 1 with the worker's error", async () => {
    const partial = { ...closedRunResult(), interrupted: true };
    const f = fakeIo({
      behaviour: () => Promise.reject(new RunFailedError("load worker 2 crashed: boom", partial)),
    });
    const code = await main(["run", "http://127.0.0.1:9/", "-d", "1s", "--json", "r.json"], f.io);
    assert.equal(code, 1);
    assert.match(f.stdout(), /INTERRUPTED/);
    assert.ok(f.files.has("r.json"));
    assert.match(f.stderr(), /lunge: load worker 2 crashed: boom\n$/);
  });

  it("SIGTERM: 143; a second signal forces the exit", async () => {
    let release: () => void = () => {};
    const f = fakeIo({
      behaviour: (o) =>
        new Promise((resolve) => {
          release = () => resolve({ ...closedRunResult(), interrupted: true });
          o.signal?.addEventListener("abort", () => setTimeout(release, 10));
        }),
    });
    const running = main(["run", "http://127.0.0.1:9/", "-d", "10s"], f.io);
    await new Promise((r) => setTimeout(r, 10));
    f.interruptAs("SIGTERM");
    assert.equal(await running, 143);
    assert.match(f.stderr(), /terminated, stopping/);
  });
});
