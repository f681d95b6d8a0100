/**
 * The live dashboard's server (`lunge run --dashboard PORT`): a Hono app on
 * the runtime's server, as the built-in target is. `/` is the live page while
 * the run goes and the `--html` report once it has ended; `/events` streams
 * the frames as Server-Sent Events (every frame so far first, so a page opened
 * late shows the whole run); `/frames` and `/result` answer JSON. On a
 * loopback bind anyone local may look; elsewhere only with the token
 * (`Authorization: Bearer T` or `?token=T`), as the target's control routes.
 *
 * @module
 */
import { Hono } from "hono";
import { controlGate } from "../target/control_access.ts";
import { serveApp } from "../runtime/serve.ts";
import type { RunResult } from "../result/run_result.ts";
import { renderDashboardPage, renderHtml, toJson } from "../report/mod.ts";
import { type DashboardEvent, sseMessage } from "../report/dashboard_frame.ts";
import type { DashboardFeed } from "./_dashboard_feed.ts";

/** Options of `startDashboardServer`. */
export interface DashboardServerOptions {
  /** Port (0: any free port). */
  port: number;
  /** Interface to bind (default 127.0.0.1). */
  hostname: string;
  /** Token a request must carry; empty for none (loopback only). */
  token: string;
  /** The run in a few words (the page title). */
  title: string;
  /** The live frames. */
  feed: DashboardFeed;
  /** The bundled page script and the chart library's stylesheet. */
  assets: { script: string; css: string };
}

/** A running dashboard server. */
export interface DashboardServer {
  /** The page's address (with `?token=` when one is set). */
  readonly url: string;
  /** The port bound. */
  readonly port: number;
  /** Shows `result` from now on and tells every open page to load it. */
  finish(result: RunResult): void;
  /** Ends the event streams and stops the server. */
  close(): Promise<void>;
}

const encoder = new TextEncoder();

/**
 * Starts the server; throws when the port cannot be bound.
 *
 * @example
 * ```ts
 * import { startDashboardServer } from "./_dashboard_server.ts";
 * import { DashboardFeed } from "./_dashboard_feed.ts";
 * const server = await startDashboardServer({
 *   port: 0, hostname: "127.0.0.1", token: "", title: "GET builtin", feed: new DashboardFeed([]),
 *   assets: { script: "", css: "" },
 * });
 * console.log(server.url);
 * await server.close();
 * ```
 */
export async function startDashboardServer(options: DashboardServerOptions): Promise<DashboardServer> {
  const { feed } = options;
  const gate = controlGate({ bindHostname: options.hostname, controlToken: options.token });
  const livePage = renderDashboardPage({ title: options.title, ...options.assets });
  let result: RunResult | null = null;
  let finalPage: string | null = null;
  const streams = new Set<ReadableStreamDefaultController<Uint8Array>>();
  const send = (controller: ReadableStreamDefaultController<Uint8Array>, event: DashboardEvent): void => {
    try {
      controller.enqueue(encoder.encode(sseMessage(event)));
    } catch {
      streams.delete(controller); // the page went away
    }
  };
  const removeListener = feed.listen((frame) => {
    for (const controller of streams) send(controller, { type: "frame", frame });
  });

  const app = new Hono();
  app.use("*", async (c, next) => {
    // Browsers cannot set a header on a page load or an EventSource: `?token=` stands for it.
    const token = new URL(c.req.url).searchParams.get("token");
    const request = token === null
      ? c.req.raw
      : new Request(c.req.url, { headers: { authorization: `Bearer ${token}` } });
    const refused = gate(request);
    if (refused !== null) return refused;
    await next();
  });
  app.get("/", (c) => c.html(finalPage ?? livePage));
  app.get("/frames", (c) => c.json(feed.frames()));
  app.get(
    "/result",
    (c) =>
      result === null
        ? c.text("the run has not ended\n", 404)
        : c.body(toJson(result), 200, { "content-type": "application/json" }),
  );
  app.get("/events", () => {
    let self: ReadableStreamDefaultController<Uint8Array> | null = null;
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        self = controller;
        controller.enqueue(encoder.encode("retry: 1000\n\n"));
        send(controller, {
          type: "init",
          frames: feed.frames(),
          title: options.title,
          ended: result !== null,
        });
        if (result !== null) send(controller, { type: "end" });
        else streams.add(controller);
      },
      cancel() {
        if (self !== null) streams.delete(self);
      },
    });
    return new Response(body, {
      headers: {
        "content-type": "text/event-stream",
        "cache-control": "no-cache",
        "x-accel-buffering": "no",
      },
    });
  });

  const server = await serveApp(app.fetch, { port: options.port, hostname: options.hostname });
  const host = options.hostname.includes(":") ? `[${options.hostname}]` : options.hostname;
  const query = options.token === "" ? "" : `?token=${encodeURIComponent(options.token)}`;
  const closeStreams = (): void => {
    for (const controller of streams) {
      try {
        controller.close();
      } catch {
        // already closed
      }
    }
    streams.clear();
  };
  return {
    url: `http://${host}:${server.port}/${query}`,
    port: server.port,
    finish(r: RunResult): void {
      result = r;
      finalPage = renderHtml(r);
      for (const controller of streams) send(controller, { type: "end" });
      closeStreams();
    },
    async close(): Promise<void> {
      removeListener();
      closeStreams();
      await server.close();
    },
  };
}
