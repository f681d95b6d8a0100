import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { main } from "../../src/cli/main.ts";
import type { LiveOutputs, LiveOutputsOptions } from "../../src/cli/_live_outputs.ts";
import { startLiveOutputs } from "../../src/cli/_live_outputs.ts";
import { type RunOptions, RunOptionsError } from "../../src/engine/options.ts";
import type { RunResult } from "../../src/result/run_result.ts";
import { parseResultJson } from "../../src/result/json.ts";
import { closedRunResult } from "../fixtures/run_result.ts";
import { fakeIo } from "../_helpers/cli_io.ts";

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[/;

describe("main: a run", () => {
  it("exit 0: summary on stdout, plain progress lines on stderr, options handed to run", async () => {
    const f = fakeIo({ result: closedRunResult });
    const code = await main(["run", "http://127.0.0.1:9/", "-c", "50", "--rate", "100", "-d", "2s"], f.io);
    assert.equal(code, 0);
    assert.match(f.stdout(), /Summary/);
    assert.match(f.stdout(), /p99/);
    assert.doesNotMatch(f.stdout(), ANSI);
    const progress = f.stderr().split("\n").filter((l) => l.startsWith("[steady]"));
    assert.equal(progress.length, 2);
    assert.match(progress[0], /requests=1,234/);
    assert.doesNotMatch(f.stderr(), /\r/);
    const [options] = f.runs;
    assert.equal(options.url, "http://127.0.0.1:9/");
    assert.equal(options.concurrency, 50);
    assert.equal(options.rate, 100);
    assert.equal(options.durationMs, 2000);
    assert.ok(options.signal instanceof AbortSignal);
    assert.equal(typeof options.onProgress, "function");
    assert.equal(f.interruptHandlers(), 0, "the Ctrl-C handler is removed after the run");
  });

  it("on a terminal: the bar is redrawn with \\r, colored, and the line is ended before the summary", async () => {
    const f = fakeIo({ result: closedRunResult, stderrIsTerminal: true, stdoutIsTerminal: true });
    assert.equal(await main(["run", "builtin"], f.io), 0);
    assert.equal(f.stderr().split("\r").length - 1, 2);
    assert.match(f.stderr(), ANSI);
    assert.match(f.stdout(), ANSI);
    assert.match(f.stderr(), /\r[^\n]*\n$/, "the last bar is followed by a newline");
  });

  it("NO_COLOR: no ANSI codes anywhere, even on a terminal", async () => {
    const f = fakeIo({
      result: closedRunResult,
      stderrIsTerminal: true,
      stdoutIsTerminal: true,
      env: { NO_COLOR: "1" },
    });
    assert.equal(await main(["run", "builtin"], f.io), 0);
    assert.doesNotMatch(f.stdout(), ANSI);
    assert.doesNotMatch(f.stderr(), ANSI);
    assert.match(f.stderr(), /\r/, "still a redrawn bar");
  });

  it("--quiet: no progress callback and nothing on stderr", async () => {
    const f = fakeIo({ result: closedRunResult });
    assert.equal(await main(["run", "builtin", "--quiet", "--json", "r.json"], f.io), 0);
    assert.equal(f.runs[0].onProgress, undefined);
    assert.equal(f.stderr(), "");
  });

  it("--json and --html are written from the result", async () => {
    const f = fakeIo({ result: closedRunResult });
    assert.equal(await main(["run", "builtin", "--json", "out/r.json", "--html", "out/r.html"], f.io), 0);
    const json = f.files.get("out/r.json");
    assert.ok(json !== undefined);
    const parsed = parseResultJson(json);
    assert.equal(parsed.snapshot.totalRequests, closedRunResult().snapshot.totalRequests);
    assert.match(f.files.get("out/r.html") ?? "", /^<!DOCTYPE html>/i);
    assert.match(f.stderr(), /wrote out\/r\.json/);
  });

  it("a file that cannot be written: summary still printed, the other file still written, exit 1", async () => {
    const f = fakeIo({ result: closedRunResult, failWrite: (p) => p === "/nope/r.json" });
    assert.equal(await main(["run", "builtin", "--json", "/nope/r.json", "--html", "r.html"], f.io), 1);
    assert.match(f.stdout(), /Summary/);
    assert.match(f.stderr(), /lunge: cannot write "\/nope\/r\.json": permission denied/);
    assert.ok(f.files.has("r.html"));
  });
});

describe("main: thresholds", () => {
  it("all passing → 0; the outcomes are in the summary", async () => {
    const f = fakeIo({ result: closedRunResult });
    assert.equal(
      await main(["run", "builtin", "--threshold", "errors<1%", "--threshold", "p99<10s"], f.io),
      0,
    );
    assert.match(f.stdout(), /Thresholds/);
    assert.match(f.stdout(), /✓ errors<1%/);
  });

  it("one failing → 99, named on stderr, and recorded in the JSON", async () => {
    const f = fakeIo({ result: closedRunResult });
    const code = await main([
      "run",
      "builtin",
      "--threshold",
      "errors<1%",
      "--threshold",
      "rps>1000000000",
      "--json",
      "r.json",
    ], f.io);
    assert.equal(code, 99);
    assert.match(f.stderr(), /lunge: 1 of 2 thresholds failed: rps>1000000000/);
    assert.match(f.stdout(), /✗ rps>1000000000/);
    const saved = parseResultJson(f.files.get("r.json") ?? "");
    assert.deepEqual(saved.thresholds.map((t) => t.passed), [true, false]);
  });

  it("the engine's own outcomes are used when present", async () => {
    const f = fakeIo({
      result: () => ({
        ...closedRunResult(),
        thresholds: [{ expression: "p99<50ms", metric: "p99", actual: 99, passed: false }],
      }),
    });
    assert.equal(await main(["run", "builtin", "--threshold", "p99<50ms"], f.io), 99);
  });

  it("an unknown metric is a usage error before the run starts", async () => {
    const f = fakeIo({ result: closedRunResult });
    assert.equal(await main(["run", "builtin", "--threshold", "p98<5ms"], f.io), 2);
    assert.equal(f.runs.length, 0);
  });
});

describe("main: Ctrl-C", () => {
  it("aborts the run, reports and writes the partial result, exits 130", async () => {
    const behaviour = (options: RunOptions): Promise<RunResult> =>
      new Promise((resolve) => {
        options.signal?.addEventListener("abort", () => resolve({ ...closedRunResult(), interrupted: true }));
        setTimeout(() => f.interrupt(), 5); // the user presses Ctrl-C mid-run
      });
    const f = fakeIo({ behaviour });
    const code = await main(["run", "builtin", "-d", "1h", "--json", "partial.json"], f.io);
    assert.equal(code, 130);
    assert.ok(f.runs[0].signal?.aborted);
    assert.match(f.stderr(), /interrupted, stopping/);
    assert.match(f.stdout(), /INTERRUPTED|Summary/);
    assert.equal(parseResultJson(f.files.get("partial.json") ?? "").interrupted, true);
    assert.deepEqual(f.forcedExits, []);
  });

  it("130 beats a failing threshold; a second Ctrl-C forces the exit", async () => {
    const behaviour = (options: RunOptions): Promise<RunResult> =>
      new Promise((resolve) => {
        options.signal?.addEventListener("abort", () => {
          f.interrupt(); // impatient user
          setTimeout(() => resolve({ ...closedRunResult(), interrupted: true }), 1);
        });
        setTimeout(() => f.interrupt(), 1);
      });
    const f = fakeIo({ behaviour });
    assert.equal(await main(["run", "builtin", "--threshold", "rps>1000000000"], f.io), 130);
    assert.deepEqual(f.forcedExits, [130]);
  });
});

describe("main: errors", () => {
  it("usage error: exit 2, one line, run never called", async () => {
    const f = fakeIo({ result: closedRunResult });
    assert.equal(await main(["run", "http://x/", "--bogus"], f.io), 2);
    assert.equal(f.stderr(), "lunge: unknown option --bogus (see 'lunge run --help')\n");
    assert.equal(f.stdout(), "");
    assert.equal(f.runs.length, 0);
  });

  it("a plain RangeError from the engine is not mistaken for a usage error (errors are told apart by class)", async () => {
    const f = fakeIo({
      behaviour: () =>
        Promise.reject(new RangeError('Cannot start run: "workers" must be an integer from 1 to 256')),
    });
    assert.equal(await main(["run", "builtin"], f.io), 1);
  });

  it("the engine's option errors are usage errors too", async () => {
    const f = fakeIo({
      behaviour: () =>
        Promise.reject(new RunOptionsError("workers", '"workers" must be an integer from 1 to 256')),
    });
    assert.equal(await main(["run", "builtin"], f.io), 2);
    assert.match(
      f.stderr(),
      /^lunge: "workers" must be an integer from 1 to 256 \(see 'lunge run --help'\)$/m,
    );
  });

  it("a runtime failure: exit 1, 'lunge: <message>', no stack unless LUNGE_DEBUG=1", async () => {
    const boom = (): Promise<RunResult> => Promise.reject(new Error("worker crashed"));
    const f = fakeIo({ behaviour: boom });
    assert.equal(await main(["run", "builtin", "-q"], f.io), 1);
    assert.equal(f.stderr(), "lunge: worker crashed\n");
    const debug = fakeIo({ behaviour: boom, env: { LUNGE_DEBUG: "1" } });
    assert.equal(await main(["run", "builtin", "-q"], debug.io), 1);
    assert.match(debug.stderr(), /lunge: worker crashed\nError: worker crashed\n\s+at /);
  });

  it("help and version go to stdout with exit 0", async () => {
    for (const argv of [["--help"], ["run", "--help"], ["serve", "-h"], ["--version"]]) {
      const f = fakeIo();
      assert.equal(await main(argv, f.io), 0, argv.join(" "));
      assert.ok(f.stdout().length > 0);
      assert.equal(f.stderr(), "");
    }
  });
});

describe("main: live outputs", () => {
  it("--out statsd= and --metrics-port start outputs whose onCollector reaches the run, stopped after", async () => {
    const seen: LiveOutputsOptions[] = [];
    let stopped = 0;
    const onCollector = (): void => {};
    const f = fakeIo({ result: closedRunResult });
    f.io.startLiveOutputs = (o: LiveOutputsOptions): Promise<LiveOutputs> => {
      seen.push(o);
      return Promise.resolve({ onCollector, metricsPort: 1234, stop: () => Promise.resolve(void stopped++) });
    };
    const argv = ["run", "builtin", "--out", "statsd=127.0.0.1:8125", "--metrics-port", "0", "-q"];
    assert.equal(await main(argv, f.io), 0);
    assert.deepEqual(seen.map((o) => [o.statsd, o.metricsPort]), [[["127.0.0.1:8125"], 0]]);
    assert.equal(f.runs[0].onCollector, onCollector);
    assert.equal(stopped, 1);
  });

  it("without those flags no output starts", async () => {
    const f = fakeIo({ result: closedRunResult });
    f.io.startLiveOutputs = () => Promise.reject(new Error("must not start"));
    assert.equal(await main(["run", "builtin"], f.io), 0);
    assert.equal(f.runs[0].onCollector, undefined);
  });

  it("the real /metrics server answers before and after the collector arrives", async () => {
    const live = await startLiveOutputs({ statsd: [], metricsPort: 0, log: () => {} });
    try {
      assert.ok(live.metricsPort !== null && live.metricsPort > 0);
      const before = await fetch(`http://127.0.0.1:${live.metricsPort}/metrics`);
      assert.equal(before.status, 200);
      assert.match(await before.text(), /lunge/);
      const { createCollector } = await import("../../src/collector/create.ts");
      const collector = createCollector({ kind: "atomic" });
      try {
        collector.recordRequest({ status: 200, durationMs: 1, bytes: 2 });
        collector.recordRequest({ status: 503, durationMs: 1, bytes: 2 });
        collector.flush();
        live.onCollector(collector);
        const health = await (await fetch(`http://127.0.0.1:${live.metricsPort}/health`)).json();
        assert.equal(health.requests, 2);
        assert.equal(health.failed, 1);
      } finally {
        collector.close();
      }
    } finally {
      await live.stop();
    }
  });
});

describe("main: serve", () => {
  it("serves the built-in target, prints its URL on stdout, stops on Ctrl-C with exit 0", async () => {
    const f = fakeIo();
    const done = main(["serve", "--port", "0"], f.io);
    const deadline = Date.now() + 5000;
    while (!/^http:\/\/127\.0\.0\.1:\d+\n$/.test(f.stdout()) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 10));
    }
    const url = f.stdout().trim();
    const res = await fetch(url + "/status/418");
    assert.equal(res.status, 418);
    await res.text();
    const stats = await (await fetch(url + "/__lunge/stats")).json();
    assert.equal(stats.byStatus["418"], 1);
    f.interrupt();
    assert.equal(await done, 0);
    assert.match(f.stderr(), /target stopped/);
    await assert.rejects(fetch(url + "/"), "the server is closed");
  });

  it("a port in use: exit 1 with one line", async () => {
    const first = fakeIo();
    const running = main(["serve", "--port", "0"], first.io);
    const deadline = Date.now() + 5000;
    while (first.stdout() === "" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const port = first.stdout().trim().split(":").pop() ?? "";
    const second = fakeIo();
    assert.equal(await main(["serve", "--port", port], second.io), 1);
    assert.match(second.stderr(), new RegExp(`^lunge: cannot listen on 127\\.0\\.0\\.1:${port}: .+\\n$`));
    first.interrupt();
    assert.equal(await running, 0);
  });
});
