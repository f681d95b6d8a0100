/**
 * The gRPC flags of `lunge run grpc://host:port` (ghz's habits): `--call`,
 * `--proto`, `--import-path`, `--data` (`-b/--body` too), `--metadata`,
 * `--compression`. Their values are read here; `run()` checks them against
 * the .proto (protocols/grpc/prepare.ts).
 *
 * @module
 */
import type { CliRunOptions } from "./_cli_run_options.ts";
import { csvFilesBeside } from "../request_sets/csv_columns.ts";

const GRPC_FLAGS = ["call", "proto", "import-path", "data", "metadata", "compression"] as const;

/**
 * Reads the gRPC flags into `options` when `url` is grpc:// or grpcs://, and
 * refuses them otherwise.
 *
 * @example
 * ```ts
 * import { applyGrpcFlags } from "./_grpc_args.ts";
 * const options = { url: "grpc://127.0.0.1:50051" };
 * applyGrpcFlags({ call: "demo.Echo/Say", metadata: ["user: ann"] }, options, () => null, (m) => {
 *   throw new Error(m);
 * });
 * // options.call === "demo.Echo/Say", options.metadata === { user: "ann" }
 * ```
 */
export function applyGrpcFlags(
  v: Record<string, string | string[] | boolean | undefined>,
  options: CliRunOptions,
  readFile: (path: string) => string | null,
  fail: (message: string) => never,
): void {
  const grpc = typeof options.url === "string" && /^grpcs?:\/\//i.test(options.url);
  if (!grpc) {
    const given = GRPC_FLAGS.find((f) => v[f] !== undefined);
    if (given !== undefined) fail(`--${given} needs a grpc:// or grpcs:// URL`);
    return;
  }
  if (typeof v.call === "string") options.call = v.call;
  else fail("missing --call: lunge run grpc://host:port --call package.Service/Method");
  if (Array.isArray(v.proto)) options.proto = v.proto;
  if (Array.isArray(v["import-path"])) options.importPaths = v["import-path"];
  const data = typeof v.data === "string" ? v.data : typeof v.body === "string" ? v.body : undefined;
  if (typeof v.data === "string" && typeof v.body === "string") {
    fail("--data and --body mean the same: give one");
  }
  if (data !== undefined) {
    if (data.startsWith("@") && !data.startsWith("@@")) {
      const file = data.slice(1);
      if (file === "") fail('--data "@" needs a file name: --data @messages.jsonl');
      const text = readFile(file);
      if (text === null) fail(`--data: cannot read file "${file}"`);
      // {{csv:FILE:column}} reads FILE beside the data file, as --targets does; run() reads it from here.
      options.data = csvFilesBeside(text as string, file);
    } else options.data = data.startsWith("@@") ? data.slice(1) : data;
  }
  if (Array.isArray(v.metadata)) {
    const metadata: Record<string, string> = {};
    for (const item of v.metadata) {
      const colon = item.indexOf(":");
      const key = colon < 0 ? "" : item.slice(0, colon).trim();
      if (key === "") fail(`invalid --metadata "${item}": expected 'key: value'`);
      metadata[key] = metadata[key] === undefined
        ? item.slice(colon + 1).trim()
        : `${metadata[key]},${item.slice(colon + 1).trim()}`;
    }
    options.metadata = metadata;
  }
  if (typeof v.compression === "string") {
    if (v.compression !== "identity" && v.compression !== "gzip") {
      fail(`--compression must be identity or gzip, got "${v.compression}"`);
    }
    options.compression = v.compression;
  }
}
