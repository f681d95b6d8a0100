/**
 * The `lunge merge` and `lunge compare` commands: read result files, merge
 * or compare them, print and write the outcome, and return the exit code
 * (0 ok, 2 bad input, 99 a threshold or regression limit failed).
 *
 * @module
 */
import type { RunResult } from "../result/run_result.ts";
import { formatSummary, renderHtml, toJson } from "../report/mod.ts";
import { compareResults } from "../result/compare.ts";
import { compareJson, formatCompareTable, renderCompareHtml } from "../report/compare_report.ts";
import { readResultInputs, ResultInputError } from "../result/load_results.ts";
import { MergeError, type MergeInput, mergeResults } from "../result/merge.ts";
import type { CompareCommand, MergeCommand } from "./_scaleout_args.ts";

/** What the commands need of the CLI's I/O (a subset of `CliIo`). */
export interface ScaleoutIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  readFile: (path: string) => string | null;
  writeFile: (path: string, text: string) => void;
  /** Colors in the summary. */
  color: boolean;
}

const EXIT_OK = 0;
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;
const EXIT_THRESHOLDS = 99;

class InputError extends Error {}

function load(io: ScaleoutIo, path: string): MergeInput[] {
  const text = io.readFile(path);
  if (text === null) throw new InputError(`cannot read "${path}"`);
  try {
    return readResultInputs(path, text);
  } catch (error) {
    if (error instanceof ResultInputError) throw new InputError(error.message);
    throw error;
  }
}

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, " ");
}

/** Writes `text` to `path` ("-": stdout); false (and a message) when it fails. */
function write(io: ScaleoutIo, path: string, text: string): boolean {
  if (path === "-") {
    io.stdout(text);
    return true;
  }
  try {
    io.writeFile(path, text);
    return true;
  } catch (error) {
    io.stderr(`lunge: ${oneLine((error as Error).message)}\n`);
    return false;
  }
}

/**
 * Runs `lunge merge`.
 *
 * @example
 * ```ts
 * import { runMergeCommand } from "./_scaleout_commands.ts";
 * import type { MergeCommand, } from "./_scaleout_args.ts";
 * import type { ScaleoutIo } from "./_scaleout_commands.ts";
 * declare const command: MergeCommand, io: ScaleoutIo;
 * const code = runMergeCommand(command, io);
 * ```
 */
export function runMergeCommand(command: MergeCommand, io: ScaleoutIo): number {
  let merged: RunResult;
  try {
    const inputs = command.files.flatMap((f) => load(io, f));
    merged = mergeResults(inputs, { allowPartial: command.allowPartial, thresholds: command.thresholds });
  } catch (error) {
    if (error instanceof InputError || error instanceof MergeError) {
      io.stderr(`lunge: ${oneLine(error.message)}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  const summaryToStderr = command.json === "-" || command.html === "-";
  if (!command.quiet) {
    const summary = formatSummary(merged, { color: io.color && !summaryToStderr });
    if (summaryToStderr) io.stderr(summary);
    else io.stdout(summary);
  }
  let ok = true;
  if (command.json !== null) ok = write(io, command.json, toJson(merged)) && ok;
  if (command.html !== null) ok = write(io, command.html, renderHtml(merged)) && ok;
  if (!ok) return EXIT_FAILURE;
  const failed = merged.thresholds.filter((t) => !t.passed);
  if (failed.length > 0) {
    io.stderr(
      `lunge: ${failed.length} of ${merged.thresholds.length} threshold${
        merged.thresholds.length === 1 ? "" : "s"
      } failed: ${failed.map((t) => t.expression).join(", ")}\n`,
    );
    return EXIT_THRESHOLDS;
  }
  return EXIT_OK;
}

/**
 * Runs `lunge compare`.
 *
 * @example
 * ```ts
 * import { runCompareCommand } from "./_scaleout_commands.ts";
 * import type { CompareCommand } from "./_scaleout_args.ts";
 * import type { ScaleoutIo } from "./_scaleout_commands.ts";
 * declare const command: CompareCommand, io: ScaleoutIo;
 * const code = runCompareCommand(command, io); // 99 when a --max-regression is exceeded
 * ```
 */
export function runCompareCommand(command: CompareCommand, io: ScaleoutIo): number {
  let base: MergeInput[];
  let current: MergeInput[];
  try {
    base = load(io, command.base);
    current = load(io, command.current);
  } catch (error) {
    if (error instanceof InputError) {
      io.stderr(`lunge: ${oneLine(error.message)}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
  for (const [name, list] of [[command.base, base], [command.current, current]] as const) {
    if (list.length !== 1) {
      io.stderr(
        `lunge: ${name} holds ${list.length} results; merge them first (lunge merge ${name} --json merged.json)\n`,
      );
      return EXIT_USAGE;
    }
  }
  const report = compareResults(base[0].result, current[0].result, command.limits);
  for (const warning of report.warnings) io.stderr(`lunge: warning: ${warning}\n`);
  const toStderr = command.json === "-" || command.html === "-";
  const table = formatCompareTable(report, command.base, command.current);
  if (toStderr) io.stderr(table);
  else io.stdout(table);
  let ok = true;
  if (command.json !== null) {
    ok = write(io, command.json, compareJson(report, command.base, command.current)) && ok;
  }
  if (command.html !== null) {
    ok = write(io, command.html, renderCompareHtml(report, command.base, command.current)) && ok;
  }
  if (!ok) return EXIT_FAILURE;
  if (report.failed.length > 0) {
    io.stderr(`lunge: regression: ${report.failed.join(", ")} exceeded\n`);
    return EXIT_THRESHOLDS;
  }
  return EXIT_OK;
}

/**
 * A warning line when a `--start-at` run began measuring more than 1 s after
 * its start time (the process was not ready in time), else null.
 *
 * @example
 * ```ts
 * import { lateStartWarning } from "./_scaleout_commands.ts";
 * import type { RunResult } from "../result/run_result.ts";
 * declare const result: RunResult;
 * const line = lateStartWarning(result); // "lunge: warning: measuring began 2.4 s after --start-at …"
 * ```
 */
export function lateStartWarning(result: RunResult): string | null {
  const startAt = result.segment?.startAt;
  if (startAt === undefined || startAt === null) return null;
  const lateMs = Date.parse(result.startedAt) - Date.parse(startAt);
  if (!(lateMs > 1000)) return null;
  return `lunge: warning: measuring began ${(lateMs / 1000).toFixed(1)} s after --start-at ` +
    `(this process was not ready in time; give the fleet more lead time)\n`;
}
