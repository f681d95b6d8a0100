/**
 * Benchmark figures: named numbers with a unit and an optional target,
 * printed as a table and written into the results file.
 */

/** One measured figure. */
export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** e.g. "< 50" or ">= 1.6"; null when the figure has no target. */
  target: string | null;
  /** Whether the target is met; null without a target. */
  pass: boolean | null;
  /**
   * Whether CI fails on it, with the bound (`CI gate >= 1.25`), or `report only`
   * (`bench/_lib/regression.ts`); set when the results are written. The CI
   * bound, not `target`, is what fails CI.
   */
  gate?: string;
  /** Why the figure has no value (`value` is NaN), e.g. "not measured: artillery could not be installed". */
  note?: string;
}

/** Collects figures and checks them against targets. */
export class Figures {
  readonly list: Figure[] = [];

  /** Adds a figure; `target` like "< 50", "<= 0.2", ">= 1.6", "> 50000000". */
  add(name: string, value: number, unit: string, target: string | null = null): Figure {
    const figure: Figure = { name, value, unit, target, pass: target === null ? null : meets(value, target) };
    this.list.push(figure);
    return figure;
  }

  /** Adds a row without a value: the table shows "not measured: <why>" in its place. */
  notMeasured(name: string, unit: string, why: string): Figure {
    const figure: Figure = { name, value: NaN, unit, target: null, pass: null, note: `not measured: ${why}` };
    this.list.push(figure);
    return figure;
  }

  /** A plain-text table of the figures. */
  table(): string {
    const rows = this.list.map((f) => [
      f.name,
      f.note ?? formatValue(f.value),
      f.unit,
      f.target ?? "",
      f.pass === null ? "" : f.pass ? "ok" : "MISSED",
      f.gate ?? "",
    ]);
    const head = ["figure", "value", "unit", "target", "", "gate"];
    const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (r: string[]): string =>
      r.map((c, i) => (i === 1 ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join("  ");
    return [line(head), ...rows.map(line)].join("\n");
  }
}

function meets(value: number, target: string): boolean {
  const m = /^(<=|>=|<|>)\s*([\d.e+]+)$/.exec(target.trim());
  if (!m) throw new RangeError(`bad target "${target}"`);
  const t = Number(m[2]);
  return m[1] === "<" ? value < t : m[1] === "<=" ? value <= t : m[1] === ">" ? value > t : value >= t;
}

function formatValue(v: number): string {
  if (Math.abs(v) >= 1e6) return v.toExponential(3);
  if (Math.abs(v) >= 100) return v.toFixed(0);
  return v.toPrecision(4);
}
