/**
 * The `lunge` command line, parsed and validated into a `CliCommand` before
 * anything starts. Every mistake is a `CliUsageError` with one clear line.
 * Uses `node:util` `parseArgs` (strict), which Deno, Bun and Node all ship.
 *
 * @example
 * ```ts
 * import { parseCliArgs } from "./args.ts";
 * const command = parseCliArgs(["run", "http://127.0.0.1:8080/", "--rate", "1000", "-d", "30s"]);
 * if (command.kind === "run") console.log(command.options.rate, command.options.durationMs); // 1000 30000
 * ```
 *
 * @module
 */
import { parseArgs } from "../runtime/parse_args.ts";
import type { RunOptions, Threshold } from "../engine/options.ts";
import { ThresholdError } from "../engine/thresholds.ts";
import { parseAnyThreshold as parseThreshold } from "../engine/named_thresholds.ts";
import { applyWorkloadFlags, WORKLOAD_FLAGS } from "./workload_args.ts";
import { readTextFileOrNull } from "../runtime/files.ts";
import { parseDuration } from "../engine/durations.ts";
import { CliUsageError } from "./errors.ts";

export { CliUsageError } from "./errors.ts";

/** Which help text to print. */
export type HelpTopic = "global" | "run" | "serve";

/** The run options the command line sets (callbacks and the signal are added by `main`). */
export type CliRunOptions = Omit<RunOptions, "signal" | "onProgress" | "onCollector">;

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
  /** `--metrics-port N`: serve `/metrics` and `/health` on 127.0.0.1:N during the run (0: any free port). */
  metricsPort: number | null;
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
}

/** A parsed command line. */
export type CliCommand =
  | { kind: "help"; topic: HelpTopic }
  | { kind: "version" }
  | RunCommand
  | ServeCommand;

/** Options of `parseCliArgs`. */
export interface ParseCliOptions {
  /** Reads `--body @file`; `null` when unreadable. Default: the runtime's file reader. */
  readFile?: (path: string) => string | null;
}

/** Default port of `lunge serve`. */
export const DEFAULT_SERVE_PORT = 8080;
/** Default interface of `lunge serve`. */
export const DEFAULT_SERVE_HOST = "127.0.0.1";

const LIMITS = {
  rate: 10_000_000,
  concurrency: 100_000,
  workers: 256,
  durationMs: 30 * 24 * 3_600_000,
} as const;

const RUN_FLAGS = {
  rate: { type: "string", short: "r" },
  concurrency: { type: "string", short: "c" },
  workers: { type: "string", short: "w" },
  duration: { type: "string", short: "d" },
  requests: { type: "string", short: "n" },
  warmup: { type: "string" },
  "ramp-up": { type: "string" },
  "ramp-down": { type: "string" },
  method: { type: "string", short: "m" },
  header: { type: "string", short: "H", multiple: true },
  body: { type: "string", short: "b" },
  timeout: { type: "string", short: "t" },
  collector: { type: "string" },
  json: { type: "string" },
  html: { type: "string" },
  threshold: { type: "string", multiple: true },
  transport: { type: "string" },
  out: { type: "string", short: "o", multiple: true },
  "metrics-port": { type: "string" },
  quiet: { type: "boolean", short: "q" },
  "no-progress": { type: "boolean" },
  help: { type: "boolean", short: "h" },
  ...WORKLOAD_FLAGS,
} as const;

