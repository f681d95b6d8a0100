/**
 * The built-in Hono target server: routes with known behaviour for load
 * tests, and exact ground-truth counters under `/__lunge/*`.
 *
 * @example
 * ```ts
 * import { createTargetApp } from "./app.ts";
 * const target = createTargetApp();
 * const res = await target.fetch(new Request("http://localhost/status/503"));
 * console.log(res.status, target.groundTruth().byStatus); // 503 { "503": 1 }
 * ```
 *
 * @module
 */
import { type Context, Hono } from "hono";
import { system } from "../runtime/mod.ts";
import type { FetchHandler } from "../runtime/types.ts";
import { ArrivalCounter, type ArrivalWindowQuery } from "./_arrivals.ts";
import { ByteBodies } from "./_bytes_body.ts";
import { RouteId, TargetCounters } from "./_counters.ts";
import { parseJitter, sampleJitter } from "./_jitter.ts";
import { MAX_STALL_MS, MAX_STALLED_REQUESTS, Stall } from "./_stall.ts";
import { CONTROL_PREFIX, controlGate } from "./control_access.ts";
import { readBodyCapped } from "./_capped_body.ts";
import { addAuthRoutes } from "./_auth_routes.ts";
import { addStreamRoutes, StreamCounters } from "./_stream_routes.ts";
import type { GroundTruth, TargetAppOptions } from "./types.ts";
import { WsEchoRoute } from "./_ws_routes.ts";
import type { ServerWebSocketHandler } from "../runtime/types.ts";

/** Default cap of `/bytes/:n`: 10 MiB. */
export const DEFAULT_MAX_BYTES: number = 10 * 1024 * 1024;
/** Default cap of `/delay/:ms`, `/jitter` and stalls: one minute. */
export const DEFAULT_MAX_DELAY_MS = 60_000;
/** Default cap of a `POST /echo` body: 1 MiB. */
export const DEFAULT_MAX_ECHO_BYTES: number = 1024 * 1024;
/** `/__lunge/gc` runs at most once per this many milliseconds. */
const GC_INTERVAL_MS = 1000;

/** The target app: a fetch handler plus direct access to its ground truth. */
export interface TargetApp {
  /** The request handler, for `serveApp` or for calling directly. */
  readonly fetch: FetchHandler;
  /**
   * The ground truth now. `openConnections` is as the provider reports it
   * (the `/__lunge/stats` route subtracts its own connection). With `window`,
   * `arrivals.window` holds the arrivals and responses inside it.
   */
  groundTruth(window?: ArrivalWindowQuery): GroundTruth;
  /** Zeroes the counters. */
  reset(): void;
  /** Stalls every request arriving in the next `ms` milliseconds until then. */
  stall(ms: number): void;
  /** Ends a stall at once. */
  endStall(): void;
  /** The WebSocket routes (`/ws/echo`), for `serveApp`'s `webSocket` option. */
  readonly webSocket: ServerWebSocketHandler;
}

const NULL_BODY_STATUSES = new Set([204, 205, 304]);
const HEALTH_BODY = '{"status":"ok"}';

/** Whether a request URL's path is a control route (cheap: no URL parsing). */
function isControl(url: string): boolean {
  const path = url.indexOf("/", url.indexOf("//") + 2);
  return path >= 0 && url.startsWith(CONTROL_PREFIX, path);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function checkOption(name: string, value: number | undefined, fallback: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0 || value > max) {
    throw new RangeError(
      `Cannot create target app: "${name}" must be a number from 0 to ${max}, got ${value}`,
    );
  }
  return value;
}

/**
 * Creates the target app. Routes: `GET /` ("ok"), `/delay/:ms`, `/jitter`
 * (`?dist=uniform|normal|lognormal|exponential&mean=&stddev=&min=&max=`),
 * `/status/:code` (200-599), `/bytes/:n`, `POST /echo`, `/flaky?error_rate=0.1&status=503`,
 * `/health`; control routes (never counted, never stalled): `GET /__lunge/stats`,
 * `POST /__lunge/reset`, `POST /__lunge/stall?ms=1000` (a stall lasts at most 60 s from its start,
 * extensions included, and holds at most 100,000 requests), `POST /__lunge/gc` (forces a full garbage
 * collection where the runtime allows it, at most once a second, `429` otherwise, and answers
 * `{"gc": ran, "memory": {...}}` measured after it). Control routes answer on loopback binds only,
 * unless `controlToken` is set (then they need `Authorization: Bearer <token>`). `POST /echo`
 * bodies are capped (`maxEchoBytes`, 1 MiB by default; `413` beyond).
 *
 * @example
 * ```ts
 * import { createTargetApp } from "./app.ts";
 * import { serveApp } from "../runtime/serve.ts";
 * const target = createTargetApp();
 * const server = await serveApp(target.fetch, { port: 0, hostname: "127.0.0.1" });
 * await fetch(`http://127.0.0.1:${server.port}/`).then((r) => r.text());
 * console.log(target.groundTruth().totalRequests); // 1
 * await server.close();
 * ```
 */
