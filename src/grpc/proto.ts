/**
 * Protocol buffers at run time (protobufjs): `.proto` files loaded with
 * their imports, a method found by `package.Service/Method`, JSON made into
 * request messages (once, when they do not vary) and answers decoded.
 *
 * @module
 */
import protobuf from "protobufjs";
import { readTextFileOrNull } from "../runtime/files.ts";
import { GrpcInputError } from "./errors.ts";

/** A resolved method: its path on the wire and its message types. */
export interface GrpcMethod {
  /** `/package.Service/Method`. */
  path: string;
  /** `package.Service/Method`, as written in names and reports. */
  name: string;
  /** The request message type. */
  requestType: protobuf.Type;
  /** The response message type. */
  responseType: protobuf.Type;
  /** Whether the client sends a stream of messages. */
  requestStream: boolean;
  /** Whether the server answers with a stream of messages. */
  responseStream: boolean;
}

function joinPath(dir: string, file: string): string {
  return dir === "" || dir === "." ? file : `${dir.replace(/\/+$/, "")}/${file}`;
}

function dirOf(path: string): string {
  const slash = path.lastIndexOf("/");
  return slash < 0 ? "." : path.slice(0, slash);
}

/**
 * Loads `.proto` files and their imports (searched beside the importing file,
 * then in `importPaths`; google/protobuf's well-known types are built in).
 * Throws `GrpcInputError` naming the file and line of a parse error.
 *
 * @example
 * ```ts
 * import { loadProtoFiles } from "./proto.ts";
 * // const root = loadProtoFiles(["examples/grpc/echo.proto"], []);
 * ```
 */
export function loadProtoFiles(files: readonly string[], importPaths: readonly string[]): protobuf.Root {
  const root = new protobuf.Root();
  const seen = new Set<string>();
  const load = (path: string, from: string | null): void => {
    if (seen.has(path)) return;
    seen.add(path);
    const text = readTextFileOrNull(path);
    if (text === null) {
      throw new GrpcInputError(
        "proto",
        from === null ? `cannot read --proto file "${path}"` : `cannot find "${path}" imported by "${from}"`,
      );
    }
    let parsed: protobuf.IParserResult;
    try {
      parsed = protobuf.parse(text, root, { keepCase: true, alternateCommentMode: true });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw new GrpcInputError("proto", `${path} does not parse: ${message.replace(/\s+/g, " ")}`, {
        cause: error,
      });
    }
    for (const imp of [...(parsed.imports ?? []), ...(parsed.weakImports ?? [])]) {
      const common = imp.startsWith("google/protobuf/") ? protobuf.common.get(imp) : null;
      if (common !== null) {
        if (!seen.has(imp)) {
          seen.add(imp);
          root.addJSON(common.nested ?? {});
        }
        continue;
      }
      const candidates = [joinPath(dirOf(path), imp), ...importPaths.map((d) => joinPath(d, imp)), imp];
      const found = candidates.find((c) => seen.has(c) || readTextFileOrNull(c) !== null);
      if (found === undefined) {
        throw new GrpcInputError(
          "importPaths",
          `cannot find "${imp}" imported by "${path}" (searched ${
            [dirOf(path), ...importPaths].join(", ")
          }; ` +
            `add --import-path DIR)`,
        );
      }
      load(found, path);
    }
  };
  for (const file of files) load(file, null);
  try {
    root.resolveAll();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new GrpcInputError("proto", `the .proto files do not resolve: ${message}`, { cause: error });
  }
  return root;
}

/**
 * Finds `package.Service/Method` (or `package.Service.Method`) in `root`.
 * Throws `GrpcInputError` listing what exists when it does not.
 *
 * @example
 * ```ts
 * import protobuf from "protobufjs";
 * import { resolveMethod } from "./proto.ts";
 * const root = protobuf.parse(
 *   'syntax = "proto3"; package demo; message M { string s = 1; } service Echo { rpc Say (M) returns (M); }',
 * ).root;
 * resolveMethod(root, "demo.Echo/Say").path; // "/demo.Echo/Say"
 * ```
 */
