/**
 * A gRPC run on the main thread, before the workers start: the method found
 * (from `--proto` files or by server reflection), the request messages
 * encoded, compressed and framed once, a check that the server is reachable
 * and speaks gRPC, and the lanes for the status counts.
 *
 * @module
 */
import { GrpcLanes } from "../../collector/grpc_lanes.ts";
import type { ConnectOptions } from "../../http/types.ts";
import { GrpcInputError, GrpcServerError } from "../../grpc/errors.ts";
import { frameMessage } from "../../grpc/framing.ts";
import {
  encodeJson,
  type GrpcMethod,
  loadProtoFiles,
  parseDataMessages,
  resolveMethod,
} from "../../grpc/proto.ts";
import { reflectRoot } from "../../grpc/reflection.ts";
import { gzip } from "../../grpc/compression.ts";
import { callOnce } from "../../grpc/unary_call.ts";
import { RunOptionsError } from "../../options/run_options_error.ts";
import type { GrpcJob } from "./grpc_job.ts";
import { templatedData } from "./templated_data.ts";
import { compileTemplate, fillTemplate } from "../../request_sets/templates.ts";
import { readTextFileOrNull } from "../../runtime/files.ts";

/**
 * The fields of the run options (`RunOptions`) that a gRPC run reads: its
 * own, and the HTTP ones a grpc:// URL refuses. The run options pass as they are.
 *
 * @example
 * ```ts
 * import type { GrpcRunOptions } from "./prepare.ts";
 * const options: GrpcRunOptions = { url: "grpc://127.0.0.1:50051", call: "demo.Echo/Say" };
 * ```
 */
export interface GrpcRunOptions {
  /** The grpc:// or grpcs:// URL. */
  url: string;
  /** The method to call, `package.Service/Method`. */
  call?: string;
  /** `.proto` files that declare it; none: server reflection. */
  proto?: string[];
  /** Folders searched for the `.proto` files' imports. */
  importPaths?: string[];
  /** The request message(s). */
  data?: string | object;
  /** Metadata sent with every call. */
  metadata?: Record<string, string>;
  /** Request message compression: "identity" or "gzip". */
  compression?: string;
  /** Read as `data` when `data` is absent. */
  body?: string | Uint8Array;
  /** Refused with a grpc:// URL (set here from the URL). */
  method?: string;
  /** Refused with a grpc:// URL. */
  targets?: unknown;
  /** Refused with a grpc:// URL. */
  scenario?: string;
  /** Refused with a grpc:// URL (set here from the URL). */
  http2?: boolean;
  /** Refused with a grpc:// URL (set here from the URL). */
  http2PriorKnowledge?: boolean;
}

/** A gRPC run being prepared or under way. */
export interface GrpcRun {
  /** The grpc:// or grpcs:// URL. */
  url: string;
  /** The method. */
  method: GrpcMethod;
  /** What each worker gets. */
  job: GrpcJob;
  /** The status counters. */
  lanes: GrpcLanes;
  /** Where the method came from. */
  source: "proto" | "reflection";
}

const GRPC_URL = /^grpcs?:\/\//i;

/**
 * The least time the setup calls (reflection, the preflight) get. They also open the connection (TCP,
 * TLS, the HTTP/2 preface), which the run's call deadline is not meant to cover: with `--timeout 150ms`
 * the preflight failed as "cannot be reached" on a loaded machine, as it would against any server a few
 * round trips away.
 */
const SETUP_TIMEOUT_MS = 10_000;

/**
 * Whether `url` asks for gRPC (grpc:// or grpcs://).
 *
 * @example
 * ```ts
 * import { isGrpcUrl } from "./prepare.ts";
 * isGrpcUrl("grpc://127.0.0.1:50051"); // true
 * ```
 */
export function isGrpcUrl(url: unknown): boolean {
  return typeof url === "string" && GRPC_URL.test(url);
}

/**
 * The options the HTTP/2 machinery understands for a grpc(s):// run: the
 * http(s):// URL and h2c or h2 over TLS.
 *
 * @example
 * ```ts
 * import { grpcTransportOptions } from "./prepare.ts";
 * grpcTransportOptions({ url: "grpc://127.0.0.1:50051" }).url; // "http://127.0.0.1:50051/"
 * ```
 */
export function grpcTransportOptions<T extends GrpcRunOptions>(options: T): T {
  const url = options.url!;
  const secure = /^grpcs:/i.test(url);
  let parsed: URL;
  try {
    parsed = new URL(url.replace(/^grpcs?:/i, secure ? "https:" : "http:"));
  } catch {
    throw new RunOptionsError("url", `"url" is not a valid URL: "${url}"`);
  }
  if (parsed.pathname !== "/" && parsed.pathname !== "") {
    throw new RunOptionsError(
      "url",
      `a grpc:// URL has no path: name the method with "call" (--call), got "${url}"`,
    );
  }
  for (const key of ["method", "body", "targets", "scenario", "http2", "http2PriorKnowledge"] as const) {
    if (
      options[key] !== undefined && options[key] !== false && !(key === "body" && options.data === undefined)
    ) {
      throw new RunOptionsError(key, `"${key}" does not apply to a grpc:// URL`);
    }
  }
  return {
    ...options,
    url: `${parsed.protocol}//${parsed.host}/`,
    http2: secure,
    http2PriorKnowledge: !secure,
    method: "POST",
  };
}

