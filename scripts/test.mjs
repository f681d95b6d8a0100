#!/usr/bin/env node
// Runs the whole test suite on Deno and on Bun (the runtimes installed by npm as
// devDependencies) and closes with one line "tests: N passed, N failed, N skipped"
// (skipped counts Deno's "ignored" and Bun's "skip" and "todo"). Under CI=true a
// skipped test fails the run: CI installs every tool the tests need, so a skip
// there means a test did not run.
// A test file whose text holds the marker line `@test-runner deno-only` runs under Deno's runner
// only: it starts Node, Bun and Deno itself (the npm and JSR package tests), so running it under
// Bun's runner too did the same work twice (~80 s of the suite). `@test-runner bun-only` is the
// same the other way: such a file runs under Bun's runner only. Either way the file's children do
// the work, so which runner holds it only balances the two: the Deno runner is the longer one (~590 s
// of wall time against Bun's ~455 s), so the npm package test (~57 s) sits on Bun's side.
// The two runners run at the same time (LUNGE_TEST_SERIAL=1: one after the other).
// Plain Node on purpose: it is what a fresh machine has. Deno runs without type
// checking here (`deno check` is its own CI step); otherwise every worker it
// spawns would be type-checked again on start.
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const filters = process.argv.slice(2); // optional: test file paths
const serial = ["1", "true"].includes((process.env.LUNGE_TEST_SERIAL ?? "").toLowerCase());

/**
 * Runs one runner, its output to `out` (a live stream, or a `Held` buffer flushed later), and
 * resolves with its counts parsed from everything it printed.
 */
function runSuite(label, command, args, parse, out) {
  return new Promise((resolve) => {
    out.write(`\n=== ${label}: ${command} ${args.join(" ")}\n`);
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let text = "";
    const take = (stream) =>
      stream.on("data", (chunk) => {
        text += chunk;
        out.write(chunk);
      });
    take(child.stdout);
    take(child.stderr);
    child.on("close", (code) => resolve({ label, code, text, ...parse(text) }));
    child.on("error", (error) => resolve({ label, code: 1, passed: 0, failed: 1, skipped: 0, error }));
  });
}

/** Output held back while another runner prints live; `release()` prints it and goes live. */
class Held {
  #chunks = [];
  #live = false;
  write(chunk) {
    if (this.#live) process.stdout.write(chunk);
    else this.#chunks.push(chunk);
  }
  release() {
    for (const chunk of this.#chunks) process.stdout.write(chunk);
    this.#chunks = [];
    this.#live = true;
  }
}

// Deno: "ok | 41 passed (12 steps) | 0 failed | 2 ignored (1 step)" / "FAILED | 3 passed | 2 failed"
const stepsOf = (m, at) => Number(m[at]) + Number(m[at + 1] ?? 0);
export const parseDeno = (text) => {
  const m = [
    ...text.matchAll(
      /\|\s*(\d+) passed(?: \((\d+) steps?\))?\s*\|\s*(\d+) failed(?: \((\d+) steps?\))?(?:\s*\|\s*(\d+) ignored(?: \((\d+) steps?\))?)?/g,
    ),
  ].pop();
  return m
    ? { passed: stepsOf(m, 1), failed: stepsOf(m, 3), skipped: m[5] === undefined ? 0 : stepsOf(m, 5) }
    : { passed: 0, failed: 1, skipped: 0 };
};
// Bun: " 41 pass" / " 2 skip" / " 1 todo" / " 2 fail"
export const parseBun = (text) => {
  const last = (word) => {
    const m = [...text.matchAll(new RegExp(`^\\s*(\\d+) ${word}$`, "gm"))].pop();
    return m ? Number(m[1]) : null;
  };
  const passed = last("pass");
  return passed === null
    ? { passed: 0, failed: 1, skipped: 0 }
    : { passed, failed: last("fail") ?? 0, skipped: (last("skip") ?? 0) + (last("todo") ?? 0) };
};

/** Lines kept of one failure's reasons; a runaway stack or log stays in the full output above. */
const REASON_LINES = 40;
/** Failures repeated per runner: the first few say what broke. */
const REASONS_PER_RUNNER = 5;

/**
 * What each failed test printed as its reason, taken from a runner's whole output, so that the
 * end of a long log (all a CI page may show) says why, not just which. Deno gathers them under
 * " ERRORS "; Bun prints each just before its "(fail)" line, after the previous result line.
 */
export function failureReasons(label, text) {
  const lines = text.split("\n");
  const noise = (l) => l.trim() === "" || l.startsWith("[pid=") || l.startsWith("<launching>");
  const blocks = [];
  if (label === "deno") {
    const from = lines.findIndex((l) => l === " ERRORS ");
    if (from >= 0) {
      const to = lines.findIndex((l, i) => i > from && l === " FAILURES ");
      const body = lines.slice(from + 1, to < 0 ? undefined : to);
      // Each failure starts with "<test name> => <place>".
      for (const l of body) {
        if (/ => \S/.test(l) || blocks.length === 0) blocks.push([]);
        if (!noise(l)) blocks.at(-1).push(l);
      }
    }
  } else {
    let start = 0;
    lines.forEach((l, i) => {
      if (/^\((pass|skip|todo)\)/.test(l) || /\.(test|spec)\.[cm]?[jt]sx?:$/.test(l)) start = i + 1;
      else if (l.startsWith("(fail)")) {
        blocks.push([l, ...lines.slice(start, i).filter((x) => !noise(x))]);
        start = i + 1;
      }
    });
  }
  return blocks
    .filter((b) => b.length > 0)
    .slice(0, REASONS_PER_RUNNER)
    .map((b) => (b.length > REASON_LINES ? [...b.slice(0, REASON_LINES), "  …"] : b).join("\n"));
}

/**
 * The closing lines of a run from the per-runtime outcomes, and its exit code.
 * A runner that exits non-zero failed even if its counts look clean; under
 * `ci` every skipped test fails the run, with a line saying why.
 */
export function summarize(results, ci) {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  const lines = [];
  for (const r of results) {
    const f = r.failed + (r.code !== 0 && r.failed === 0 ? 1 : 0);
    lines.push(`${r.label}: ${r.passed} passed, ${f} failed, ${r.skipped} skipped (exit ${r.code})`);
    passed += r.passed;
    failed += f;
    skipped += r.skipped;
  }
  lines.push(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
  const skipFails = ci && skipped > 0;
  if (skipFails) {
    lines.push(
      `FAIL: CI=true and ${skipped} test(s) skipped: a tool they need is missing (see "SKIP"/"skip" above); ` +
        "CI installs them (.ci/run), so a skipped test did not run",
    );
  }
  return { lines, code: failed === 0 && !skipFails ? 0 : 1 };
}

/** The marker of a test file that runs under Deno's runner only (see the top of this file). */
export const DENO_ONLY_MARKER = "@test-runner deno-only";
/** The marker of a test file that runs under Bun's runner only (see the top of this file). */
export const BUN_ONLY_MARKER = "@test-runner bun-only";
// Bun's default test file names (`bun test` with a directory picks these).
const TEST_FILE = /[._](test|spec)\.(c|m)?(j|t)sx?$/;

/** Test files under `dir` (recursively), as paths relative to the repository root. */
function testFiles(dir) {
  const out = [];
  for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name.startsWith(".")) continue;
    const rel = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...testFiles(rel));
    else if (TEST_FILE.test(entry.name)) out.push(rel);
  }
  return out;
}

