/**
 * The test command tells the truth: its closing line counts skipped tests,
 * CI=true turns a skip into a failure, and no test file uses a form of
 * skipping that a runtime would not count.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { inCi, needTool } from "../_helpers/tools.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const SAMPLE = "tests/fixtures/runner_skip_sample.ts";

function runRunner(
  ci: string | undefined,
  sample: string | string[] = SAMPLE,
): { code: number | null; out: string } {
  // CI="" rather than no CI: Deno's child_process adds `env` to the parent's environment.
  const env: Record<string, string> = {
    ...process.env as Record<string, string>,
    NO_COLOR: "1",
    CI: ci ?? "",
  };
  const r = spawnSync("node", ["scripts/test.mjs", ...[sample].flat()], {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 90_000,
    env,
  });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

describe("scripts/test.mjs", () => {
  it("counts a skipped test on both runtimes and passes outside CI", { timeout: 120_000 }, () => {
    const r = runRunner(undefined);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /^deno: 1 passed, 0 failed, 1 skipped \(exit 0\)$/m);
    assert.match(r.out, /^bun: 1 passed, 0 failed, 1 skipped \(exit 0\)$/m);
    assert.match(r.out, /^tests: 2 passed, 0 failed, 2 skipped$/m);
  });

  it("fails the run under CI=true when a test was skipped, saying why", { timeout: 120_000 }, () => {
    const r = runRunner("true");
    assert.equal(r.code, 1, r.out);
    assert.match(r.out, /^tests: 2 passed, 0 failed, 2 skipped$/m);
    assert.match(r.out, /^FAIL: CI=true and 2 test\(s\) skipped/m);
  });

  it("repeats why each test failed at the end, where a log's tail shows it", { timeout: 120_000 }, () => {
    const r = runRunner(undefined, "tests/fixtures/runner_fail_sample.ts");
    assert.equal(r.code, 1, r.out);
    const end = r.out.slice(r.out.indexOf("=== why tests failed"));
    assert.ok(end.length < r.out.length, r.out);
    // Both runners' reasons, each with the assertion's own message, before the closing lines.
    assert.match(
      end,
      /--- deno\n[^]*the sample's own failure message[^]*--- bun\n\(fail\) runner sample > fails/,
    );
    assert.match(end.slice(end.indexOf("--- bun")), /AssertionError: the sample's own failure message/);
    assert.match(end, /\ntests: 2 passed, 3 failed, 0 skipped\n/);
  });
});

describe("tests/_helpers/tools.ts", () => {
  it("skips a test needing a missing tool outside CI and runs it (to fail) under CI", () => {
    const missingHere = needTool("nothing", null, "apt-get install -y nothing", {});
    assert.equal(missingHere.options().skip, "nothing is missing (apt-get install -y nothing)");
    const missingInCi = needTool("nothing", null, "apt-get install -y nothing", { CI: "true" });
    assert.equal(missingInCi.options({ timeout: 5 }).skip, false);
    assert.equal(missingInCi.options({ timeout: 5 }).timeout, 5);
    assert.throws(() => missingInCi.require(), /nothing is missing .*CI=true, so the test fails/);
    const found = needTool("sh", "/bin/sh", "-", { CI: "true" });
    assert.equal(found.options().skip, false);
    assert.equal(found.require(), "/bin/sh");
    assert.equal(inCi({ CI: "true" }), true);
    assert.equal(inCi({ CI: "1" }), true);
    assert.equal(inCi({ CI: "false" }), false);
    assert.equal(inCi({}), false);
  });
});

/** Test sources (fixtures are samples for other tests, not tests). */
function testSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === "fixtures" ? [] : testSources(path);
    return e.name.endsWith(".ts") ? [path] : [];
  });
}

describe("test sources", () => {
  it("skip only through a needed tool's options: no t.skip, skipped describe, .only or todo", () => {
    // Deno counts t.skip() inside a test as passed; Bun leaves a skipped describe out of its
    // counts; .only and todo hide tests. Any of them would vanish from the closing line.
    const forbidden: Array<[RegExp, string]> = [
      [/\.skip\s*\(/, ".skip("],
      [/\.only\s*\(|\bonly\s*:/, ".only / only:"],
      [/\.todo\s*\(|\btodo\s*:/, "todo"],
      [/\bskip\s*:/, "skip: (use needTool(...).options() from tests/_helpers/tools.ts)"],
    ];
    const allowed = new Set(["tools.ts", "test_runner.test.ts"]);
    const found: string[] = [];
    for (const file of testSources(join(ROOT, "tests"))) {
      if (allowed.has(file.split("/").pop()!)) continue;
      readFileSync(file, "utf8").split("\n").forEach((line, i) => {
        for (const [pattern, what] of forbidden) {
          if (pattern.test(line)) found.push(`${file.slice(ROOT.length)}:${i + 1}: ${what}`);
        }
      });
    }
    assert.deepEqual(found, []);
  });
});

describe("test files that run under one runner only", () => {
  const isTestFile = (f: string): boolean => /[._](test|spec)\.(c|m)?(j|t)sx?$/.test(f);
  const files = (): string[] =>
    testSources(join(ROOT, "tests")).filter(isTestFile).map((f) => f.slice(ROOT.length));
  const marked = (marker: string): string[] =>
    files().filter((f) => readFileSync(join(ROOT, f), "utf8").includes(marker));

  it("deno-only: Bun's list leaves out exactly the marked files", async () => {
    const runner = await import("../../scripts/test.mjs");
    const bunList: string[] = runner.bunTargets(["tests/"]);
    const denoOnly = marked(runner.DENO_ONLY_MARKER).map((f) => `./${f}`);
    assert.ok(denoOnly.length > 0, "the JSR package test carries the marker");
    assert.deepEqual(bunList.filter((f) => denoOnly.includes(f)), []);
    assert.deepEqual(
      [...bunList].sort(),
      files().map((f) => `./${f}`).filter((f) => !denoOnly.includes(f)).sort(),
    );
  });

  it("bun-only: Deno's list leaves out exactly the marked files, and no file is both", async () => {
    const runner = await import("../../scripts/test.mjs");
    const denoList: string[] = runner.denoTargets(["tests/"]);
    const bunOnly = marked(runner.BUN_ONLY_MARKER).map((f) => `./${f}`);
    assert.ok(bunOnly.length > 0, "the npm package test carries the marker");
    assert.deepEqual(
      [...denoList].sort(),
      files().map((f) => `./${f}`).filter((f) => !bunOnly.includes(f)).sort(),
    );
    assert.deepEqual(
      marked(runner.BUN_ONLY_MARKER).filter((f) => marked(runner.DENO_ONLY_MARKER).includes(f)),
      [],
    );
  });

  it("a bun-only file runs under Bun's runner alone", { timeout: 120_000 }, () => {
    const both = runRunner(undefined, [SAMPLE, "tests/fixtures/runner_bun_only_sample.ts"]);
    assert.equal(both.code, 0, both.out);
    assert.match(both.out, /^deno: 1 passed, 0 failed, 1 skipped \(exit 0\)$/m);
    assert.match(both.out, /^bun: 2 passed, 0 failed, 1 skipped \(exit 0\)$/m);
    const alone = runRunner(undefined, "tests/fixtures/runner_bun_only_sample.ts");
    assert.equal(alone.code, 0, alone.out);
    assert.match(alone.out, /^=== deno: no test file to run \(every one given is bun-only\)$/m);
    assert.match(alone.out, /^tests: 1 passed, 0 failed, 0 skipped$/m);
  });
});
