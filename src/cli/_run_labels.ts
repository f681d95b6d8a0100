/**
 * The labels a run's live outputs carry: `run` (`$LUNGE_RUN_ID`, else one
 * made from the start time, so that the segments of a fleet share it only
 * when told to) and `segment` (`I/N` of `--segment`, `0/1` for a whole run).
 *
 * @module
 */
import type { RunOptions } from "../engine/options.ts";

/**
 * The `run` and `segment` labels of this run.
 *
 * @example
 * ```ts
 * import { runLabels } from "./_run_labels.ts";
 * runLabels({ url: "builtin", segment: { index: 1, count: 3 } }, () => "nightly-42");
 * // { run: "nightly-42", segment: "1/3" }
 * ```
 */
export function runLabels(
  options: Pick<RunOptions, "segment">,
  env: (name: string) => string | undefined,
): { run: string; segment: string } {
  const given = env("LUNGE_RUN_ID")?.trim() ?? "";
  const run = given !== "" ? given : `lunge-${new Date().toISOString().replace(/[-:]|\.\d+/g, "")}`;
  const segment = options.segment ?? { index: 0, count: 1 };
  return { run, segment: `${segment.index}/${segment.count}` };
}
