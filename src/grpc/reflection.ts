/**
 * Server reflection: the service's .proto definitions asked of the server
 * (`grpc.reflection.v1.ServerReflection`, falling back to `v1alpha`) when no
 * `--proto` is given, made into a protobufjs root.
 *
 * @module
 */
import protobuf from "protobufjs";
// Installs Root.fromDescriptor.
import "protobufjs/ext/descriptor/index.js";
import type { ConnectOptions } from "../http/types.ts";
import { GrpcInputError, GrpcServerError } from "./errors.ts";
import { GRPC_STATUS_NAMES, GrpcStatus } from "./status.ts";
import { callOnce } from "./unary_call.ts";

// The part of grpc/reflection/v1/reflection.proto a client needs (v1alpha has the same messages).
const REFLECTION_PROTO = `
syntax = "proto3";
package reflection;
message ServerReflectionRequest {
  string host = 1;
  oneof message_request {
    string file_by_filename = 3;
    string file_containing_symbol = 4;
    string list_services = 7;
  }
}
message FileDescriptorResponse { repeated bytes file_descriptor_proto = 1; }
message ServiceResponse { string name = 1; }
message ListServiceResponse { repeated ServiceResponse service = 1; }
message ErrorResponse { int32 error_code = 1; string error_message = 2; }
message ServerReflectionResponse {
  string valid_host = 1;
  ServerReflectionRequest original_request = 2;
  oneof message_response {
    FileDescriptorResponse file_descriptor_response = 4;
    ListServiceResponse list_services_response = 6;
    ErrorResponse error_response = 7;
  }
}`;

const types = protobuf.parse(REFLECTION_PROTO, { keepCase: true }).root;
const Request = types.lookupType("reflection.ServerReflectionRequest");
const Response = types.lookupType("reflection.ServerReflectionResponse");
const PATHS = [
  "/grpc.reflection.v1.ServerReflection/ServerReflectionInfo",
  "/grpc.reflection.v1alpha.ServerReflection/ServerReflectionInfo",
];

/** Options of `reflectRoot`. */
export interface ReflectOptions {
  /** grpc:// or grpcs:// URL. */
  url: string;
  /** The fully qualified service name to describe. */
  symbol: string;
  /** TLS and connection settings. */
  connect?: ConnectOptions;
  /** Deadline of each reflection call, ms. */
  timeoutMs: number;
  /** Metadata sent with the reflection calls. */
  metadata?: ReadonlyArray<readonly [string, string]>;
}

/**
 * Asks the server for the file declaring `symbol` (and its dependencies) and
 * returns them as a root. Throws `GrpcServerError` when the server cannot be
 * reached, is not gRPC or has no reflection; `GrpcInputError` when it does
 * not know the service.
 *
 * @example
 * ```ts
 * import { reflectRoot } from "./reflection.ts";
 * // const root = await reflectRoot({ url: "grpc://127.0.0.1:50051", symbol: "demo.Echo", timeoutMs: 5000 });
 * ```
 */
export async function reflectRoot(options: ReflectOptions): Promise<protobuf.Root> {
  if (options.symbol !== "") {
    return rootOf(await ask(options, { file_containing_symbol: options.symbol }), options);
  }
  // No symbol: every service the server lists (reflection itself left out).
  const list = answerOf(await ask(options, { list_services: "" }), options) as {
    list_services_response?: { service: Array<{ name: string }> };
  };
  const files: number[][] = [];
  const seen = new Set<string>();
  for (const { name } of list.list_services_response?.service ?? []) {
    if (name.startsWith("grpc.reflection.")) continue;
    const answer = answerOf(await ask(options, { file_containing_symbol: name }), options);
    for (const f of answer.file_descriptor_response?.file_descriptor_proto ?? []) {
      const key = f.join(",");
      if (!seen.has(key)) {
        seen.add(key);
        files.push(f);
      }
    }
  }
  return rootOfFiles(files);
}

/** One reflection request, on v1 and else v1alpha; the answer's bytes. */
async function ask(options: ReflectOptions, request: Record<string, string>): Promise<Uint8Array> {
  const bytes = Request.encode(Request.fromObject(request)).finish();
  let last = "";
  for (const path of PATHS) {
    const out = await callOnce({
      url: options.url,
      path,
      messages: [bytes],
      connect: options.connect,
      timeoutMs: Math.min(options.timeoutMs, 10_000),
      metadata: options.metadata,
    });
    if (out.httpStatus === 0) throw new GrpcServerError(`${options.url} cannot be reached: ${out.message}`);
    if (out.message.includes("not a gRPC server")) {
      throw new GrpcServerError(
        `${options.url} is ${out.message.slice(out.message.indexOf("not a gRPC server"))}`,
      );
    }
    if (out.code === GrpcStatus.UNIMPLEMENTED) {
      last = out.message;
      continue; // this version is not served: try the older one
    }
    if (out.code !== GrpcStatus.OK || out.messages.length === 0) {
      throw new GrpcServerError(`server reflection failed at ${options.url}: ${out.message}`);
    }
    return out.messages[0];
  }
  throw new GrpcServerError(
    `${options.url} has no server reflection (${
      last || GRPC_STATUS_NAMES[12]
    }): give the service's --proto file`,
  );
}

/** A FileDescriptorSet's bytes: field 1 (length-delimited) once per FileDescriptorProto. */
function fileDescriptorSet(files: number[][]): Uint8Array {
  const parts: number[] = [];
  for (const f of files) {
    parts.push(0x0a);
    let n = f.length;
    while (n > 0x7f) {
      parts.push((n & 0x7f) | 0x80);
      n >>>= 7;
    }
    parts.push(n);
    for (const b of f) parts.push(b);
  }
  return Uint8Array.from(parts);
}

interface ReflectionAnswer {
  file_descriptor_response?: { file_descriptor_proto: number[][] };
  list_services_response?: { service: Array<{ name: string }> };
  error_response?: { error_code: number; error_message: string };
}

function answerOf(bytes: Uint8Array, options: ReflectOptions): ReflectionAnswer {
  const answer = Response.toObject(Response.decode(bytes), {
    bytes: Array,
    defaults: true,
  }) as ReflectionAnswer;
  if (answer.error_response) {
    throw new GrpcInputError(
      "call",
      `the server does not know the service "${options.symbol}" (reflection: ${answer.error_response.error_message})`,
    );
  }
  return answer;
}

function rootOf(bytes: Uint8Array, options: ReflectOptions): protobuf.Root {
  return rootOfFiles(answerOf(bytes, options).file_descriptor_response?.file_descriptor_proto ?? []);
}

function rootOfFiles(files: number[][]): protobuf.Root {
  const set = fileDescriptorSet(files);
  try {
    const root = (protobuf.Root as unknown as { fromDescriptor(d: unknown): protobuf.Root }).fromDescriptor(
      set,
    );
    root.resolveAll();
    return root;
  } catch (error) {
    throw new GrpcServerError(`the server's reflection answer does not load: ${(error as Error).message}`);
  }
}
