/**
 * The live dashboard's page script (runs in the browser; bundled with uPlot
 * by `scripts/build.ts` into `src/_bundled/dashboard_page_source.ts`). It
 * opens the page's event stream (`events`, with the page's own query, so a
 * `?token=` goes along), draws every frame it is given, reconnects on its
 * own (EventSource), and reloads into the final report when the run ends.
 *
 * uPlot, because it is small (about 50 KB minified), draws time series on a
 * canvas (thousands of points redrawn each second cost next to nothing), and
 * needs no other library.
 *
 * @module
 */
import uPlot from "uplot";
import type { DashboardEvent, DashboardFrame } from "../dashboard_frame.ts";

const COLORS = ["#2563eb", "#dc2626", "#16a34a", "#d97706", "#7c3aed", "#0891b2", "#db2777", "#4b5563"];

let frames: DashboardFrame[] = [];
const charts = new Map<string, { plot: uPlot; keys: string }>();

function byId(id: string): HTMLElement {
  return document.getElementById(id) as HTMLElement;
}

function fmt(n: number, digits = 0): string {
  return Number.isFinite(n) ? n.toLocaleString("en-US", { maximumFractionDigits: digits }) : "–";
}

function ms(n: number): string {
  if (!Number.isFinite(n)) return "–";
  return n >= 1000 ? `${fmt(n / 1000, 2)} s` : n >= 10 ? `${fmt(n, 1)} ms` : `${fmt(n, 2)} ms`;
}

function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Draws (or redraws) one chart; a new set of series makes a new plot. */
function draw(id: string, names: string[], columns: Array<Array<number | null>>, xs: number[]): void {
  const box = byId(id);
  const keys = names.join("\u0000");
  let entry = charts.get(id);
  const data = [xs, ...columns] as uPlot.AlignedData;
  if (entry === undefined || entry.keys !== keys) {
    entry?.plot.destroy();
    const width = Math.max(300, box.clientWidth - 20);
    const plot = new uPlot(
      {
        width,
        height: 220,
        scales: { x: { time: false } },
        axes: [{ label: "s" }, {}],
        series: [
          { label: "s" },
          ...names.map((label, i) => ({ label, stroke: COLORS[i % COLORS.length], width: 1.5 })),
        ],
      },
      data,
      box,
    );
    entry = { plot, keys };
    charts.set(id, entry);
  } else {
    entry.plot.setData(data);
  }
  box.dataset.points = String(xs.length);
}

function renderCharts(): void {
  const xs = frames.map((f) => f.t);
  const open = frames.some((f) => f.plannedRate !== null);
  const sent = frames.some((f) => f.sentRate !== null);
  draw(
    "chart-rate",
    [...(open ? ["planned"] : []), ...(sent ? ["sent"] : []), "completed", "failed", "missed sends"],
    [
      ...(open ? [frames.map((f) => f.plannedRate)] : []),
      ...(sent ? [frames.map((f) => f.sentRate)] : []),
      frames.map((f) => f.completedRate),
      frames.map((f) => f.errorRate),
      frames.map((f) => f.missedRate),
    ],
    xs,
  );
  draw(
    "chart-latency",
    ["p50", "p95", "p99", "service p50", "service p99"],
    [
      frames.map((f) => f.second?.p50 ?? null),
      frames.map((f) => f.second?.p95 ?? null),
      frames.map((f) => f.second?.p99 ?? null),
      frames.map((f) => f.service?.p50 ?? null),
      frames.map((f) => f.service?.p99 ?? null),
    ],
    xs,
  );
  // Per-second rates from the cumulative counts by kind and status.
  const kinds = [...new Set(frames.flatMap((f) => Object.keys(f.errors)))].sort();
  const names = kinds.length > 0 ? kinds : ["errors"];
  draw(
    "chart-errors",
    names,
    names.map((k) =>
      frames.map((f, i) => {
        if (i === 0) return 0;
        const dt = Math.max(1e-3, f.t - frames[i - 1].t);
        return Math.max(0, ((f.errors[k] ?? 0) - (frames[i - 1].errors[k] ?? 0)) / dt);
      })
    ),
    xs,
  );
  draw("chart-connections", ["open connections"], [frames.map((f) => f.openConnections)], xs);
}

