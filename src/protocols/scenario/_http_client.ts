/**
 * `ctx.http` of one virtual user: requests over the engine's raw keep-alive
 * client (a small pool of connections per origin, so that parallel requests
 * of one iteration work too), `fetch` for https. Each completed request is
 * handed to a recorder with its metrics name.
 *
 * @module
 */
import { ERROR_KIND_NAMES, ErrorKind } from "../../collector/types.ts";
import { classifyError } from "../../http/errors.ts";
import { prepareRequest } from "../../http/request.ts";
import type { PreparedRequest } from "../../http/types.ts";
import { CapturingConnection } from "./_capture_connection.ts";
import { CapturedResponse, FetchedResponse } from "./_response.ts";
import type {
  HttpClient,
  RequestOptions,
  ScenarioResponse,
  ScenarioStream,
  StreamRequestOptions,
} from "./types.ts";
import { RawHttpConnection } from "../../http/raw_connection.ts";
import { StreamTimer } from "../../http/stream_timer.ts";
import { StreamHandle } from "./_stream_request.ts";

/** Receives every completed request of a virtual user. */
export interface RequestRecorder {
  /** Records one request under `name`. */
  request(name: string, status: number, latencyNs: number, bytes: number, kind: number): void;
  /** Records a streamed response's figures (`ctx.http.stream`) under `name`; times are clock ms. */
  stream?(name: string, timer: StreamTimer, sentAt: number, end: number): void;
  /** Records a gap between two events (or two tokens) of a stream under `name`, ns. */
  streamGap?(name: string, token: boolean, ns: number): void;
}

/** A connection for streamed requests: the body is timed and parsed, never kept. */
class StreamSlot {
  readonly conn: RawHttpConnection;
  readonly prepared: Mutable<PreparedRequest>;
  readonly timer = new StreamTimer(() => performance.now());
  buffer = new Uint8Array(1024);
  body = new Uint8Array(256);
  handle: StreamHandle | null = null;
  name = "";
  sentAt = 0;
  timeoutMs = 0;

