/**
 * Log in, take the token, call the API with it: the built-in target's
 * `POST /login` and `GET /me`.
 *
 *   lunge run examples/login_then_api.ts builtin -d 10s
 *   lunge run examples/login_then_api.ts http://127.0.0.1:8080 --rate 200 -d 30s
 */
import type { ScenarioContext, ScenarioOptions } from "../mod.ts";

export const options: ScenarioOptions = {
  vus: 10,
  duration: "5s",
  thresholds: ["login.p99<500ms", "me.errors<1%"],
};

export default async function (ctx: ScenarioContext): Promise<void> {
  const login = await ctx.http.post("/login", {
    json: { username: `user-${ctx.vu.id}`, password: "secret" },
    name: "login",
  });
  const { token } = login.json<{ token: string }>();
  const me = await ctx.http.get("/me", { headers: { Authorization: `Bearer ${token}` }, name: "me" });
  ctx.check(me, { "me is 200": (r) => r.status === 200 });
}
