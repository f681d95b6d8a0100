/**
 * Loading a scenario module on the orchestrator's thread: resolves its path,
 * imports it (bundled with esbuild first where the runtime cannot import
 * `.ts`), checks its exports, and turns a module that does not load into one
 * line naming file:line (`ScenarioLoadError`, a usage error: exit 2). Also
 * merges the module's `options` under the caller's options.
 *
 * @module
 */
import { runtime } from "../../runtime/mod.ts";
import { RunOptionsError } from "../../options/run_options_error.ts";
import { currentDirectory } from "../../runtime/cwd.ts";
import { runtimeName } from "../../runtime/mod.ts";
import { readTextFileOrNull } from "../../runtime/files.ts";
import { parseDuration } from "../../options/durations.ts";
import { parseAnyThreshold } from "../../thresholds/named_thresholds.ts";
import type { Threshold } from "../../thresholds/types.ts";
import type { ScenarioModule, ScenarioOptions } from "./types.ts";

/**
 * A scenario module that cannot be used. The message starts with
 * `Cannot start run: ` so that the CLI reports it as a usage error.
 *
 * @example
 * ```ts
 * import { ScenarioLoadError } from "./load.ts";
 * new ScenarioLoadError("s.ts:3:9: Expression expected").message; // "Cannot start run: s.ts:3:9: Expression expected"
 * ```
 */
export class ScenarioLoadError extends RunOptionsError {
  /** Creates the error. */
  constructor(message: string) {
    super("scenario", message);
    this.name = "ScenarioLoadError";
  }
}

/** A loaded scenario. */
export interface LoadedScenario {
  /** The path as given. */
  file: string;
  /** URL workers import the module from. */
  moduleUrl: string;
  /** The module. */
  module: ScenarioModule;
}

/** The `file:` URL of a path (relative to the working directory). */
export function scenarioUrl(path: string): string {
  if (path.startsWith("file:")) return path;
  const absolute = path.startsWith("/") ? path : `${currentDirectory()}/${path}`;
  return new URL(`file://${absolute.split("/").map(encodeURIComponent).join("/")}`).href;
}

/** file:line[:column] of a load failure, from the runtime's error. */
function locate(file: string, url: string, error: unknown): string {
  const e = error as { position?: { line?: number; column?: number }; message?: string; stack?: string };
  if (e?.position?.line !== undefined) return `${file}:${e.position.line}:${e.position.column ?? 0}`;
  const text = `${e?.message ?? ""}\n${e?.stack ?? ""}`;
  const escaped = url.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  const m = new RegExp(`${escaped}:(\\d+):(\\d+)`).exec(text) ?? /:(\d+):(\d+)\)?\s*$/m.exec(text);
  return m ? `${file}:${m[1]}:${m[2]}` : `${file}:1`;
}

function firstLine(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  return raw.replace(/^(TypeError: )?(SyntaxError: )?/, "").split("\n")[0].trim() || "cannot load";
}

/**
 * Imports and checks a scenario module.
 *
 * @example
 * ```ts
 * import { loadScenario } from "./load.ts";
 * // const scenario = await loadScenario("examples/login.ts");
 * ```
 */
export async function loadScenario(file: string): Promise<LoadedScenario> {
  let url = scenarioUrl(file);
  if (readTextFileOrNull(decodeURIComponent(new URL(url).pathname)) === null) {
    throw new ScenarioLoadError(`${file}: cannot read the scenario file`);
  }
  if (runtimeName === "node" && /\.(ts|mts)$/.test(file)) url = await bundleForNode(file, url);
  let module: Record<string, unknown>;
  try {
    module = await import(url);
  } catch (error) {
    if (/^(Module not found|Cannot find module)/i.test(String((error as Error)?.message))) {
      throw new ScenarioLoadError(`${file}: ${firstLine(error)}`);
    }
    throw new ScenarioLoadError(`${locate(file, url, error)}: ${firstLine(error)}`);
  }
  if (typeof module.default !== "function") {
    throw new ScenarioLoadError(
      `${file}:1: the scenario has no default export function (export default async function (ctx) { ... })`,
    );
  }
  for (const name of ["setup", "teardown"]) {
    if (module[name] !== undefined && typeof module[name] !== "function") {
      throw new ScenarioLoadError(`${file}:1: "${name}" must be a function`);
    }
  }
  if (module.options !== undefined && (typeof module.options !== "object" || module.options === null)) {
    throw new ScenarioLoadError(`${file}:1: "options" must be an object`);
  }
  return { file, moduleUrl: url, module: module as unknown as ScenarioModule };
}

