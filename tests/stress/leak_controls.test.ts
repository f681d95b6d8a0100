/**
 * Positive controls of the stress memory verdicts: a run with a deliberate
 * leak must see the verdict that watches it FAIL. Each leak is switched on by
 * a test-only environment variable (bytes per second, read once when the
 * thread starts) and sized to be unmistakable at a low rate in a short run:
 * (a) JS objects retained in the first load worker's thread, (b) filled
 * ArrayBuffers retained there (outside the JS heap on V8: only RSS shows
 * them), (c) JS objects retained in the target process. The three runs go at
 * once, to keep the test short.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { runtimeName } from "../../src/runtime/mod.ts";
import type { StressResult, Verdict } from "../../stress/types.ts";
import { runStressChild } from "../_helpers/stress_child.ts";

const MIB = 1024 * 1024;
/** A short, light run: 10 s at 200 req/s, two load workers, a 0.5 s priming. */
const ARGS = [
  "--duration",
  "10s",
  "--rate",
  "200",
  "--concurrency",
  "20",
  "--workers",
  "2",
  "--warmup",
  "500ms",
  "--no-files",
  "--json",
];

/** Starts a run at once; the promise is awaited later (a failure is then reported by the test awaiting it). */
function leakyRun(env: Record<string, string>): Promise<{ code: number | null; verdicts: Verdict[] }> {
  const run = judgedRun(env);
  run.catch(() => {});
  return run;
}

async function judgedRun(env: Record<string, string>): Promise<{ code: number | null; verdicts: Verdict[] }> {
  const r = await runStressChild(ARGS, env);
  let result: StressResult;
  try {
    result = JSON.parse(r.stdout) as StressResult;
  } catch {
    throw new Error(`no JSON result (exit ${r.code}): ${r.stderr.slice(-2000)}`);
  }
  return { code: r.code, verdicts: result.verdicts };
}

function verdict(verdicts: Verdict[], name: string): Verdict {
  const v = verdicts.find((x) => x.name === name);
  assert.ok(v !== undefined, `no verdict "${name}" in ${verdicts.map((x) => x.name).join(", ")}`);
  return v;
}

describe("stress memory verdicts: positive controls (each leak must fail its verdict)", {
  timeout: 90_000,
}, () => {
  // Started together, awaited one by one.
  const workerHeap = leakyRun({ LUNGE_TEST_LEAK_WORKER_HEAP: String(4 * MIB) });
  const workerBuffers = leakyRun({ LUNGE_TEST_LEAK_WORKER_BUFFERS: String(8 * MIB) });
  const targetHeap = leakyRun({ LUNGE_TEST_LEAK_TARGET_HEAP: String(4 * MIB) });

  it("(a) a leak in a load worker thread's JS heap fails that worker's heap verdict, and only it", async () => {
    const { code, verdicts } = await workerHeap;
    const leaking = verdict(verdicts, "heap (load worker 1)");
    assert.equal(leaking.status, "failed", leaking.detail);
    assert.match(leaking.detail, /^heap grows: slope \+/);
    for (const name of ["heap (load worker 2)", "heap (main thread)", "heap (target)"]) {
      assert.notEqual(verdict(verdicts, name).status, "failed", `${name}: ${verdict(verdicts, name).detail}`);
    }
    assert.equal(code, 1);
  });

  it("(b) retained ArrayBuffers in a load worker fail the load generator's RSS verdict", async () => {
    const { code, verdicts } = await workerBuffers;
    const rss = verdict(verdicts, "RSS (load generator)");
    assert.equal(rss.status, "failed", rss.detail);
    assert.match(rss.detail, /^RSS grows: slope \+/);
    assert.notEqual(
      verdict(verdicts, "RSS (target)").status,
      "failed",
      verdict(verdicts, "RSS (target)").detail,
    );
    if (runtimeName === "deno") {
      // V8 keeps a backing store outside the heap: the heap verdict cannot see this leak, only RSS does.
      // (JavaScriptCore counts it in the heap as well, so on Bun both fail.)
      const heap = verdict(verdicts, "heap (load worker 1)");
      assert.equal(heap.status, "passed", heap.detail);
    }
    assert.equal(code, 1);
  });

  it("(c) a leak in the target fails the target's heap verdict", async () => {
    const { code, verdicts } = await targetHeap;
    const target = verdict(verdicts, "heap (target)");
    assert.equal(target.status, "failed", target.detail);
    assert.match(target.detail, /heap grows|memory not returned/);
    for (const name of ["heap (load worker 1)", "heap (load worker 2)", "heap (main thread)"]) {
      assert.notEqual(verdict(verdicts, name).status, "failed", `${name}: ${verdict(verdicts, name).detail}`);
    }
    assert.equal(code, 1);
  });
});
