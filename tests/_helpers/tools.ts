/**
 * Test helper: tests that need a Debian tool (chromium, promtool, nginx, ...)
 * or a Linux facility (/proc). When it is missing such a test is skipped
 * outside CI, where the runner counts it as skipped, and runs and FAILS under
 * `CI=true`, where `.ci/run` installs every tool and a skip would hide a test
 * that never ran.
 *
 * Skip only through the test's options (`it(name, tool.options(), fn)`):
 * Deno counts `t.skip()` inside a test as passed and Bun drops a skipped
 * `describe` from its counts, so neither would show in the closing line.
 *
 * @module
 */
import process from "node:process";

/**
 * Whether the tests run in CI: `CI` set to anything but "", "0" or "false".
 *
 * @example
 * ```ts
 * import { inCi } from "./tools.ts";
 * console.log(inCi({ CI: "true" })); // true
 * ```
 */
export function inCi(env: Record<string, string | undefined> = process.env): boolean {
  const v = env.CI;
  return v !== undefined && v !== "" && v !== "0" && v.toLowerCase() !== "false";
}

/** A tool some tests need, found or not. */
export interface NeededTool {
  /** e.g. "promtool". */
  name: string;
  /** Where it was found; null when missing. */
  path: string | null;
  /**
   * Options for `it()`: `skip` with the reason when the tool is missing outside
   * CI, otherwise no skip (under CI the test runs and {@linkcode NeededTool.require} fails it).
   */
  options(extra?: { timeout?: number }): { skip: string | false; timeout?: number };
  /** The tool's path; throws a one-line error naming the tool and its package when missing. */
  require(): string;
}

/**
 * Describes a tool the tests need.
 *
 * @example
 * ```ts
 * import { it } from "node:test";
 * import { needTool } from "./tools.ts";
 * const promtool = needTool("promtool", "/usr/bin/promtool", "apt-get install -y prometheus");
 * it("checks the exposition", promtool.options(), () => {
 *   const bin = promtool.require();
 *   console.log(bin);
 * });
 * ```
 */
export function needTool(
  name: string,
  path: string | null,
  install: string,
  env: Record<string, string | undefined> = process.env,
): NeededTool {
  const ci = inCi(env);
  const reason = `${name} is missing (${install})`;
  if (path === null && !ci) console.warn(`SKIP tests that need ${reason}`);
  return {
    name,
    path,
    options: (extra = {}) => ({ ...extra, skip: path === null && !ci ? reason : false }),
    require: () => {
      if (path === null) throw new Error(`${reason}; CI=true, so the test fails instead of skipping`);
      return path;
    },
  };
}
