/**
 * Reporters: pure functions from a `RunResult` to the terminal summary, the
 * `--json` file, the self-contained `--html` page, and the live progress line.
 *
 * @example
 * ```ts
 * import { formatSummary, renderHtml, toJson } from "./mod.ts";
 * import type { RunResult } from "../result/run_result.ts";
 * declare const result: RunResult;
 * console.log(formatSummary(result, { color: false }));
 * const json = toJson(result);
 * const html = renderHtml(result);
 * ```
 *
 * @module
 */
export { formatSummary, type SummaryOptions } from "./_text.ts";
export { parseResultJson, toJson } from "../result/json.ts";
export { renderHtml } from "./_html.ts";
export { type DashboardPageOptions, renderDashboardPage } from "./_dashboard_page.ts";
export { totalFailureLine } from "./_failure_cause.ts";
export { formatProgressLine, type ProgressInfo, type ProgressOptions } from "./_progress.ts";
export { formatBytes, formatCount, formatDuration, formatMs, formatPercent } from "./_units.ts";
export { type AnsiStyle, paint, stripAnsi } from "./_ansi.ts";
