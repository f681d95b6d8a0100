/**
 * The `bun run stress` / `deno task stress` command line: `node:util`
 * `parseArgs` (strict), every mistake a {@linkcode StressUsageError} with one
 * clear line.
 *
 * @module
 */
import { parseArgs } from "node:util";
import { parseDuration } from "../src/engine/durations.ts";
import { isScenarioName, SCENARIOS } from "./scenarios.ts";
import type { StressConfig } from "./types.ts";

/** A usage mistake: printed as one line, exit code 2. */
export class StressUsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StressUsageError";
  }
}

/** Default connections: 1000, enough in-flight requests to hold the baseline rate. */
export const DEFAULT_CONCURRENCY = 1000;
/** Default uncounted priming before the measured run. */
export const DEFAULT_WARMUP_MS = 2000;
/** Default folder of the JSON and HTML results. */
export const DEFAULT_OUT_DIR = "stress/results";

/** The parsed command line: help, or a run. */
export type StressCommand = { kind: "help" } | { kind: "run"; config: StressConfig };

const FLAGS = {
  scenario: { type: "string", short: "s" },
  rate: { type: "string", short: "r" },
  duration: { type: "string", short: "d" },
  concurrency: { type: "string", short: "c" },
  workers: { type: "string", short: "w" },
  collector: { type: "string" },
  warmup: { type: "string" },
  json: { type: "boolean" },
  "out-dir": { type: "string" },
  "no-files": { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

/** The `--help` text. */
export const STRESS_HELP = `Usage: bun run stress [-- flags]      deno task stress [flags]

Starts the built-in target in its own process and drives it with the open
model, sampling memory of both sides every second, then judges leak and
health verdicts. Exits 0 when every verdict passes, 1 when one fails (the
reason on one line), 2 on a usage mistake, 130 when interrupted.

Scenarios (--scenario):
${Object.values(SCENARIOS).map((s) => `  ${s.name.padEnd(9)} ${s.description}`).join("\n")}

Flags:
  -s, --scenario NAME    baseline (default), high, burst or soak
  -r, --rate N           arrival rate in req/s (default: the scenario's)
  -d, --duration D       measured duration, e.g. 20s, 5m, 1h (default: the scenario's; required for soak)
  -c, --concurrency N    connections / virtual users (default ${DEFAULT_CONCURRENCY})
  -w, --workers N        load worker threads (default: CPU count)
      --collector KIND   atomic (default) or legacy
      --warmup D         uncounted priming run before the measured one (default 2s; 0 for none)
      --json             print the JSON result on stdout instead of the summary
      --out-dir DIR      where <scenario>-<runtime>-<time>.json and .html go (default ${DEFAULT_OUT_DIR})
      --no-files         write no result files
  -h, --help             this text

Examples:
  bun run stress                          # 10,000 req/s for 5 minutes
  bun run stress -- --duration 20s        # the CI run
  deno task stress --scenario soak -d 1h
`;

function positiveInt(name: string, raw: string, max: number): number {
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isInteger(n) || n < 1 || n > max) {
    throw new StressUsageError(`--${name} must be an integer from 1 to ${max}, got "${raw}"`);
  }
  return n;
}

function duration(name: string, raw: string, allowZero: boolean): number {
  let ms: number;
  try {
    ms = parseDuration(raw);
  } catch (error) {
    throw new StressUsageError(`--${name}: ${(error as Error).message}`);
  }
  if (!allowZero && ms < 1000) throw new StressUsageError(`--${name} must be at least 1s, got "${raw}"`);
  return ms;
}

/**
 * Parses the stress command line.
 *
 * @example
 * ```ts
 * import { parseStressArgs } from "./args.ts";
 * const command = parseStressArgs(["--duration", "20s"]);
 * if (command.kind === "run") command.config.durationMs; // 20000
 * ```
 */
export function parseStressArgs(args: readonly string[]): StressCommand {
  let values: Record<string, string | boolean | undefined>;
  try {
    values = parseArgs({ args: [...args], options: FLAGS, strict: true, allowPositionals: false }).values;
  } catch (error) {
    throw new StressUsageError(describeParseError(error));
  }
  if (values.help) return { kind: "help" };
  const name = (values.scenario as string | undefined) ?? "baseline";
  if (!isScenarioName(name)) {
    throw new StressUsageError(
      `--scenario must be one of ${Object.keys(SCENARIOS).join(", ")}, got "${name}"`,
    );
  }
  const scenario = SCENARIOS[name];
  const rateRaw = values.rate as string | undefined;
  const rate = rateRaw === undefined ? scenario.rate : positiveInt("rate", rateRaw, 10_000_000);
  const durationRaw = values.duration as string | undefined;
  const durationMs = durationRaw === undefined
    ? scenario.durationMs
    : duration("duration", durationRaw, false);
  if (durationMs === null) {
    throw new StressUsageError(`--scenario ${name} needs --duration (e.g. --duration 1h)`);
  }
  const ramps = scenario.rampUpMs + scenario.rampDownMs;
  if (durationMs <= ramps) {
    throw new StressUsageError(
      `--duration must exceed the scenario's ramps (${ramps / 1000}s), got "${durationRaw}"`,
    );
  }
  const collector = (values.collector as string | undefined) ?? "atomic";
  if (collector !== "atomic" && collector !== "legacy") {
    throw new StressUsageError(`--collector must be atomic or legacy, got "${collector}"`);
  }
  const concurrencyRaw = values.concurrency as string | undefined;
  const workersRaw = values.workers as string | undefined;
  const warmupRaw = values.warmup as string | undefined;
  const outDir = values["no-files"] ? null : (values["out-dir"] as string | undefined) ?? DEFAULT_OUT_DIR;
  if (outDir === "") throw new StressUsageError("--out-dir must not be empty");
  return {
    kind: "run",
    config: {
      scenario: name,
      rate,
      durationMs,
      rampUpMs: scenario.rampUpMs,
      rampDownMs: scenario.rampDownMs,
      idleAfterMs: scenario.idleAfterMs,
      concurrency: concurrencyRaw === undefined
        ? DEFAULT_CONCURRENCY
        : positiveInt("concurrency", concurrencyRaw, 100_000),
      workers: workersRaw === undefined ? null : positiveInt("workers", workersRaw, 256),
      collector,
      warmupMs: warmupRaw === undefined ? DEFAULT_WARMUP_MS : duration("warmup", warmupRaw, true),
      checkThroughput: scenario.checkThroughput,
      outDir,
      json: values.json === true,
    },
  };
}

function describeParseError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const unknown = /Unknown option '([^']+)'/.exec(message);
  if (unknown) return `unknown option ${unknown[1]} (see --help)`;
  const missing = /Option '(?:-\w, )?(--[\w-]+) <value>' argument missing/.exec(message);
  if (missing) return `${missing[1]} needs a value`;
  if (/Unexpected argument/.test(message)) {
    return `unexpected argument (see --help): ${message.split(".")[0]}`;
  }
  return message.split("\n")[0];
}
