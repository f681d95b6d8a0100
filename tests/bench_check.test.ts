import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { runtimeName } from "../src/runtime/mod.ts";
import {
  type Baseline,
  checkResults,
  GATES,
  type ResultsForCheck,
  updateBaseline,
} from "../bench/_lib/regression.ts";

const SCRIPT = fileURLToPath(new URL("../scripts/bench_check.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** Results that meet every gate: the baseline value for relative gates, a passing value for limits. */
function healthyResults(runtime: string, base: Record<string, number>): ResultsForCheck {
  const figures = GATES.map((g) => ({
    name: g.figure,
    value: g.kind === "relative"
      ? base[g.figure]
      : g.kind === "limit" && g.min !== undefined
      ? g.min + 0.005
      : 0,
    unit: "x",
    target: null,
    pass: null,
  }));
  return { environment: { runtime, gitCommit: "test" }, sections: [{ title: "all", figures }] };
}

const BASE_FIGURES: Record<string, number> = Object.fromEntries(
  GATES.filter((g) => g.kind === "relative").map((g, i) => [g.figure, 2 + i]),
);
const BASELINE: Baseline = {
  schema: "lunge-bench-baseline-v1",
  runtimes: {
    [runtimeName]: { updatedAt: "2025-01-01T00:00:00Z", gitCommit: "test", figures: BASE_FIGURES },
  },
};

function runCheck(args: string[]): { code: number | null; out: string } {
  const command = runtimeName === "deno" ? ["run", "-A", SCRIPT, ...args] : [SCRIPT, ...args];
  const r = spawnSync(process.execPath, command, {
    cwd: ROOT,
    encoding: "utf8",
    timeout: 30_000,
    env: { ...process.env, NO_COLOR: "1" },
  });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

describe("bench regression check", () => {
  it("passes results equal to the baseline and fails a regressed ratio, naming it", () => {
    const ok = checkResults(healthyResults(runtimeName, BASE_FIGURES), BASELINE);
    assert.ok(ok.every((l) => l.pass), ok.filter((l) => !l.pass).map((l) => l.message).join("\n"));
    const bad = healthyResults(runtimeName, BASE_FIGURES);
    const speedup = bad.sections[0].figures.find((f) => f.name === "atomic / legacy, 2 workers")!;
    speedup.value = BASE_FIGURES["atomic / legacy, 2 workers"] * 0.5; // 50% worse, tolerance 40%
    const lines = checkResults(bad, BASELINE).filter((l) => !l.pass);
    assert.equal(lines.length, 1);
    assert.match(
      lines[0].message,
      /REGRESSION atomic \/ legacy, 2 workers: measured 1\.000, baseline 2\.000/,
    );
  });

  it("fails a missing figure and a broken accuracy limit, and lower-is-better gates", () => {
    const results = healthyResults(runtimeName, BASE_FIGURES);
    const figs = results.sections[0].figures;
    figs.splice(figs.findIndex((f) => f.name === "lunge / autocannon (c=100)"), 1);
    figs.find((f) => f.name === "accuracy: max percentile error")!.value = 1.5;
    figs.find((f) => f.name === "atomic record / calibration")!.value =
      BASE_FIGURES["atomic record / calibration"] * 1.7;
    const failed = checkResults(results, BASELINE).filter((l) => !l.pass).map((l) => l.figure).sort();
    assert.deepEqual(failed, [
      "accuracy: max percentile error",
      "atomic record / calibration",
      "lunge / autocannon (c=100)",
    ]);
  });

  it("updateBaseline keeps other runtimes and takes the gated figures", () => {
    const other = {
      ...BASELINE,
      runtimes: { ...BASELINE.runtimes, other: { updatedAt: "x", gitCommit: "y", figures: { a: 1 } } },
    };
    const next = updateBaseline(
      other,
      healthyResults(runtimeName, { ...BASE_FIGURES, "atomic / legacy, 2 workers": 9 }),
    );
    assert.equal(next.runtimes.other.figures.a, 1);
    assert.equal(next.runtimes[runtimeName].figures["atomic / legacy, 2 workers"], 9);
  });

  it("the script exits non-zero naming the regressed figure, 0 when healthy, 2 without a file", () => {
    const dir = mkdtempSync(join(tmpdir(), "lunge-bench-check-"));
    try {
      const baseline = join(dir, "baseline.json");
      const good = join(dir, "good.json");
      const bad = join(dir, "bad.json");
      writeFileSync(baseline, JSON.stringify(BASELINE));
      writeFileSync(good, JSON.stringify(healthyResults(runtimeName, BASE_FIGURES)));
      const regressed = healthyResults(runtimeName, BASE_FIGURES);
      regressed.sections[0].figures.find((f) => f.name === "recorders 1000: atomic / legacy")!.value = 0.5;
      writeFileSync(bad, JSON.stringify(regressed));

      const pass = runCheck([good, "--baseline", baseline]);
      assert.equal(pass.code, 0, pass.out);
      assert.match(pass.out, /no regression/);

      const fail = runCheck([bad, "--baseline", baseline]);
      assert.equal(fail.code, 1, fail.out);
      assert.match(
        fail.out,
        /REGRESSION recorders 1000: atomic \/ legacy: measured 0\.5000, baseline 5\.000/,
      );

      const missing = runCheck([join(dir, "nope.json"), "--baseline", baseline]);
      assert.equal(missing.code, 2, missing.out);
      assert.match(missing.out, /cannot read the results file/);

      const update = runCheck(["--update", bad, "--baseline", baseline]);
      assert.equal(update.code, 0, update.out);
      const written = JSON.parse(readFileSync(baseline, "utf8")) as Baseline;
      assert.equal(written.runtimes[runtimeName].figures["recorders 1000: atomic / legacy"], 0.5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
