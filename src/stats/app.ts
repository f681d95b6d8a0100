/**
 * A Hono app exposing a stats client's internal metrics: `GET /metrics`
 * (Prometheus text) and `GET /health` (JSON; 200 when ok, 503 when
 * degraded). Serving it is the caller's job (`Deno.serve(app.fetch)`,
 * `Bun.serve({ fetch: app.fetch })`, or lunge's `serveApp`).
 *
 * @module
 */
import { Hono } from "hono";
import type { StatsClient } from "./client.ts";
import { writeStatsMetrics } from "./exposition.ts";
import { PROMETHEUS_CONTENT_TYPE } from "./prometheus.ts";

/**
 * An HTTP app serving `/metrics` and `/health` (built with Hono). Hand
 * `fetch` to any server (`Deno.serve`, `Bun.serve`, lunge's `serveApp`);
 * `request` calls it directly, without a socket.
 *
 * @example
 * ```ts
 * import { createStatsApp, createStatsClient } from "./mod.ts";
 * const app = createStatsApp(createStatsClient());
 * const res = await app.request("/health");
 * console.log(res.status); // 200
 * ```
 */
export interface MetricsHttpApp {
  /** Answers one request (the server-facing entry point). */
  fetch(request: Request): Response | Promise<Response>;
  /** Answers a request for `path` (or a full Request/URL), for tests and in-process use. */
  request(input: string | Request | URL, init?: RequestInit): Response | Promise<Response>;
}

/**
 * Creates the `/metrics` + `/health` app for a client.
 *
 * @example
 * ```ts
 * import { createStatsApp, createStatsClient } from "./mod.ts";
 * const stats = createStatsClient();
 * const app = createStatsApp(stats);
 * const res = await app.request("/health");
 * console.log(await res.json());
 * ```
 */
export function createStatsApp(client: StatsClient): MetricsHttpApp {
  const app = new Hono();
  app.get(
    "/metrics",
    (c) => c.body(writeStatsMetrics(client).text(), 200, { "content-type": PROMETHEUS_CONTENT_TYPE }),
  );
  app.get("/health", (c) => {
    const health = client.health();
    return c.json({ ...health, metrics: client.metrics() }, health.status === "ok" ? 200 : 503);
  });
  return app;
}
