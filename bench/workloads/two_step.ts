/**
 * The bench's 2-step scenario: GET, then POST a JSON body, with one check.
 * The same flow as `artillery_two_step.yml`.
 */
import type { ScenarioContext } from "../../mod.ts";

const body = { item: 42, note: "bench" };

export default async function (ctx: ScenarioContext): Promise<void> {
  await ctx.http.get("/", { name: "get" });
  const res = await ctx.http.post("/echo", { json: body, name: "post" });
  ctx.check(res, { "post is 200": (r) => r.status === 200 });
}
