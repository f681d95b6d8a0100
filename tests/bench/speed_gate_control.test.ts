/**
 * The speed gate's positive control: lunge run with `LUNGE_TEST_SLOWDOWN=2`
 * (each response costs the client about twice its CPU, as a 2× slower
 * client would) must fail the gate that `scripts/bench_check.ts` applies to
 * the CI bench. It runs the gate's own measurement (`bench/_lib/speed_gate.ts`:
 * nginx on CPU 0, wrk and the slowed lunge on CPU 1, interleaved rounds) and
 * checks the outcome with the gate's own bound. A busy machine lowers lunge's
 * figure against wrk's, never raises it, so it cannot make this test fail.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { NGINX_PATH } from "../../bench/_lib/nginx.ts";
import { checkResults, GATES, SPEED_GATE_FIGURE } from "../../bench/_lib/regression.ts";
import { runSpeedGate } from "../../bench/_lib/speed_gate.ts";
import { runtimeName } from "../../src/runtime/mod.ts";
import { needTool } from "../helpers/tools.ts";

const nginx = needTool("nginx", existsSync(NGINX_PATH) ? NGINX_PATH : null, "apt-get install nginx");
const wrk = needTool("wrk", existsSync("/usr/bin/wrk") ? "/usr/bin/wrk" : null, "apt-get install wrk");

describe("speed gate", () => {
  it(
    "fails lunge made 2x slower by LUNGE_TEST_SLOWDOWN=2 (the positive control)",
    wrk.options({ timeout: 180_000 }),
    async () => {
      nginx.require();
      wrk.require();
      const out = await runSpeedGate({ rounds: 3, seconds: 3, slowdown: 2, controlOnly: true });
      assert.ok(out.control !== null && Number.isFinite(out.control.ratio), JSON.stringify(out.control));
      console.log(
        `speed gate control (${runtimeName}): slowed lunge / wrk ${out.control.ratio.toFixed(2)}, rounds ${
          out.control.rounds.map((r) => r.toFixed(2)).join(", ")
        }`,
      );
      const gate = GATES.find((g) => g.figure === SPEED_GATE_FIGURE)!;
      const results = {
        environment: { runtime: runtimeName },
        sections: [{
          title: "speed gate",
          figures: [{ name: SPEED_GATE_FIGURE, value: out.control.ratio, unit: "x", target: null, pass: null }],
        }],
      };
      const line = checkResults(results, { schema: "lunge-bench-baseline-v1", runtimes: {} })
        .find((l) => l.figure === SPEED_GATE_FIGURE)!;
      assert.equal(
        line.pass,
        false,
        `the slowed client read ${out.control.ratio.toFixed(2)} of wrk (rounds ${
          out.control.rounds.map((r) => r.toFixed(2)).join(", ")
        }), the floor is ${gate.min}: the gate does not catch a 2x slower client`,
      );
    },
  );
});
