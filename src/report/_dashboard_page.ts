/**
 * The live dashboard's page while the run goes: the report's stylesheet,
 * the chart library's, and the page script (uPlot and the client, bundled
 * at build time), all inline: no network but the page's own event stream.
 * When the run ends the server serves `renderHtml(result)` in its place.
 *
 * @module
 */
import { escapeHtml as esc } from "./html_escape.ts";
import { HTML_REPORT_CSS } from "./_html_style.ts";

/** What the page is built from. */
export interface DashboardPageOptions {
  /** The run in a few words, e.g. `GET http://127.0.0.1:8080/`. */
  title: string;
  /** The bundled page script (an IIFE). */
  script: string;
  /** The chart library's stylesheet. */
  css: string;
}

const DASHBOARD_CSS = `
.status { display: flex; gap: 16px; align-items: center; margin: 10px 0; color: var(--muted); }
.status .phase { font-weight: 600; color: var(--fg); text-transform: capitalize; }
.status .live { width: 10px; height: 10px; border-radius: 50%; background: var(--ok); display: inline-block; }
.status .live.off { background: var(--bad); }
.chart { background: #fff; border: 1px solid var(--line); border-radius: 8px; padding: 10px; min-height: 270px; }
.chart h3 { font-size: 14px; margin: 0 0 6px; }
#names { grid-column: 1 / -1; }
.thr-pass { color: var(--ok); font-weight: 600; } .thr-fail { color: var(--bad); font-weight: 600; }
`;

/**
 * The live page's HTML.
 *
 * @example
 * ```ts
 * import { renderDashboardPage } from "./_dashboard_page.ts";
 * const html = renderDashboardPage({ title: "GET http://127.0.0.1:8080/", script: "", css: "" });
 * console.log(html.startsWith("<!DOCTYPE html>")); // true
 * ```
 */
export function renderDashboardPage(options: DashboardPageOptions): string {
  // A "</script" inside the bundle would end the element early.
  const script = options.script.replace(/<\/script/gi, "<\\/script");
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; connect-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>lunge live: ${esc(options.title)}</title>
<style>${HTML_REPORT_CSS}${options.css}${DASHBOARD_CSS}</style>
</head>
<body>
<main>
<h1>lunge live</h1>
<div class="target">${esc(options.title)}</div>
<div class="status"><span class="live" id="live"></span><span class="phase" id="phase">starting</span><span id="left"></span></div>
<div class="cards" id="cards"></div>
<h2>Over time</h2>
<div class="charts">
<div class="chart" id="chart-rate"><h3>Requests per second (plan, completed, failed, missed sends)</h3></div>
<div class="chart" id="chart-latency"><h3>Latency, ms (corrected per second; service time since start)</h3></div>
<div class="chart" id="chart-errors"><h3>Errors per second by kind and status</h3></div>
<div class="chart" id="chart-connections"><h3>Open connections</h3></div>
</div>
<h2>Details</h2>
<div class="tables">
<table id="thresholds"></table>
<table id="errors"></table>
<table id="names"></table>
</div>
</main>
<script>${script}</script>
</body>
</html>
`;
}