/**
 * Prepares a gRPC run. Bad input throws `RunOptionsError` (a usage error);
 * a server that cannot be reached or is not gRPC throws `GrpcServerError`.
 *
 * @example
 * ```ts
 * import { prepareGrpcRun } from "./prepare.ts";
 * // const grpc = await prepareGrpcRun({ url: "grpc://127.0.0.1:50051", call: "demo.Echo/Say" }, 1, {}, 5000);
 * ```
 */
export async function prepareGrpcRun(
  options: GrpcRunOptions,
  workers: number,
  connect: ConnectOptions,
  timeoutMs: number,
): Promise<GrpcRun> {
  const url = options.url!.replace(/\/+$/, "");
  try {
    const call = options.call;
    if (typeof call !== "string" || call.trim() === "") {
      throw new GrpcInputError("call", `a grpc:// run needs the method: --call package.Service/Method`);
    }
    const metadata = metadataOf(options.metadata);
    const compression = options.compression ?? "identity";
    if (compression !== "identity" && compression !== "gzip") {
      throw new GrpcInputError("compression", `"compression" must be identity or gzip, got "${compression}"`);
    }
    const protoFiles = options.proto ?? [];
    const source = protoFiles.length > 0 ? "proto" : "reflection";
    const setupTimeoutMs = Math.max(timeoutMs, SETUP_TIMEOUT_MS);
    const root = source === "proto"
      ? loadProtoFiles(protoFiles, options.importPaths ?? [])
      : await reflectRoot({
        url,
        symbol: serviceOf(call),
        connect,
        timeoutMs: setupTimeoutMs,
        metadata,
      });
    const method = resolveMethod(root, call);
    if (method.requestStream) {
      throw new GrpcInputError(
        "call",
        `${method.name} is a ${
          method.responseStream ? "bidirectional" : "client"
        } streaming method: run it from a scenario (ctx.grpc, docs/grpc.md)`,
      );
    }
    const data = options.data === undefined && typeof options.body === "string" ? options.body : options.data;
    const templated = templatedData(data, method, compression, readTextFileOrNull);
    // A templated run sends what the worker fills; the first message filled stands for it until then.
    const objects = templated === null
      ? parseDataMessages(data)
      : templated.texts.map((t) =>
        JSON.parse(fillTemplate(compileTemplate(t), { seq: 0, worker: 0, csv: templated.csv }))
      );
    const bodies: Uint8Array[] = [];
    for (let i = 0; i < objects.length; i++) {
      const where = objects.length === 1 ? "--data" : `--data message ${i + 1}`;
      const encoded = encodeJson(method.requestType, objects[i], where);
      bodies.push(
        compression === "gzip" ? frameMessage(await gzip(encoded), true) : frameMessage(encoded),
      );
    }
    if (source === "proto") await preflight(url, connect, setupTimeoutMs);
    const lanes = GrpcLanes.create(workers + 1, 1);
    return {
      url,
      method,
      source,
      lanes,
      job: {
        url,
        path: method.path,
        bodies,
        metadata,
        encoding: compression,
        serverStreaming: method.responseStream,
        lanes: lanes.handle(),
        templated,
      },
    };
  } catch (error) {
    if (error instanceof GrpcInputError) {
      throw new RunOptionsError(error.option, error.message, { cause: error });
    }
    throw error;
  }
}

function serviceOf(call: string): string {
  const text = call.trim().replace(/^\//, "");
  const slash = text.lastIndexOf("/");
  return slash > 0 ? text.slice(0, slash) : text.slice(0, Math.max(0, text.lastIndexOf(".")));
}

const METADATA_KEY = /^[0-9a-z_.-]+$/;

function metadataOf(metadata: Record<string, string> | undefined): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(metadata ?? {})) {
    const k = key.trim().toLowerCase();
    if (!METADATA_KEY.test(k) || k.startsWith("grpc-")) {
      throw new GrpcInputError(
        "metadata",
        `invalid metadata key "${key}": lower-case letters, digits, _ . - only, not grpc-*`,
      );
    }
    if (/[\r\n\0]/.test(String(value))) {
      throw new GrpcInputError("metadata", `metadata "${key}" has CR, LF or NUL`);
    }
    out.push([k, String(value)]);
  }
  return out;
}

/**
 * One call to a method no server has: a gRPC server answers it (UNIMPLEMENTED), anything else shows
 * what it is. Nothing is counted by the server's handlers. `timeoutMs` is the setup's (see SETUP_TIMEOUT_MS).
 */
async function preflight(url: string, connect: ConnectOptions, timeoutMs: number): Promise<void> {
  const out = await callOnce({
    url,
    path: "/lunge.preflight.v1.Preflight/Check",
    messages: [new Uint8Array(0)],
    connect,
    timeoutMs,
  });
  if (out.httpStatus === 0) throw new GrpcServerError(`${url} cannot be reached: ${out.message}`);
  if (out.message.includes("not a gRPC server")) {
    throw new GrpcServerError(`${url} is ${out.message.slice(out.message.indexOf("not a gRPC server"))}`);
  }
}
