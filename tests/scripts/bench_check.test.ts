import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { runtimeName } from "../../src/runtime/mod.ts";
import { attachCollector, createCollector } from "../../src/collector/create.ts";
import {
  type Baseline,
  checkResults,
  FAILED_EXACT_CHECKS,
  gateOf,
  GATES,
  markGates,
  REPORTED,
  type ResultsForCheck,
  SPEED_GATE_FIGURE,
  SPEED_GATE_SCENARIO_FIGURE,
  updateBaseline,
} from "../../bench/_lib/regression.ts";
import { atomicsOpsPerRecord } from "../../bench/_lib/hot_path_probe.ts";
import { allocatedBytesPerOp } from "../../bench/_lib/heap.ts";

const SCRIPT = fileURLToPath(new URL("../../scripts/bench_check.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../../", import.meta.url));

/** Figures of a healthy run on an Intel Xeon (the committed baseline's machine, Deno). */
const XEON: Record<string, number> = {
  "atomic recordNs: Atomics ops per record": 0,
  "atomic recordNs allocated bytes": 0,
  "atomic recordNs heap growth": 0,
  "ring push+pop heap growth": 0,
  "atomic / legacy, 2 workers": 12.7,
  "atomic 2 workers / 1 worker": 1.38,
  "atomic record / calibration": 2.14,
  "recorders 1000: atomic / legacy": 6.49,
  "lunge / autocannon (c=100)": 1.29,
  "headline: atomic / legacy capacity": 4.4,
  "accuracy: max percentile error": 0.05,
  "collector CPU share at 1000 req/s (atomic)": 0.009,
  "flush, 3 lanes, 1000 req/s: p50": 34,
  "flush, 17 lanes, 1000 req/s: p50": 126,
  [SPEED_GATE_FIGURE]: 1.03,
  [SPEED_GATE_SCENARIO_FIGURE]: 0.75,
};

function results(values: Record<string, number>, exactFailures = 0, runtime = "deno"): ResultsForCheck {
  const figures = Object.entries(values).map(([name, value]) => ({
    name,
    value,
    unit: "x",
    target: null,
    pass: null,
  }));
  const accuracy = [
    ...Array.from({ length: 6 }, (_, i) => ({ limit: "exact", pass: i >= exactFailures })),
    { limit: "<= 1%", pass: false }, // a rate check: not a count, not gated here
  ];
  return {
    environment: { runtime, gitCommit: "test", cpuModel: "test CPU" },
    sections: [{ title: "all", figures }],
    accuracy,
  };
}

const BASELINE: Baseline = {
  schema: "lunge-bench-baseline-v1",
  runtimes: {
    deno: { updatedAt: "2025-01-01T00:00:00Z", gitCommit: "t", cpu: "Intel Xeon", figures: XEON },
  },
};

function failedFigures(r: ResultsForCheck): string[] {
  return checkResults(r, BASELINE).filter((l) => !l.pass).map((l) => l.figure).sort();
}

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