const SERVE_FLAGS = {
  port: { type: "string", short: "p" },
  host: { type: "string" },
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
 * import { parseCliArgs } from "./args.ts";
 * parseCliArgs(["--version"]); // { kind: "version" }
 * parseCliArgs(["serve", "--port", "9000"]); // { kind: "serve", port: 9000, hostname: "127.0.0.1" }
 * const run = parseCliArgs(["run", "builtin", "-c", "50", "--threshold", "p99<50ms"]);
 * ```
 */
export function parseCliArgs(argv: readonly string[], options: ParseCliOptions = {}): CliCommand {
  const args = [...argv];
  if (args.length === 0) throw new CliUsageError("missing command: expected 'run <url>' or 'serve'");
  const [first, ...rest] = args;
  switch (first) {
    case "run":
      return parseRun(rest, options.readFile ?? readTextFileOrNull);
    case "serve":
      return parseServe(rest);
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
  throw new CliUsageError(`unknown command "${first}": expected 'run <url>' or 'serve'`);
}

function helpTopic(name: string | undefined): HelpTopic {
  if (name === undefined) return "global";
  if (name === "run" || name === "serve") return name;
  throw new CliUsageError(`no help for "${name}": commands are run and serve`);
}

/** Whether `--help`/`-h` appears before a `--` terminator: help wins over every other mistake. */
function wantsHelp(args: readonly string[]): boolean {
  for (const a of args) {
    if (a === "--") return false;
    if (a === "--help" || a === "-h") return true;
  }
  return false;
}

type Flags = Parameters<typeof parseArgs>[0] extends infer C ? C extends { options?: infer O } ? O : never
  : never;

function strictParse<O extends Flags>(
  args: string[],
  flags: O,
  command: string | null,
  positionals: boolean,
  // deno-lint-ignore no-explicit-any
): any {
  try {
    return parseArgs({ args, options: flags, strict: true, allowPositionals: positionals });
  } catch (error) {
    throw new CliUsageError(describeParseError(error, Object.keys(flags ?? {})), command);
  }
}

function describeParseError(error: unknown, known: string[]): string {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code ?? "";
  const quoted = /'([^']+)'/.exec(message)?.[1] ?? "";
  const flag = quoted.split(/[ ,]/)[0] || quoted;
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    const suggestion = closest(flag.replace(/^-+/, "").split("=")[0], known);
    return `unknown option ${flag}` + (suggestion ? ` (did you mean --${suggestion}?)` : "");
  }
  if (code === "ERR_PARSE_ARGS_INVALID_OPTION_VALUE") {
    const long = /--[\w-]+/.exec(quoted)?.[0] ?? flag;
    if (message.includes("does not take an argument")) return `option ${long} does not take a value`;
    if (message.includes("ambiguous")) {
      return `option ${long} needs a value (for a value starting with "-", write ${long}=<value>)`;
    }
    return `option ${long} needs a value`;
  }
  if (code === "ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL") return `unexpected argument "${quoted}"`;
  return message.split("\n")[0];
}

/** The known flag within edit distance 2 of `name`, for "did you mean". */
function closest(name: string, known: string[]): string | null {
  let best: string | null = null;
  let bestDistance = 3;
  for (const candidate of known) {
    const d = editDistance(name, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return name.length > 1 ? best : null;
}

function editDistance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

function parseRun(args: string[], readFile: (path: string) => string | null): CliCommand {
  if (wantsHelp(args)) return { kind: "help", topic: "run" };
  const { values: v, positionals } = strictParse(args, RUN_FLAGS, "run", true);
  const fail = (message: string): never => {
    throw new CliUsageError(message, "run");
  };
  const workloadOptions: CliRunOptions = { url: "" };
  const handled = applyWorkloadFlags(v, positionals, workloadOptions, readFile, fail);
  if (positionals.length === 0 && !handled) {
    fail("missing URL: lunge run <url> (an http:// or https:// URL, or 'builtin')");
  }
  if (positionals.length > 1 && !handled) fail(`unexpected argument "${positionals[1]}" after the URL`);

  const url = handled ? (workloadOptions.url && checkUrl(workloadOptions.url, fail)) : checkUrl(positionals[0], fail);
  const options: CliRunOptions = { ...workloadOptions, url };
  if (v.rate !== undefined) {
    options.rate = number("--rate", v.rate, { min: 0, minExclusive: true, max: LIMITS.rate });
  }
  if (v.concurrency !== undefined) {
    options.concurrency = integer("--concurrency", v.concurrency, 1, LIMITS.concurrency);
  }
  if (v.workers !== undefined) options.workers = integer("--workers", v.workers, 1, LIMITS.workers);
  if (v.duration !== undefined) options.durationMs = duration("--duration", v.duration, true);
  if (v.requests !== undefined) {
    options.requests = integer("--requests", v.requests, 1, Number.MAX_SAFE_INTEGER);
  }
  if (v.warmup !== undefined) options.warmupMs = duration("--warmup", v.warmup, false);
  if (v["ramp-up"] !== undefined) options.rampUpMs = duration("--ramp-up", v["ramp-up"], false);
  if (v["ramp-down"] !== undefined) options.rampDownMs = duration("--ramp-down", v["ramp-down"], false);
  if (v.timeout !== undefined) options.timeoutMs = duration("--timeout", v.timeout, true);
  const ramps = (options.rampUpMs ?? 0) + (options.rampDownMs ?? 0);
  if (typeof options.durationMs === "number" && ramps > options.durationMs) {
    fail(`--ramp-up plus --ramp-down (${ramps}ms) must not exceed --duration (${options.durationMs}ms)`);
  }
  if (v.method !== undefined) options.method = method(v.method, fail);
  if (v.header !== undefined) options.headers = headers(v.header, fail);
  if (v.body !== undefined) options.body = body(v.body, readFile, fail);
  if (v.collector !== undefined) {
    options.collector = oneOf("--collector", v.collector, ["atomic", "legacy"] as const, fail);
  }
  if (v.transport !== undefined) {
    options.transport = oneOf("--transport", v.transport, ["auto", "raw", "fetch"] as const, fail);
    if (options.transport === "raw" && url.startsWith("https:")) {
      fail("--transport raw supports http:// URLs only; use --transport fetch (or auto) for https://");
    }
  }
  if (v.threshold !== undefined) options.thresholds = thresholds(v.threshold, fail);

  const outputs: RunOutputs = {
    json: v.json === undefined ? null : path("--json", v.json, fail),
    html: v.html === undefined ? null : path("--html", v.html, fail),
    quiet: v.quiet === true || v["no-progress"] === true,
    statsd: (v.out ?? []).map((o: string) => statsdOutput(o, fail)),
    metricsPort: v["metrics-port"] === undefined
      ? null
      : integer("--metrics-port", v["metrics-port"], 0, 65535),
  };
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
  return { kind: "serve", port, hostname };
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
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    fail(`unsupported URL scheme "${parsed.protocol}" in "${text}": lunge loads http:// and https:// URLs`);
  }
  if (parsed.hostname === "") fail(`invalid URL "${text}": no host`);
  return text;
}