export function createTargetApp(options: TargetAppOptions = {}): TargetApp {
  const maxBytes = checkOption("maxBytes", options.maxBytes, DEFAULT_MAX_BYTES, 2 ** 30);
  const maxDelayMs = checkOption("maxDelayMs", options.maxDelayMs, DEFAULT_MAX_DELAY_MS, 2 ** 31 - 1);
  const maxEchoBytes = checkOption("maxEchoBytes", options.maxEchoBytes, DEFAULT_MAX_ECHO_BYTES, 2 ** 30);
  const openConnections = options.openConnections ?? ((): number | null => null);
  const gate = controlGate(options);
  let lastGcAt = -Infinity;
  const counters = new TargetCounters();
  const streamCounters = new StreamCounters();
  const bodies = new ByteBodies(Math.floor(maxBytes));
  const stall = new Stall();
  let resetAt = performance.now();
  const arrivals = new ArrivalCounter(resetAt, performance.timeOrigin);
  const wsEcho = new WsEchoRoute();

  /** Counts a response; HEAD responses carry no body. */
  const sent = (c: Context, route: number, status: number, bodyBytes: number): void => {
    counters.record(route, status, c.req.method === "HEAD" ? 0 : bodyBytes);
    arrivals.recordResponse(performance.now());
  };
  const badRequest = (c: Context, route: number, message: string): Response => {
    sent(c, route, 400, message.length);
    return c.text(message, 400);
  };

  const groundTruth = (window?: ArrivalWindowQuery): GroundTruth => {
    const m = system.memory();
    return {
      ...counters.snapshot(),
      streams: streamCounters.snapshot(),
      openConnections: openConnections(),
      memory: { heapUsed: m.heapUsed, rss: m.rss, external: m.external },
      sinceResetMs: performance.now() - resetAt,
      arrivals: arrivals.snapshot(window),
      websocket: wsEcho.truth(),
    };
  };

  const app = new Hono();

  // Control routes first: not counted, not stalled.
  app.get("/__lunge/stats", (c) => {
    const from = Number(c.req.query("from"));
    const to = Number(c.req.query("to"));
    const truth = groundTruth(from > 0 && to >= from ? { fromEpochMs: from, toEpochMs: to } : undefined);
    // The connection carrying this request is open too; leave it out.
    if (truth.openConnections !== null) truth.openConnections = Math.max(0, truth.openConnections - 1);
    return c.json(truth);
  });
  app.post("/__lunge/reset", (c) => {
    counters.reset();
    streamCounters.reset();
    resetAt = performance.now();
    arrivals.reset(resetAt);
    wsEcho.reset();
    return c.json({ reset: true });
  });
  // For leak checks (stress runs): memory after a forced GC. Deno needs --expose-gc
  // (e.g. DENO_V8_FLAGS=--expose-gc, which a child process inherits); otherwise gc is false.
  app.post("/__lunge/gc", (c) => {
    const now = performance.now();
    if (now - lastGcAt < GC_INTERVAL_MS) {
      c.header("retry-after", "1");
      return c.json({ gc: false, error: "at most one forced GC per second" }, 429);
    }
    lastGcAt = now;
    const ran = system.gc();
    const m = system.memory();
    return c.json({ gc: ran, memory: { heapUsed: m.heapUsed, rss: m.rss, external: m.external } });
  });
  app.post("/__lunge/stall", (c) => {
    const raw = c.req.query("ms") ?? "";
    const ms = Number(raw);
    const max = Math.min(maxDelayMs, MAX_STALL_MS);
    if (raw === "" || !Number.isFinite(ms) || ms < 0 || ms > max) {
      return c.text(`"ms" must be a number from 0 to ${max}, got "${raw}"`, 400);
    }
    stall.start(ms);
    return c.json({ stallMs: ms });
  });

  wsEcho.mount(app);
  app.get("/", (c) => {
    sent(c, RouteId.root, 200, 2);
    return c.text("ok");
  });

  app.get("/health", (c) => {
    sent(c, RouteId.health, 200, HEALTH_BODY.length);
    return c.body(HEALTH_BODY, 200, { "content-type": "application/json" });
  });

  app.get("/delay/:ms", async (c) => {
    const raw = c.req.param("ms");
    const ms = Number(raw);
    if (raw === "" || !Number.isFinite(ms) || ms < 0 || ms > maxDelayMs) {
      return badRequest(c, RouteId.delay, `"ms" must be a number from 0 to ${maxDelayMs}, got "${raw}"`);
    }
    await sleep(ms);
    sent(c, RouteId.delay, 200, 2);
    return c.text("ok");
  });

  app.get("/jitter", async (c) => {
    const spec = parseJitter((name) => c.req.query(name), maxDelayMs);
    if (typeof spec === "string") return badRequest(c, RouteId.jitter, spec);
    const ms = sampleJitter(spec);
    await sleep(ms);
    const body = ms.toFixed(3);
    sent(c, RouteId.jitter, 200, body.length);
    return c.text(body);
  });

  app.get("/status/:code", (c) => {
    const raw = c.req.param("code");
    const code = Number(raw);
    if (!/^\d{3}$/.test(raw) || code < 200 || code > 599) {
      // 1xx are not final statuses; the fetch Response cannot carry them.
      return badRequest(c, RouteId.status, `"code" must be an integer from 200 to 599, got "${raw}"`);
    }
    if (NULL_BODY_STATUSES.has(code)) {
      sent(c, RouteId.status, code, 0);
      return c.body(null, code as 204);
    }
    sent(c, RouteId.status, code, raw.length);
    return c.text(raw, code as 200);
  });

  app.get("/bytes/:n", (c) => {
    const raw = c.req.param("n");
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n > bodies.limit) {
      return badRequest(c, RouteId.bytes, `"n" must be an integer from 0 to ${bodies.limit}, got "${raw}"`);
    }
    sent(c, RouteId.bytes, 200, n);
    return c.body(bodies.get(n) as Uint8Array<ArrayBuffer>, 200, {
      "content-type": "application/octet-stream",
    });
  });

  app.post("/echo", async (c) => {
    const body = await readBodyCapped(c.req.raw, maxEchoBytes);
    if (body === null) {
      const message = `body larger than ${maxEchoBytes} bytes`;
      sent(c, RouteId.echo, 413, message.length);
      return c.text(message, 413);
    }
    sent(c, RouteId.echo, 200, body.byteLength);
    return c.body(body, 200, { "content-type": c.req.header("content-type") ?? "application/octet-stream" });
  });

  app.get("/flaky", (c) => {
    const rawRate = c.req.query("error_rate");
    const rate = rawRate === undefined || rawRate === "" ? 0.1 : Number(rawRate);
    if (!Number.isFinite(rate) || rate < 0 || rate > 1) {
      return badRequest(c, RouteId.flaky, `"error_rate" must be a number from 0 to 1, got "${rawRate}"`);
    }
    const rawStatus = c.req.query("status");
    const status = rawStatus === undefined || rawStatus === "" ? 503 : Number(rawStatus);
    if (!Number.isInteger(status) || status < 500 || status > 599) {
      return badRequest(c, RouteId.flaky, `"status" must be an integer from 500 to 599, got "${rawStatus}"`);
    }
    if (Math.random() < rate) {
      sent(c, RouteId.flaky, status, 5);
      return c.text("error", status as 500);
    }
    sent(c, RouteId.flaky, 200, 2);
    return c.text("ok");
  });

  addAuthRoutes(app, (c, route, status, bytes) => sent(c, RouteId[route], status, bytes));
  addStreamRoutes(
    app,
    streamCounters,
    (c, route, status, bytes) => sent(c, RouteId[route], status, bytes),
    (n) => counters.addBodyBytes(n),
  );

  app.notFound((c) => {
    if (c.req.path.startsWith(CONTROL_PREFIX)) return c.text("not found", 404); // control: not counted
    sent(c, RouteId.notFound, 404, 9);
    return c.text("not found", 404);
  });

  app.onError((_error, c) => {
    sent(c, RouteId.error, 500, 14);
    return c.text("internal error", 500);
  });

  const honoFetch = (request: Request): Response | Promise<Response> => app.fetch(request);
  const fetch = (request: Request): Response | Promise<Response> => {
    if (isControl(request.url)) return gate(request) ?? honoFetch(request);
    arrivals.record(performance.now());
    if (stall.active) {
      // Bounded: past the cap a request is refused at once instead of held in memory.
      if (stall.held >= MAX_STALLED_REQUESTS) return new Response("stall queue full", { status: 503 });
      stall.held++;
      return stall.ended.then(() => honoFetch(request));
    }
    return honoFetch(request);
  };

  return {
    fetch,
    groundTruth,
    reset: (): void => {
      counters.reset();
      streamCounters.reset();
      resetAt = performance.now();
      arrivals.reset(resetAt);
      wsEcho.reset();
    },
    webSocket: wsEcho.handler,
    stall: (ms: number): void => {
      const max = Math.min(maxDelayMs, MAX_STALL_MS);
      if (!Number.isFinite(ms) || ms < 0 || ms > max) {
        throw new RangeError(`Cannot stall target: "ms" must be a number from 0 to ${max}, got ${ms}`);
      }
      stall.start(ms);
    },
    endStall: (): void => stall.end(),
  };
}
