/**
 * The speed gates' positive controls: lunge run with `LUNGE_TEST_SLOWDOWN=2`
 * (each response costs the client about twice its CPU, as a 2× slower client
 * would), on the plain path and on the scenario path, must fail the gates
 * that `scripts/bench_check.ts` applies to the CI bench. It runs the gates'
 * own measurement (`bench/_lib/speed_gate.ts`: nginx on CPU 0, wrk and the
 * slowed clients on CPU 1, interleaved rounds) and checks the outcome with
 * the gates' own bounds. A busy machine lowers lunge's figures against wrk's,
 * never raises them, so it cannot make this test fail.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { NGINX_PATH } from "../../bench/_lib/nginx.ts";
import { checkResults, SPEED_GATE_FIGURE, SPEED_GATE_SCENARIO_FIGURE } from "../../bench/_lib/regression.ts";
import { type PathOutcome, runSpeedGate } from "../../bench/_lib/speed_gate.ts";
import { runtimeName } from "../../src/runtime/mod.ts";
import { needTool } from "../_helpers/tools.ts";

const nginx = needTool("nginx", existsSync(NGINX_PATH) ? NGINX_PATH : null, "apt-get install nginx");
const wrk = needTool("wrk", existsSync("/usr/bin/wrk") ? "/usr/bin/wrk" : null, "apt-get install wrk");

/** The gate's verdict on `outcome` as the figure `figure`: its check line. */
function verdict(figure: string, outcome: PathOutcome | null): { pass: boolean; message: string } {
  assert.ok(outcome !== null && Number.isFinite(outcome.ratio), `${figure}: ${JSON.stringify(outcome)}`);
  const results = {
    environment: { runtime: runtimeName },
    sections: [{
      title: "speed gate",
      figures: [{ name: figure, value: outcome.ratio, unit: "x", target: null, pass: null }],
    }],
  };
  const line = checkResults(results, { schema: "lunge-bench-baseline-v1", runtimes: {} })
    .find((l) => l.figure === figure)!;
  const rounds = outcome.rounds.map((r) => r.toFixed(2)).join(", ");
  console.log(`speed gate control (${runtimeName}): ${line.message} (rounds ${rounds})`);
  return line;
}

describe("speed gates", () => {
  it(
    "fail lunge made 2x slower by LUNGE_TEST_SLOWDOWN=2, plain and scenario (the positive controls)",
    wrk.options({ timeout: 240_000 }),
    async () => {
      nginx.require();
      wrk.require();
      const out = await runSpeedGate({ rounds: 3, seconds: 3, slowdown: 2, controlOnly: true });
      const plain = verdict(SPEED_GATE_FIGURE, out.plainControl);
      assert.equal(plain.pass, false, `the plain gate does not catch a 2x slower client: ${plain.message}`);
      const scenario = verdict(SPEED_GATE_SCENARIO_FIGURE, out.scenarioControl);
      assert.equal(
        scenario.pass,
        false,
        `the scenario gate does not catch a 2x slower scenario path: ${scenario.message}`,
      );
    },
  );
});
