/**
 * Reporters of `lunge compare`: the side-by-side text table, the JSON
 * document and a small self-contained HTML page. Pure functions.
 *
 * @module
 */
import type { CompareReport, CompareRow } from "../result/compare.ts";
import { escapeHtml } from "./html_escape.ts";

function figure(value: number, unit: string): string {
  if (!Number.isFinite(value)) return "-";
  if (unit === "ms") return `${value.toFixed(value >= 100 ? 1 : 3)} ms`;
  if (unit === "%") return `${value.toFixed(3)}%`;
  if (unit === "req/s") return `${value.toFixed(1)} req/s`;
  return String(Math.round(value));
}

function delta(row: CompareRow): string {
  const sign = row.delta > 0 ? "+" : row.delta < 0 ? "-" : "±";
  const magnitude = row.unit === "%"
    ? `${Math.abs(row.delta).toFixed(3)}pp`
    : figure(Math.abs(row.delta), row.unit);
  const percent = row.deltaPercent === null || row.unit === "%"
    ? ""
    : ` (${row.deltaPercent >= 0 ? "+" : ""}${row.deltaPercent.toFixed(1)}%)`;
  return `${sign}${magnitude}${percent}`;
}

function status(row: CompareRow): string {
  if (row.limit === null) return "";
  return row.exceeded ? `FAIL ${row.limit}` : `ok ${row.limit}`;
}

/**
 * The comparison as a text table (ends with a newline).
 *
 * @example
 * ```ts
 * import { formatCompareTable } from "./compare_report.ts";
 * import type { CompareReport } from "../result/compare.ts";
 * declare const report: CompareReport;
 * console.log(formatCompareTable(report, "base.json", "new.json"));
 * ```
 */
export function formatCompareTable(report: CompareReport, baseName: string, currentName: string): string {
  const header = ["metric", baseName, currentName, "delta", "limit"];
  const rows = report.rows.map((
    r,
  ) => [r.metric, figure(r.base, r.unit), figure(r.current, r.unit), delta(r), status(r)]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]): string =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ").trimEnd();
  const out = [line(header), widths.map((w) => "-".repeat(w)).join("  "), ...rows.map(line)];
  out.push(
    "",
    report.failed.length === 0
      ? "compare: no limit exceeded"
      : `compare: exceeded ${report.failed.join(", ")}`,
  );
  return out.join("\n") + "\n";
}

/**
 * The comparison as JSON (ends with a newline).
 *
 * @example
 * ```ts
 * import { compareJson } from "./compare_report.ts";
 * import type { CompareReport } from "../result/compare.ts";
 * declare const report: CompareReport;
 * JSON.parse(compareJson(report, "base.json", "new.json")).passed;
 * ```
 */
export function compareJson(report: CompareReport, baseName: string, currentName: string): string {
  const rows = report.rows.map((r) => ({ ...r, deltaPercent: r.deltaPercent }));
  return JSON.stringify(
    {
      base: baseName,
      current: currentName,
      passed: report.failed.length === 0,
      failed: report.failed,
      warnings: report.warnings,
      rows,
    },
    (_key, value) => (typeof value === "number" && !Number.isFinite(value) ? null : value),
    2,
  ) + "\n";
}

/**
 * The comparison as a self-contained HTML page.
 *
 * @example
 * ```ts
 * import { renderCompareHtml } from "./compare_report.ts";
 * import type { CompareReport } from "../result/compare.ts";
 * declare const report: CompareReport;
 * renderCompareHtml(report, "base.json", "new.json").startsWith("<!doctype html>"); // true
 * ```
 */
export function renderCompareHtml(report: CompareReport, baseName: string, currentName: string): string {
  const cell = (text: string, cls = ""): string =>
    `<td${cls ? ` class="${cls}"` : ""}>${escapeHtml(text)}</td>`;
  const rows = report.rows.map((r) =>
    `<tr>${cell(r.metric)}${cell(figure(r.base, r.unit), "n")}${cell(figure(r.current, r.unit), "n")}${
      cell(delta(r), "n")
    }${cell(status(r), r.exceeded ? "fail" : "")}</tr>`
  ).join("\n");
  const warnings = report.warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join("");
  const verdict = report.failed.length === 0 ? "No limit exceeded" : `Exceeded: ${report.failed.join(", ")}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>lunge compare</title>
<style>body{font:14px system-ui,sans-serif;margin:2em}table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #ddd}
.n{text-align:right;font-variant-numeric:tabular-nums}.fail{color:#b00;font-weight:bold}</style></head>
<body><h1>lunge compare</h1><p>${escapeHtml(verdict)}</p>${warnings ? `<ul>${warnings}</ul>` : ""}
<table><tr><th>metric</th><th>${escapeHtml(baseName)}</th><th>${
    escapeHtml(currentName)
  }</th><th>delta</th><th>limit</th></tr>
${rows}
</table></body></html>
`;
}
