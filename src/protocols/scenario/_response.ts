/**
 * A scenario response over the raw bytes the capturing connection kept: the
 * head and the body are decoded only when the iteration asks for them.
 *
 * @module
 */
import type { ResponseTimings, ScenarioResponse } from "./types.ts";

const decoder = new TextDecoder();
const EMPTY = new Uint8Array(0);

function headEnd(raw: Uint8Array): number {
  for (let i = 3; i < raw.length; i++) {
    if (raw[i] === 10 && raw[i - 1] === 13 && raw[i - 2] === 10 && raw[i - 3] === 13) return i + 1;
  }
  return raw.length;
}

/** Decodes a chunked body (`raw` from `start`). */
function unchunk(raw: Uint8Array, start: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let total = 0;
  let pos = start;
  while (pos < raw.length) {
    let eol = pos;
    while (eol < raw.length && raw[eol] !== 10) eol++;
    const size = parseInt(decoder.decode(raw.subarray(pos, eol)).split(";")[0].trim(), 16);
    pos = eol + 1;
    if (!(size > 0)) break;
    parts.push(raw.subarray(pos, pos + size));
    total += size;
    pos += size + 2;
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * A response built from captured bytes (or a failure).
 *
 * @example
 * ```ts
 * import { CapturedResponse } from "./_response.ts";
 * const raw = new TextEncoder().encode("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
 * const res = new CapturedResponse(200, null, raw, 2, 1.5);
 * res.text(); // "ok"
 * ```
 */
export class CapturedResponse implements ScenarioResponse {
  readonly status: number;
  readonly error: string | null;
  readonly timings: ResponseTimings;
  readonly #raw: Uint8Array;
  readonly #bodyBytes: number;
  #headers: Record<string, string> | null = null;
  #body: Uint8Array | null = null;
  #start = -1;

  constructor(status: number, error: string | null, raw: Uint8Array, bodyBytes: number, durationMs: number) {
    this.status = status;
    this.error = error;
    this.#raw = raw;
    this.#bodyBytes = bodyBytes;
    this.timings = { duration: durationMs };
  }

  #bodyStart(): number {
    if (this.#start < 0) this.#start = headEnd(this.#raw);
    return this.#start;
  }

  /** Response headers, lower-case names (repeated ones joined with ", "). */
  get headers(): Record<string, string> {
    if (this.#headers !== null) return this.#headers;
    const out: Record<string, string> = {};
    const head = decoder.decode(this.#raw.subarray(0, this.#bodyStart()));
    const lines = head.split("\r\n");
    for (let i = 1; i < lines.length; i++) {
      const colon = lines[i].indexOf(":");
      if (colon <= 0) continue;
      const name = lines[i].slice(0, colon).trim().toLowerCase();
      const value = lines[i].slice(colon + 1).trim();
      out[name] = name in out ? `${out[name]}, ${value}` : value;
    }
    this.#headers = out;
    return out;
  }

  /** The body bytes (chunked framing removed). */
  bytes(): Uint8Array {
    if (this.#body !== null) return this.#body;
    if (this.status === 0) return (this.#body = EMPTY);
    const start = this.#bodyStart();
    const chunked = /chunked/i.test(this.headers["transfer-encoding"] ?? "");
    this.#body = chunked ? unchunk(this.#raw, start) : this.#raw.subarray(start, start + this.#bodyBytes);
    return this.#body;
  }

  /** The body as UTF-8 text. */
  text(): string {
    return decoder.decode(this.bytes());
  }

  /** The body parsed as JSON. */
  json<T = unknown>(): T {
    return JSON.parse(this.text()) as T;
  }
}

/**
 * A response to a `fetch` request (https), body read in full.
 *
 * @example
 * ```ts
 * import { FetchedResponse } from "./_response.ts";
 * const res = new FetchedResponse(200, null, {}, new TextEncoder().encode("{}"), 3);
 * res.json(); // {}
 * ```
 */
export class FetchedResponse implements ScenarioResponse {
  readonly timings: ResponseTimings;
  constructor(
    readonly status: number,
    readonly error: string | null,
    readonly headers: Record<string, string>,
    readonly body: Uint8Array,
    durationMs: number,
  ) {
    this.timings = { duration: durationMs };
  }
  /** The body bytes. */
  bytes(): Uint8Array {
    return this.body;
  }
  /** The body as UTF-8 text. */
  text(): string {
    return decoder.decode(this.body);
  }
  /** The body parsed as JSON. */
  json<T = unknown>(): T {
    return JSON.parse(this.text()) as T;
  }
}
