/**
 * The built-in target server: a Hono app with routes of known behaviour
 * (`/`, `/delay/:ms`, `/jitter`, `/status/:code`, `/bytes/:n`, `/echo`,
 * `/flaky`, `/health`) and exact ground truth under `/__lunge/*`, runnable
 * on a worker thread or in a child process.
 *
 * @example
 * ```ts
 * import { startTarget } from "./mod.ts";
 * const target = await startTarget({ mode: "worker" });
 * await fetch(`${target.url}/status/503`).then((r) => r.text());
 * console.log((await target.stats()).byStatus); // { "503": 1 }
 * await target.stop();
 * ```
 *
 * @module
 */
export { createTargetApp, DEFAULT_MAX_BYTES, DEFAULT_MAX_DELAY_MS, type TargetApp } from "./app.ts";
export { startTarget } from "./start.ts";
export { TARGET_ROUTES } from "./_counters.ts";
export {
  type ArrivalStats,
  type ArrivalWindow,
  type ArrivalWindowQuery,
  runWindow,
  windowRates,
} from "./_arrivals.ts";
export { type JitterDistribution, type JitterSpec, parseJitter, sampleJitter } from "./_jitter.ts";
export type { GroundTruth, StartTargetOptions, TargetAppOptions, TargetHandle, TargetMode } from "./types.ts";
export type { FetchHandler, ServerWebSocketHandler } from "../runtime/types.ts";
export type { StreamTruth } from "./_stream_routes.ts";
export type { WsGroundTruth } from "./_ws_routes.ts";
