/**
 * The `lunge` command line, parsed and validated into a `CliCommand` before
 * anything starts. Every mistake is a `CliUsageError` with one clear line.
 * Uses `node:util` `parseArgs` (strict), which Deno, Bun and Node all ship.
 *
 * @example
 * ```ts
 * import { parseCliArgs } from "./_args.ts";
 * const command = parseCliArgs(["run", "http://127.0.0.1:8080/", "--rate", "1000", "-d", "30s"]);
 * if (command.kind === "run") console.log(command.options.rate, command.options.durationMs); // 1000 30000
 * ```
 *
 * @module
 */
import { checkHttp2Flags } from "./_args_http2.ts";
import { wsMessages } from "./_args_websocket.ts";
import type { Threshold } from "../engine/options.ts";
import { ThresholdError } from "../thresholds/thresholds.ts";
import { parseAnyThreshold as parseThreshold } from "../thresholds/named_thresholds.ts";
import { applyWorkloadFlags } from "./_workload_args.ts";
import { readTextFileOrNull } from "../runtime/files.ts";
import { CliUsageError } from "./_errors.ts";
import { integer, strictParse } from "./_flag_values.ts";
import { applyTableFlags, RUN_FLAGS } from "./_table_flags.ts";
import { applyGrpcFlags } from "./_grpc_args.ts";
import {
  applyScaleoutRunFlags,
  type CompareCommand,
  type HlogOutput,
  type MergeCommand,
  parseCompareArgs,
  parseMergeArgs,
} from "./_scaleout_args.ts";
import { transportOptions } from "./_args_transport.ts";
import { type DashboardOutput, dashboardOutput, isPrometheusOutput, prometheusOutput } from "./_live_args.ts";

export { CliUsageError } from "./_errors.ts";

/** Which help text to print. */
export type HelpTopic = "global" | "run" | "serve" | "merge" | "compare";

export type { CliRunOptions } from "./_cli_run_options.ts";
import type { CliRunOptions } from "./_cli_run_options.ts";

/** Where the results of a run go besides the summary on stdout. */
export interface RunOutputs {
  /** `--json FILE`, or null. */
  json: string | null;
  /** `--html FILE`, or null. */
  html: string | null;
  /** `--quiet` / `--no-progress`: no live progress on stderr. */
  quiet: boolean;
  /** `--out statsd=HOST:PORT` destinations (`HOST:PORT` each). */
  statsd: string[];
  /** `--out prometheus=URL` remote-write endpoints. */
  prometheus?: string[];
  /** `--metrics-port N`: serve `/metrics` and `/health` on 127.0.0.1:N during the run (0: any free port). */
  metricsPort: number | null;
  /** `--hlog FILE` (HdrHistogram interval log) and its interval, or null. */
  hlog?: HlogOutput | null;
  /** `--dashboard PORT` and its companions. */
  dashboard?: DashboardOutput;
}

/** `lunge run <url> [flags]`. */
export interface RunCommand {
  kind: "run";
  options: CliRunOptions;
  outputs: RunOutputs;
}

/** `lunge serve [--port N] [--host H]`. */
export interface ServeCommand {
  kind: "serve";
  port: number;
  hostname: string;
  /** `--control-token TOKEN`: control routes need `Authorization: Bearer TOKEN` (else `LUNGE_CONTROL_TOKEN`). */
  controlToken?: string;
}

/** A parsed command line. */
export type CliCommand =
  | { kind: "help"; topic: HelpTopic }
  | { kind: "version" }
  | RunCommand
  | ServeCommand
  | MergeCommand
  | CompareCommand;

/** Options of `parseCliArgs`. */
export interface ParseCliOptions {
  /** Reads `--body @file`; `null` when unreadable. Default: the runtime's file reader. */
  readFile?: (path: string) => string | null;
}

/** Default port of `lunge serve`. */
export const DEFAULT_SERVE_PORT = 8080;
/** Default interface of `lunge serve`. */
export const DEFAULT_SERVE_HOST = "127.0.0.1";

