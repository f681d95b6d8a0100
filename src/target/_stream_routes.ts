/**
 * Streaming routes of the built-in target, paced by timers with known times:
 * - `GET /sse?events=N&interval=MS&first=MS`: a `text/event-stream` of N events
 *   (`id: i` and `data: {"n":i}`), the first `first` ms after the request and one
 *   every `interval` ms after it (defaults 10 events, 100 ms, 0 ms);
 * - `POST /v1/chat/completions` (OpenAI-compatible): with `"stream": true` a
 *   role chunk at once, then N content chunks (one token each), the first
 *   after `first` ms and one every `interval` ms, a final chunk with
 *   `finish_reason`, a usage chunk when `stream_options.include_usage` is true,
 *   and `data: [DONE]`; without it one whole `chat.completion` answer with its
 *   usage. N is `max_tokens` of the body (or `?tokens=`, default 16); `first`
 *   and `interval` are query parameters (defaults 50 ms and 10 ms).
 * Ground truth (streams started and completed, events and tokens written) is
 * in `/__lunge/stats` under `streams`.
 *
 * @module
 */
import type { Context, Hono } from "hono";

/** What the streaming routes served, for `/__lunge/stats`. */
export interface StreamTruth {
  /** `GET /sse`: streams started, streams that sent every event, events written. */
  sse: { streams: number; completed: number; events: number };
  /** `POST /v1/chat/completions`: streamed answers started and completed, content chunks (tokens) written, whole answers. */
  llm: { streams: number; completed: number; tokens: number; whole: number };
}

/** Longest wait a stream route accepts per step, ms. */
const MAX_STEP_MS = 60_000;
const MAX_EVENTS = 1_000_000;
const encoder = new TextEncoder();

/**
 * Counters of the streaming routes.
 *
 * @example
 * ```ts
 * import { StreamCounters } from "./_stream_routes.ts";
 * new StreamCounters().snapshot().sse.events; // 0
 * ```
 */
export class StreamCounters {
  #truth: StreamTruth = StreamCounters.#zero();

  static #zero(): StreamTruth {
    return {
      sse: { streams: 0, completed: 0, events: 0 },
      llm: { streams: 0, completed: 0, tokens: 0, whole: 0 },
    };
  }

  /** The counts now. */
  snapshot(): StreamTruth {
    return { sse: { ...this.#truth.sse }, llm: { ...this.#truth.llm } };
  }

  /** Zeroes the counts. */
  reset(): void {
    this.#truth = StreamCounters.#zero();
  }

  /** The live counts (the routes add to them). */
  get live(): StreamTruth {
    return this.#truth;
  }
}

function intParam(raw: string | undefined, fallback: number, max: number): number | string {
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > max) return `must be an integer from 0 to ${max}, got "${raw}"`;
  return n;
}

/**
 * A body that writes `count` pieces, the first after `firstMs` and the rest every `intervalMs`,
 * then the optional `tail`; `onPiece` and `onEnd` count what was written. A cancel stops the timers.
 */
function pacedBody(addBytes: (n: number) => void, options: {
  head?: string;
  count: number;
  firstMs: number;
  intervalMs: number;
  piece: (i: number) => string;
  tail?: string;
  onPiece: () => void;
  onEnd: () => void;
}): ReadableStream<Uint8Array> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const write = (text: string): void => {
        const bytes = encoder.encode(text);
        addBytes(bytes.length);
        controller.enqueue(bytes);
      };
      if (options.head !== undefined) write(options.head);
      let i = 0;
      const step = (): void => {
        if (i < options.count) {
          write(options.piece(i));
          options.onPiece();
          i++;
        }
        if (i < options.count) {
          timer = setTimeout(step, options.intervalMs);
          return;
        }
        if (options.tail !== undefined) write(options.tail);
        options.onEnd();
        controller.close();
      };
      if (options.count === 0) step();
      else timer = setTimeout(step, options.firstMs);
    },
    cancel() {
      clearTimeout(timer);
    },
  });
}

const SSE_HEADERS = { "content-type": "text/event-stream", "cache-control": "no-cache" };

/**
 * Adds `GET /sse` and `POST /v1/chat/completions` to `app`; `sent(c, route, status, bytes)`
 * counts each answer under its route; a stream's body bytes go to `addBytes` as they are written.
 *
 * @example
 * ```ts
 * import { Hono } from "hono";
 * import { addStreamRoutes, StreamCounters } from "./_stream_routes.ts";
 * const app = new Hono();
 * addStreamRoutes(app, new StreamCounters(), () => {}, () => {});
 * ```
 */
