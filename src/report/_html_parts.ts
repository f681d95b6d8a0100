/**
 * The HTML report's building blocks for other self-contained pages (the
 * stress report): the document shell with the shared style, HTML escaping,
 * and inline SVG line charts. No script, no network.
 *
 * @example
 * ```ts
 * import { escapeHtml, htmlDocument, lineChart } from "./_html_parts.ts";
 * const chart = lineChart({
 *   title: "Requests per second", id: "rps", xLabel: "seconds", yLabel: "req/s",
 *   series: [{ name: "rps", color: "#2563eb", points: [[0, 990], [1, 1002]] }],
 *   formatY: (v) => String(v),
 * });
 * const page = htmlDocument({ title: "Example", main: `<h1>${escapeHtml("a < b")}</h1>${chart}` });
 * ```
 *
 * @module
 */
export { escapeHtml } from "./html_escape.ts";
export { htmlDocument } from "./_html_style.ts";
export { lineChart, type LineChartSpec, type LineSeries } from "./_svg_charts.ts";
