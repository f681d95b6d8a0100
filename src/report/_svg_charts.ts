/**
 * Internal: the inline SVG charts of the HTML report, generated as strings
 * (no chart library, no script): a line chart over time and a latency
 * distribution with a logarithmic axis.
 *
 * @module
 */
import { escapeHtml } from "./html_escape.ts";
import { linearScale, logScale, type Scale } from "./_svg_scale.ts";

const WIDTH = 760;
const HEIGHT = 290;
const MARGIN = { left: 70, right: 20, top: 30, bottom: 44 };
const PLOT_LEFT = MARGIN.left;
const PLOT_RIGHT = WIDTH - MARGIN.right;
const PLOT_TOP = MARGIN.top;
const PLOT_BOTTOM = HEIGHT - MARGIN.bottom;
const LEGEND_Y = 14;
/** Above this many points a line has no per-point markers (they would only add weight). */
const MARKER_LIMIT = 120;

/** One line of a line chart. */
export interface LineSeries {
  name: string;
  /** CSS color. */
  color: string;
  /** [x, y] pairs, ascending in x. */
  points: Array<[number, number]>;
  dashed?: boolean;
}

/** What `lineChart` draws. */
export interface LineChartSpec {
  /** Accessible title of the chart. */
  title: string;
  /** Identifier of the chart (`data-chart` attribute). */
  id: string;
  xLabel: string;
  yLabel: string;
  series: LineSeries[];
  /** Logarithmic y axis (latency spanning decades). */
  logY?: boolean;
  /** Formats a y value (tooltips). */
  formatY: (value: number) => string;
  /** Formats a y tick; defaults to `formatY`. */
  formatYTick?: (value: number) => string;
}

/**
 * An SVG line chart with axes, grid, legend and per-point tooltips
 * (`<title>`).
 *
 * @example
 * ```ts
 * import { lineChart } from "./_svg_charts.ts";
 * const svg = lineChart({
 *   title: "Requests per second", id: "rps", xLabel: "seconds", yLabel: "req/s",
 *   series: [{ name: "rps", color: "#2563eb", points: [[0, 990], [1, 1002]] }],
 *   formatY: (v) => String(v),
 * });
 * ```
 */
export function lineChart(spec: LineChartSpec): string {
  const all = spec.series.flatMap((s) => s.points);
  if (all.length === 0) return emptyChart(spec.title, spec.id);
  const xs = all.map(([x]) => x);
  const ys = all.map(([, y]) => y);
  const x = linearScale(
    Math.min(...xs),
    Math.max(Math.max(...xs), Math.min(...xs) + 1),
    PLOT_LEFT,
    PLOT_RIGHT,
    8,
  );
  const positive = ys.filter((v) => v > 0);
  const y = spec.logY && positive.length > 0
    ? logScale(Math.min(...positive), Math.max(...positive), PLOT_BOTTOM, PLOT_TOP)
    : linearScale(0, Math.max(...ys, 0), PLOT_BOTTOM, PLOT_TOP);

  const parts: string[] = [open(spec.title, spec.id)];
  parts.push(grid(x, y, (v) => formatTick(v), spec.formatYTick ?? spec.formatY));
  parts.push(axisLabels(spec.xLabel, spec.yLabel));
  for (const series of spec.series) {
    if (series.points.length === 0) continue;
    const path = series.points.map(([px, py]) => `${fmt(x.at(px))},${fmt(y.at(py))}`).join(" ");
    const dash = series.dashed ? ` stroke-dasharray="6 4"` : "";
    parts.push(
      `<polyline class="series" data-series="${
        escapeHtml(series.name)
      }" fill="none" stroke="${series.color}" ` +
        `stroke-width="2"${dash} points="${path}"/>`,
    );
    if (series.points.length <= MARKER_LIMIT && !series.dashed) {
      for (const [px, py] of series.points) {
        parts.push(
          `<circle cx="${fmt(x.at(px))}" cy="${fmt(y.at(py))}" r="2.5" fill="${series.color}">` +
            `<title>${escapeHtml(`${series.name} at ${px}s: ${spec.formatY(py)}`)}</title></circle>`,
        );
      }
    }
  }
  parts.push(legend(spec.series));
  parts.push("</svg>");
  return parts.join("\n");
}

/** One bar of the latency distribution. */
export interface DistributionBin {
  /** Lower and upper bound in ms. */
  lowMs: number;
  highMs: number;
  count: number;
}

/** What `distributionChart` draws. */
export interface DistributionSpec {
  title: string;
  id: string;
  bins: DistributionBin[];
  /** Vertical markers, e.g. p50 and p99. */
  markers: Array<{ label: string; valueMs: number; color: string }>;
  formatMs: (ms: number) => string;
  /** Formats an x tick; defaults to `formatMs`. */
  formatMsTick?: (ms: number) => string;
}

/**
 * An SVG bar chart of a latency distribution on a logarithmic ms axis; bars
 * with few requests keep at least one pixel so that a tail stays visible.
 *
 * @example
 * ```ts
 * import { distributionChart } from "./_svg_charts.ts";
 * const svg = distributionChart({
 *   title: "Latency distribution", id: "distribution",
 *   bins: [{ lowMs: 1, highMs: 2, count: 10 }], markers: [], formatMs: (ms) => `${ms}ms`,
 * });
 * ```
 */
