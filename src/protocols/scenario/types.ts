/**
 * The types a scenario module is written against: the context an iteration
 * receives (`ctx.http`, `ctx.check`, `ctx.group`, `ctx.sleep`, `ctx.vu`,
 * `ctx.data`, `ctx.env`) and the module's optional exports. Import them for
 * editor completion:
 *
 * ```ts
 * import type { ScenarioContext, ScenarioOptions } from "@lunge/lunge";
 * export const options: ScenarioOptions = { vus: 10, duration: "30s" };
 * export default async function (ctx: ScenarioContext) {
 *   const res = await ctx.http.get("/");
 *   ctx.check(res, { "status is 200": (r) => r.status === 200 });
 * }
 * ```
 *
 * @module
 */
import type { GrpcClient } from "./grpc_types.ts";

/** Options of one request made with `ctx.http`. */
export interface RequestOptions {
  /** Request headers. */
  headers?: Record<string, string>;
  /** Request body (a string is sent as UTF-8). */
  body?: string | Uint8Array;
  /** A value sent as JSON (sets `Content-Type: application/json` unless given). */
  json?: unknown;
  /** Metrics name of this request (default: the enclosing group's name, else `METHOD path`). */
  name?: string;
  /** Timeout in ms (default: the run's `--timeout`). */
  timeout?: number;
}

/** Timings of one request, in ms. */
export interface ResponseTimings {
  /** From the send to the complete response. */
  duration: number;
}

/** A response (or a transport failure: `status` 0 and `error` set). */
export interface ScenarioResponse {
  /** HTTP status, 0 when the request failed without a response. */
  readonly status: number;
  /** Why the request failed (`timeout`, `refused`, `reset`, ...), or null. */
  readonly error: string | null;
  /** Response headers, names in lower case. */
  readonly headers: Record<string, string>;
  /** The body as UTF-8 text. */
  text(): string;
  /** The body parsed as JSON (throws on invalid JSON). */
  json<T = unknown>(): T;
  /** The body bytes. */
  bytes(): Uint8Array;
  /** The request timings. */
  readonly timings: ResponseTimings;
}

/** `ctx.http`: requests over lunge's own keep-alive client, measured per name. */
export interface HttpClient {
  /** GET `url` (absolute, or relative to the run's base URL). */
  get(url: string, options?: RequestOptions): Promise<ScenarioResponse>;
  /** POST `url`. */
  post(url: string, options?: RequestOptions): Promise<ScenarioResponse>;
  /** PUT `url`. */
  put(url: string, options?: RequestOptions): Promise<ScenarioResponse>;
  /** PATCH `url`. */
  patch(url: string, options?: RequestOptions): Promise<ScenarioResponse>;
  /** DELETE `url`. */
  delete(url: string, options?: RequestOptions): Promise<ScenarioResponse>;
  /** Any method. */
  request(method: string, url: string, options?: RequestOptions): Promise<ScenarioResponse>;
  /**
   * A streamed request (GET unless `options.method`): its Server-Sent Events as they arrive, with
   * their times, and the stream figures (first byte, first event, gaps, tokens) recorded under its name.
   * Iterate it at once (`for await`) to see every event; `await s.result` alone builds no strings.
   * Lunge's own client only (http:// URLs).
   */
  stream(url: string, options?: StreamRequestOptions): ScenarioStream;
}

/** Options of `ctx.http.stream`. */
export interface StreamRequestOptions extends RequestOptions {
  /** HTTP method; default GET (POST when `json` or `body` is given). */
  method?: string;
}

/** One Server-Sent Event of a streamed response. */
export interface StreamEvent {
  /** Its data (the `data` lines joined with LF). */
  data: string;
  /** Its type: the `event` field, or `"message"`. */
  event: string;
  /** The last event id of the stream so far, or "". */
  id: string;
  /** When it arrived, ms after the request was sent. */
  at: number;
}

/** How a streamed response ended. */
export interface StreamResult {
  /** HTTP status, 0 when the request failed without a response. */
  status: number;
  /** Why it failed (`timeout`, `reset`, ...), or null. */
  error: string | null;
  /** Whether the response was `text/event-stream`. */
  eventStream: boolean;
  /** Events read. */
  events: number;
  /** LLM output tokens (usage block, else content chunks); 0 for other streams. */
  outputTokens: number;
  /** `data: [DONE]` was seen. */
  done: boolean;
  /** The body ended inside an event. */
  cut: boolean;
  /** Times in ms after the send; null when there was none. */
  timings: {
    duration: number;
    firstByte: number | null;
    firstEvent: number | null;
    firstToken: number | null;
  };
}

/** What `ctx.http.stream` returns: the events as an async iterator, and the result. */
export interface ScenarioStream extends AsyncIterable<StreamEvent> {
  /** Settles when the response ended (never rejects; a failure has `status` 0 and `error`). */
  readonly result: Promise<StreamResult>;
}

/** The virtual user running an iteration. */
export interface VirtualUserInfo {
  /** 1-based id, unique in the run. */
  readonly id: number;
  /** 0-based iteration of this virtual user. */
  readonly iteration: number;
}

