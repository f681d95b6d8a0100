/**
 * Validation of the HTTP/2 run options (`http2`, `http2PriorKnowledge`,
 * `streams`), kept beside `_normalize.ts` so that file only wires it in.
 *
 * @module
 */
import { type Http2Mode, RunOptionsError } from "./options.ts";
import { numberOption } from "../options/check_option.ts";
import type { RunOptions } from "./options.ts";

/** The HTTP/2 part of the normalized options. */
export interface NormalizedHttp2 {
  /** The mode chosen. */
  mode: Http2Mode;
  /** Concurrent streams per connection (1 for HTTP/1.1). */
  streams: number;
  /** Connections. */
  connections: number;
  /** Virtual users: connections × streams. */
  concurrency: number;
}

// Messages start with the option's name in quotes; the error carries it.
function fail(message: string): never {
  throw new RunOptionsError(/^"([^"]+)"/.exec(message)?.[1] ?? "http2", message);
}

/**
 * Checks the HTTP/2 options against the URL and transport; `connections` is
 * the validated `concurrency`.
 *
 * @example
 * ```ts
 * import { normalizeHttp2 } from "./_normalize_http2.ts";
 * normalizeHttp2({ url: "http://127.0.0.1/", http2PriorKnowledge: true, streams: 10 }, false, "auto", 4, 100_000);
 * // { mode: "prior-knowledge", streams: 10, connections: 4, concurrency: 40 }
 * ```
 */
export function normalizeHttp2(
  options: RunOptions,
  builtin: boolean,
  transport: string,
  connections: number,
  maxConcurrency: number,
): NormalizedHttp2 {
  const tls = options.http2 ?? false;
  const prior = options.http2PriorKnowledge ?? false;
  if (typeof tls !== "boolean") fail(`"http2" must be a boolean, got ${String(tls)}`);
  if (typeof prior !== "boolean") fail(`"http2PriorKnowledge" must be a boolean, got ${String(prior)}`);
  if (tls && prior) fail(`"http2" and "http2PriorKnowledge" exclude each other`);
  const mode: Http2Mode = tls ? "tls" : prior ? "prior-knowledge" : "off";
  const streams = numberOption("streams", options.streams);
  if (mode === "off") {
    if (streams !== 1) fail(`"streams" needs HTTP/2 ("http2" or "http2PriorKnowledge")`);
    return { mode, streams: 1, connections, concurrency: connections };
  }
  if (builtin) fail(`HTTP/2 is not available against the built-in target (it speaks HTTP/1.1)`);
  if (transport === "fetch") fail(`HTTP/2 runs on the raw client; "transport" fetch cannot carry it`);
  const https = options.url.startsWith("https:");
  if (mode === "tls" && !https) {
    fail(`"http2" negotiates h2 over TLS and needs an https:// URL; use "http2PriorKnowledge" for h2c`);
  }
  if (mode === "prior-knowledge" && https) {
    fail(`"http2PriorKnowledge" is h2c over plain TCP and needs an http:// URL; use "http2" for https://`);
  }
  // Without -c, the default number of requests in flight is kept and spread over streams.
  if (options.concurrency === undefined) connections = Math.max(1, Math.ceil(connections / streams));
  if (connections * streams > maxConcurrency) {
    fail(`"concurrency" × "streams" must be at most ${maxConcurrency}, got ${connections * streams}`);
  }
  return { mode, streams, connections, concurrency: connections * streams };
}
