/**
 * Routes of the built-in target for scenario flows: `POST /login` takes
 * `{"username","password"}` and answers `{"token"}`; `GET /me` answers the
 * user of a valid `Authorization: Bearer <token>` (401 otherwise). Tokens are
 * stateless (the user name, signed with a fixed tag), so any number of
 * virtual users log in without server state.
 *
 * @module
 */
import type { Context, Hono } from "hono";

const PREFIX = "lunge.";

/** The token `POST /login` hands out for `username`. */
export function tokenFor(username: string): string {
  return PREFIX + encodeURIComponent(username);
}

function userOf(authorization: string | undefined): string | null {
  if (authorization === undefined || !authorization.startsWith("Bearer ")) return null;
  const token = authorization.slice(7).trim();
  if (!token.startsWith(PREFIX) || token.length === PREFIX.length) return null;
  try {
    return decodeURIComponent(token.slice(PREFIX.length));
  } catch {
    return null;
  }
}

/**
 * Adds `POST /login` and `GET /me` to `app`; `sent(c, status, bytes)` counts
 * each answer under its route (login or me).
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { addAuthRoutes } from "./_auth_routes.ts";
 * const app = new Hono();
 * addAuthRoutes(app, () => {});
 * const res = await app.fetch(new Request("http://x/login", { method: "POST", body: '{"username":"ann"}' }));
 * console.log(res.status); // 200
 * ```
 */
export function addAuthRoutes(
  app: Hono,
  sent: (c: Context, route: "login" | "me", status: number, bytes: number) => void,
): void {
  app.post("/login", async (c) => {
    let username: unknown;
    try {
      username = (await c.req.json() as { username?: unknown }).username;
    } catch {
      username = undefined;
    }
    if (typeof username !== "string" || username === "") {
      const message = 'expected a JSON body {"username": "...", "password": "..."}';
      sent(c, "login", 400, message.length);
      return c.text(message, 400);
    }
    const body = JSON.stringify({ token: tokenFor(username) });
    sent(c, "login", 200, body.length);
    return c.body(body, 200, { "content-type": "application/json" });
  });

  app.get("/me", (c) => {
    const user = userOf(c.req.header("authorization"));
    if (user === null) {
      sent(c, "me", 401, 12);
      return c.text("unauthorized", 401);
    }
    const body = JSON.stringify({ user });
    sent(c, "me", 200, body.length);
    return c.body(body, 200, { "content-type": "application/json" });
  });
}