export function distributionChart(spec: DistributionSpec): string {
  const bins = spec.bins.filter((b) => b.count > 0);
  if (bins.length === 0) return emptyChart(spec.title, spec.id);
  const low = Math.min(...bins.map((b) => b.lowMs));
  const high = Math.max(...bins.map((b) => b.highMs));
  const x = logScale(Math.max(low, 1e-6), high, PLOT_LEFT, PLOT_RIGHT);
  const y = linearScale(0, Math.max(...bins.map((b) => b.count)), PLOT_BOTTOM, PLOT_TOP);
  const parts: string[] = [open(spec.title, spec.id)];
  parts.push(grid(x, y, spec.formatMsTick ?? spec.formatMs, (v) => formatTick(v)));
  parts.push(axisLabels("latency (log scale)", "requests"));
  for (const bin of bins) {
    const left = x.at(Math.max(bin.lowMs, 1e-6));
    const right = Math.max(left + 1, x.at(bin.highMs) - 0.5);
    const top = Math.min(y.at(bin.count), PLOT_BOTTOM - 1);
    parts.push(
      `<rect class="bar" x="${fmt(left)}" y="${fmt(top)}" width="${fmt(right - left)}" ` +
        `height="${fmt(PLOT_BOTTOM - top)}" fill="#2563eb">` +
        `<title>${
          escapeHtml(`${spec.formatMs(bin.lowMs)} – ${spec.formatMs(bin.highMs)}: ${bin.count} requests`)
        }</title>` +
        `</rect>`,
    );
  }
  for (const marker of spec.markers) {
    if (!(marker.valueMs > 0)) continue;
    const mx = fmt(x.at(marker.valueMs));
    parts.push(
      `<line x1="${mx}" x2="${mx}" y1="${PLOT_TOP}" y2="${PLOT_BOTTOM}" stroke="${marker.color}" ` +
        `stroke-width="1.5" stroke-dasharray="4 3"/>` +
        `<text x="${mx}" y="${PLOT_TOP - 6}" text-anchor="middle" class="marker" fill="${marker.color}">` +
        `${escapeHtml(marker.label)}</text>`,
    );
  }
  parts.push("</svg>");
  return parts.join("\n");
}

function open(title: string, id: string): string {
  // No xmlns: inline SVG in HTML does not need one, and the page names no URL of its own.
  return `<svg class="chart" data-chart="${escapeHtml(id)}" ` +
    `viewBox="0 0 ${WIDTH} ${HEIGHT}" width="${WIDTH}" height="${HEIGHT}" role="img" ` +
    `aria-label="${escapeHtml(title)}">\n<title>${escapeHtml(title)}</title>`;
}

function emptyChart(title: string, id: string): string {
  return `${open(title, id)}\n<text x="${WIDTH / 2}" y="${HEIGHT / 2}" text-anchor="middle" class="empty">` +
    `no data</text>\n</svg>`;
}

function grid(x: Scale, y: Scale, formatX: (v: number) => string, formatY: (v: number) => string): string {
  const out: string[] = [];
  for (const t of y.ticks) {
    const py = fmt(y.at(t));
    out.push(`<line class="grid" x1="${PLOT_LEFT}" x2="${PLOT_RIGHT}" y1="${py}" y2="${py}"/>`);
    out.push(
      `<text class="tick" x="${PLOT_LEFT - 6}" y="${py}" text-anchor="end" dominant-baseline="middle">` +
        `${escapeHtml(formatY(t))}</text>`,
    );
  }
  for (const t of x.ticks) {
    const px = fmt(x.at(t));
    out.push(`<line class="grid" x1="${px}" x2="${px}" y1="${PLOT_TOP}" y2="${PLOT_BOTTOM}"/>`);
    out.push(
      `<text class="tick" x="${px}" y="${PLOT_BOTTOM + 16}" text-anchor="middle">${
        escapeHtml(formatX(t))
      }</text>`,
    );
  }
  out.push(
    `<rect class="frame" x="${PLOT_LEFT}" y="${PLOT_TOP}" width="${PLOT_RIGHT - PLOT_LEFT}" ` +
      `height="${PLOT_BOTTOM - PLOT_TOP}" fill="none"/>`,
  );
  return out.join("\n");
}

function axisLabels(xLabel: string, yLabel: string): string {
  const cx = (PLOT_LEFT + PLOT_RIGHT) / 2;
  const cy = (PLOT_TOP + PLOT_BOTTOM) / 2;
  return `<text class="axis" x="${cx}" y="${HEIGHT - 6}" text-anchor="middle">${
    escapeHtml(xLabel)
  }</text>\n` +
    `<text class="axis" x="14" y="${cy}" text-anchor="middle" transform="rotate(-90 14 ${cy})">` +
    `${escapeHtml(yLabel)}</text>`;
}

function legend(series: LineSeries[]): string {
  let px = PLOT_LEFT;
  const out: string[] = [];
  for (const s of series) {
    const dash = s.dashed ? ` stroke-dasharray="6 4"` : "";
    // Above the plot area, in the top margin: never over the data.
    out.push(
      `<line x1="${px}" x2="${px + 18}" y1="${LEGEND_Y}" y2="${LEGEND_Y}" stroke="${s.color}" ` +
        `stroke-width="2"${dash}/>`,
    );
    out.push(
      `<text class="legend" x="${px + 22}" y="${LEGEND_Y}" dominant-baseline="middle">` +
        `${escapeHtml(s.name)}</text>`,
    );
    px += 34 + s.name.length * 7;
  }
  return out.join("\n");
}

function formatTick(value: number): string {
  if (Math.abs(value) >= 1e6) return `${Number((value / 1e6).toPrecision(3))}M`;
  if (Math.abs(value) >= 1e4) return `${Number((value / 1e3).toPrecision(3))}k`;
  return String(Number(value.toPrecision(4)));
}

function fmt(value: number): string {
  return value.toFixed(1);
}
