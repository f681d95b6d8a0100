/**
 * Types of the built-in target server: its ground truth and its handle.
 *
 * @module
 */
import type { ArrivalStats, ArrivalWindowQuery } from "./_arrivals.ts";
import type { StreamTruth } from "./_stream_routes.ts";

/**
 * What the target server itself saw: the reference that a load client's
 * counts are compared with. Control endpoints (`/__lunge/*`) are never counted.
 */
export interface GroundTruth {
  /** Requests answered since start or the last reset (all routes, all statuses). */
  totalRequests: number;
  /** Requests per route pattern, e.g. `{"/": 10, "/status/:code": 4}`; unmatched paths count as `"(not found)"`. */
  byRoute: Record<string, number>;
  /** Requests per response status code, e.g. `{"200": 10, "503": 4}`. */
  byStatus: Record<string, number>;
  /** Response body bytes sent (bodies only, no headers), as a load client counts them. */
  bodyBytesSent: number;
  /** What the streaming routes (`/sse`, `/v1/chat/completions`) served: streams, events, tokens. */
  streams: StreamTruth;
  /**
   * TCP connections open to the server right now (ESTABLISHED, from
   * `/proc/net/tcp*`), not counting the connection that carries the stats
   * request itself; `null` where unknown (not Linux).
   */
  openConnections: number | null;
  /** Memory of the process that runs the target, in bytes. */
  memory: { heapUsed: number; rss: number; external: number };
  /** Milliseconds since start or the last reset. */
  sinceResetMs: number;
  /**
   * Requests counted on arrival (before any delay or stall), per second from
   * the first arrival: the server's own measure of the achieved rate.
   */
  arrivals: ArrivalStats;
  /** WebSocket ground truth of `/ws/echo`: sockets, messages and bytes both ways. */
  websocket?: import("./_ws_routes.ts").WsGroundTruth;
}

/** Options of {@linkcode createTargetApp}. */
export interface TargetAppOptions {
  /** Largest body `/bytes/:n` serves, in bytes (default 10 MiB). */
  maxBytes?: number;
  /** Largest `/delay/:ms` and jitter delay, in milliseconds (default 60,000). */
  maxDelayMs?: number;
  /** Counts open connections when the stats are read; `null` when unknown (the default). */
  openConnections?: () => number | null;
  /**
   * The interface the server binds. Control routes (`/__lunge/*`) answer only
   * when it is a loopback address (or when unset), unless `controlToken` is set.
   */
  bindHostname?: string;
  /** When set, every control request needs `Authorization: Bearer <controlToken>`, on any bind. */
  controlToken?: string;
  /** Largest `POST /echo` body, in bytes (default 1 MiB); larger bodies get `413`. */
  maxEchoBytes?: number;
}

/** How {@linkcode startTarget} runs the server: a worker thread or a child process. */
export type TargetMode = "worker" | "process";

/** Options of {@linkcode startTarget}. */
export interface StartTargetOptions {
  /** TCP port; `0` (the default) binds an ephemeral port. */
  port?: number;
  /** Interface to bind (default `"127.0.0.1"`). */
  hostname?: string;
  /** Where the server runs (default `"worker"`). */
  mode?: TargetMode;
  /** Largest `/bytes/:n` body (default 10 MiB). */
  maxBytes?: number;
  /** Milliseconds to wait for the server to report its port (default 10,000). */
  startTimeoutMs?: number;
}

/** A running built-in target server. */
export interface TargetHandle {
  /** Base URL without a trailing slash, e.g. `"http://127.0.0.1:43121"`. */
  readonly url: string;
  /** The port bound. */
  readonly port: number;
  /** How it runs. */
  readonly mode: TargetMode;
  /** Reads the ground truth; with `window`, also the arrivals and responses inside it (`arrivals.window`). */
  stats(window?: ArrivalWindowQuery): Promise<GroundTruth>;
  /** Zeroes the counters. */
  reset(): Promise<void>;
  /** Makes every request arriving in the next `ms` milliseconds wait until then. */
  stall(ms: number): Promise<void>;
  /** Stops the server; afterwards nothing of it keeps the process alive. */
  stop(): Promise<void>;
}
