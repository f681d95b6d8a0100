/**
 * The live progress line printed to stderr about once per second: a redrawn
 * bar when a terminal is attached, plain lines otherwise. Pure: the caller
 * owns the clock, the stream and the `\r`.
 *
 * @module
 */
import type { RunProgress } from "../engine/options.ts";
import { paint, stripAnsi, visibleLength } from "./_ansi.ts";
import { formatCount, formatDuration, formatMs, formatPercent } from "./_units.ts";

/** What the progress line shows: exactly what `run()` reports once per second. */
export type ProgressInfo = RunProgress;

/** Options of `formatProgressLine`. */
export interface ProgressOptions {
  /** Emit ANSI colors (TTY attached and `NO_COLOR` unset). */
  color: boolean;
  /** A terminal is attached: return a bar meant to be redrawn with `\r`. */
  terminal: boolean;
  /** Terminal columns; the bar line never exceeds it. Default 80. */
  width?: number;
}

const BAR_MIN = 10;
const BAR_MAX = 30;

/**
 * Formats one progress line, without a trailing newline. On a terminal the
 * caller writes `"\r" + line` (the line is padded to `width` so that it
 * covers a longer previous one); otherwise it writes `line + "\n"`.
 *
 * @example
 * ```ts
 * import { formatProgressLine } from "./_progress.ts";
 * const line = formatProgressLine(
 *   { phase: "steady", elapsedMs: 12_000, totalMs: 30_000, requests: 120_000, rps: 9_987, p99Ms: 4.2, errors: 0, targetRate: 10_000 },
 *   { color: false, terminal: false },
 * );
 * // "[steady] 12.0s/30.0s requests=120,000 rps=9,987/10,000 p99=4.200ms errors=0"
 * ```
 *
 * A gRPC run (`unit: "calls"`) reads `calls=... calls/s=... not_ok=N (share: STATUS n, ...)`; a
 * WebSocket run (`unit: "messages"`) `sent=... answered=... msg/s=...`.
 */
export function formatProgressLine(p: ProgressInfo, options: ProgressOptions): string {
  const c = options.color;
  const time = p.totalMs === null
    ? formatDuration(p.elapsedMs)
    : `${formatDuration(p.elapsedMs)}/${formatDuration(p.totalMs)}`;
  const rps = p.targetRate === null
    ? formatCount(p.rps)
    : `${formatCount(p.rps)}/${formatCount(p.targetRate)}`;
  const unit = p.unit ?? "requests";
  if (!options.terminal) {
    const p99 = `p99=${formatMs(p.p99Ms)}`;
    if (unit === "calls") {
      return `[${p.phase}] ${time} calls=${formatCount(p.requests)} calls/s=${rps} ${p99} ` +
        `not_ok=${formatCount(p.errors)}${notOkDetail(p)}`;
    }
    if (unit === "messages") {
      return `[${p.phase}] ${time} sent=${formatCount(p.messagesSent ?? p.requests)} ` +
        `answered=${formatCount(p.requests - p.errors)} msg/s=${rps} ${p99} errors=${formatCount(p.errors)}`;
    }
    return `[${p.phase}] ${time} requests=${formatCount(p.requests)} rps=${rps} ${p99} ` +
      `errors=${formatCount(p.errors)}`;
  }

  const width = Math.max(20, Math.floor(options.width ?? 80));
  const phase = paint(p.phase.padEnd(9), phaseStyle(p.phase), c);
  const failed = unit === "calls" ? "not OK" : "err";
  const share = unit === "calls" && p.errors > 0 && p.requests > 0
    ? ` ${formatPercent(p.errors / p.requests)}`
    : "";
  const errors = p.errors > 0 ? paint(`${formatCount(p.errors)} ${failed}${share}`, "red", c) : `0 ${failed}`;
  const rate = unit === "calls"
    ? `${rps} calls/s`
    : unit === "messages"
    ? `${rps} msg/s  sent ${formatCount(p.messagesSent ?? p.requests)}`
    : `${rps} req/s`;
  const stats = `${time}  ${rate}  p99 ${formatMs(p.p99Ms)}  ${errors}`;
  let line = `${phase} ${stats}`;
  if (p.totalMs !== null && p.totalMs > 0) {
    const room = width - 1 - visibleLength(line) - 1; // one space around the bar
    const barWidth = Math.min(BAR_MAX, room);
    if (barWidth >= BAR_MIN) {
      const done = Math.round(Math.min(1, Math.max(0, p.elapsedMs / p.totalMs)) * barWidth);
      const bar = paint("█".repeat(done), "cyan", c) + paint("░".repeat(barWidth - done), "dim", c);
      line = `${phase} ${bar} ${stats}`;
    }
  }
  // The last column stays free so that the terminal never wraps the line.
  const length = visibleLength(line);
  if (length > width - 1) return [...stripAnsi(line)].slice(0, width - 1).join("");
  return line + " ".repeat(width - 1 - length);
}

/** ` (2.50%: UNAVAILABLE 25, DEADLINE_EXCEEDED 5)`: the share of calls not OK and the three most frequent statuses. */
function notOkDetail(p: ProgressInfo): string {
  if (p.errors === 0 || p.requests === 0) return "";
  const top = Object.entries(p.grpcNotOk ?? {}).sort((a, b) => b[1] - a[1]).slice(0, 3);
  const statuses = top.map(([name, n]) => `${name} ${formatCount(n)}`).join(", ");
  return ` (${formatPercent(p.errors / p.requests)}${statuses === "" ? "" : `: ${statuses}`})`;
}

function phaseStyle(phase: ProgressInfo["phase"]): "yellow" | "cyan" | "green" | "magenta" {
  switch (phase) {
    case "warmup":
      return "yellow";
    case "steady":
      return "green";
    case "done":
      return "green";
    default:
      return "cyan";
  }
}