  constructor(first: Mutable<PreparedRequest>, owner: VuHttpClient) {
    this.prepared = first;
    this.conn = new RawHttpConnection(
      first,
      (status, bytes, kind) => owner.completeStream(this, status, bytes, kind),
    );
    this.conn.observe(this.timer);
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

interface ParsedUrl {
  fetch: boolean;
  href: string;
  hostname: string;
  port: number;
  host: string;
  path: string;
  origin: string;
  /** Default metrics names by method. */
  names: Record<string, string>;
}

const encoder = new TextEncoder();
const METHODS_WITH_BODY = new Set(["POST", "PUT", "PATCH"]);
const MAX_CACHED_URLS = 10_000;
const MAX_CONNECTIONS_PER_ORIGIN = 64;
const EMPTY = new Uint8Array(0);

/** Parsed URLs by base URL, shared by the virtual users of a worker. */
const urlCaches = new Map<string, Map<string, ParsedUrl>>();

function urlCacheFor(base: string, forceFetch: boolean): Map<string, ParsedUrl> {
  const key = `${forceFetch ? "fetch" : "auto"} ${base}`;
  let cache = urlCaches.get(key);
  if (cache === undefined) urlCaches.set(key, cache = new Map());
  return cache;
}

function parseUrl(cache: Map<string, ParsedUrl>, url: string, base: string, forceFetch: boolean): ParsedUrl {
  const key = url;
  let p = cache.get(key);
  if (p !== undefined) return p;
  let u: URL;
  try {
    u = base === "" ? new URL(url) : new URL(url, base);
  } catch {
    throw new TypeError(
      `invalid URL "${url}"${base === "" ? " (no base URL: give one after the scenario)" : ""}`,
    );
  }
  if (u.protocol !== "http:" && u.protocol !== "https:") throw new TypeError(`URL "${url}" is not http(s)`);
  const path = u.pathname + u.search;
  p = {
    fetch: forceFetch || u.protocol === "https:",
    href: u.href,
    hostname: u.hostname.startsWith("[") ? u.hostname.slice(1, -1) : u.hostname,
    port: u.port !== "" ? Number(u.port) : u.protocol === "https:" ? 443 : 80,
    host: u.host,
    path,
    origin: u.origin,
    names: {},
  };
  if (cache.size >= MAX_CACHED_URLS) cache.clear();
  cache.set(key, p);
  return p;
}

/** One connection of the pool and the request in flight on it. */
class Slot {
  readonly conn: CapturingConnection;
  readonly prepared: Mutable<PreparedRequest>;
  buffer = new Uint8Array(1024);
  body = new Uint8Array(256);
  resolve: ((r: ScenarioResponse) => void) | null = null;
  name = "";
  sentAt = 0;
  timeoutMs = 0;
  lastTarget: ParsedUrl | null = null;
  lastMethod = "";
  lastHeaders: Record<string, string> | undefined = undefined;
  lastBody: string | Uint8Array | undefined = undefined;

  constructor(first: Mutable<PreparedRequest>, readonly owner: VuHttpClient) {
    this.prepared = first;
    this.conn = new CapturingConnection(
      first,
      (status, bytes, kind) => owner.complete(this, status, bytes, kind),
    );
  }
}

/**
 * The HTTP client of one virtual user.
 *
 * @example
 * ```ts
 * import { VuHttpClient } from "./_http_client.ts";
 * const http = new VuHttpClient({ base: "http://127.0.0.1:8080", timeoutMs: 10_000, recorder: null, forceFetch: false });
 * // const res = await http.get("/"); http.close();
 * ```
 */
export class VuHttpClient implements HttpClient {
  /** Name of the enclosing `ctx.group`, or null. */
  group: string | null = null;
  /** Set when the iteration was abandoned (timed out): further requests fail at once. */
  retired = false;
  readonly #pools = new Map<string, Slot[]>();
  readonly #slots: Slot[] = [];
  readonly #streamPools = new Map<string, StreamSlot[]>();
  readonly #streamSlots: StreamSlot[] = [];
  readonly #base: string;
  readonly #timeoutMs: number;
  readonly #recorder: RequestRecorder | null;
  readonly #forceFetch: boolean;
  readonly #urls: Map<string, ParsedUrl>;

  constructor(
    options: { base: string; timeoutMs: number; recorder: RequestRecorder | null; forceFetch: boolean },
  ) {
    this.#base = options.base;
    this.#timeoutMs = options.timeoutMs;
    this.#recorder = options.recorder;
    this.#forceFetch = options.forceFetch;
    this.#urls = urlCacheFor(options.base, options.forceFetch);
  }

  get(url: string, options?: RequestOptions): Promise<ScenarioResponse> {
    return this.request("GET", url, options);
  }
  post(url: string, options?: RequestOptions): Promise<ScenarioResponse> {
    return this.request("POST", url, options);
  }
  put(url: string, options?: RequestOptions): Promise<ScenarioResponse> {
    return this.request("PUT", url, options);
  }
  patch(url: string, options?: RequestOptions): Promise<ScenarioResponse> {
    return this.request("PATCH", url, options);
  }
  delete(url: string, options?: RequestOptions): Promise<ScenarioResponse> {
    return this.request("DELETE", url, options);
  }

  request(method: string, url: string, options?: RequestOptions): Promise<ScenarioResponse> {
    if (this.retired) return Promise.reject(new Error("the iteration was abandoned (iteration timeout)"));
    const upper = method.toUpperCase();
    const target = parseUrl(this.#urls, url, this.#base, this.#forceFetch);
    const name = options?.name ?? this.group ??
      (target.names[upper] ??= `${upper} ${target.path.split("?")[0]}`);
    const { body, headers } = bodyOf(options);
    const timeoutMs = options?.timeout ?? this.#timeoutMs;
    if (target.fetch) return this.#fetch(upper, target, headers, body, name, timeoutMs);
    const slot = this.#slotFor(target);
    // The same request as this slot's last one (a loop over one endpoint): its bytes are still there.
    if (
      slot.lastTarget !== target || slot.lastMethod !== upper || slot.lastHeaders !== headers ||
      slot.lastBody !== body || body instanceof Uint8Array ||
      headers !== undefined && headers !== JSON_HEADERS
    ) {
      this.#serialize(slot, upper, target, headers, body);
      slot.lastTarget = target;
      slot.lastMethod = upper;
      slot.lastHeaders = headers;
      slot.lastBody = body;
    }
    slot.name = name;
    slot.timeoutMs = timeoutMs;
    slot.conn.clearCapture();
    slot.conn.use(slot.prepared);
    const promise = new Promise<ScenarioResponse>((resolve) => (slot.resolve = resolve));
    slot.sentAt = performance.now();
    slot.conn.send();
    return promise;
  }

  stream(url: string, options?: StreamRequestOptions): ScenarioStream {
    if (this.retired) throw new Error("the iteration was abandoned (iteration timeout)");
    const method =
      (options?.method ?? (options?.json !== undefined || options?.body !== undefined ? "POST" : "GET"))
        .toUpperCase();
    const target = parseUrl(this.#urls, url, this.#base, false);
    if (target.fetch) {
      throw new TypeError(`ctx.http.stream needs an http:// URL (lunge's own client), got "${url}"`);
    }
    const name = options?.name ?? this.group ??
      (target.names[method] ??= `${method} ${target.path.split("?")[0]}`);
    const { body, headers } = bodyOf(options);
    const slot = this.#streamSlotFor(target);
    this.#serialize(slot, method, target, headers, body);
    slot.name = name;
    slot.timeoutMs = options?.timeout ?? this.#timeoutMs;
    slot.conn.use(slot.prepared);
    const recorder = this.#recorder;
    slot.timer.reset();
    slot.timer.gapsTo({
      eventGap: (ns) => recorder?.streamGap?.(name, false, ns),
      tokenGap: (ns) => recorder?.streamGap?.(name, true, ns),
    });
    slot.sentAt = performance.now();
    const handle = new StreamHandle(slot.sentAt);
    slot.handle = handle;
    slot.timer.listen(handle);
    slot.conn.send();
    return handle;
  }

  #streamSlotFor(target: ParsedUrl): StreamSlot {
    let pool = this.#streamPools.get(target.origin);
    if (pool === undefined) this.#streamPools.set(target.origin, pool = []);
    for (let i = 0; i < pool.length; i++) if (pool[i].handle === null) return pool[i];
    if (pool.length >= MAX_CONNECTIONS_PER_ORIGIN) {
      throw new Error(
        `more than ${MAX_CONNECTIONS_PER_ORIGIN} streams open to ${target.origin} in one iteration`,
      );
    }
    const first = {
      ...prepareRequest({ url: target.href, method: "GET", headers: {} }, { transport: "raw" }),
    } as Mutable<PreparedRequest>;
    const slot = new StreamSlot(first, this);
    pool.push(slot);
    this.#streamSlots.push(slot);
    return slot;
  }

  /** @internal Completion of a streamed request. */
  completeStream(slot: StreamSlot, status: number, bodyBytes: number, kind: number): void {
    const handle = slot.handle;
    if (handle === null) return;
    slot.handle = null;
    const end = performance.now();
    const timer = slot.timer;
    timer.finish(end);
    const durationMs = end - slot.sentAt;
    this.#recorder?.request(slot.name, status, Math.round(durationMs * 1e6), bodyBytes, kind);
    if (kind === ErrorKind.None) this.#recorder?.stream?.(slot.name, timer, slot.sentAt, end);
    timer.listen(null);
    handle.end(status, kind === ErrorKind.None ? null : ERROR_KIND_NAMES[kind], timer, durationMs);
  }

  #slotFor(target: ParsedUrl): Slot {
    let pool = this.#pools.get(target.origin);
    if (pool === undefined) this.#pools.set(target.origin, pool = []);
    for (let i = 0; i < pool.length; i++) if (pool[i].resolve === null) return pool[i];
    if (pool.length >= MAX_CONNECTIONS_PER_ORIGIN) {
      throw new Error(
        `more than ${MAX_CONNECTIONS_PER_ORIGIN} requests in flight to ${target.origin} in one iteration`,
      );
    }
    const first = {
      ...prepareRequest({ url: target.href, method: "GET", headers: {} }, { transport: "raw" }),
    } as Mutable<PreparedRequest>;
    const slot = new Slot(first, this);
    pool.push(slot);
    this.#slots.push(slot);
    return slot;
  }

  #serialize(
    slot: { buffer: Uint8Array; body: Uint8Array; prepared: Mutable<PreparedRequest> },
    method: string,
    target: ParsedUrl,
    headers: Record<string, string> | undefined,
    body: string | Uint8Array | undefined,
  ): void {
    let head = `${method} ${target.path} HTTP/1.1\r\n`;
    let hostGiven = false;
    if (headers !== undefined && headers !== JSON_HEADERS) {
      for (const k in headers) {
        const v = headers[k];
        if (/[\r\n]/.test(v) || /[\r\n:]/.test(k)) {
          throw new TypeError(`header "${k}" has an invalid name or value`);
        }
        if (k.length === 4 && k.toLowerCase() === "host") hostGiven = true;
        head += `${k}: ${v}\r\n`;
      }
    } else if (headers === JSON_HEADERS) head += "Content-Type: application/json\r\n";
    if (!hostGiven) head += `Host: ${target.host}\r\n`;
    let bodyLength = -1;
    let bodyBytes: Uint8Array | null = null;
    if (typeof body === "string") {
      while (true) {
        const r = encoder.encodeInto(body, slot.body);
        if (r.read === body.length) {
          bodyLength = r.written;
          break;
        }
        slot.body = new Uint8Array(Math.max(slot.body.length * 2, body.length * 3));
      }
      bodyBytes = slot.body;
    } else if (body instanceof Uint8Array) {
      bodyLength = body.length;
      bodyBytes = body;
    }
    if (bodyLength >= 0 || METHODS_WITH_BODY.has(method)) {
      head += `Content-Length: ${Math.max(0, bodyLength)}\r\n`;
    }
    head += "\r\n";
    const extra = Math.max(0, bodyLength);
    let headLength: number;
    while (true) {
      const r = encoder.encodeInto(head, slot.buffer);
      if (r.read === head.length && r.written + extra <= slot.buffer.length) {
        headLength = r.written;
        break;
      }
      slot.buffer = new Uint8Array(Math.max(slot.buffer.length * 2, head.length * 3 + extra));
    }
    if (bodyLength > 0) slot.buffer.set(bodyBytes!.subarray(0, bodyLength), headLength);
    const p = slot.prepared;
    p.method = method;
    p.url = target.href;
    p.hostname = target.hostname;
    p.port = target.port;
    p.noResponseBody = method === "HEAD";
    p.bytes = slot.buffer.subarray(0, headLength + extra);
  }

  /** @internal Completion of a raw request. */
  complete(slot: Slot, status: number, bodyBytes: number, kind: number): void {
    const resolve = slot.resolve;
    if (resolve === null) return;
    slot.resolve = null;
    const durationMs = performance.now() - slot.sentAt;
    this.#recorder?.request(slot.name, status, Math.round(durationMs * 1e6), bodyBytes, kind);
    const raw = kind === ErrorKind.None ? slot.conn.take() : EMPTY;
    resolve(
      new CapturedResponse(
        status,
        kind === ErrorKind.None ? null : ERROR_KIND_NAMES[kind],
        raw,
        bodyBytes,
        durationMs,
      ),
    );
  }

  async #fetch(
    method: string,
    target: ParsedUrl,
    headers: Record<string, string> | undefined,
    body: string | Uint8Array | undefined,
    name: string,
    timeoutMs: number,
  ): Promise<ScenarioResponse> {
    const started = performance.now();
    let status = 0;
    let kind: number = ErrorKind.None;
    let bytes = EMPTY;
    const out: Record<string, string> = {};
    try {
      const res = await fetch(target.href, {
        method,
        headers,
        body: body as BodyInit | undefined,
        redirect: "manual",
        signal: AbortSignal.timeout(timeoutMs),
      });
      bytes = new Uint8Array(await res.arrayBuffer());
      status = res.status;
      res.headers.forEach((v, k) => (out[k] = v));
    } catch (error) {
      kind = (error as { name?: string })?.name === "TimeoutError" ? ErrorKind.Timeout : classifyError(error);
    }
    const durationMs = performance.now() - started;
    if (this.retired) throw new Error("the iteration was abandoned (iteration timeout)");
    this.#recorder?.request(name, status, Math.round(durationMs * 1e6), bytes.length, kind);
    return new FetchedResponse(
      status,
      kind === ErrorKind.None ? null : ERROR_KIND_NAMES[kind],
      out,
      bytes,
      durationMs,
    );
  }

