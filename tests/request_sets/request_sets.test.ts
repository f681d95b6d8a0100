import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { createServer, type Server } from "node:http";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { run } from "../../src/engine/run.ts";
import { parseTargets } from "../../src/request_sets/parse_targets.ts";
import { startTarget } from "../../src/target/start.ts";
import type { TargetHandle } from "../../src/target/types.ts";
import { readTextFileOrNull } from "../../src/runtime/files.ts";
import { runCli } from "../_helpers/cli_spawn.ts";

describe("request sets (--targets)", () => {
  let target: TargetHandle;
  let dir: string;
  before(async () => {
    target = await startTarget({ mode: "process" });
    dir = mkdtempSync(join(tmpdir(), "lunge-targets-"));
  });
  after(async () => {
    await target.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("per-name counts equal the target's per-route ground truth exactly (2 workers, templated body)", async () => {
    const set = parseTargets(
      "examples/targets.http",
      readTextFileOrNull("examples/targets.http")!,
      readTextFileOrNull,
    );
    await target.reset();
    const result = await run({
      url: target.url,
      targets: set,
      durationMs: 1500,
      concurrency: 12,
      workers: 2,
    });
    const truth = await target.stats();
    const byName = Object.fromEntries(result.names.map((n) => [n.name, n]));
    assert.deepEqual(Object.keys(byName), ["GET /", "POST /echo", "GET /status/404"]);
    assert.equal(byName["GET /"].count, truth.byRoute["/"]);
    assert.equal(byName["POST /echo"].count, truth.byRoute["/echo"]);
    assert.equal(byName["GET /status/404"].count, truth.byRoute["/status/:code"]);
    assert.equal(byName["GET /status/404"].errorsByStatus["404"], truth.byStatus["404"]);
    assert.equal(byName["POST /echo"].errors, 0);
    assert.ok(byName["GET /"].count > 200, `only ${byName["GET /"].count}`);
    assert.equal(result.snapshot.totalRequests, truth.totalRequests);
    assert.ok(byName["GET /"].latency.p99 > 0 && byName["GET /"].latency.max >= byName["GET /"].latency.p99);
  });

  it("{{seq}} is unique across workers (every request seen by the server)", async () => {
    const seen: string[] = [];
    const server: Server = createServer((req, res) => {
      seen.push(req.url ?? "");
      res.end("ok");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const port = (server.address() as { port: number }).port;
    try {
      const set = parseTargets("t.http", `GET http://127.0.0.1:${port}/u/{{seq}}\n`, () => null);
      const result = await run({ url: "", targets: set, requests: 3000, concurrency: 8, workers: 2 });
      const ids = seen.map((u) => Number(u.split("/")[2]));
      assert.equal(result.names[0].count, 3000);
      assert.ok(seen.length >= 3000);
      assert.equal(new Set(ids).size, ids.length, "duplicate {{seq}} values");
      assert.ok(ids.every((n) => Number.isInteger(n) && n >= 0));
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it("CLI: a bad targets line exits 2 naming file:line", async () => {
    const file = join(dir, "bad.http");
    writeFileSync(file, "GET http://127.0.0.1:9/\nthis is not a header\n");
    const r = await runCli(["run", "--targets", file, "-d", "1s"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, new RegExp(`${file.replace(/[.]/g, "\\.")}:2: expected a header`));
    assert.equal(r.stderr.trim().split("\n").length, 1);
  });

  it("CLI: examples run against the built-in target with per-name output and thresholds", async () => {
    const r = await runCli([
      "run",
      "builtin",
      "--targets",
      "examples/weighted.jsonl",
      "-d",
      "1s",
      "-c",
      "4",
      "-q",
      "--threshold",
      "home.errors<1%",
      "--json",
      join(dir, "r.json"),
    ], { timeoutMs: 60_000 });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Per name[\s\S]*home[\s\S]*health[\s\S]*echo/);
    const json = JSON.parse(readTextFileOrNull(join(dir, "r.json"))!);
    assert.equal(json.schemaVersion, 2);
    assert.deepEqual(json.names.map((n: { name: string }) => n.name), ["home", "health", "echo"]);
    const csv = await runCli(
      ["run", "builtin", "--targets", "examples/csv_logins.jsonl", "-n", "200", "-q"],
      {
        timeoutMs: 60_000,
      },
    );
    assert.equal(csv.code, 0, csv.stderr);
    assert.match(csv.stdout, /login\s+200\s+0/);
  });
});