export function resolveMethod(root: protobuf.Root, call: string): GrpcMethod {
  const text = call.trim().replace(/^\//, "");
  const slash = text.lastIndexOf("/");
  const dot = text.lastIndexOf(".");
  const cut = slash >= 0 ? slash : dot;
  if (cut <= 0 || cut === text.length - 1) {
    throw new GrpcInputError("call", `invalid --call "${call}": expected package.Service/Method`);
  }
  const serviceName = text.slice(0, cut);
  const methodName = text.slice(cut + 1);
  const services = listServices(root);
  const service = root.lookup(serviceName);
  if (!(service instanceof protobuf.Service)) {
    throw new GrpcInputError(
      "call",
      `unknown service "${serviceName}" in --call "${call}"; services: ${services.join(", ") || "none"}`,
    );
  }
  const method = service.methods[methodName];
  if (method === undefined) {
    throw new GrpcInputError(
      "call",
      `unknown method "${methodName}" in service "${serviceName}"; methods: ${
        Object.keys(service.methods).join(", ") || "none"
      }`,
    );
  }
  method.resolve();
  const full = service.fullName.replace(/^\./, "");
  return {
    path: `/${full}/${method.name}`,
    name: `${full}/${method.name}`,
    requestType: method.resolvedRequestType!,
    responseType: method.resolvedResponseType!,
    requestStream: method.requestStream === true,
    responseStream: method.responseStream === true,
  };
}

function listServices(ns: protobuf.NamespaceBase, out: string[] = []): string[] {
  for (const nested of ns.nestedArray) {
    if (nested instanceof protobuf.Service) out.push(nested.fullName.replace(/^\./, ""));
    if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) listServices(nested, out);
  }
  return out;
}

/**
 * The JSON objects of `--data`: one JSON value (an object, or an array of
 * objects), or JSON lines (one message per line). Throws `GrpcInputError`.
 *
 * @example
 * ```ts
 * import { parseDataMessages } from "./proto.ts";
 * parseDataMessages('{"name":"a"}\n{"name":"b"}').length; // 2
 * ```
 */
export function parseDataMessages(data: string | object | object[] | undefined): object[] {
  if (data === undefined || data === "") return [{}];
  if (typeof data !== "string") return Array.isArray(data) ? data : [data];
  try {
    const one = JSON.parse(data);
    const list = Array.isArray(one) ? one : [one];
    if (list.length === 0) throw new GrpcInputError("data", "--data is an empty array: no message to send");
    return list;
  } catch (error) {
    if (error instanceof GrpcInputError) throw error;
    const lines = data.split(/\r?\n/).filter((l) => l.trim() !== "");
    if (lines.length < 2) {
      throw new GrpcInputError("data", `--data is not JSON: ${(error as Error).message}`);
    }
    return lines.map((line, i) => {
      try {
        return JSON.parse(line);
      } catch (e) {
        throw new GrpcInputError("data", `--data line ${i + 1} is not JSON: ${(e as Error).message}`);
      }
    });
  }
}

/**
 * Encodes one JSON object as a `type` message. Throws `GrpcInputError` when
 * it does not fit (an unknown field, a wrong type).
 *
 * @example
 * ```ts
 * import protobuf from "protobufjs";
 * import { encodeJson } from "./proto.ts";
 * const root = protobuf.parse('syntax = "proto3"; message M { string s = 1; }').root;
 * encodeJson(root.lookupType("M"), { s: "hi" }); // Uint8Array [10, 2, 104, 105]
 * ```
 */
export function encodeJson(type: protobuf.Type, value: unknown, where = "--data"): Uint8Array {
  const typeName = type.fullName.replace(/^\./, "");
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new GrpcInputError("data", `${where} must be a JSON object for message ${typeName}`);
  }
  const problem = misfit(type, value as Record<string, unknown>, "");
  if (problem !== null) {
    throw new GrpcInputError("data", `${where} does not fit message ${typeName}: ${problem}`);
  }
  let message: protobuf.Message;
  try {
    message = type.fromObject(value as Record<string, unknown>);
  } catch (error) {
    throw new GrpcInputError(
      "data",
      `${where} does not fit message ${typeName}: ${(error as Error).message}`,
    );
  }
  return type.encode(message).finish();
}