  /** Fails requests in flight past their timeout (called by the worker's sweep). */
  sweep(now: number): void {
    for (let i = 0; i < this.#slots.length; i++) {
      const s = this.#slots[i];
      if (s.resolve !== null && now - s.sentAt > s.timeoutMs) s.conn.abort(ErrorKind.Timeout);
    }
    for (let i = 0; i < this.#streamSlots.length; i++) {
      const s = this.#streamSlots[i];
      if (s.handle !== null && now - s.sentAt > s.timeoutMs) s.conn.abort(ErrorKind.Timeout);
    }
  }

  /** Closes every connection; requests in flight never settle. */
  close(): void {
    for (const s of this.#slots) {
      s.resolve = null;
      s.conn.close();
    }
    for (const s of this.#streamSlots) {
      s.handle = null;
      s.conn.close();
    }
  }
}

/** The body and headers of a request's options (`json` serialized, with its content type). */
function bodyOf(
  options: RequestOptions | undefined,
): { body: string | Uint8Array | undefined; headers: Record<string, string> | undefined } {
  let body = options?.body;
  let headers = options?.headers;
  if (options?.json !== undefined) {
    body = JSON.stringify(options.json);
    if (headers === undefined) headers = JSON_HEADERS;
    else if (!Object.keys(headers).some((k) => k.toLowerCase() === "content-type")) {
      headers = { ...headers, "Content-Type": "application/json" };
    }
  }
  return { body, headers };
}

const JSON_HEADERS: Record<string, string> = Object.freeze({ "Content-Type": "application/json" }) as Record<
  string,
  string
>;
