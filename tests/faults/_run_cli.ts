/**
 * Runs the real CLI in this process (the real engine, workers and outputs;
 * only stdout, stderr and file writes captured) and returns the exit code,
 * the output and the JSON result it wrote.
 *
 * @module
 */
import { main } from "../../src/cli/main.ts";
import type { RunResult } from "../../src/result/run_result.ts";
import { parseResultJson } from "../../src/result/json.ts";

/** What one CLI run did. */
export interface CliOutcome {
  code: number;
  stdout: string;
  stderr: string;
  result: RunResult;
  /** Wall-clock milliseconds the run took. */
  ms: number;
}

/** `lunge run <args> -q --json <captured>`; the run must write its JSON. */
export async function runLunge(args: string[]): Promise<CliOutcome> {
  let stdout = "";
  let stderr = "";
  let json = "";
  const started = performance.now();
  const code = await main(["run", ...args, "-q", "--json", "result.json"], {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    stdoutIsTerminal: false,
    stderrIsTerminal: false,
    writeFile: (_path, text) => void (json = text),
  });
  const ms = performance.now() - started;
  if (json === "") throw new Error(`no JSON written (exit ${code}): ${stderr}`);
  return { code, stdout, stderr, result: parseResultJson(json), ms };
}