/** The test files `targets` (files or folders) name, relative to the root; a missing one as given. */
function targetFiles(targets) {
  return targets.flatMap((t) => {
    const rel = path.relative(root, path.resolve(root, t));
    let isDir = false;
    try {
      isDir = statSync(path.join(root, rel)).isDirectory();
    } catch {
      return [t]; // missing: let the runner say so
    }
    return isDir ? testFiles(rel) : [rel];
  });
}

const carries = (file, marker) => {
  try {
    return readFileSync(path.join(root, file), "utf8").includes(marker);
  } catch {
    return false;
  }
};

/**
 * The paths Bun's runner gets: `targets` (files or folders, the default `tests/`) with every
 * deno-only file left out, each as `./path` (Bun reads a bare word as a name filter).
 */
export function bunTargets(targets) {
  return targetFiles(targets).filter((f) => !carries(f, DENO_ONLY_MARKER)).map((f) => `./${f}`);
}

/**
 * The paths Deno's runner gets: `targets` with every bun-only file left out, each as `./path`.
 * Listed one by one, since Deno's `--ignore` does not leave out a file named on its command line.
 */
export function denoTargets(targets) {
  return targetFiles(targets).filter((f) => !carries(f, BUN_ONLY_MARKER)).map((f) => `./${f}`);
}

async function main() {
  const targets = filters.length > 0 ? filters : ["tests/"];
  const denoFiles = denoTargets(targets);
  const bunFiles = bunTargets(targets);
  const deno = () =>
    runSuite(
      "deno",
      bin("deno"),
      [
        "test",
        "-A",
        "--no-check",
        "--v8-flags=--expose-gc",
        ...denoFiles,
      ],
      parseDeno,
      process.stdout,
    );
  const bun = (out) =>
    runSuite("bun", bin("bun"), ["test", "--timeout", "120000", ...bunFiles], parseBun, out);
  const results = [];
  if (bunFiles.length === 0) {
    results.push(await deno());
    process.stdout.write("\n=== bun: no test file to run (every one given is deno-only)\n");
  } else if (denoFiles.length === 0) {
    process.stdout.write("\n=== deno: no test file to run (every one given is bun-only)\n");
    results.push(await bun(process.stdout));
  } else if (serial) {
    results.push(await deno());
    results.push(await bun(process.stdout));
  } else {
    // Both runners at once: most of the suite waits on sockets, peers and timers, so on two cores
    // the two overlap well (the tests hold on a busy machine; LUNGE_TEST_SERIAL=1 runs one after the
    // other). Deno prints live; Bun's output follows it in one piece.
    const held = new Held();
    const bunDone = bun(held);
    results.push(await deno());
    held.release();
    results.push(await bunDone);
  }
  const ci = process.env.CI ?? "";
  const reasons = results.flatMap((r) =>
    failureReasons(r.label, r.text ?? "").map((why) => `--- ${r.label}\n${why}`)
  );
  if (reasons.length > 0) {
    process.stdout.write(`\n=== why tests failed (repeated from above)\n${reasons.join("\n")}\n`);
  }
  const { lines, code } = summarize(results, ci !== "" && ci !== "0" && ci.toLowerCase() !== "false");
  process.stdout.write(`\n${lines.join("\n")}\n`);
  process.exit(code);
}

// Imported by its own test for the parsers; run as a script otherwise.
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
