/**
 * A small writer for the Prometheus text exposition format (version 0.0.4):
 * `# HELP`, `# TYPE`, samples with escaped labels, histograms with
 * cumulative `le` buckets. Each metric family is written once, in one block.
 *
 * @module
 */

/** Content type of the text exposition format. */
export const PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

/** Label values of one sample. */
export type PromLabels = Readonly<Record<string, string | number>>;

function escapeLabel(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\n/g, "\\n");
}

/**
 * Formats a sample value the way Prometheus parses it.
 *
 * @example
 * ```ts
 * import { formatPromValue } from "./prometheus.ts";
 * formatPromValue(Infinity); // "+Inf"
 * ```
 */
export function formatPromValue(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "+Inf";
  if (v === -Infinity) return "-Inf";
  return String(v);
}

/**
 * Builds an exposition text.
 *
 * @example
 * ```ts
 * import { PrometheusWriter } from "./prometheus.ts";
 * const w = new PrometheusWriter();
 * w.family("app_requests_total", "counter", "Requests handled.");
 * w.sample("app_requests_total", 10, { status: "200" });
 * w.text(); // "# HELP app_requests_total Requests handled.\n# TYPE ..."
 * ```
 */
export class PrometheusWriter {
  readonly #lines: string[] = [];
  readonly #families = new Set<string>();

  /** Starts a metric family (HELP and TYPE lines); each name only once. */
  family(name: string, type: "counter" | "gauge" | "histogram" | "summary" | "untyped", help: string): this {
    if (this.#families.has(name)) return this;
    this.#families.add(name);
    this.#lines.push(`# HELP ${name} ${escapeHelp(help)}`, `# TYPE ${name} ${type}`);
    return this;
  }

  /** Adds one sample line. */
  sample(name: string, value: number, labels?: PromLabels): this {
    let label = "";
    if (labels) {
      const parts: string[] = [];
      for (const [k, v] of Object.entries(labels)) parts.push(`${k}="${escapeLabel(String(v))}"`);
      if (parts.length > 0) label = `{${parts.join(",")}}`;
    }
    this.#lines.push(`${name}${label} ${formatPromValue(value)}`);
    return this;
  }

  /** Family plus one sample. */
  single(
    name: string,
    type: "counter" | "gauge",
    help: string,
    value: number,
    labels?: PromLabels,
  ): this {
    return this.family(name, type, help).sample(name, value, labels);
  }

  /**
   * Adds a histogram's samples (family must be declared as `histogram`):
   * per-bucket counts (not cumulative) over upper bounds `le`, the last
   * count being the +Inf bucket.
   */
  histogram(
    name: string,
    le: readonly number[],
    counts: ArrayLike<number>,
    sum: number,
    labels?: PromLabels,
  ): this {
    let cumulative = 0;
    for (let i = 0; i < counts.length; i++) {
      cumulative += counts[i];
      const bound = i < le.length ? formatPromValue(le[i]) : "+Inf";
      this.sample(`${name}_bucket`, cumulative, { ...labels, le: bound });
    }
    this.sample(`${name}_sum`, sum, labels);
    this.sample(`${name}_count`, cumulative, labels);
    return this;
  }

  /** The exposition text, ending in a newline. */
  text(): string {
    return this.#lines.join("\n") + "\n";
  }
}
