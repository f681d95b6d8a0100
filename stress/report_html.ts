/**
 * The stress run as one self-contained HTML page: verdicts, then memory of
 * both sides and the request rate over time, drawn with the report's own
 * inline SVG charts (no script, no network).
 *
 * @module
 */
import { escapeHtml as esc, htmlDocument, lineChart, type LineSeries } from "../src/report/_html_parts.ts";
import { formatBytes, formatCount, formatDuration, formatMs } from "../src/report/_units.ts";
import type { StressResult, StressSample } from "./types.ts";
import { summaryLine } from "./verdicts.ts";

const MIB = 1024 * 1024;

function series(
  name: string,
  color: string,
  samples: StressSample[],
  pick: (s: StressSample) => number | null,
  dashed = false,
): LineSeries {
  const points: Array<[number, number]> = [];
  for (const s of samples) {
    const v = pick(s);
    if (v !== null) points.push([s.t, v]);
  }
  return { name, color, points, dashed };
}

function memoryChart(
  id: string,
  title: string,
  samples: StressSample[],
  heap: (s: StressSample) => number | null,
  rss: (s: StressSample) => number | null,
  ext: (s: StressSample) => number | null,
): string {
  const mb = (f: (s: StressSample) => number | null) => (s: StressSample): number | null => {
    const v = f(s);
    return v === null ? null : v / MIB;
  };
  return lineChart({
    title,
    id,
    xLabel: "seconds",
    yLabel: "MiB",
    series: [
      series("heap used", "#2563eb", samples, mb(heap)),
      series("RSS", "#dc2626", samples, mb(rss)),
      series("external", "#16a34a", samples, mb(ext), true),
    ],
    formatY: (v) => `${v.toFixed(1)} MiB`,
  });
}

/** Colors of the load workers' heap lines, in turn. */
const WORKER_COLORS = ["#7c3aed", "#0891b2", "#ea580c", "#65a30d", "#db2777", "#4b5563"];

/** The heap of each load worker, as read in its own thread. */
function workerHeapChart(result: StressResult): string {
  return lineChart({
    title: "Load-worker heap",
    id: "worker-heap",
    xLabel: "seconds",
    yLabel: "MiB",
    series: result.workerHeaps.map((w, i) => ({
      name: `load worker ${w.worker}`,
      color: WORKER_COLORS[i % WORKER_COLORS.length],
      points: w.points.map((p): [number, number] => [p.t, p.heapUsed / MIB]),
    })),
    formatY: (v) => `${v.toFixed(2)} MiB`,
  });
}

/**
 * Renders the stress result as a complete HTML document.
 *
 * @example
 * ```ts
 * import { renderStressHtml } from "./report_html.ts";
 * // writeTextFile("stress/results/baseline-bun-....html", renderStressHtml(result));
 * ```
 */
export function renderStressHtml(result: StressResult): string {
  const c = result.config;
  const s = result.samples;
  const title = `lunge stress: ${c.scenario} (${result.runtime.name} ${result.runtime.version})`;
  const allPassed = result.verdicts.every((v) => v.status === "passed");
  const summary = summaryLine(result.verdicts);
  const mark = { passed: "PASS", failed: "FAIL", "not checked": "NOT CHECKED" } as const;
  const rows = result.verdicts.map((v) =>
    `<tr><td class="${v.status === "passed" ? "ok" : "bad"}">${mark[v.status]}</td><td>${
      esc(v.name)
    }</td><td>${esc(v.detail)}</td></tr>`
  ).join("\n");
  const card = (label: string, value: string): string =>
    `<div class="card"><div class="label">${esc(label)}</div><div class="value">${esc(value)}</div></div>`;
  return htmlDocument({
    title,
    main: `<h1>${esc(title)}</h1>
<div>${
      esc(
        `${formatCount(c.rate)} req/s for ${formatDuration(c.durationMs)}, ${
          formatCount(c.concurrency)
        } connections, ${c.collector} collector · ${result.startedAt} – ${result.endedAt}`,
      )
    }</div>
<div class="banner ${allPassed ? "" : "refused"}">${allPassed ? "every verdict passed" : esc(summary)}</div>
<div class="cards">
${card("achieved rate", `${formatCount(result.achievedRate)} req/s`)}
${card("requests", formatCount(result.counts.collector))}
${card("errors", formatCount(result.counts.failed))}
${card("p99", formatMs(result.p99Ms))}
${
      card(
        "generator heap after GC",
        `${formatBytes(result.generatorGc.startHeapUsed)} → ${formatBytes(result.generatorGc.endHeapUsed)}`,
      )
    }
${
      card(
        "target heap after GC",
        `${formatBytes(result.targetGc.startHeapUsed)} → ${formatBytes(result.targetGc.endHeapUsed)}`,
      )
    }
</div>
<h2>Verdicts</h2>
<table data-table="verdicts"><tr><th></th><th>verdict</th><th>detail</th></tr>
${rows}
</table>
<h2>Over time</h2>
<div class="charts">
<figure><figcaption>Requests per second</figcaption>
${
      lineChart({
        title: "Requests per second",
        id: "rps",
        xLabel: "seconds",
        yLabel: "req/s",
        series: [
          series("achieved", "#2563eb", s, (x) => x.rps),
          series("target", "#9ca3af", s, (x) => x.targetRate, true),
        ],
        formatY: (v) => `${formatCount(v)} req/s`,
      })
    }
</figure>
<figure><figcaption>Load generator memory (heap of the main thread; RSS of the whole process)</figcaption>
${
      memoryChart("generator-memory", "Load generator memory", s, (x) =>
        x.heapUsed, (x) =>
        x.rss, (x) =>
        x.external)
    }
</figure>
<figure><figcaption>Load-worker heap (each read in its own thread, after a forced GC)</figcaption>
${workerHeapChart(result)}
</figure>
<figure><figcaption>Target memory (from its ground-truth endpoint)</figcaption>
${
      memoryChart("target-memory", "Target memory", s, (x) =>
        x.targetHeapUsed, (x) =>
        x.targetRss, (x) =>
        x.targetExternal)
    }
</figure>
<figure><figcaption>p99 latency per second</figcaption>
${
      lineChart({
        title: "p99 latency per second",
        id: "p99",
        xLabel: "seconds",
        yLabel: "ms",
        series: [series("p99", "#b45309", s, (x) => (x.p99Ms > 0 ? x.p99Ms : null))],
        logY: true,
        formatY: (v) => formatMs(v),
      })
    }
</figure>
</div>
<footer>Generated by lunge stress · schema ${
      esc(result.schema)
    } · the heap fits leave out the first ${result.settleSeconds} s</footer>`,
  });
}
