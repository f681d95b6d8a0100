/**
 * The line the CLI prints for each StatsD destination at the end of a run:
 * what was sent, and what was lost (a destination that went away loses
 * datagrams; the run itself goes on unaffected).
 *
 * @module
 */
import type { StatsMetricsSnapshot } from "../stats/internal_metrics.ts";

/**
 * One line, e.g. `statsd 127.0.0.1:8125: 1,200 events sent in 40 packets, 30 dropped (udp_error 30), 3 send errors`.
 *
 * @example
 * ```ts
 * import { statsdSummaryLine } from "./_statsd_summary.ts";
 * import type { StatsMetricsSnapshot } from "../stats/internal_metrics.ts";
 * declare const metrics: StatsMetricsSnapshot;
 * console.log(statsdSummaryLine("127.0.0.1:8125", metrics));
 * ```
 */
export function statsdSummaryLine(address: string, m: StatsMetricsSnapshot): string {
  const n = (v: number): string => v.toLocaleString("en-US");
  const reasons = Object.entries(m.dropsByReason)
    .filter(([, count]) => count > 0)
    .map(([reason, count]) => `${reason} ${n(count)}`)
    .join(", ");
  return `statsd ${address}: ${n(m.eventsSent)} events sent in ${n(m.packetsSent)} packets, ` +
    `${n(m.eventsDropped)} dropped${reasons === "" ? "" : ` (${reasons})`}, ${n(m.udpErrors)} send errors`;
}
