/**
 * The `bun run stress` / `deno task stress` command line: the `lunge` CLI's
 * own strict flag parsing and value parsers, every mistake a `CliUsageError`
 * with one clear line.
 *
 * @module
 */
import { COLLECTOR_KINDS, type CollectorKind, RUN_OPTION_LIMITS } from "../src/engine/options.ts";
import { CliUsageError } from "../src/cli/_errors.ts";
import { duration as durationFlag, integer, strictParse } from "../src/cli/_flag_values.ts";
import { isScenarioName, SCENARIOS } from "./scenarios.ts";
import type { StressConfig } from "./types.ts";

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
  return integer(`--${name}`, raw, 1, max, "stress");
}

function duration(name: string, raw: string, allowZero: boolean): number {
  const ms = durationFlag(`--${name}`, raw, false, "stress");
  if (!allowZero && ms < 1000) {
    throw new CliUsageError(`--${name} must be at least 1s, got "${raw}"`, "stress");
  }
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
  const values: Record<string, string | boolean | undefined> =
    strictParse([...args], FLAGS, "stress", false).values;
  if (values.help) return { kind: "help" };
  const name = (values.scenario as string | undefined) ?? "baseline";
  if (!isScenarioName(name)) {
    throw new CliUsageError(
      `--scenario must be one of ${Object.keys(SCENARIOS).join(", ")}, got "${name}"`,
    );
  }
  const scenario = SCENARIOS[name];
  const rateRaw = values.rate as string | undefined;
  const rate = rateRaw === undefined ? scenario.rate : positiveInt("rate", rateRaw, RUN_OPTION_LIMITS.rate);
  const durationRaw = values.duration as string | undefined;
  const durationMs = durationRaw === undefined
    ? scenario.durationMs
    : duration("duration", durationRaw, false);
  if (durationMs === null) {
    throw new CliUsageError(`--scenario ${name} needs --duration (e.g. --duration 1h)`);
  }
  const ramps = scenario.rampUpMs + scenario.rampDownMs;
  if (durationMs <= ramps) {
    throw new CliUsageError(
      `--duration must exceed the scenario's ramps (${ramps / 1000}s), got "${durationRaw}"`,
    );
  }
  const collectorRaw = (values.collector as string | undefined) ?? "atomic";
  if (!(COLLECTOR_KINDS as readonly string[]).includes(collectorRaw)) {
    throw new CliUsageError(`--collector must be ${COLLECTOR_KINDS.join(" or ")}, got "${collectorRaw}"`);
  }
  const collector = collectorRaw as CollectorKind;
  const concurrencyRaw = values.concurrency as string | undefined;
  const workersRaw = values.workers as string | undefined;
  const warmupRaw = values.warmup as string | undefined;
  const outDir = values["no-files"] ? null : (values["out-dir"] as string | undefined) ?? DEFAULT_OUT_DIR;
  if (outDir === "") throw new CliUsageError("--out-dir must not be empty");
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
        : positiveInt("concurrency", concurrencyRaw, RUN_OPTION_LIMITS.concurrency),
      workers: workersRaw === undefined
        ? null
        : positiveInt("workers", workersRaw, RUN_OPTION_LIMITS.workers),
      collector,
      warmupMs: warmupRaw === undefined ? DEFAULT_WARMUP_MS : duration("warmup", warmupRaw, true),
      checkThroughput: scenario.checkThroughput,
      outDir,
      json: values.json === true,
    },
  };
}
