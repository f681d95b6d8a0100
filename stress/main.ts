/**
 * `main()` of the stress command: parse flags, run the scenario with a
 * progress line per second on stderr, print the summary (or JSON), write the
 * result files, and return the exit code. The entry file (`mod.ts`) checks
 * that the process then exits on its own.
 *
 * @module
 */
import { makeDirectory } from "../src/runtime/_directories.ts";
import { writeTextFile } from "../src/runtime/files.ts";
import { system } from "../src/runtime/mod.ts";
import { stdoutIsTerminal } from "../src/runtime/terminal.ts";
import { CliUsageError } from "../src/cli/_errors.ts";
import { parseStressArgs, STRESS_HELP } from "./args.ts";
import { renderStressHtml } from "./report_html.ts";
import { formatStressProgress, formatStressSummary } from "./report_text.ts";
import { runStress } from "./run_stress.ts";
import type { StressConfig, StressResult } from "./types.ts";
import { runFailure } from "./verdicts.ts";

/** Exit codes of the stress command. */
export const EXIT = Object.freeze({ ok: 0, failed: 1, usage: 2, interrupted: 130 });

/** Slack past the planned end before a run counts as hung, ms (plus 10 % of the plan). */
const HANG_SLACK_MS = 60_000;

/** Where `main` writes. */
export interface StressIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Environment lookup (default: the process's); `CI` makes a not-checked verdict fail the run. */
  env?: (name: string) => string | undefined;
}

/** Whether `CI` is set to anything but "", "0" or "false". */
function inCi(env: (name: string) => string | undefined): boolean {
  const v = env("CI");
  return v !== undefined && v !== "" && v !== "0" && v.toLowerCase() !== "false";
}

const defaultIo: StressIo = { stdout: (t) => system.writeStdout(t), stderr: (t) => system.writeStderr(t) };

/**
 * The base name of the result files: `<scenario>-<runtime>-<time>`, with the
 * time as an ISO stamp safe in file names.
 *
 * @example
 * ```ts
 * import { resultBaseName } from "./main.ts";
 * resultBaseName("baseline", "bun", "2025-01-02T03:04:05.678Z"); // "baseline-bun-2025-01-02T03-04-05Z"
 * ```
 */
export function resultBaseName(scenario: string, runtime: string, isoTime: string): string {
  return `${scenario}-${runtime}-${isoTime.replace(/\.\d+Z$/, "Z").replace(/:/g, "-")}`;
}

/**
 * Runs the stress command with `args` and returns the exit code: 0 when
 * no verdict failed, 1 when one failed (or, under `CI=true`, could not be
 * checked) or the run crashed or hung, 2 for
 * a usage mistake, 130 when interrupted. A failure ends with one line on
 * stderr saying why.
 *
 * @example
 * ```ts
 * import { main } from "./main.ts";
 * const code = await main(["--duration", "5s", "--rate", "500", "--no-files"]);
 * ```
 */
export async function main(args: readonly string[], io: StressIo = defaultIo): Promise<number> {
  let config: StressConfig;
  try {
    const command = parseStressArgs(args[0] === "--" ? args.slice(1) : args);
    if (command.kind === "help") {
      io.stdout(STRESS_HELP);
      return EXIT.ok;
    }
    config = command.config;
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr(`stress: ${error.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }

  const controller = new AbortController();
  let interrupts = 0;
  const removeInterrupt = system.onInterrupt(() => {
    if (++interrupts > 1) system.exit(EXIT.interrupted);
    io.stderr("\nstress: interrupted, stopping (Ctrl-C again to quit at once)\n");
    controller.abort();
  });
  const plannedMs = config.warmupMs + config.durationMs + config.idleAfterMs;
  let hangTimer: ReturnType<typeof setTimeout> | undefined;
  const hung = new Promise<never>((_, reject) => {
    hangTimer = setTimeout(
      () =>
        reject(
          new Error(
            `hung: no result ${Math.round((HANG_SLACK_MS + plannedMs * 0.1) / 1000)} s after the planned end`,
          ),
        ),
      plannedMs + HANG_SLACK_MS + plannedMs * 0.1,
    );
  });
  let result: StressResult;
  try {
    result = await Promise.race([
      runStress(config, {
        signal: controller.signal,
        onNote: (note) => io.stderr(`stress: ${note}\n`),
        onSample: (sample) => io.stderr(formatStressProgress(sample, config) + "\n"),
      }),
      hung,
    ]);
  } catch (error) {
    io.stderr(`stress: FAIL ${oneLine(error)}\n`);
    return EXIT.failed;
  } finally {
    clearTimeout(hangTimer);
    removeInterrupt();
  }

  const files: string[] = [];
  if (config.outDir !== null) {
    const base = `${config.outDir}/${resultBaseName(config.scenario, result.runtime.name, result.startedAt)}`;
    try {
      makeDirectory(config.outDir);
      writeTextFile(`${base}.json`, JSON.stringify(result, null, 2) + "\n");
      writeTextFile(`${base}.html`, renderStressHtml(result));
      files.push(`${base}.json`, `${base}.html`);
    } catch (error) {
      io.stderr(`stress: FAIL cannot write results: ${oneLine(error)}\n`);
      return EXIT.failed;
    }
  }
  if (config.json) io.stdout(JSON.stringify(result, null, 2) + "\n");
  else io.stdout(formatStressSummary(result, { color: useColor(), files }));

  if (result.interrupted) {
    io.stderr("stress: FAIL interrupted before the end\n");
    return EXIT.interrupted;
  }
  const failed = runFailure(result.verdicts, inCi(io.env ?? ((name) => system.env(name))));
  if (failed !== null) {
    io.stderr(`stress: ${failed}\n`);
    return EXIT.failed;
  }
  return EXIT.ok;
}

function useColor(): boolean {
  const noColor = system.env("NO_COLOR");
  return stdoutIsTerminal() && (noColor === undefined || noColor === "");
}

function oneLine(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.split("\n")[0];
}