const SERVE_FLAGS = {
  port: { type: "string", short: "p" },
  host: { type: "string" },
  "control-token": { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

const GLOBAL_FLAGS = {
  help: { type: "boolean", short: "h" },
  version: { type: "boolean", short: "V" },
} as const;

/**
 * Parses and validates the `lunge` command line (the arguments after the
 * script name). Throws `CliUsageError` with a one-line message for any
 * mistake: unknown command or flag, missing or malformed value, bad URL,
 * out-of-range number, unparsable duration, bad header, unknown threshold.
 *
 * @example
 * ```ts
 * import { parseCliArgs } from "./_args.ts";
 * parseCliArgs(["--version"]); // { kind: "version" }
 * parseCliArgs(["serve", "--port", "9000"]); // { kind: "serve", port: 9000, hostname: "127.0.0.1" }
 * const run = parseCliArgs(["run", "builtin", "-c", "50", "--threshold", "p99<50ms"]);
 * ```
 */
export function parseCliArgs(argv: readonly string[], options: ParseCliOptions = {}): CliCommand {
  const args = [...argv];
  if (args.length === 0) {
    throw new CliUsageError("missing command: expected 'run <url>', 'serve', 'merge' or 'compare'");
  }
  const [first, ...rest] = args;
  switch (first) {
    case "run":
      return parseRun(rest, options.readFile ?? readTextFileOrNull);
    case "serve":
      return parseServe(rest);
    case "merge":
      return wantsHelp(rest) ? { kind: "help", topic: "merge" } : parseMergeArgs(rest);
    case "compare":
      return wantsHelp(rest) ? { kind: "help", topic: "compare" } : parseCompareArgs(rest);
    case "help":
      return { kind: "help", topic: helpTopic(rest[0]) };
    case "version":
      return { kind: "version" };
  }
  if (first.startsWith("-")) {
    const { values, positionals } = strictParse(args, GLOBAL_FLAGS, null, false);
    if (values.help) return { kind: "help", topic: helpTopic(positionals[0]) };
    if (values.version) return { kind: "version" };
  }
  throw new CliUsageError(`unknown command "${first}": expected 'run <url>', 'serve', 'merge' or 'compare'`);
}

function helpTopic(name: string | undefined): HelpTopic {
  if (name === undefined) return "global";
  if (name === "run" || name === "serve" || name === "merge" || name === "compare") return name;
  throw new CliUsageError(`no help for "${name}": commands are run, serve, merge and compare`);
}

/** Whether `--help`/`-h` appears before a `--` terminator: help wins over every other mistake. */
function wantsHelp(args: readonly string[]): boolean {
  for (const a of args) {
    if (a === "--") return false;
    if (a === "--help" || a === "-h") return true;
  }
  return false;
}

function parseRun(args: string[], readFile: (path: string) => string | null): CliCommand {
  if (wantsHelp(args)) return { kind: "help", topic: "run" };
  const { values: v, positionals } = strictParse(args, RUN_FLAGS, "run", true);
  const fail = (message: string): never => {
    throw new CliUsageError(message, "run");
  };
  const workloadOptions: CliRunOptions = { url: "" };
  applyTableFlags(v, workloadOptions);
  const handled = applyWorkloadFlags(v, positionals, workloadOptions, readFile, fail);
  if (positionals.length === 0 && !handled) {
    fail("missing URL: lunge run <url> (an http:// or https:// URL, or 'builtin')");
  }
  if (positionals.length > 1 && !handled) fail(`unexpected argument "${positionals[1]}" after the URL`);

  const url = handled
    ? (workloadOptions.url && checkUrl(workloadOptions.url, fail))
    : checkUrl(positionals[0], fail);
  const options: CliRunOptions = { ...workloadOptions, url };
  const ramps = (options.rampUpMs ?? 0) + (options.rampDownMs ?? 0);
  if (typeof options.durationMs === "number" && ramps > options.durationMs) {
    fail(`--ramp-up plus --ramp-down (${ramps}ms) must not exceed --duration (${options.durationMs}ms)`);
  }
  if (v.method !== undefined) options.method = method(v.method, fail);
  if (v.header !== undefined) options.headers = headers(v.header, fail);
  applyGrpcFlags(v, options, readFile, fail);
  if (v.body !== undefined && options.data === undefined) options.body = body(v.body, readFile, fail);
  if (v.message !== undefined) options.messages = wsMessages(v.message, readFile, fail);
  const connection = transportOptions(v, url, readFile, fail);
  if (options.transport === "fetch" && Object.keys(connection).length > 0) {
    fail("--transport fetch cannot use the TLS flags, --connect-to or --unix-socket");
  }
  Object.assign(options, connection);
  checkHttp2Flags(options, fail);
  if (v.threshold !== undefined) options.thresholds = thresholds(v.threshold, fail);
  const hlog = applyScaleoutRunFlags(v, options);

  const outputs: RunOutputs = {
    json: v.json === undefined ? null : path("--json", v.json, fail),
    html: v.html === undefined ? null : path("--html", v.html, fail),
    quiet: v.quiet === true || v["no-progress"] === true,
    statsd: (v.out ?? []).filter((o: string) => !isPrometheusOutput(o)).map((o: string) =>
      statsdOutput(o, fail)
    ),
    metricsPort: v["metrics-port"] === undefined
      ? null
      : integer("--metrics-port", v["metrics-port"], 0, 65535),
    ...(hlog === null ? {} : { hlog }),
  };
  const prometheus = (v.out ?? []).filter(isPrometheusOutput).map((o: string) => prometheusOutput(o, fail));
  if (prometheus.length > 0) outputs.prometheus = prometheus;
  const dashboard = dashboardOutput(v, fail);
  if (dashboard !== null) outputs.dashboard = dashboard;
  if (outputs.json !== null && outputs.json === outputs.html) {
    fail("--json and --html must name different files");
  }
  return { kind: "run", options, outputs };
}

function parseServe(args: string[]): CliCommand {
  if (wantsHelp(args)) return { kind: "help", topic: "serve" };
  const { values, positionals } = strictParse(args, SERVE_FLAGS, "serve", true);
  if (positionals.length > 0) throw new CliUsageError(`unexpected argument "${positionals[0]}"`, "serve");
  const port = values.port === undefined ? DEFAULT_SERVE_PORT : integer("--port", values.port, 0, 65535);
  const hostname = values.host === undefined ? DEFAULT_SERVE_HOST : host(values.host);
  const token = values["control-token"];
  if (token !== undefined && !/^[\x21-\x7e]{8,}$/.test(token)) {
    throw new CliUsageError(
      "invalid --control-token: expected at least 8 printable characters, no spaces",
      "serve",
    );
  }
  return token === undefined
    ? { kind: "serve", port, hostname }
    : { kind: "serve", port, hostname, controlToken: token };
}

function checkUrl(text: string, fail: (m: string) => never): string {
  if (text === "builtin") return text;
  if (text.startsWith("builtin:")) {
    const route = text.slice("builtin:".length);
    if (!route.startsWith("/") || /\s/.test(route)) {
      fail(`invalid built-in route "${text}": expected builtin:/path, e.g. builtin:/delay/5`);
    }
    return text;
  }
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    return fail(`invalid URL "${text}": expected http://host[:port]/path, https://..., or builtin`);
  }
  const grpc = parsed.protocol === "grpc:" || parsed.protocol === "grpcs:";
  if (!["http:", "https:", "ws:", "wss:"].includes(parsed.protocol) && !grpc) {
    fail(
      `unsupported URL scheme "${parsed.protocol}" in "${text}": lunge loads http://, https://, ws://, wss://, grpc:// and grpcs:// URLs`,
    );
  }
  if (parsed.hostname === "") fail(`invalid URL "${text}": no host`);
  return text;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

function method(text: string, fail: (m: string) => never): string {
  if (!TOKEN.test(text)) fail(`invalid --method "${text}": expected an HTTP method such as GET, POST or PUT`);
  return text.toUpperCase();
}

function headers(list: string[], fail: (m: string) => never): Record<string, string> {
  const result: Record<string, string> = {};
  for (const item of list) {
    const colon = item.indexOf(":");
    const name = colon < 0 ? "" : item.slice(0, colon).trim();
    if (colon < 0 || !TOKEN.test(name)) {
      fail(`invalid --header "${item}": expected "Name: value", e.g. -H "Accept: application/json"`);
    }
    const value = item.slice(colon + 1).trim();
    if (/[\r\n\0]/.test(value)) fail(`invalid --header "${name}": the value must not contain CR, LF or NUL`);
    // Repeated names are combined as HTTP allows (RFC 9110 §5.3).
    const existing = Object.keys(result).find((k) => k.toLowerCase() === name.toLowerCase());
    if (existing === undefined) result[name] = value;
    else result[existing] = `${result[existing]}, ${value}`;
  }
  return result;
}

function body(text: string, readFile: (path: string) => string | null, fail: (m: string) => never): string {
  if (text.startsWith("@@")) return text.slice(1); // "@@literal" sends "@literal"
  if (!text.startsWith("@")) return text;
  const file = text.slice(1);
  if (file === "") fail('--body "@" needs a file name: --body @payload.json');
  const content = readFile(file);
  if (content === null) fail(`--body: cannot read file "${file}"`);
  return content as string;
}

function thresholds(list: string[], fail: (m: string) => never): Threshold[] {
  return list.map((expression) => {
    try {
      return parseThreshold(expression);
    } catch (error) {
      if (error instanceof ThresholdError) fail(error.message[0].toLowerCase() + error.message.slice(1));
      throw error;
    }
  });
}

function path(flag: string, text: string, fail: (m: string) => never): string {
  if (text.trim() === "") fail(`${flag} needs a file name`);
  return text;
}

const HOST_PORT = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?):(\d{1,5})$/;

function statsdOutput(text: string, fail: (m: string) => never): string {
  const eq = text.indexOf("=");
  const kind = eq < 0 ? text : text.slice(0, eq);
  if (kind !== "statsd") {
    fail(`unsupported --out "${text}": only statsd=HOST:PORT and prometheus=URL are supported`);
  }
  const address = text.slice(eq + 1);
  const match = HOST_PORT.exec(address);
  const port = match ? Number(match[2]) : 0;
  if (eq < 0 || !match || port < 1 || port > 65535) {
    fail(`invalid --out "${text}": expected statsd=HOST:PORT, e.g. statsd=127.0.0.1:8125`);
  }
  return address;
}

function host(text: string): string {
  if (!/^(\[?[0-9A-Fa-f:.]+\]?|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)$/.test(text)) {
    throw new CliUsageError(`invalid --host "${text}": expected a host name or IP address`, "serve");
  }
  return text.startsWith("[") ? text.slice(1, -1) : text;
}
