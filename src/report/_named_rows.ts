/**
 * Internal: the per-name and scenario sections of the text and HTML reports.
 *
 * @module
 */
import type { NamedStats, RunResult } from "../result/run_result.ts";
import { escapeHtml as esc } from "./html_escape.ts";
import { formatCount, formatMs } from "./_units.ts";

function errorsText(s: NamedStats): string {
  const parts = [
    ...Object.entries(s.errorsByStatus).map(([k, v]) => `${k}×${formatCount(v)}`),
    ...Object.entries(s.errorsByKind).map(([k, v]) => `${k}×${formatCount(v)}`),
  ];
  return parts.length === 0 ? "0" : `${formatCount(s.errors)} (${parts.join(", ")})`;
}

function row(s: NamedStats): string[] {
  return [
    s.name,
    formatCount(s.count),
    errorsText(s),
    formatMs(s.latency.p50),
    formatMs(s.latency.p90),
    formatMs(s.latency.p99),
    formatMs(s.latency.max),
  ];
}

const HEAD = ["name", "count", "errors", "p50", "p90", "p99", "max"];

function table(rows: string[][]): string[] {
  const widths = HEAD.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (r: string[]): string =>
    "  " +
    r.map((cell, i) => (i === 0 || i === 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ");
  return [line(HEAD), ...rows.map(line)];
}

/**
 * Text lines of the per-name, iteration, check and error sections (none
 * when the run had neither a request set nor a scenario).
 *
 * @example
 * ```ts
 * import { namedTextLines } from "./_named_rows.ts";
 * import type { RunResult } from "../result/run_result.ts";
 * declare const result: RunResult;
 * console.log(namedTextLines(result).join("\n"));
 * ```
 */
export function namedTextLines(result: RunResult): string[] {
  const out: string[] = [];
  const names = result.names ?? [];
  if (names.length > 0) out.push("", "Per name", ...table(names.map(row)));
  const sc = result.scenario;
  if (sc) {
    out.push("", "Iterations", ...table([row(sc.iterations)]));
    if (sc.timedOut > 0) out.push(`  timed out: ${formatCount(sc.timedOut)}`);
    if (sc.abandoned > 0) out.push(`  still running at the end (not counted): ${formatCount(sc.abandoned)}`);
    if (sc.overflowedNames > 0) {
      out.push(`  ${formatCount(sc.overflowedNames)} step names past the table were counted under "other"`);
    }
    if (sc.checks.length > 0) {
      out.push("", "Checks");
      for (const c of sc.checks) {
        const total = c.passes + c.fails;
        const pct = total === 0 ? "-" : `${((c.passes / total) * 100).toFixed(2)}%`;
        out.push(
          `  ${c.fails === 0 ? "✓" : "✗"} ${c.name}  ${pct}  (${formatCount(c.passes)} passed, ${
            formatCount(c.fails)
          } failed)`,
        );
      }
    }
    if (sc.errors.length > 0) {
      out.push("", "Iteration errors");
      for (const e of sc.errors) out.push(`  ${formatCount(e.count).padStart(8)}  ${e.message}`);
    }
  }
  return out;
}

function htmlTable(title: string, rows: string[][]): string {
  const head = `<tr>${
    HEAD.map((h, i) => `<th${i === 0 || i === 2 ? "" : ' class="num"'}>${i === 0 ? esc(title) : h}</th>`)
      .join("")
  }</tr>`;
  const body = rows.map((r) =>
    `<tr>${
      r.map((cell, i) => `<td${i === 0 || i === 2 ? "" : ' class="num"'}>${esc(cell)}</td>`).join("")
    }</tr>`
  );
  return `<table class="names">\n${head}\n${body.join("\n")}\n</table>`;
}

/**
 * HTML tables of the per-name, iteration, check and error sections ("" when none).
 *
 * @example
 * ```ts
 * import { namedHtml } from "./_named_rows.ts";
 * import type { RunResult } from "../result/run_result.ts";
 * declare const result: RunResult;
 * const html = namedHtml(result);
 * ```
 */
export function namedHtml(result: RunResult): string {
  const parts: string[] = [];
  const names = result.names ?? [];
  if (names.length > 0) parts.push(htmlTable("Per name", names.map(row)));
  const sc = result.scenario;
  if (sc) {
    parts.push(htmlTable("Iterations", [row(sc.iterations)]));
    if (sc.checks.length > 0) {
      const body = sc.checks.map((c) =>
        `<tr><td>${esc(c.name)}</td><td class="num">${formatCount(c.passes)}</td><td class="num ${
          c.fails > 0 ? "bad" : ""
        }">${formatCount(c.fails)}</td></tr>`
      );
      parts.push(
        `<table class="checks">\n<tr><th>Check</th><th class="num">passed</th><th class="num">failed</th></tr>\n${
          body.join("\n")
        }\n</table>`,
      );
    }
    if (sc.errors.length > 0) {
      const body = sc.errors.map((e) =>
        `<tr><td class="num">${formatCount(e.count)}</td><td>${esc(e.message)}</td></tr>`
      );
      parts.push(
        `<table class="iteration-errors">\n<tr><th class="num">count</th><th>Iteration error</th></tr>\n${
          body.join("\n")
        }\n</table>`,
      );
    }
  }
  return parts.join("\n");
}
