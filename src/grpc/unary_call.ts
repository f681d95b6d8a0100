/**
 * One gRPC call outside the load loop, as a promise: the preflight check,
 * server reflection. Opens its own connection and closes it after.
 *
 * @module
 */
import { ErrorKind } from "../collector/types.ts";
import type { ConnectOptions } from "../http/types.ts";
import { GrpcChannel } from "./channel.ts";
import { concatBytes, frameMessage } from "./framing.ts";

/** What one call gave back. */
export interface CallOutcome {
  /** gRPC status code. */
  code: number;
  /** HTTP status (0 without an answer). */
  httpStatus: number;
  /** `ErrorKind` of a failure without an answer (0 with one). */
  kind: number;
  /** The answer's messages (unframed, still compressed if they were). */
  messages: Uint8Array[];
  /** One line: the status name and message, or why it failed. */
  message: string;
}

/** Options of `callOnce`. */
export interface CallOnceOptions {
  /** grpc:// or grpcs:// URL of the server. */
  url: string;
  /** `/package.Service/Method`. */
  path: string;
  /** Request messages (unframed); several only for client-streaming methods. */
  messages: Uint8Array[];
  /** TLS and connection settings. */
  connect?: ConnectOptions;
  /** Deadline, ms. */
  timeoutMs: number;
  /** Metadata. */
  metadata?: ReadonlyArray<readonly [string, string]>;
}

/**
 * Makes one call and resolves with its outcome (never rejects).
 *
 * @example
 * ```ts
 * import { callOnce } from "./unary_call.ts";
 * const out = await callOnce({ url: "grpc://127.0.0.1:1", path: "/x.Y/Z", messages: [new Uint8Array(0)], timeoutMs: 1000 });
 * out.code; // 14 (UNAVAILABLE): nothing listens on port 1
 * ```
 */
export function callOnce(options: CallOnceOptions): Promise<CallOutcome> {
  const framed = options.messages.map((m) => frameMessage(m));
  const body = framed.length === 1 ? framed[0] : concatBytes(framed);
  const channel = new GrpcChannel({
    url: options.url,
    path: options.path,
    body,
    connect: options.connect,
    timeoutMs: options.timeoutMs,
    metadata: options.metadata,
  });
  return new Promise((resolve) => {
    const messages: Uint8Array[] = [];
    const call = channel.createCall((code, httpStatus, _bytes, kind) => {
      clearTimeout(timer);
      const message = call.errorMessage;
      call.close();
      resolve({ code, httpStatus, kind, messages, message });
    });
    call.reader.onMessage = (m) => messages.push(m);
    const timer = setTimeout(() => call.abort(ErrorKind.Timeout), options.timeoutMs);
    call.send();
  });
}
