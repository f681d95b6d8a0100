/**
 * A 2-step scenario that any static server answers (nginx in the peers
 * section): GET `/`, then GET `/` again with one check. Its requests per
 * client CPU-second, beside the plain path's, show the scenario path's own
 * cost (the iteration loop, the response object, the check).
 */
import type { ScenarioContext } from "../../mod.ts";

export default async function (ctx: ScenarioContext): Promise<void> {
  await ctx.http.get("/", { name: "first" });
  const res = await ctx.http.get("/", { name: "second" });
  ctx.check(res, { "second is 200": (r) => r.status === 200 });
}