async function bundleForNode(file: string, url: string): Promise<string> {
  const specifier = "esbuild"; // a variable: bundlers must not inline it
  let esbuild: {
    build: (options: Record<string, unknown>) => Promise<{ outputFiles: Array<{ text: string }> }>;
  };
  try {
    esbuild = await import(specifier);
  } catch {
    throw new ScenarioLoadError(
      `${file}: on Node a scenario is bundled with esbuild, which is not installed (npm install esbuild)`,
    );
  }
  let code: string;
  try {
    const out = await esbuild.build({
      entryPoints: [new URL(url).pathname],
      bundle: true,
      format: "esm",
      platform: "neutral",
      write: false,
      logLevel: "silent",
    });
    code = out.outputFiles[0].text;
  } catch (error) {
    const e = (error as { errors?: Array<{ text: string; location?: { line: number; column: number } }> })
      .errors?.[0];
    throw new ScenarioLoadError(
      `${file}:${e?.location?.line ?? 1}:${e?.location?.column ?? 0}: ${e?.text ?? error}`,
    );
  }
  return runtime.writeEntryFile(`scenario-${Date.now()}-${Math.random().toString(36).slice(2)}.mjs`, code)
    .href;
}

function ms(name: string, value: string | number | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value === "number") return value;
  try {
    return parseDuration(value);
  } catch (error) {
    throw new ScenarioLoadError(`options.${name}: ${(error as Error).message}`);
  }
}

/**
 * The fields of the run options (`RunOptions`) that a scenario's `options`
 * fill in. The run options pass as they are.
 *
 * @example
 * ```ts
 * import type { ScenarioRunOptions } from "./load.ts";
 * const given: ScenarioRunOptions = { concurrency: 2, durationMs: 10_000 };
 * ```
 */
export interface ScenarioRunOptions {
  /** Virtual users (closed), or the pool's start (open). */
  concurrency?: number;
  /** Open model: arrival rate, iterations/s. */
  rate?: number | null;
  /** Measured duration, ms. */
  durationMs?: number | null;
  /** Stop after this many measured iterations. */
  requests?: number | null;
  /** Warm-up, ms. */
  warmupMs?: number;
  /** Ramp up, ms. */
  rampUpMs?: number;
  /** Ramp down, ms. */
  rampDownMs?: number;
  /** Per-request timeout, ms. */
  timeoutMs?: number;
  /** Bound on one iteration, ms. */
  iterationTimeoutMs?: number;
  /** Load workers. */
  workers?: number;
  /** The scenario's `ctx.env`. */
  env?: Record<string, string>;
  /** Thresholds to evaluate at the end. */
  thresholds?: Threshold[];
}

/**
 * The scenario's `options` as run options, overridden by `given` (what the
 * caller set). Thresholds of both apply.
 *
 * @example
 * ```ts
 * import { mergeScenarioOptions } from "./load.ts";
 * mergeScenarioOptions({ vus: 5, duration: "10s" }, { url: "", concurrency: 2 }).concurrency; // 2
 * ```
 */
export function mergeScenarioOptions<T extends ScenarioRunOptions>(
  options: ScenarioOptions | undefined,
  given: T,
): T {
  const o = options ?? {};
  const fromModule: ScenarioRunOptions = {
    concurrency: o.rate !== undefined ? o.maxVUs : o.vus,
    rate: o.rate,
    durationMs: ms("duration", o.duration),
    requests: o.iterations,
    warmupMs: ms("warmup", o.warmup),
    rampUpMs: ms("rampUp", o.rampUp),
    rampDownMs: ms("rampDown", o.rampDown),
    timeoutMs: ms("timeout", o.timeout),
    iterationTimeoutMs: ms("iterationTimeout", o.iterationTimeout),
    workers: o.workers,
    env: o.env,
  };
  let moduleThresholds;
  try {
    moduleThresholds = (o.thresholds ?? []).map(parseAnyThreshold);
  } catch (error) {
    throw new ScenarioLoadError(`options.thresholds: ${(error as Error).message}`);
  }
  const merged: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fromModule)) if (v !== undefined) merged[k] = v;
  for (const [k, v] of Object.entries(given)) if (v !== undefined) merged[k] = v;
  // A duration or an iteration count given by the caller replaces both of the module's.
  if (given.durationMs !== undefined && given.requests === undefined) delete merged.requests;
  if (given.requests !== undefined && given.durationMs === undefined) delete merged.durationMs;
  if (given.concurrency === undefined && given.rate !== undefined && o.rate === undefined) {
    delete merged.concurrency;
  }
  merged.env = { ...(o.env ?? {}), ...(given.env ?? {}) };
  merged.thresholds = [...moduleThresholds, ...(given.thresholds ?? [])];
  return merged as unknown as T;
}
