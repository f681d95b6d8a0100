/**
 * `ctx.grpc` of one virtual user: connections kept across its iterations
 * (one HTTP/2 connection per method and server, calls as its streams),
 * .proto roots shared by the worker's virtual users, and each call handed to
 * the recorder with its name, gRPC status and messages.
 *
 * @module
 */
import type protobuf from "protobufjs";
import { ErrorKind } from "../../collector/types.ts";
import type { ConnectOptions } from "../../http/types.ts";
import { type GrpcCall, GrpcChannel } from "../../grpc/channel.ts";
import { gunzip } from "../../grpc/compression.ts";
import { concatBytes, frameMessage } from "../../grpc/framing.ts";
import {
  decodeMessage,
  encodeJson,
  type GrpcMethod,
  loadProtoFiles,
  resolveMethod,
} from "../../grpc/proto.ts";
import { reflectRoot } from "../../grpc/reflection.ts";
import { GRPC_STATUS_NAMES, httpStatusOfGrpc } from "../../grpc/status.ts";
import type {
  GrpcCallOptions,
  GrpcClient,
  GrpcConnection,
  GrpcConnectOptions,
  GrpcResponse,
  GrpcStream,
} from "./grpc_types.ts";

/** Receives every finished call of a virtual user. */
export interface GrpcCallRecorder {
  /** One call under `name`: gRPC status `code`, its HTTP equivalent (0 without an answer), times in ns. */
  grpcCall(
    name: string,
    code: number,
    status: number,
    latencyNs: number,
    bytes: number,
    kind: number,
    sent: number,
    received: number,
    firstMessageNs: number,
  ): void;
}

/** Roots by target and proto files, shared by the worker's virtual users. */
const roots = new Map<string, Promise<protobuf.Root>>();

/** Options of a `VuGrpcClient`. */
export interface VuGrpcClientOptions {
  /** Default deadline of a call, ms. */
  timeoutMs: number;
  /** Where finished calls go (null: not measured, e.g. setup). */
  recorder: GrpcCallRecorder | null;
  /** TLS settings of the run. */
  connect?: ConnectOptions;
}

/**
 * The gRPC client of one virtual user.
 *
 * @example
 * ```ts
 * import { VuGrpcClient } from "./_grpc_client.ts";
 * const grpc = new VuGrpcClient({ timeoutMs: 5000, recorder: null });
 * // const echo = await grpc.connect("grpc://127.0.0.1:50051", { proto: "examples/grpc/echo.proto" });
 * grpc.close();
 * ```
 */
export class VuGrpcClient implements GrpcClient {
  /** Set when the virtual user was retired: calls fail at once. */
  retired = false;
  readonly #options: VuGrpcClientOptions;
  readonly #connections = new Map<string, VuGrpcConnection>();

  constructor(options: VuGrpcClientOptions) {
    this.#options = options;
  }

