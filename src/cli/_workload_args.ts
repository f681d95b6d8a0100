/**
 * The workload flags of `lunge run`: `--targets FILE`, `--targets-order`,
 * a scenario module in place of the URL (`lunge run scenario.ts`) and
 * `--iteration-timeout` (declared in the option table). Kept apart from the
 * other flags; `_args.ts` calls in.
 *
 * @module
 */
import { parseDuration } from "../options/durations.ts";
import { parseTargets, TargetsFileError } from "../request_sets/parse_targets.ts";
import type { CliRunOptions } from "./_cli_run_options.ts";

/** Whether a positional names a scenario module rather than a URL. */
export function isScenarioPath(text: string): boolean {
  return !/^[a-z][a-z0-9+.-]*:\/\//i.test(text) && /\.(ts|mts|js|mjs)$/.test(text);
}

/**
 * Applies the workload flags to `options`. Returns true when it set the URL
 * side itself (a scenario, or a request set without a URL), so the caller
 * skips its URL checks.
 *
 * @example
 * ```ts
 * import { applyWorkloadFlags } from "./_workload_args.ts";
 * const options = { url: "" };
 * applyWorkloadFlags({}, ["scenario.ts"], options, () => null, (m) => { throw new Error(m); });
 * // options.scenario === "scenario.ts"
 * ```
 */
export function applyWorkloadFlags(
  v: Record<string, string | string[] | boolean | undefined>,
  positionals: readonly string[],
  options: CliRunOptions,
  readFile: (path: string) => string | null,
  fail: (message: string) => never,
): boolean {
  let handled = false;
  if (positionals.length > 0 && isScenarioPath(positionals[0])) {
    if (positionals.length > 2) fail(`unexpected argument "${positionals[2]}" after the base URL`);
    if (v.targets !== undefined) fail("--targets and a scenario cannot be combined");
    options.scenario = positionals[0];
    // An optional base URL for the scenario's relative URLs ('builtin' starts the built-in target).
    options.url = positionals[1] ?? "";
    handled = true;
  }
  if (typeof v.targets === "string") {
    const file = v.targets;
    const text = readFile(file);
    if (text === null) fail(`--targets: cannot read file "${file}"`);
    try {
      options.targets = parseTargets(file, text as string, readFile);
    } catch (error) {
      if (error instanceof TargetsFileError) fail(error.reason);
      throw error;
    }
    if (positionals.length === 0) {
      options.url = "";
      handled = true;
    }
  }
  // Its value was read with the other table options (`_table_flags.ts`).
  if (typeof v["targets-order"] === "string" && v.targets === undefined) {
    fail("--targets-order needs --targets");
  }
  if (typeof v["iteration-timeout"] === "string") {
    const text = v["iteration-timeout"];
    let ms = NaN;
    try {
      ms = parseDuration(text);
    } catch { /* reported below */ }
    if (!(ms > 0)) fail(`invalid --iteration-timeout "${text}": expected a duration > 0, e.g. 30s`);
    options.iterationTimeoutMs = ms;
  }
  if (Array.isArray(v.env)) {
    const env: Record<string, string> = {};
    for (const item of v.env) {
      const eq = item.indexOf("=");
      if (eq <= 0) fail(`invalid --env "${item}": expected NAME=value`);
      env[item.slice(0, eq)] = item.slice(eq + 1);
    }
    options.env = env;
  }
  return handled;
}
