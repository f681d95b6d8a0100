/**
 * The orchestrator's side of a scenario run: `setup()` before the load,
 * `teardown()` after it, the job the workers receive, and the summary from
 * the lanes and the workers' reports.
 *
 * @module
 */
import type { NamedLanes } from "../../collector/named_lanes.ts";
import { setupContext } from "./_context.ts";
import { VuHttpClient } from "./_http_client.ts";
import type { LoadedScenario } from "./load.ts";
import { ScenarioLoadError } from "./load.ts";
import type { ScenarioJob, ScenarioWorkerReport } from "./job.ts";
import type { ScenarioSummary } from "../../result/scenario_summary.ts";

/** A scenario run in progress. */
export interface ScenarioRun {
  /** The loaded module. */
  loaded: LoadedScenario;
  /** What every worker receives. */
  job: ScenarioJob;
  /** What the workers reported when done. */
  reports: ScenarioWorkerReport[];
}

/**
 * Runs `setup()` (its requests are not measured) and builds the workers' job.
 *
 * @example
 * ```ts
 * import { loadScenario } from "./load.ts";
 * import { prepareScenarioRun } from "./run_support.ts";
 * // const sr = await prepareScenarioRun(await loadScenario("s.ts"), { base: "", timeoutMs: 1e4, env: {}, iterationTimeoutMs: 6e4, forceFetch: false });
 * ```
 */
export async function prepareScenarioRun(
  loaded: LoadedScenario,
  options: {
    base: string;
    timeoutMs: number;
    env: Record<string, string>;
    iterationTimeoutMs: number;
    forceFetch: boolean;
  },
): Promise<ScenarioRun> {
  const env = options.base === "" ? options.env : { BASE_URL: options.base, ...options.env };
  let dataJson = "";
  const setup = loaded.module.setup;
  if (setup !== undefined) {
    const http = new VuHttpClient({
      base: options.base,
      timeoutMs: options.timeoutMs,
      recorder: null,
      forceFetch: options.forceFetch,
    });
    try {
      const data = await setup(setupContext(http, env));
      if (data !== undefined) {
        dataJson = JSON.stringify(data);
        if (dataJson === undefined) throw new TypeError("setup() must return JSON-serialisable data");
      }
    } catch (error) {
      if (error instanceof ScenarioLoadError) throw error;
      throw new Error(
        `${loaded.file}: setup() failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    } finally {
      http.close();
    }
  }
  return {
    loaded,
    job: {
      moduleUrl: loaded.moduleUrl,
      base: options.base,
      dataJson,
      env,
      iterationTimeoutMs: options.iterationTimeoutMs,
    },
    reports: [],
  };
}

/**
 * Runs `teardown(data)` when the module has one.
 *
 * @example
 * ```ts
 * import { finishScenarioRun, type ScenarioRun } from "./run_support.ts";
 * declare const sr: ScenarioRun;
 * await finishScenarioRun(sr, 10_000, false);
 * ```
 */
export async function finishScenarioRun(
  sr: ScenarioRun,
  timeoutMs: number,
  forceFetch: boolean,
): Promise<void> {
  const teardown = sr.loaded.module.teardown;
  if (teardown === undefined) return;
  const http = new VuHttpClient({ base: sr.job.base, timeoutMs, recorder: null, forceFetch });
  try {
    await teardown(
      sr.job.dataJson === "" ? undefined : JSON.parse(sr.job.dataJson),
      setupContext(http, sr.job.env),
    );
  } catch (error) {
    throw new Error(
      `${sr.loaded.file}: teardown() failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  } finally {
    http.close();
  }
}

/**
 * The scenario part of the result.
 *
 * @example
 * ```ts
 * import { scenarioSummary, type ScenarioRun } from "./run_support.ts";
 * import type { NamedLanes } from "../../collector/named_lanes.ts";
 * declare const sr: ScenarioRun;
 * declare const lanes: NamedLanes;
 * scenarioSummary(sr, lanes).iterations.count;
 * ```
 */
export function scenarioSummary(sr: ScenarioRun, lanes: NamedLanes): ScenarioSummary {
  const counts = new Map<string, number>();
  let timedOut = 0;
  let abandoned = 0;
  for (const r of sr.reports) {
    timedOut += r.timedOut;
    abandoned += r.abandoned;
    for (const [message, n] of r.errors) counts.set(message, (counts.get(message) ?? 0) + n);
  }
  const errors = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 10).map(([message, count]) => ({
    message,
    count,
  }));
  return {
    file: sr.loaded.file,
    iterations: lanes.iterations(),
    checks: lanes.checks(),
    errors,
    timedOut,
    abandoned,
    overflowedNames: lanes.overflowed,
  };
}