export function addStreamRoutes(
  app: Hono,
  counters: StreamCounters,
  sent: (c: Context, route: "sse" | "chat", status: number, bytes: number) => void,
  addBytes: (n: number) => void,
): void {
  const bad = (c: Context, route: "sse" | "chat", message: string): Response => {
    sent(c, route, 400, message.length);
    return c.text(message, 400);
  };

  app.get("/sse", (c) => {
    const events = intParam(c.req.query("events"), 10, MAX_EVENTS);
    const interval = intParam(c.req.query("interval"), 100, MAX_STEP_MS);
    const first = intParam(c.req.query("first"), 0, MAX_STEP_MS);
    for (const [name, v] of [["events", events], ["interval", interval], ["first", first]] as const) {
      if (typeof v === "string") return bad(c, "sse", `"${name}" ${v}`);
    }
    const truth = counters.live.sse;
    truth.streams++;
    sent(c, "sse", 200, 0);
    const body = pacedBody(addBytes, {
      count: events as number,
      firstMs: first as number,
      intervalMs: interval as number,
      piece: (i) => `id: ${i}\ndata: {"n":${i}}\n\n`,
      onPiece: () => truth.events++,
      onEnd: () => truth.completed++,
    });
    return new Response(body, { headers: SSE_HEADERS });
  });

  app.post("/v1/chat/completions", async (c) => {
    let request: Record<string, unknown>;
    try {
      request = await c.req.json();
    } catch {
      return bad(c, "chat", "the body must be a JSON object");
    }
    if (request === null || typeof request !== "object") {
      return bad(c, "chat", "the body must be a JSON object");
    }
    const tokens = intParam(
      request.max_tokens === undefined ? c.req.query("tokens") : String(request.max_tokens),
      16,
      MAX_EVENTS,
    );
    const interval = intParam(c.req.query("interval"), 10, MAX_STEP_MS);
    const first = intParam(c.req.query("first"), 50, MAX_STEP_MS);
    for (const [name, v] of [["max_tokens", tokens], ["interval", interval], ["first", first]] as const) {
      if (typeof v === "string") return bad(c, "chat", `"${name}" ${v}`);
    }
    const n = tokens as number;
    const model = typeof request.model === "string" ? request.model : "lunge-echo";
    const created = Math.floor(Date.now() / 1000);
    const base = `"id":"chatcmpl-lunge","object":"chat.completion.chunk","created":${created},"model":${
      JSON.stringify(model)
    }`;
    const usage = `"usage":{"prompt_tokens":1,"completion_tokens":${n},"total_tokens":${n + 1}}`;
    const truth = counters.live.llm;
    if (request.stream !== true) {
      truth.whole++;
      const text = Array.from({ length: n }, (_, i) => `tok${i} `).join("");
      const answer = `{"id":"chatcmpl-lunge","object":"chat.completion","created":${created},"model":${
        JSON.stringify(model)
      },"choices":[{"index":0,"message":{"role":"assistant","content":${
        JSON.stringify(text)
      }},"finish_reason":"length"}],${usage}}`;
      sent(c, "chat", 200, answer.length);
      return c.body(answer, 200, { "content-type": "application/json" });
    }
    const options = request.stream_options as Record<string, unknown> | undefined;
    const includeUsage = options !== null && typeof options === "object" && options.include_usage === true;
    truth.streams++;
    sent(c, "chat", 200, 0);
    const chunk = (delta: string, finish: string): string =>
      `data: {${base},"choices":[{"index":0,"delta":${delta},"finish_reason":${finish}}]}\n\n`;
    const body = pacedBody(addBytes, {
      head: chunk(`{"role":"assistant","content":""}`, "null"),
      count: n,
      firstMs: first as number,
      intervalMs: interval as number,
      piece: (i) => chunk(`{"content":"tok${i} "}`, "null"),
      tail: chunk("{}", `"length"`) + (includeUsage ? `data: {${base},"choices":[],${usage}}\n\n` : "") +
        "data: [DONE]\n\n",
      onPiece: () => truth.tokens++,
      onEnd: () => truth.completed++,
    });
    return new Response(body, { headers: SSE_HEADERS });
  });
}
