/**
 * Steps named with groups, checks on every response, thresholds per step
 * and on the checks. The run exits 99 when a threshold fails.
 *
 *   lunge run examples/checks_and_thresholds.ts builtin -d 10s
 */
import type { ScenarioContext, ScenarioOptions } from "../mod.ts";

export const options: ScenarioOptions = {
  vus: 5,
  duration: "5s",
  thresholds: ["home.p99<1s", "health.errors<1%", "checks>99%", "iteration_p99<2s"],
};

export default async function (ctx: ScenarioContext): Promise<void> {
  await ctx.group("home", async () => {
    const res = await ctx.http.get("/");
    ctx.check(res, {
      "home is 200": (r) => r.status === 200,
      "home says ok": (r) => r.text() === "ok",
    });
  });
  await ctx.group("health", async () => {
    const res = await ctx.http.get("/health");
    ctx.check(res, { "health is ok": (r) => r.json<{ status: string }>().status === "ok" });
  });
  await ctx.sleep(1); // think time
}
