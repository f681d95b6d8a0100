/** The legacy collector's deprecation warning prints once per process, not once per thread. */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { runCli } from "../_helpers/cli_spawn.ts";

describe("legacy collector deprecation warning", () => {
  it(
    "a run with LUNGE_USE_OLD_COLLECTOR=1 and two load workers prints it exactly once",
    { timeout: 60_000 },
    async () => {
      const r = await runCli(["run", "builtin", "-d", "1s", "-c", "4", "-w", "2", "-q"], {
        env: { LUNGE_USE_OLD_COLLECTOR: "1" },
        timeoutMs: 45_000,
      });
      assert.equal(r.code, 0, r.stderr);
      const warnings = r.stderr.match(/legacy \(mutex\) metrics collector is deprecated/g) ?? [];
      assert.equal(warnings.length, 1, r.stderr);
    },
  );
});
