/**
 * `setup()` logs in once; every iteration reuses its token (`ctx.data`).
 * Open model: 100 iterations per second, latency from the intended start.
 *
 *   lunge run examples/setup_and_data.ts builtin --rate 100 -d 10s
 */
import type { ScenarioContext, ScenarioOptions, SetupContext } from "../mod.ts";

export const options: ScenarioOptions = { rate: 100, duration: "5s", thresholds: ["iteration_failures<1%"] };

export async function setup(ctx: SetupContext): Promise<{ token: string }> {
  const res = await ctx.http.post("/login", { json: { username: "setup-user", password: "x" } });
  return res.json<{ token: string }>();
}

export default async function (ctx: ScenarioContext<{ token: string }>): Promise<void> {
  const me = await ctx.http.get("/me", { headers: { Authorization: `Bearer ${ctx.data.token}` } });
  if (me.status !== 200) throw new Error(`GET /me answered ${me.status}`);
}

export function teardown(): void {}
