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
export function createStatsApp(client: StatsClient): Hono {
  const app = new Hono();
  app.get("/metrics", (c) => c.body(writeStatsMetrics(client).text(), 200, { "content-type": PROMETHEUS_CONTENT_TYPE }));
  app.get("/health", (c) => {
    const health = client.health();
    return c.json({ ...health, metrics: client.metrics() }, health.status === "ok" ? 200 : 503);
  });
  return app;
}
