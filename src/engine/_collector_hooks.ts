/**
 * What the run asks of a collector beyond the `MetricsCollector` interface:
 * each measured second's histogram (for `--hlog`) and the service-time
 * histogram (for mergeable results). Both collectors provide them.
 *
 * @module
 */
import { isOwnerCollector } from "../collector/create.ts";
import type { MetricsCollector } from "../collector/types.ts";
import type { EncodedHistogram } from "../result/run_result.ts";
import type { IntervalHistogram } from "./options.ts";
import { encodeHistogram } from "../result/histogram_codec.ts";

/**
 * Calls `listener` with every second the collector closes from now on (and
 * the last, partial one when it is closed).
 *
 * @example
 * ```ts
 * import { createCollector } from "../collector/create.ts";
 * import { listenToSeconds } from "./_collector_hooks.ts";
 * const c = createCollector();
 * listenToSeconds(c, (i) => console.log(i.second, i.lengthMs));
 * c.close();
 * ```
 */
export function listenToSeconds(
  collector: MetricsCollector,
  listener: (interval: IntervalHistogram) => void,
): void {
  if (!isOwnerCollector(collector)) {
    throw new TypeError("Cannot start run: interval histograms need a lunge collector");
  }
  collector.onSecond = (counts, second, lengthMs) => listener({ counts, second, lengthMs });
}

/**
 * Resets the collector with its clock (the seconds of the time series)
 * starting at `startPerf`, a `performance.now()` value that may lie ahead.
 *
 * @example
 * ```ts
 * import { createCollector } from "../collector/create.ts";
 * import { resetCollectorAt } from "./_collector_hooks.ts";
 * const c = createCollector();
 * resetCollectorAt(c, performance.now() + 5000); // second 0 begins in 5 s
 * c.close();
 * ```
 */
export function resetCollectorAt(collector: MetricsCollector, startPerf: number): void {
  if (isOwnerCollector(collector)) collector.reset(startPerf);
  else collector.reset();
}

/**
 * The service-time histogram of a lunge collector, encoded; null for another collector.
 *
 * @example
 * ```ts
 * import { createCollector } from "../collector/create.ts";
 * import { serviceHistogramOf } from "./_collector_hooks.ts";
 * serviceHistogramOf(createCollector())?.buckets; // []
 * ```
 */
export function serviceHistogramOf(collector: MetricsCollector): EncodedHistogram | null {
  return isOwnerCollector(collector) ? encodeHistogram(collector.getServiceHistogram()) : null;
}
