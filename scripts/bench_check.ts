/**
 * CI regression check of the bench results against the committed baseline.
 *
 * ```
 * deno run -A scripts/bench_check.ts [results.json] [--baseline bench/baseline.json]
 * deno run -A scripts/bench_check.ts --update [results.json]   # rewrite the baseline deliberately
 * ```
 *
 * Default results file: `bench/results/latest.json` (written by every bench
 * run). Exit codes: 0 no regression (or baseline updated), 1 a hard gate
 * failed (each named with the figure, the measured value and the bound), 2
 * bad input (missing or unreadable file). The gates, how their bounds were
 * sized, and why every other figure is report only are in
 * `bench/_lib/regression.ts`; docs/benchmarks.md explains them. The baseline
 * is printed beside the report-only figures for information; nothing is
 * gated against it.
 *
 * @module
 */
import { readTextFileOrNull, writeTextFile } from "../src/runtime/files.ts";
import { system } from "../src/runtime/mod.ts";
import {
  type Baseline,
  checkResults,
  type ResultsForCheck,
  updateBaseline,
} from "../bench/_lib/regression.ts";

const DEFAULT_BASELINE = "bench/baseline.json";
const DEFAULT_RESULTS = "bench/results/latest.json";

function fail(message: string): never {
  system.writeStderr(`bench:check: ${message}\n`);
  return system.exit(2);
}

function readJson<T>(path: string, what: string): T {
  const text = readTextFileOrNull(path);
  if (text === null) {
    fail(
      `cannot read the ${what} "${path}"${
        what === "results file" ? " (run `deno task bench --quick` first)" : ""
      }`,
    );
  }
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    return fail(`the ${what} "${path}" is not JSON: ${(error as Error).message}`);
  }
}

const args = system.args();
const update = args.includes("--update");
const baselineAt = args.indexOf("--baseline");
const baselinePath = baselineAt >= 0
  ? args[baselineAt + 1] ?? fail("--baseline needs a path")
  : DEFAULT_BASELINE;
const positional = args.filter((a, i) => !a.startsWith("--") && (baselineAt < 0 || i !== baselineAt + 1));
const resultsPath = positional[0] ?? DEFAULT_RESULTS;

const results = readJson<ResultsForCheck>(resultsPath, "results file");
if (!results?.environment?.runtime || !Array.isArray(results.sections)) {
  fail(`"${resultsPath}" is not a lunge bench results file`);
}
const baseline: Baseline = readTextFileOrNull(baselinePath) === null && update
  ? { schema: "lunge-bench-baseline-v1", runtimes: {} }
  : readJson<Baseline>(baselinePath, "baseline");

if (update) {
  const next = updateBaseline(baseline, results);
  writeTextFile(baselinePath, JSON.stringify(next, null, 2) + "\n");
  const figures = next.runtimes[results.environment.runtime].figures;
  console.log(
    `bench:update: ${baselinePath} now holds ${
      Object.keys(figures).length
    } ${results.environment.runtime} figures from ${resultsPath}`,
  );
  for (const [name, value] of Object.entries(figures)) console.log(`  ${name}: ${value}`);
  system.exit(0);
}

const lines = checkResults(results, baseline);
console.log(
  `bench:check ${resultsPath} (${results.environment.runtime}${
    results.environment.cpuModel ? `, ${results.environment.cpuModel}` : ""
  }): CI gates, then report-only figures beside ${baselinePath}`,
);
for (const line of lines) console.log(`  ${line.message}`);
const regressions = lines.filter((l) => !l.pass);
if (regressions.length > 0) {
  system.writeStderr(`bench:check: ${regressions.length} regression(s):\n`);
  for (const r of regressions) system.writeStderr(`  ${r.message}\n`);
  system.exit(1);
}
console.log("bench:check: no regression");
system.exit(0);
