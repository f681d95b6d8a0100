import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { run } from "../../../src/engine/run.ts";
import { startTarget } from "../../../src/target/start.ts";
import type { TargetHandle } from "../../../src/target/types.ts";
import { runCli } from "../../_helpers/cli_spawn.ts";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const FIXTURES = "tests/fixtures/scenarios";

describe("TypeScript scenarios", () => {
  let target: TargetHandle;
  before(async () => {
    target = await startTarget({ mode: "process" });
  });
  after(async () => {
    await target.stop();
  });

  it("per-step counts equal the target's per-route ground truth (login then API, 2 workers)", async () => {
    await target.reset();
    const result = await run({
      url: target.url,
      scenario: "examples/login_then_api.ts",
      durationMs: 1500,
      concurrency: 8,
      workers: 2,
    });
    const truth = await target.stats();
    const byName = Object.fromEntries(result.names.map((n) => [n.name, n]));
    assert.equal(byName.login.count, truth.byRoute["/login"]);
    assert.equal(byName.me.count, truth.byRoute["/me"]);
    assert.ok(byName.me.count > 20, `only ${byName.me.count}`);
    assert.equal(byName.me.errors, 0);
    const sc = result.scenario!;
    assert.equal(sc.iterations.errors, 0);
    // Every measured iteration made both requests (the last ones may still be in flight at the end).
    assert.ok(Math.abs(sc.iterations.count - byName.me.count) <= 8);
    assert.deepEqual(sc.checks, [{ name: "me is 200", passes: byName.me.count, fails: 0 }]);
    assert.ok(result.thresholds.every((t) => t.passed), JSON.stringify(result.thresholds));
    assert.equal(result.snapshot.totalRequests, truth.totalRequests);
    // The pacer counted each measured iteration as it started it: those that ended plus those abandoned.
    assert.equal(result.snapshot.sent, sc.iterations.count + sc.abandoned);
  });

  it("setup data reaches every iteration; open model counts equal the ground truth", async () => {
    await target.reset();
    const result = await run({
      url: target.url,
      scenario: "examples/setup_and_data.ts",
      rate: 100,
      durationMs: 1500,
      workers: 2,
    });
    const truth = await target.stats();
    assert.equal(truth.byRoute["/login"], 1); // setup only, not measured
    assert.equal(result.names[0].name, "GET /me");
    assert.equal(result.names[0].count, truth.byRoute["/me"]);
    assert.equal(result.names[0].errors, 0);
    assert.equal(result.scenario!.iterations.errors, 0);
    // Every planned iteration ran, some late when no virtual user was free (counted as missed sends,
    // like late requests); none ran beyond the plan.
    const { count } = result.scenario!.iterations;
    assert.ok(
      count <= 151 && count + result.snapshot.missedSends >= 149,
      `${count} + ${result.snapshot.missedSends}`,
    );
  });

  it("open model: a 1 s server stall shows in the iteration p99", async () => {
    await target.reset();
    const stall = setTimeout(() => void target.stall(1000), 1200);
    try {
      const result = await run({
        url: target.url,
        scenario: `${FIXTURES}/open_stall.ts`,
        rate: 200,
        concurrency: 400,
        durationMs: 3000,
        workers: 2,
      });
      const it = result.scenario!.iterations;
      assert.ok(it.count >= 550, `only ${it.count} iterations`);
      // Without the stall the p99 is a few ms; iterations that arrived during it waited up to 1 s.
      assert.ok(it.latency.p99 >= 500, `iteration p99 ${it.latency.p99} ms`);
      assert.ok(it.latency.max >= 800 && it.latency.max < 3000, `iteration max ${it.latency.max} ms`);
    } finally {
      clearTimeout(stall);
    }
  });

  it("an iteration that throws is a failed iteration with its message; the run goes on", async () => {
    const result = await run({
      url: target.url,
      scenario: `${FIXTURES}/throws.ts`,
      durationMs: 1000,
      concurrency: 4,
      workers: 1,
    });
    const sc = result.scenario!;
    assert.ok(sc.iterations.count > 30);
    assert.ok(sc.iterations.errors > 0 && sc.iterations.errors < sc.iterations.count);
    assert.deepEqual(sc.errors.map((e) => e.message), ["boom in iteration"]);
    assert.equal(sc.errors[0].count, sc.iterations.errors);
    assert.equal(result.names[0].count, sc.iterations.count - sc.iterations.errors);
  });

  it("an iteration that never settles is bounded by the iteration timeout and counted", async () => {
    const started = performance.now();
    const result = await run({
      url: target.url,
      scenario: `${FIXTURES}/never_settles.ts`,
      durationMs: 1500,
      concurrency: 3,
      workers: 1,
      iterationTimeoutMs: 300,
    });
    const sc = result.scenario!;
    assert.equal(sc.timedOut, 3);
    assert.ok(sc.iterations.count > 10);
    assert.equal(sc.iterations.errorsByKind.timeout, 3);
    assert.match(sc.errors[0].message, /iteration timed out after 300 ms/);
    assert.ok(performance.now() - started < 10_000);
  });

  it("CLI: a failing check fails its threshold (exit 99)", async () => {
    const r = await runCli(
      [
        "run",
        `${FIXTURES}/failing_check.ts`,
        "builtin",
        "-d",
        "1s",
        "-c",
        "2",
        "-q",
        "--threshold",
        "checks>99%",
      ],
      { timeoutMs: 60_000 },
    );
    assert.equal(r.code, 99, r.stderr);
    assert.match(r.stdout, /✗ fails half/);
    assert.match(r.stderr, /threshold.*failed: checks>99%/);
  });

  it("CLI: the examples pass their own thresholds against the built-in target", async () => {
    for (const example of ["examples/checks_and_thresholds.ts", "examples/login_then_api.ts"]) {
      const r = await runCli(["run", example, "builtin", "-d", "1s", "-q"], { timeoutMs: 60_000 });
      assert.equal(r.code, 0, `${example}: ${r.stderr}`);
      assert.match(r.stdout, /Iterations/);
    }
  });

  it("CLI: a scenario with a syntax error, without a default export, or missing exits 2 with file:line on one line", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lunge-scenario-"));
    try {
      // Written here: a syntax error in the repository would fail the type check of tests/.
      writeFileSync(
        join(dir, "syntax_error.ts"),
        "export default async function (ctx) {\n  const a = 1;\n  const b = = 2;\n}\n",
      );
      for (
        const [file, pattern] of [
          [join(dir, "syntax_error.ts"), /syntax_error\.ts:3:\d+: /],
          [`${FIXTURES}/no_default.ts`, /no_default\.ts:1: the scenario has no default export/],
          [join(dir, "missing.ts"), /missing\.ts: cannot read the scenario file/],
        ] as const
      ) {
        const r = await runCli(["run", file, "-d", "1s"]);
        assert.equal(r.code, 2, r.stderr);
        assert.match(r.stderr, pattern);
        assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