/** Options of `ctx.ws.connect()`. */
export interface WsConnectOptions {
  /** Extra handshake headers (e.g. Authorization). */
  headers?: Record<string, string>;
  /** Metrics name of this socket's steps: `<name> connect` and `<name> message` (default `WS <path>`). */
  name?: string;
  /** Handshake timeout in ms (default: the run's request timeout). */
  timeout?: number;
  /** Largest message accepted, bytes (default 16 MiB). */
  maxMessageBytes?: number;
}

/** A message received on a scenario's WebSocket. */
export interface WsMessage {
  /** Whether it came in binary frames (else text). */
  readonly binary: boolean;
  /** The text of a text message, or the UTF-8 decoding of a binary one. */
  text(): string;
  /** `JSON.parse(text())`. */
  json<T = unknown>(): T;
  /** The payload bytes. */
  bytes(): Uint8Array;
  /** Round trip in ms: from the last `send()` before this `next()` (or the call of `next()`) to the arrival. */
  readonly duration: number;
}

/** A scenario's WebSocket (lunge's own client: RFC 6455, no compression). */
export interface ScenarioWebSocket {
  /** Sends a text (string) or binary (bytes) message. Throws when the socket is closed. */
  send(data: string | Uint8Array): void;
  /**
   * The next message (queued ones first). Rejects after `timeout` ms (default: the run's
   * request timeout), or when the socket closes or the server breaks the framing.
   */
  next(options?: { timeout?: number; name?: string }): Promise<WsMessage>;
  /** Closes with `code` (default 1000) and waits for the server's close frame (at most 1 s). */
  close(code?: number, reason?: string): Promise<void>;
  /** The close code once closed (the server's, or 1006 without a close frame), else null. */
  readonly closeCode: number | null;
}

/** `ctx.ws`: WebSocket connections of a virtual user, closed at the end of its iteration's VU life. */
export interface WsClient {
  /** Opens a WebSocket to a ws:// or wss:// URL (relative URLs use the base URL's host). */
  connect(url: string, options?: WsConnectOptions): Promise<ScenarioWebSocket>;
}

/** What an iteration receives. `Data` is the type `setup()` returns. */
export interface ScenarioContext<Data = unknown> {
  /** HTTP client. */
  readonly http: HttpClient;
  /** WebSocket connections (ws://, wss://): `connect`, then `send`, `next`, `close`, timed per step. */
  readonly ws: WsClient;
  /** gRPC client: `await ctx.grpc.connect("grpc://host:port", { proto })`, then calls (`grpc_types.ts`). */
  readonly grpc: GrpcClient;
  /** Counts each named predicate as passed or failed; true when all passed. */
  check<T>(value: T, checks: Record<string, (value: T) => boolean>): boolean;
  /** Names the requests made inside `fn` (unless they carry their own name). */
  group<R>(name: string, fn: () => R | Promise<R>): Promise<R>;
  /** Think time. */
  sleep(ms: number): Promise<void>;
  /** The virtual user. */
  readonly vu: VirtualUserInfo;
  /** What `setup()` returned (JSON round-tripped), or undefined. */
  readonly data: Data;
  /** `--env NAME=value` pairs and `options.env`; `BASE_URL` is the run's base URL. */
  readonly env: Readonly<Record<string, string>>;
}

/** What `setup()` and `teardown()` receive: the HTTP client and the environment. */
export interface SetupContext {
  /** HTTP client (requests here are not measured). */
  readonly http: HttpClient;
  /** As in `ScenarioContext`. */
  readonly env: Readonly<Record<string, string>>;
}

/** `export const options`: run settings; command-line flags override them. */
export interface ScenarioOptions {
  /** Closed model: virtual users looping over iterations. */
  vus?: number;
  /** Open model: iterations started per second (arrival rate). */
  rate?: number;
  /** Open model: most iterations in flight (default: enough for the rate). */
  maxVUs?: number;
  /** Measured duration, e.g. "30s" or ms. */
  duration?: string | number;
  /** Stop after this many measured iterations. */
  iterations?: number;
  /** Warm-up, not measured. */
  warmup?: string | number;
  /** Ramp of users (closed) or rate (open) at the start. */
  rampUp?: string | number;
  /** Ramp down at the end. */
  rampDown?: string | number;
  /** Thresholds, e.g. ["login.p99<200ms", "checks>99%"]; those given on the command line are added. */
  thresholds?: string[];
  /** Per-request timeout. */
  timeout?: string | number;
  /** Bound on one iteration (default 60 s). */
  iterationTimeout?: string | number;
  /** Load worker threads. */
  workers?: number;
  /** Values of `ctx.env` (`--env` overrides). */
  env?: Record<string, string>;
}

/** The shape of a scenario module. */
export interface ScenarioModule {
  /** One iteration. */
  default: (ctx: ScenarioContext) => unknown;
  /** Run settings. */
  options?: ScenarioOptions;
  /** Runs once before the load; its JSON-serialisable result is `ctx.data`. */
  setup?: (ctx: SetupContext) => unknown;
  /** Runs once after the load with the setup data. */
  teardown?: (data: unknown, ctx: SetupContext) => unknown;
}
