/**
 * The bundled worker and target entries (`src/_bundled/`): they match a fresh
 * esbuild bundle of the sources, and a run started from them (`data:` URL
 * workers, temp-file target process; forced with `LUNGE_BUNDLED_ENTRIES=1`)
 * completes on the current runtime.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";
import { DENO, ROOT, runCommand } from "../_helpers/dist_package.ts";
import { runtimeName } from "../../src/runtime/mod.ts";

const SCRIPT = `
import { run } from "../mod.ts";
import { processEntryUrl, workerEntryUrl } from "../src/runtime/entry_url.ts";
import { loadWorkerEntry, targetProcessEntry } from "../src/_bundled/entries.ts";
const worker = (await workerEntryUrl(loadWorkerEntry)).protocol;
const target = (await processEntryUrl(targetProcessEntry)).pathname.endsWith(".mjs");
const r = await run({ url: "builtin", requests: 1500, concurrency: 10, workers: 2 });
console.log(JSON.stringify({ worker, target, total: r.snapshot.totalRequests, failed: r.snapshot.failedRequests }));
`;

describe("bundled entries", () => {
  it(
    "src/_bundled/ is up to date with the sources (else run `deno task build`)",
    { timeout: 60_000 },
    async () => {
      const r = await runCommand(DENO, ["run", "-A", "scripts/build.ts", "--check"], {
        cwd: ROOT,
        timeoutMs: 60_000,
      });
      assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
    },
  );

  it("a run starts its workers and target from the bundles", { timeout: 60_000 }, async () => {
    const dir = join(ROOT, ".lunge-tmp");
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `bundled_run_${process.pid}.ts`);
    writeFileSync(file, SCRIPT);
    try {
      const args = runtimeName === "deno" ? ["run", "-A", file] : [file];
      const r = await runCommand(process.execPath, args, {
        cwd: ROOT,
        timeoutMs: 60_000,
        env: { LUNGE_BUNDLED_ENTRIES: "1" },
      });
      assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
      const line = JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}");
      assert.deepEqual(line, { worker: "data:", target: true, total: 1500, failed: 0 });
    } finally {
      rmSync(file, { force: true });
    }
  });
});
