/**
 * Exact request counters of the target server. Plain JS numbers on the server
 * thread: exact up to 2^53, no atomics needed since one thread writes them.
 *
 * @module
 */

/**
 * The route patterns the target counts, in a fixed order (index = route id).
 *
 * @example
 * ```ts
 * import { TARGET_ROUTES } from "./_counters.ts";
 * console.log(TARGET_ROUTES.includes("/status/:code")); // true
 * ```
 */
export const TARGET_ROUTES: readonly string[] = [
  "/",
  "/delay/:ms",
  "/jitter",
  "/status/:code",
  "/bytes/:n",
  "/echo",
  "/flaky",
  "/health",
  "(not found)",
  "(error)",
  "/login",
  "/me",
  "/sse",
  "/v1/chat/completions",
];

/**
 * Route ids, indices into {@linkcode TARGET_ROUTES}.
 *
 * @example
 * ```ts
 * import { RouteId, TARGET_ROUTES } from "./_counters.ts";
 * console.log(TARGET_ROUTES[RouteId.flaky]); // "/flaky"
 * ```
 */
export const RouteId = {
  root: 0,
  delay: 1,
  jitter: 2,
  status: 3,
  bytes: 4,
  echo: 5,
  flaky: 6,
  health: 7,
  notFound: 8,
  error: 9,
  login: 10,
  me: 11,
  sse: 12,
  chat: 13,
} as const;

/** Counts snapshot of {@linkcode TargetCounters}. */
export interface CountsSnapshot {
  totalRequests: number;
  byRoute: Record<string, number>;
  byStatus: Record<string, number>;
  bodyBytesSent: number;
}

/**
 * Requests per route and per status, total requests and body bytes.
 * `record` allocates nothing.
 *
 * @example
 * ```ts
 * import { RouteId, TargetCounters } from "./_counters.ts";
 * const counters = new TargetCounters();
 * counters.record(RouteId.root, 200, 2);
 * console.log(counters.snapshot().byRoute["/"]); // 1
 * ```
 */
export class TargetCounters {
  #routes: number[] = new Array(TARGET_ROUTES.length).fill(0);
  #statuses: number[] = new Array(600).fill(0);
  #total = 0;
  #bytes = 0;

  /** Counts one answered request. */
  record(route: number, status: number, bodyBytes: number): void {
    this.#routes[route]++;
    this.#statuses[status]++;
    this.#total++;
    this.#bytes += bodyBytes;
  }

  /** Adds body bytes written after the answer was counted (streamed bodies). */
  addBodyBytes(n: number): void {
    this.#bytes += n;
  }

  /** Zeroes every counter. */
  reset(): void {
    this.#routes.fill(0);
    this.#statuses.fill(0);
    this.#total = 0;
    this.#bytes = 0;
  }

  /** Copies the counters; routes are all listed, statuses only when non-zero. */
  snapshot(): CountsSnapshot {
    const byRoute: Record<string, number> = {};
    for (let i = 0; i < TARGET_ROUTES.length; i++) byRoute[TARGET_ROUTES[i]] = this.#routes[i];
    const byStatus: Record<string, number> = {};
    for (let s = 0; s < this.#statuses.length; s++) {
      if (this.#statuses[s] !== 0) byStatus[String(s)] = this.#statuses[s];
    }
    return { totalRequests: this.#total, byRoute, byStatus, bodyBytesSent: this.#bytes };
  }
}