/** Card and column labels of each unit (frames from an older lunge have none: requests). */
const UNIT_LABELS = {
  requests: { total: "Requests", rate: "Req/s now" },
  calls: { total: "Calls", rate: "Calls/s now" },
  messages: { total: "Messages", rate: "Msg/s now" },
} as const;

function renderNumbers(f: DashboardFrame): void {
  const unit = UNIT_LABELS[f.unit] ?? UNIT_LABELS.requests;
  const cards: Array<[string, string, string]> = [
    [unit.total, fmt(f.totals.requests), ""],
    ["Sent/s now", f.sentRate === null ? "–" : fmt(f.sentRate, 1), ""],
    [unit.rate, fmt(f.completedRate, 1), ""],
    ["Planned", f.plannedRate === null ? "–" : fmt(f.plannedRate, 1), ""],
    ["Failures", fmt(f.totals.failed), f.totals.failed > 0 ? "bad" : ""],
    ["p50", ms(f.latency.p50), ""],
    ["p99", ms(f.latency.p99), ""],
    ["Service p99", f.service === null ? "–" : ms(f.service.p99), ""],
    ["Open conns", f.openConnections === null ? "–" : fmt(f.openConnections), ""],
    ["Missed sends", fmt(f.totals.missedSends), f.totals.missedSends > 0 ? "warn" : ""],
  ];
  byId("cards").innerHTML = cards.map(([label, value, cls]) =>
    `<div class="card"><div class="label">${label}</div><div class="value ${cls}" data-card="${label}">${value}</div></div>`
  ).join("");
  byId("phase").textContent = f.phase;
  const left = f.totalMs === null ? "" : `${fmt(Math.max(0, (f.totalMs - f.elapsedMs) / 1000))} s left`;
  byId("left").textContent = `${fmt(f.elapsedMs / 1000)} s elapsed${left === "" ? "" : ` · ${left}`}`;
  const thr = f.thresholds;
  byId("thresholds").innerHTML = thr.length === 0
    ? ""
    : `<tr><th>Threshold</th><th>Now</th><th>State</th></tr>` +
      thr.map((t) =>
        `<tr><td>${esc(t.expression)}</td><td>${fmt(t.actual, 2)}</td><td class="${
          t.passed === null ? "" : t.passed ? "thr-pass" : "thr-fail"
        }">${t.passed === null ? "at the end" : t.passed ? "pass" : "FAIL"}</td></tr>`
      ).join("");
  const errors = Object.entries(f.errors);
  byId("errors").innerHTML = errors.length === 0 ? "" : `<tr><th>Error</th><th>Count</th></tr>` +
    errors.map(([k, n]) => `<tr><td>${esc(k)}</td><td>${fmt(n)}</td></tr>`).join("");
  byId("names").innerHTML = f.names.length === 0
    ? ""
    : `<tr><th>Name</th><th>${unit.total}</th><th>Failed</th><th>p50</th><th>p99</th></tr>` +
      f.names.map((n) =>
        `<tr><td>${esc(n.name)}</td><td>${fmt(n.count)}</td><td>${fmt(n.errors)}</td><td>${
          ms(n.p50)
        }</td><td>${ms(n.p99)}</td></tr>`
      ).join("");
}

function render(): void {
  if (frames.length === 0) return;
  renderNumbers(frames[frames.length - 1]);
  renderCharts();
  document.body.dataset.frames = String(frames.length);
}

function connect(): void {
  const source = new EventSource(`events${location.search}`);
  const live = byId("live");
  const on = (type: string, handle: (event: DashboardEvent) => void): void =>
    source.addEventListener(type, (e) => handle(JSON.parse((e as MessageEvent).data) as DashboardEvent));
  on("init", (event) => {
    if (event.type !== "init") return;
    frames = event.frames;
    live.classList.remove("off");
    render();
  });
  on("frame", (event) => {
    if (event.type !== "frame") return;
    frames.push(event.frame);
    render();
  });
  on("end", () => {
    source.close();
    // The server now serves the final report at this address.
    location.reload();
  });
  source.onerror = () => live.classList.add("off");
}

connect();
