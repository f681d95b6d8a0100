import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { runCli } from "../_helpers/cli_spawn.ts";

describe("cli.ts in a child process", () => {
  it("--help: usage on stdout, exit 0", async () => {
    const r = await runCli(["--help"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /Usage:\n\s+lunge run <url>/);
    assert.match(r.stdout, /130\s+interrupted/);
    assert.equal(r.stderr, "");
  });

  it("run --help lists every flag with its default", async () => {
    const r = await runCli(["run", "--help"]);
    assert.equal(r.code, 0, r.stderr);
    for (
      const flag of [
        "--rate",
        "--concurrency",
        "--workers",
        "--duration",
        "--requests",
        "--warmup",
        "--ramp-up",
        "--ramp-down",
        "--method",
        "--header",
        "--body",
        "--timeout",
        "--collector",
        "--json",
        "--html",
        "--threshold",
        "--transport",
        "--out",
        "--metrics-port",
        "--quiet",
        "--no-progress",
      ]
    ) {
      assert.ok(r.stdout.includes(flag), flag);
    }
  });

  it("--version: 'lunge <version> (<runtime> <version>)', exit 0", async () => {
    const r = await runCli(["--version"]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^lunge \d+\.\d+\.\d+ \((deno|bun|node) [\w.-]+\)\n$/);
  });

  it("an unknown flag: exit 2, exactly one line on stderr, no stack trace", async () => {
    const r = await runCli(["run", "http://127.0.0.1:9/", "--bogus"]);
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "lunge: unknown option --bogus (see 'lunge run --help')\n");
    assert.equal(r.stdout, "");
  });

  it("a bad URL: exit 2, one line", async () => {
    const r = await runCli(["run", "not a url"]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^lunge: invalid URL "not a url": [^\n]+\n$/);
    assert.doesNotMatch(r.stderr, /\s+at /);
  });

  it("a zero rate and an unparsable duration: exit 2", async () => {
    for (const args of [["run", "builtin", "--rate", "0"], ["run", "builtin", "-d", "soon"]]) {
      const r = await runCli(args);
      assert.equal(r.code, 2, args.join(" "));
      assert.equal(r.stderr.split("\n").length, 2, r.stderr);
    }
  });

  it("run builtin -d 2s: exit 0, a summary on stdout, the JSON file written", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lunge-cli-"));
    try {
      const json = join(dir, "r.json");
      const r = await runCli([
        "run",
        "builtin",
        "-d",
        "2s",
        "-c",
        "8",
        "-w",
        "1",
        "--threshold",
        "errors<1%",
        "--json",
        json,
      ]);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /Summary/);
      assert.match(r.stdout, /✓ errors<1%/);
      assert.match(r.stderr, /\[steady\]/, "plain progress lines (stderr is a pipe)");
      const result = JSON.parse(readFileSync(json, "utf8"));
      assert.ok(result.snapshot.totalRequests > 0);
      assert.equal(result.snapshot.failedRequests, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a failing threshold: exit 99", async () => {
    const r = await runCli([
      "run",
      "builtin",
      "-d",
      "1s",
      "-c",
      "4",
      "-w",
      "1",
      "-q",
      "--threshold",
      "rps>100000000",
    ]);
    assert.equal(r.code, 99, r.stderr);
    assert.match(r.stdout, /✗ rps>100000000/);
    assert.match(r.stderr, /1 of 1 threshold failed: rps>100000000/);
  });

  it("SIGINT mid-run: the partial result is reported, exit 130", async () => {
    const r = await runCli(["run", "builtin", "-d", "60s", "-c", "4", "-w", "1"], {
      interruptWhen: /\[steady\]/,
    });
    assert.equal(r.code, 130, r.stderr);
    assert.match(r.stdout, /INTERRUPTED/);
    assert.match(r.stdout, /Summary/);
  });
});