  async connect(target: string, options: GrpcConnectOptions = {}): Promise<GrpcConnection> {
    if (!/^grpcs?:\/\/[^/]+\/?$/i.test(target)) {
      throw new TypeError(
        `ctx.grpc.connect: expected grpc://host:port or grpcs://host:port, got "${target}"`,
      );
    }
    const url = target.replace(/\/+$/, "");
    const proto = typeof options.proto === "string" ? [options.proto] : options.proto ?? [];
    const key = `${url} ${proto.join(",")} ${JSON.stringify(options.metadata ?? {})}`;
    const known = this.#connections.get(key);
    if (known !== undefined) return known;
    const rootKey = `${url} ${proto.join(",")} ${(options.importPaths ?? []).join(",")}`;
    let root = roots.get(rootKey);
    if (root === undefined) {
      root = proto.length > 0
        ? Promise.resolve().then(() => loadProtoFiles(proto, options.importPaths ?? []))
        : reflectRoot({
          url,
          symbol: "",
          connect: this.#options.connect,
          timeoutMs: this.#options.timeoutMs,
        });
      roots.set(rootKey, root);
      root.catch(() => roots.delete(rootKey));
    }
    const conn = new VuGrpcConnection(url, await root, this, this.#options, options.metadata ?? {});
    this.#connections.set(key, conn);
    return conn;
  }

  /** Closes every connection of this virtual user. */
  close(): void {
    for (const c of this.#connections.values()) c.close();
    this.#connections.clear();
  }
}

/** The calls of one method on one server: a channel and its idle call handles. */
interface MethodCalls {
  method: GrpcMethod;
  channels: Map<string, GrpcChannel>;
  idle: Map<string, GrpcCall[]>;
}

const STREAMS_PER_CONNECTION = 1024;

class VuGrpcConnection implements GrpcConnection {
  readonly #methods = new Map<string, MethodCalls>();
  #closed = false;

  constructor(
    readonly url: string,
    readonly root: protobuf.Root,
    readonly client: VuGrpcClient,
    readonly options: VuGrpcClientOptions,
    readonly metadata: Record<string, string>,
  ) {}

  invoke(method: string, message: Record<string, unknown>, options?: GrpcCallOptions): Promise<GrpcResponse> {
    return this.#run(method, [message], options, false).response;
  }

  serverStream(
    method: string,
    message: Record<string, unknown>,
    options?: GrpcCallOptions,
  ): Promise<GrpcResponse> {
    return this.#run(method, [message], options, false).response;
  }

  clientStream(
    method: string,
    messages: Record<string, unknown>[],
    options?: GrpcCallOptions,
  ): Promise<GrpcResponse> {
    return this.#run(method, messages, options, false).response;
  }

  bidi(method: string, messages: Record<string, unknown>[], options?: GrpcCallOptions): Promise<GrpcResponse>;
  bidi(method: string, options?: GrpcCallOptions): GrpcStream;
  bidi(
    method: string,
    messagesOrOptions?: Record<string, unknown>[] | GrpcCallOptions,
    options?: GrpcCallOptions,
  ): Promise<GrpcResponse> | GrpcStream {
    if (Array.isArray(messagesOrOptions)) {
      return this.#run(method, messagesOrOptions, options, false).response;
    }
    return this.#run(method, [], messagesOrOptions, true);
  }

  close(): void {
    this.#closed = true;
    for (const m of this.#methods.values()) {
      for (const list of m.idle.values()) for (const call of list) call.close();
      m.idle.clear();
    }
  }

  #calls(method: string): MethodCalls {
    let m = this.#methods.get(method);
    if (m === undefined) {
      m = { method: resolveMethod(this.root, method), channels: new Map(), idle: new Map() };
      this.#methods.set(method, m);
    }
    return m;
  }

  /** Starts a call; `open` leaves the request side open for `send`/`end`. */
  #run(
    methodName: string,
    messages: Record<string, unknown>[],
    options: GrpcCallOptions | undefined,
    open: boolean,
  ): GrpcStream {
    const m = this.#calls(methodName);
    const type = m.method.requestType;
    const frames = messages.map((msg) => frameMessage(encodeJson(type, msg, `${m.method.name} request`)));
    const timeoutMs = options?.timeout ?? this.options.timeoutMs;
    const metadata = { ...this.metadata, ...options?.metadata };
    const key = `${timeoutMs} ${JSON.stringify(metadata)}`;
    let channel = m.channels.get(key);
    if (channel === undefined) {
      channel = new GrpcChannel({
        url: this.url,
        path: m.method.path,
        // Never sent (every call brings its own); non-empty so that HEADERS do not end the stream.
        body: frameMessage(new Uint8Array(0)),
        metadata: Object.entries(metadata).map(([k, v]) => [k.toLowerCase(), v] as [string, string]),
        timeoutMs,
        connect: this.options.connect,
        streams: STREAMS_PER_CONNECTION,
      });
      m.channels.set(key, channel);
    }
    const idle = m.idle.get(key) ?? [];
    m.idle.set(key, idle);
    const name = options?.name ?? m.method.name;
    const received: Uint8Array[] = [];
    const compressed: boolean[] = [];
    let sent = frames.length;
    let firstAt = -1;
    let settle: (r: GrpcResponse) => void = () => {};
    const response = new Promise<GrpcResponse>((resolve) => (settle = resolve));
    const stream: GrpcStream = {
      onMessage: null,
      response,
      send: (msg) => {
        sent++;
        call.write(frameMessage(encodeJson(type, msg, `${m.method.name} request`)), false);
      },
      end: () => call.write(new Uint8Array(0), true),
    };
    const start = performance.now();
    const finish = (code: number, _status: number, bytes: number, kind: number, call: GrpcCall): void => {
      clearTimeout(timer);
      const end = performance.now();
      const error = code === 0 ? "" : call.errorMessage.replace(/^[A-Z_]+: ?/, "");
      if (this.#closed) call.close();
      else idle.push(call);
      this.options.recorder?.grpcCall(
        name,
        code,
        statusOfCall(code, kind),
        Math.round((end - start) * 1e6),
        bytes,
        kind,
        sent,
        received.length,
        m.method.responseStream && firstAt >= 0 ? Math.round((firstAt - start) * 1e6) : -1,
      );
      decodeAll(m.method.responseType, received, compressed).then(
        (messages) =>
          settle({
            status: code,
            statusName: GRPC_STATUS_NAMES[code] ?? `status ${code}`,
            ok: code === 0,
            error,
            message: messages[0] ?? null,
            messages,
            timings: { firstMessage: firstAt < 0 ? null : firstAt - start, duration: end - start },
          }),
        (e) =>
          settle({
            status: 13,
            statusName: "INTERNAL",
            ok: false,
            error: `cannot decode the answer: ${(e as Error).message}`,
            message: null,
            messages: [],
            timings: { firstMessage: firstAt < 0 ? null : firstAt - start, duration: end - start },
          }),
      );
    };
    const call = idle.pop() ?? channel.createCall((code, status, bytes, kind) => {
      const done = ends.get(call);
      if (done !== undefined) done(code, status, bytes, kind, call);
    });
    ends.set(call, finish);
    call.reader.onFirst = () => void (firstAt = performance.now());
    call.reader.onMessage = (bytes, isCompressed) => {
      received.push(bytes);
      compressed.push(isCompressed);
      if (stream.onMessage !== null && !isCompressed) {
        try {
          stream.onMessage(decodeMessage(m.method.responseType, bytes));
        } catch { /* decoded again at the end, where a failure is reported */ }
      }
    };
    const timer = setTimeout(() => call.abort(ErrorKind.Timeout), timeoutMs);
    if (this.client.retired) {
      queueMicrotask(() => call.abort(ErrorKind.Other));
    }
    call.send(frames.length === 0 ? new Uint8Array(0) : concatBytes(frames), open);
    return stream;
  }
}

/** The end callback of each call handle's current call. */
const ends = new WeakMap<
  GrpcCall,
  (code: number, status: number, bytes: number, kind: number, call: GrpcCall) => void
>();

async function decodeAll(
  type: protobuf.Type,
  messages: Uint8Array[],
  compressed: boolean[],
): Promise<Record<string, unknown>[]> {
  const out: Record<string, unknown>[] = [];
  for (let i = 0; i < messages.length; i++) {
    out.push(decodeMessage(type, compressed[i] ? await gunzip(messages[i]) : messages[i]));
  }
  return out;
}

/** What a recorded call counts as in the HTTP-shaped totals. */
export function statusOfCall(code: number, kind: number): number {
  return kind === ErrorKind.None ? httpStatusOfGrpc(code) : 0;
}
