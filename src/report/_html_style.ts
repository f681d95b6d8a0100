/**
 * Internal: the inline stylesheet of the HTML report (system fonts only: no
 * network).
 *
 * @module
 */
import { escapeHtml } from "./html_escape.ts";

/**
 * CSS of the HTML report.
 *
 * @example
 * ```ts
 * import { HTML_REPORT_CSS } from "./_html_style.ts";
 * const page = `<style>${HTML_REPORT_CSS}</style>`;
 * ```
 */
export const HTML_REPORT_CSS = `
:root { color-scheme: light; --fg: #111827; --muted: #6b7280; --line: #e5e7eb; --ok: #15803d; --bad: #b91c1c;
  --warn: #b45309; --accent: #2563eb; }
* { box-sizing: border-box; }
body { margin: 0; padding: 24px 32px 48px; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto,
  "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: #f9fafb; }
main { max-width: 1100px; margin: 0 auto; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 16px; margin: 28px 0 10px; }
.target { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; word-break: break-all;
  color: var(--accent); }
.banner { margin: 12px 0; padding: 10px 14px; border-radius: 6px; font-weight: 600; }
.banner.interrupted { background: #fef3c7; color: var(--warn); }
.banner.refused { background: #fee2e2; color: var(--bad); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 12px; margin-top: 16px; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px 14px; }
.card .label { color: var(--muted); font-size: 12px; text-transform: uppercase; letter-spacing: .04em; }
.card .sub { font-size: 12px; font-weight: 400; color: var(--muted); }
.card .value { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
.charts { display: grid; grid-template-columns: 1fr; gap: 16px; }
figure { margin: 0; background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 12px; }
figcaption { font-weight: 600; margin-bottom: 6px; }
svg.chart { width: 100%; height: auto; display: block; }
svg .grid { stroke: var(--line); stroke-width: 1; }
svg .frame { stroke: #9ca3af; stroke-width: 1; }
svg .tick, svg .legend, svg .marker { font-size: 11px; fill: var(--muted); }
svg .axis { font-size: 12px; fill: var(--fg); }
svg .empty { font-size: 14px; fill: var(--muted); }
.tables { display: grid; align-items: start; grid-template-columns: repeat(auto-fit, minmax(320px, 1fr)); gap: 16px; }
table { border-collapse: collapse; background: #fff; border: 1px solid var(--line); border-radius: 8px;
  width: 100%; }
th, td { padding: 6px 12px; border-bottom: 1px solid var(--line); text-align: left; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
th { font-size: 12px; color: var(--muted); font-weight: 600; }
.ok { color: var(--ok); } .bad { color: var(--bad); } .warn { color: var(--warn); }
footer { margin-top: 32px; color: var(--muted); font-size: 12px; }
`;

/**
 * A complete, self-contained HTML document: the report stylesheet inline and
 * a Content-Security-Policy that forbids every network load. `title` is
 * escaped here; `main` is trusted markup the caller has escaped.
 *
 * @example
 * ```ts
 * import { htmlDocument } from "./_html_style.ts";
 * htmlDocument({ title: "run <1>", main: "<h1>hi</h1>" }).includes("run &lt;1&gt;"); // true
 * ```
 */
export function htmlDocument(page: { title: string; main: string; generator?: string }): string {
  const generator = page.generator === undefined
    ? ""
    : `\n<meta name="generator" content="${escapeHtml(page.generator)}">`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">${generator}
<title>${escapeHtml(page.title)}</title>
<style>${HTML_REPORT_CSS}</style>
</head>
<body>
<main>
${page.main}
</main>
</body>
</html>
`;
}
