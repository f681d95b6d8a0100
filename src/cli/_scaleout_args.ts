/**
 * Command-line parts of scale-out: the `run` flags `--segment`,
 * `--start-at`, `--hlog`, `--hlog-interval`, and the `merge` and `compare`
 * commands. Every mistake is a `CliUsageError` (one line, exit 2).
 *
 * @module
 */
import { parseDuration } from "../options/durations.ts";
import { checkStartAt, parseSegment, parseStartAt } from "../engine/execution_segment.ts";
import { type RunOptions, RunOptionsError, type Threshold } from "../engine/options.ts";
import { parseThreshold, ThresholdError } from "../thresholds/thresholds.ts";
import { parseRegressionLimit, type RegressionLimit } from "../result/compare.ts";
import { CliUsageError } from "./_errors.ts";
import { strictParse } from "./_flag_values.ts";

/** `--hlog FILE` and its interval. */
export interface HlogOutput {
  path: string;
  /** Interval length in ms (a whole number of seconds). */
  intervalMs: number;
}

function usage(error: RunOptionsError, command: string): never {
  const message = error.reason;
  throw new CliUsageError(
    message.replace(/"segment"/, "--segment").replace(/"startAt"/, "--start-at"),
    command,
  );
}

/**
 * Applies `--segment` and `--start-at` to `options`; returns `--hlog`.
 *
 * @example
 * ```ts
 * import { applyScaleoutRunFlags } from "./_scaleout_args.ts";
 * const options = { url: "http://127.0.0.1:8080/" };
 * applyScaleoutRunFlags({ segment: "1/3" }, options); // null (no --hlog); options.segment = { index: 1, count: 3 }
 * ```
 */
export function applyScaleoutRunFlags(
  values: Record<string, string | undefined>,
  options: Pick<RunOptions, "segment" | "startAt">,
  now: number = Date.now(),
): HlogOutput | null {
  try {
    if (values.segment !== undefined) options.segment = parseSegment(values.segment);
    if (values["start-at"] !== undefined) {
      const at = parseStartAt(values["start-at"]);
      checkStartAt(at, now);
      options.startAt = at;
    }
  } catch (error) {
    if (error instanceof RunOptionsError) usage(error, "run");
    throw error;
  }
  if (values["hlog-interval"] !== undefined && values.hlog === undefined) {
    throw new CliUsageError("--hlog-interval needs --hlog FILE", "run");
  }
  if (values.hlog === undefined) return null;
  if (values.hlog.trim() === "") throw new CliUsageError("--hlog needs a file name", "run");
  let intervalMs = 1000;
  if (values["hlog-interval"] !== undefined) {
    try {
      intervalMs = parseDuration(values["hlog-interval"]);
    } catch {
      throw new CliUsageError(
        `invalid --hlog-interval "${values["hlog-interval"]}": expected e.g. 1s, 5s`,
        "run",
      );
    }
    if (!(intervalMs >= 1000 && intervalMs % 1000 === 0)) {
      throw new CliUsageError(
        `--hlog-interval must be a whole number of seconds, got "${values["hlog-interval"]}"`,
        "run",
      );
    }
  }
  return { path: values.hlog, intervalMs };
}

/** `lunge merge <files…>`. */
export interface MergeCommand {
  kind: "merge";
  /** Result files: `.json`, `.jsonl` (one result per line) or `.hlog`. */
  files: string[];
  json: string | null;
  html: string | null;
  thresholds: Threshold[];
  allowPartial: boolean;
  quiet: boolean;
}

/** `lunge compare <base> <new>`. */
export interface CompareCommand {
  kind: "compare";
  base: string;
  current: string;
  limits: RegressionLimit[];
  json: string | null;
  html: string | null;
}

function outputPath(flag: string, value: unknown, command: string): string | null {
  if (value === undefined) return null;
  if (typeof value !== "string" || value.trim() === "") {
    throw new CliUsageError(`${flag} needs a file name`, command);
  }
  return value;
}

/**
 * Parses `lunge merge` arguments (after the command name).
 *
 * @example
 * ```ts
 * import { parseMergeArgs } from "./_scaleout_args.ts";
 * parseMergeArgs(["a.json", "b.json", "--json", "all.json"]).files; // ["a.json", "b.json"]
 * ```
 */
export function parseMergeArgs(args: string[]): MergeCommand {
  const { values, positionals } = strictParse(
    args,
    {
      json: { type: "string" },
      html: { type: "string" },
      threshold: { type: "string", multiple: true },
      "allow-partial": { type: "boolean" },
      quiet: { type: "boolean", short: "q" },
    },
    "merge",
    true,
  );
  if (positionals.length === 0) {
    throw new CliUsageError("missing input: lunge merge a.json b.json …", "merge");
  }
  const thresholds = ((values.threshold ?? []) as string[]).map((expression) => {
    try {
      return parseThreshold(expression);
    } catch (error) {
      if (error instanceof ThresholdError) {
        throw new CliUsageError(error.message[0].toLowerCase() + error.message.slice(1), "merge");
      }
      throw error;
    }
  });
  const json = outputPath("--json", values.json, "merge");
  const html = outputPath("--html", values.html, "merge");
  if (json !== null && json === html) {
    throw new CliUsageError("--json and --html must name different files", "merge");
  }
  return {
    kind: "merge",
    files: positionals,
    json,
    html,
    thresholds,
    allowPartial: values["allow-partial"] === true,
    quiet: values.quiet === true,
  };
}

/**
 * Parses `lunge compare` arguments (after the command name).
 *
 * @example
 * ```ts
 * import { parseCompareArgs } from "./_scaleout_args.ts";
 * parseCompareArgs(["base.json", "new.json", "--max-regression", "p99=10%"]).limits.length; // 1
 * ```
 */
export function parseCompareArgs(args: string[]): CompareCommand {
  const { values, positionals } = strictParse(
    args,
    {
      "max-regression": { type: "string", multiple: true },
      json: { type: "string" },
      html: { type: "string" },
    },
    "compare",
    true,
  );
  if (positionals.length !== 2) {
    throw new CliUsageError(
      `expected two result files, got ${positionals.length}: lunge compare base.json new.json`,
      "compare",
    );
  }
  const limits = ((values["max-regression"] ?? []) as string[]).map((text) => {
    try {
      return parseRegressionLimit(text);
    } catch (error) {
      throw new CliUsageError((error as Error).message, "compare");
    }
  });
  return {
    kind: "compare",
    base: positionals[0],
    current: positionals[1],
    limits,
    json: outputPath("--json", values.json, "compare"),
    html: outputPath("--html", values.html, "compare"),
  };
}
