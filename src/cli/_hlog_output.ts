/**
 * `--hlog FILE`: collects the measured seconds' latency histograms during
 * the run, groups them into `--hlog-interval` intervals and writes the
 * HdrHistogram interval log once the result is known.
 *
 * @module
 */
import type { IntervalHistogram } from "../engine/options.ts";
import type { RunResult } from "../result/run_result.ts";
import { HISTOGRAM_BUCKETS } from "../shared/histogram_layout.ts";
import { formatHlogHeader, formatHlogLine } from "../result/hlog.ts";

/**
 * Builds the interval log from the run's per-second histograms.
 *
 * @example
 * ```ts
 * import { HlogRecorder } from "./_hlog_output.ts";
 * const recorder = new HlogRecorder(1000);
 * // run({ ..., onIntervalHistogram: recorder.onInterval })
 * ```
 */
export class HlogRecorder {
  readonly #secondsPerInterval: number;
  readonly #lines: string[] = [];
  #group = -1;
  #lengthSec = 0;
  #counts = new Float64Array(HISTOGRAM_BUCKETS);
  #any = false;

  /**
   * @param intervalMs Interval length, a whole number of seconds (in ms).
   */
  constructor(intervalMs: number) {
    this.#secondsPerInterval = Math.max(1, Math.round(intervalMs / 1000));
  }

  /** Takes one measured second (pass as `onIntervalHistogram`). */
  onInterval = (interval: IntervalHistogram): void => {
    const group = Math.floor(interval.second / this.#secondsPerInterval);
    if (group !== this.#group) this.#emit();
    if (this.#group !== group) {
      this.#group = group;
      this.#lengthSec = 0;
    }
    const counts = interval.counts;
    for (let i = 0; i < counts.length; i++) {
      if (counts[i] !== 0) {
        this.#counts[i] += counts[i];
        this.#any = true;
      }
    }
    // A closed interval covers its planned length; the last, partial one what it lasted.
    this.#lengthSec = (interval.second % this.#secondsPerInterval) + interval.lengthMs / 1000;
  };

  #emit(): void {
    if (this.#group < 0) return;
    const start = this.#group * this.#secondsPerInterval;
    this.#lines.push(formatHlogLine(start, this.#lengthSec, this.#counts));
    this.#counts.fill(0);
    this.#any = false;
  }

  /**
   * The whole log for `result` (header from its start time, plan and segment).
   *
   * @example
   * ```ts
   * import { HlogRecorder } from "./_hlog_output.ts";
   * import type { RunResult } from "../result/run_result.ts";
   * declare const result: RunResult;
   * const text = new HlogRecorder(1000).text(result);
   * ```
   */
  text(result: RunResult): string {
    if (this.#group >= 0 && (this.#any || this.#lengthSec > 0)) this.#emit();
    this.#group = -1;
    const header = formatHlogHeader({
      startEpochMs: Date.parse(result.startedAt),
      plan: result.plan?.fingerprint ?? null,
      segment: result.segment === undefined || result.segment === null
        ? null
        : { index: result.segment.index, count: result.segment.count },
      version: result.tool.version,
    });
    return header + this.#lines.map((line) => line + "\n").join("");
  }
}
