// Child processes started by the runtime adapter (the built-in target's process): on Deno their
// V8 young generation has the load workers' cap (a V8 flag on the child's command line), so a long
// run's RSS does not climb as V8 grows it; the same script run by plain `deno run` grows it past
// the cap (the control: the check can fail). On Bun (JavaScriptCore) the child just runs.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import process from "node:process";
import { runtimeName } from "../../src/runtime/mod.ts";
import { spawnRuntimeProcess } from "../../src/runtime/process.ts";
import { WORKER_YOUNG_GENERATION_MB } from "../../src/runtime/deno/worker.ts";

const MIB = 1024 * 1024;
const CHURN = new URL("../fixtures/young_generation_churn.ts", import.meta.url);

describe("child process young generation", { timeout: 60_000 }, () => {
  it("a child from spawnRuntimeProcess keeps its young generation within the cap (Deno); runs (Bun)", async () => {
    const child = spawnRuntimeProcess(CHURN, []);
    const lines: string[] = [];
    child.onStdoutLine((line) => lines.push(line));
    const code = await child.exited;
    assert.equal(code, 0, child.stderrTail());
    const size = Number(lines[0]);
    assert.ok(Number.isFinite(size), `printed ${lines[0]}`);
    if (runtimeName === "deno") {
      assert.ok(size > 0, "new space size read");
      assert.ok(size <= WORKER_YOUNG_GENERATION_MB * MIB, `new space at ${(size / MIB).toFixed(1)} MiB`);
    }
  });

  // JavaScriptCore has no young generation to compare: the control is Deno's alone.
  if (runtimeName !== "deno") return;
  it("the control: the same script in a plain `deno run` grows the young generation past the cap", () => {
    const out = execFileSync(process.execPath, ["run", "-A", "-q", fileURLToPath(CHURN)], {
      encoding: "utf8",
    });
    const size = Number(out.trim());
    assert.ok(
      size > 2 * WORKER_YOUNG_GENERATION_MB * MIB,
      `uncapped new space only ${(size / MIB).toFixed(1)} MiB`,
    );
  });
});