describe("bench regression gates", () => {
  it("fail a flush that scans every bucket again, naming the figure", () => {
    const lines = checkResults(results({ ...XEON, "flush, 17 lanes, 1000 req/s: p50": 1664 }), BASELINE);
    const flush = lines.find((l) => l.figure === "flush, 17 lanes, 1000 req/s: p50")!;
    assert.equal(flush.pass, false);
    assert.match(
      flush.message,
      /^REGRESSION flush, 17 lanes, 1000 req\/s: p50: measured 1664, allowed <= 900/,
    );
  });

  it("pass the healthy Xeon figures and the CPU-model swing of an AMD EPYC under load", () => {
    assert.deepEqual(failedFigures(results(XEON)), []);
    // Figures measured on a 2-core AMD EPYC under load: every timing ratio far below the Xeon's.
    const epyc = {
      ...XEON,
      "atomic / legacy, 2 workers": 1.8,
      "atomic 2 workers / 1 worker": 0.9,
      "atomic record / calibration": 6,
      "recorders 1000: atomic / legacy": 1.05,
      "lunge / autocannon (c=100)": 0.5,
      "headline: atomic / legacy capacity": 1.2,
      "collector CPU share at 1000 req/s (atomic)": 3,
    };
    const lines = checkResults(results(epyc), BASELINE);
    assert.deepEqual(lines.filter((l) => !l.pass), []);
    const swing = lines.find((l) => l.figure === "recorders 1000: atomic / legacy")!;
    assert.equal(swing.gated, false);
    assert.equal(
      swing.message,
      "report only recorders 1000: atomic / legacy: measured 1.050, baseline 6.490 on Intel Xeon",
    );
  });

  it("fail each real regression, naming the figure, the value and the bound", () => {
    const cases: Array<[Record<string, number>, number, string, RegExp]> = [
      [
        { "atomic recordNs: Atomics ops per record": 2 },
        0,
        "atomic recordNs: Atomics ops per record",
        /^REGRESSION atomic recordNs: Atomics ops per record: measured 2\.000, allowed <= 0\.01 \(a lock/,
      ],
      [
        { "atomic recordNs allocated bytes": 16 },
        0,
        "atomic recordNs allocated bytes",
        /^REGRESSION atomic recordNs allocated bytes: measured 16\.00, allowed <= 2 \(an allocation/,
      ],
      [
        { "atomic recordNs heap growth": 8 },
        0,
        "atomic recordNs heap growth",
        /^REGRESSION atomic recordNs heap growth: measured 8\.000, allowed <= 2 \(memory kept/,
      ],
      [{ "ring push+pop heap growth": 16 }, 0, "ring push+pop heap growth", /measured 16\.00, allowed <= 2/],
      [
        {},
        1,
        FAILED_EXACT_CHECKS,
        /^REGRESSION accuracy: failed exact checks: measured 1\.000, allowed <= 0/,
      ],
      [
        { [SPEED_GATE_FIGURE]: 0.52 },
        0,
        SPEED_GATE_FIGURE,
        /^REGRESSION speed gate: lunge \/ wrk, req per client CPU-s \(median of rounds\): measured 0\.5200, allowed >= 0\.66 \(lunge spends more/,
      ],
      [
        { [SPEED_GATE_SCENARIO_FIGURE]: 0.33 },
        0,
        SPEED_GATE_SCENARIO_FIGURE,
        /^REGRESSION speed gate: lunge scenario \/ wrk, req per client CPU-s \(median of rounds\): measured 0\.3300, allowed >= 0\.5/,
      ],
      [
        { "atomic / legacy, 2 workers": 1.0 },
        0,
        "atomic / legacy, 2 workers",
        /^REGRESSION atomic \/ legacy, 2 workers: measured 1\.000, allowed >= 1\.25 \(the lock-free lanes/,
      ],
    ];
    for (const [change, exactFailures, figure, message] of cases) {
      const lines = checkResults(results({ ...XEON, ...change }, exactFailures), BASELINE);
      const failed = lines.filter((l) => !l.pass);
      assert.deepEqual(failed.map((l) => l.figure), [figure]);
      assert.match(failed[0].message, message);
    }
  });

  it("gate allocated bytes on Deno only; on Bun (NaN there) the line says why it is not gated", () => {
    const bun = results({ ...XEON, "atomic recordNs allocated bytes": NaN }, 0, "bun");
    const lines = checkResults(bun, BASELINE);
    assert.deepEqual(lines.filter((l) => !l.pass), []);
    const line = lines.find((l) => l.figure === "atomic recordNs allocated bytes")!;
    assert.equal(line.gated, false);
    assert.match(
      line.message,
      /^not gated on bun atomic recordNs allocated bytes: measured missing \(JavaScriptCore/,
    );
    assert.equal(gateOf("atomic recordNs allocated bytes", GATES, "bun"), "report only");
    assert.equal(gateOf("atomic recordNs allocated bytes", GATES, "deno"), "CI gate");
  });

  it("fail a missing gated figure; a missing report-only figure does not fail", () => {
    const values = { ...XEON };
    delete values["atomic recordNs heap growth"];
    delete values["recorders 1000: atomic / legacy"];
    const r = results(values);
    r.accuracy = [];
    assert.deepEqual(failedFigures(r), [FAILED_EXACT_CHECKS, "atomic recordNs heap growth"].sort());
  });

  it("marks every figure CI gate or report only; report-only names are not gates", () => {
    const r = results(XEON);
    markGates(r.sections, "deno");
    const marks = Object.fromEntries(r.sections[0].figures.map((f) => [f.name, f.gate]));
    assert.equal(marks["atomic recordNs heap growth"], "CI gate <= 2");
    assert.equal(marks["atomic / legacy, 2 workers"], "CI gate >= 1.25");
    assert.equal(marks["recorders 1000: atomic / legacy"], "report only");
    for (const name of REPORTED.filter((n) => n !== "atomic / legacy, 2 workers")) {
      assert.equal(gateOf(name), "report only", name);
    }
    assert.equal(GATES.every((g) => g.why.length > 20), true);
  });

  it("updateBaseline keeps other runtimes, takes the figures and records the CPU", () => {
    const other = {
      ...BASELINE,
      runtimes: { ...BASELINE.runtimes, other: { updatedAt: "x", gitCommit: "y", figures: { a: 1 } } },
    };
    const next = updateBaseline(other, results({ ...XEON, "atomic / legacy, 2 workers": 9 }));
    assert.equal(next.runtimes.other.figures.a, 1);
    assert.equal(next.runtimes.deno.figures["atomic / legacy, 2 workers"], 9);
    assert.equal(next.runtimes.deno.figures[FAILED_EXACT_CHECKS], 0);
    assert.equal(next.runtimes.deno.cpu, "test CPU");
  });

  it("the script exits 1 naming the regressed figure, 0 on a CPU swing, 2 without a file", () => {
    const dir = mkdtempSync(join(tmpdir(), "lunge-bench-check-"));
    try {
      const baseline = join(dir, "baseline.json");
      const swing = join(dir, "swing.json");
      const bad = join(dir, "bad.json");
      writeFileSync(baseline, JSON.stringify(BASELINE));
      writeFileSync(swing, JSON.stringify(results({ ...XEON, "recorders 1000: atomic / legacy": 1.5 })));
      writeFileSync(bad, JSON.stringify(results({ ...XEON, "atomic recordNs heap growth": 24 })));

      const pass = runCheck([swing, "--baseline", baseline]);
      assert.equal(pass.code, 0, pass.out);
      assert.match(
        pass.out,
        /report only recorders 1000: atomic \/ legacy: measured 1\.500, baseline 6\.490/,
      );
      assert.match(pass.out, /no regression/);

      const fail = runCheck([bad, "--baseline", baseline]);
      assert.equal(fail.code, 1, fail.out);
      assert.match(fail.out, /REGRESSION atomic recordNs heap growth: measured 24\.00, allowed <= 2/);

      const missing = runCheck([join(dir, "nope.json"), "--baseline", baseline]);
      assert.equal(missing.code, 2, missing.out);
      assert.match(missing.out, /cannot read the results file/);

      const update = runCheck(["--update", bad, "--baseline", baseline]);
      assert.equal(update.code, 0, update.out);
      const written = JSON.parse(readFileSync(baseline, "utf8")) as Baseline;
      assert.equal(written.runtimes.deno.figures["atomic recordNs heap growth"], 24);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("hot-path probes", () => {
  it("counts 0 Atomics ops per atomic record and the mutex's >= 2 per legacy record", () => {
    assert.equal(atomicsOpsPerRecord("atomic", 20_000), 0);
    assert.ok(atomicsOpsPerRecord("legacy", 20_000) >= 2);
    // A pacer's unit (sent count, then the record): still none on the atomic collector.
    assert.equal(atomicsOpsPerRecord("atomic", 20_000, true), 0);
    assert.ok(atomicsOpsPerRecord("legacy", 20_000, true) >= 4);
    assert.equal(typeof Atomics.add(new Int32Array(new SharedArrayBuffer(4)), 0, 1), "number"); // restored
  });

  it("a pacer's unit (sent count and record) allocates nothing on the atomic collector (V8; NaN on Bun)", () => {
    const collector = createCollector({ kind: "atomic", lanes: 2 });
    try {
      const writer = attachCollector(collector.handle());
      const bytes = allocatedBytesPerOp((k) => {
        writer.recordSent();
        writer.recordNs(200, 100_000 + (k & 1023) * 1000, 1, 0, -1);
      });
      if (runtimeName === "bun") assert.ok(Number.isNaN(bytes));
      else assert.ok(bytes < 1, `${bytes} bytes per unit`);
      collector.flush();
      assert.equal(collector.getSnapshot().sent, collector.getSnapshot().totalRequests);
    } finally {
      collector.close();
    }
  });

  it("sees a 16+ byte object per op on V8 and nothing for plain stores; NaN on Bun", () => {
    let sink: unknown = null;
    const f64 = new Float64Array(16);
    const allocating = allocatedBytesPerOp((i) => {
      sink = { i }; // a fresh object each time
    });
    const plain = allocatedBytesPerOp((i) => {
      f64[i & 15] = i;
    });
    if (runtimeName === "bun") {
      assert.ok(Number.isNaN(allocating) && Number.isNaN(plain), `${allocating} ${plain}`);
    } else {
      assert.ok(allocating >= 12, `allocating ${allocating}`);
      assert.ok(plain < 1, `plain ${plain}`);
      assert.notEqual(sink, null); // the allocating function ran
    }
  });
});
