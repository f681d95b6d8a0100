#!/usr/bin/env node
// Runs the whole test suite on Deno and on Bun (the runtimes installed by npm as
// devDependencies) and closes with one line "tests: N passed, N failed".
// Plain Node on purpose: it is what a fresh machine has. Deno runs without type
// checking here (`deno check` is its own CI step); otherwise every worker it
// spawns would be type-checked again on start.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import path from "node:path";

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const bin = (name) => path.join(root, "node_modules", ".bin", name);
const filters = process.argv.slice(2); // optional: test file paths

function runSuite(label, command, args, parse) {
  return new Promise((resolve) => {
    process.stdout.write(`\n=== ${label}: ${command} ${args.join(" ")}\n`);
    const child = spawn(command, args, {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let text = "";
    const take = (stream, out) =>
      stream.on("data", (chunk) => {
        text += chunk;
        out.write(chunk);
      });
    take(child.stdout, process.stdout);
    take(child.stderr, process.stderr);
    child.on("close", (code) => resolve({ label, code, ...parse(text) }));
    child.on("error", (error) => resolve({ label, code: 1, passed: 0, failed: 1, error }));
  });
}

// Deno: "ok | 41 passed (12 steps) | 0 failed" / "FAILED | 3 passed | 2 failed"
const parseDeno = (text) => {
  const m = [
    ...text.matchAll(/\|\s*(\d+) passed(?: \((\d+) steps?\))?\s*\|\s*(\d+) failed(?: \((\d+) steps?\))?/g),
  ].pop();
  return m
    ? { passed: Number(m[1]) + Number(m[2] ?? 0), failed: Number(m[3]) + Number(m[4] ?? 0) }
    : { passed: 0, failed: 1 };
};
// Bun: " 41 pass" / " 2 fail"
const parseBun = (text) => {
  const p = [...text.matchAll(/^\s*(\d+) pass$/gm)].pop();
  const f = [...text.matchAll(/^\s*(\d+) fail$/gm)].pop();
  return p ? { passed: Number(p[1]), failed: f ? Number(f[1]) : 0 } : { passed: 0, failed: 1 };
};

const denoFiles = filters.length > 0 ? filters : ["tests/"];
const bunFiles = filters.length > 0
  ? filters.map((f) => (f.startsWith(".") || f.startsWith("/") ? f : `./${f}`))
  : ["tests/"];
const results = [];
results.push(
  await runSuite(
    "deno",
    bin("deno"),
    ["test", "-A", "--no-check", "--v8-flags=--expose-gc", ...denoFiles],
    parseDeno,
  ),
);
results.push(await runSuite("bun", bin("bun"), ["test", "--timeout", "120000", ...bunFiles], parseBun));

let passed = 0;
let failed = 0;
process.stdout.write("\n");
for (const r of results) {
  // A runner that exits non-zero failed even if its counts look clean.
  const f = r.failed + (r.code !== 0 && r.failed === 0 ? 1 : 0);
  process.stdout.write(`${r.label}: ${r.passed} passed, ${f} failed (exit ${r.code})\n`);
  passed += r.passed;
  failed += f;
}
process.stdout.write(`tests: ${passed} passed, ${failed} failed\n`);
process.exit(failed === 0 ? 0 : 1);
