/**
 * The `fetch` fallback for URLs the raw client cannot carry (https): same
 * interface, keep-alive left to the runtime's connection pool. Slower and
 * allocating per request (a promise chain and an AbortController), which
 * `fetch` requires.
 *
 * @module
 */
import { ErrorKind } from "../collector/types.ts";
import { classifyError } from "./errors.ts";
import { errorMessage } from "./failure_message.ts";
import type { HttpConnection, PreparedRequest, ResponseCallback } from "./types.ts";

/**
 * An `HttpConnection` that sends with `fetch`. `reconnects` stays 0: the
 * runtime pools connections and does not tell when it opens one. `close()`
 * aborts an in-flight request without reporting it.
 *
 * @example
 * ```ts
 * import { prepareRequest } from "./request.ts";
 * import { FetchHttpConnection } from "./_fetch_connection.ts";
 * const req = prepareRequest({ url: "https://example.com/", method: "GET", headers: {} });
 * const conn = new FetchHttpConnection(req, (status, bytes, error) => console.log(status, bytes, error));
 * conn.send();
 * ```
 */
export class FetchHttpConnection implements HttpConnection {
  private busy = false;
  // Identifies the current request; a late result of an aborted one is ignored.
  private generation = 0;
  private controller: AbortController | null = null;
  private init: RequestInit;
  /** Message of the last failure reported; read by the engine on failure. */
  lastError = "";

  constructor(private request: PreparedRequest, private readonly onResponse: ResponseCallback) {
    this.init = {
      method: request.method,
      headers: request.headers,
      body: request.body as BodyInit | undefined,
      redirect: "manual",
    };
  }

  /** Carries `request` from the next `send()` on (request sets switch targets per send). */
  use(request: PreparedRequest): void {
    this.request = request;
    this.init = {
      method: request.method,
      headers: request.headers,
      body: request.body as BodyInit | undefined,
      redirect: "manual",
    };
  }

  /** Whether a request is in flight. */
  get inFlight(): boolean {
    return this.busy;
  }

  /** Always 0: `fetch` hides its connections. */
  get reconnects(): number {
    return 0;
  }

  /** Sends the request with `fetch`. */
  send(): void {
    if (this.busy) throw new Error("Cannot send: a request is already in flight on this connection");
    this.busy = true;
    const generation = ++this.generation;
    const controller = new AbortController();
    this.controller = controller;
    this.init.signal = controller.signal;
    fetch(this.request.url, this.init).then(
      (response) =>
        response.arrayBuffer().then(
          (body) => this.settle(generation, response.status, body.byteLength, ErrorKind.None),
          (error) => this.failed(generation, error),
        ),
      (error) => this.failed(generation, error),
    );
  }

  /** Fails the in-flight request with `kind` and aborts it. */
  abort(kind: number): void {
    if (!this.busy) return;
    this.cancel();
    this.lastError = "";
    this.onResponse(0, 0, kind);
  }

  /** Aborts an in-flight request without reporting it. */
  close(): void {
    if (this.busy) this.cancel();
  }

  private cancel(): void {
    this.busy = false;
    this.generation++;
    this.controller?.abort();
    this.controller = null;
  }

  private failed(generation: number, error: unknown): void {
    if (generation !== this.generation || !this.busy) return;
    this.lastError = errorMessage(error);
    this.settle(generation, 0, 0, classifyError(error));
  }

  private settle(generation: number, status: number, bodyBytes: number, errorKind: number): void {
    if (generation !== this.generation || !this.busy) return;
    this.busy = false;
    this.controller = null;
    this.onResponse(status, bodyBytes, errorKind);
  }
}