function fieldOf(type: protobuf.Type, key: string): protobuf.Field | undefined {
  return type.fields[key] ??
    Object.values(type.fields).find((f) => f.name.replace(/_([a-z])/g, (_m, c) => c.toUpperCase()) === key);
}

const NUMBER_TYPES = new Set(["double", "float", "int32", "uint32", "sint32", "fixed32", "sfixed32"]);
const LONG_TYPES = new Set(["int64", "uint64", "sint64", "fixed64", "sfixed64"]);

/** Why a JSON value does not fit `type` (the first field that does not), or null when it fits. */
function misfit(type: protobuf.Type, value: Record<string, unknown>, path: string): string | null {
  for (const [key, v] of Object.entries(value)) {
    const field = fieldOf(type, key);
    const at = `${path}${key}`;
    if (field === undefined) {
      return `unknown field "${at}" (fields: ${Object.keys(type.fields).join(", ")})`;
    }
    if (v === null) continue;
    field.resolve();
    if (field.map) {
      if (typeof v !== "object" || Array.isArray(v)) return `field "${at}" must be an object (a map)`;
      continue;
    }
    const list = field.repeated ? v : [v];
    if (field.repeated && !Array.isArray(v)) return `field "${at}" must be an array`;
    for (const item of list as unknown[]) {
      const problem = scalarMisfit(field, item, at);
      if (problem !== null) return problem;
    }
  }
  return null;
}

function scalarMisfit(field: protobuf.Field, v: unknown, at: string): string | null {
  const t = field.type;
  if (field.resolvedType instanceof protobuf.Type) {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return `field "${at}" must be an object`;
    return misfit(field.resolvedType, v as Record<string, unknown>, `${at}.`);
  }
  if (field.resolvedType instanceof protobuf.Enum) {
    const ok = typeof v === "number" || (typeof v === "string" && v in field.resolvedType.values);
    return ok ? null : `field "${at}" must be one of ${Object.keys(field.resolvedType.values).join(", ")}`;
  }
  if (NUMBER_TYPES.has(t)) {
    const ok = typeof v === "number" ||
      (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v)));
    if (!ok) return `field "${at}" must be a number (${t}), got ${JSON.stringify(v)}`;
    if (t !== "double" && t !== "float" && !Number.isInteger(Number(v))) {
      return `field "${at}" must be an integer (${t}), got ${JSON.stringify(v)}`;
    }
  } else if (LONG_TYPES.has(t)) {
    if (!(typeof v === "number" && Number.isInteger(v)) && !(typeof v === "string" && /^-?\d+$/.test(v))) {
      return `field "${at}" must be an integer (${t}), got ${JSON.stringify(v)}`;
    }
  } else if (t === "bool" && typeof v !== "boolean") return `field "${at}" must be true or false`;
  else if (t === "string" && typeof v !== "string") return `field "${at}" must be a string`;
  else if (t === "bytes" && typeof v !== "string") return `field "${at}" must be a base64 string`;
  return null;
}

/**
 * Decodes a `type` message to a plain object (enums as names, 64-bit
 * integers as strings), as scenarios see answers.
 *
 * @example
 * ```ts
 * import protobuf from "protobufjs";
 * import { decodeMessage } from "./proto.ts";
 * const root = protobuf.parse('syntax = "proto3"; message M { string s = 1; }').root;
 * decodeMessage(root.lookupType("M"), Uint8Array.of(10, 2, 104, 105)); // { s: "hi" }
 * ```
 */
export function decodeMessage(type: protobuf.Type, bytes: Uint8Array): Record<string, unknown> {
  return type.toObject(type.decode(bytes), { enums: String, longs: String, defaults: true });
}