interface NumberRange {
  min: number;
  minExclusive?: boolean;
  max: number;
}

const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

function number(flag: string, text: string, range: NumberRange): number {
  const value = NUMBER.test(text.trim()) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value)) throw new CliUsageError(`${flag} must be a number, got "${text}"`, "run");
  if (range.minExclusive ? value <= range.min : value < range.min) {
    throw new CliUsageError(
      `${flag} must be ${range.minExclusive ? ">" : ">="} ${range.min}, got ${text}`,
      "run",
    );
  }
  if (value > range.max) throw new CliUsageError(`${flag} must be at most ${range.max}, got ${text}`, "run");
  return value;
}

function integer(flag: string, text: string, min: number, max: number): number {
  const value = number(flag, text, { min: -Infinity, max: Infinity });
  if (!Number.isInteger(value)) throw new CliUsageError(`${flag} must be a whole number, got ${text}`, "run");
  if (value < min) throw new CliUsageError(`${flag} must be >= ${min}, got ${text}`, "run");
  if (value > max) throw new CliUsageError(`${flag} must be at most ${max}, got ${text}`, "run");
  return value;
}

function duration(flag: string, text: string, positive: boolean): number {
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch (error) {
    const reason = (error as Error).message.replace(/^Invalid duration "[^"]*": /, "");
    throw new CliUsageError(`invalid ${flag} "${text}": ${reason}`, "run");
  }
  if (positive && ms <= 0) throw new CliUsageError(`${flag} must be > 0, got "${text}"`, "run");
  if (ms > LIMITS.durationMs) {
    throw new CliUsageError(`${flag} must be at most 30 days, got "${text}"`, "run");
  }
  return ms;
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

function oneOf<T extends string>(
  flag: string,
  text: string,
  allowed: readonly T[],
  fail: (m: string) => never,
): T {
  if ((allowed as readonly string[]).includes(text)) return text as T;
  return fail(`${flag} must be one of ${allowed.join(", ")}, got "${text}"`);
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
  if (kind !== "statsd") fail(`unsupported --out "${text}": only statsd=HOST:PORT is supported`);
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
