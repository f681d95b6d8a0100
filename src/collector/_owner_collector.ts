/**
 * What every lunge collector offers on its owning thread: the options they
 * share, and the `OwnerCollector` interface (`MetricsCollector` plus what a
 * run asks of the owner). The machinery behind it is `_owner_core.ts`.
 *
 * @module
 */
import type { CollectorKind } from "./types.ts";
import type { MetricsCollector } from "./types.ts";

/** Options common to both collectors. */
export interface CollectorOptions {
  /** Latency samples kept per writer for `getRecentSamples` (default 10,000; 0 disables). */
  sampleCapacity?: number;
  /**
   * How old, in ms, latency statistics and the series may be when read (default 100): a read flushes
   * first when the last flush is older. The background flush runs once a second (at each second
   * boundary), or every `flushIntervalMs` when that is longer.
   */
  flushIntervalMs?: number;
  /** Writer threads that may attach, the creating thread included (atomic only; default 16). */
  lanes?: number;
}

/** Checks the shared options; throws a RangeError naming the bad one. */
export function validateCollectorOptions(options: CollectorOptions): Required<CollectorOptions> {
  const sampleCapacity = options.sampleCapacity ?? 10_000;
  const flushIntervalMs = options.flushIntervalMs ?? 100;
  const lanes = options.lanes ?? 16;
  if (!Number.isInteger(sampleCapacity) || sampleCapacity < 0 || sampleCapacity > 2 ** 24) {
    throw new RangeError(
      `Cannot create collector: "sampleCapacity" must be an integer from 0 to 2^24, got ${sampleCapacity}`,
    );
  }
  if (!(flushIntervalMs >= 1 && flushIntervalMs <= 60_000)) {
    throw new RangeError(
      `Cannot create collector: "flushIntervalMs" must be from 1 to 60000, got ${flushIntervalMs}`,
    );
  }
  if (!Number.isInteger(lanes) || lanes < 1 || lanes > 1024) {
    throw new RangeError(`Cannot create collector: "lanes" must be an integer from 1 to 1024, got ${lanes}`);
  }
  return { sampleCapacity, flushIntervalMs, lanes };
}

/**
 * A lunge collector on its owning thread: `MetricsCollector` plus each
 * closed second's histogram, a reset at a chosen start, and the service-time
 * histogram. `AtomicMetricsCollector` and `LegacyMetricsCollector` implement
 * it, each on its own; create one with `createCollector`.
 *
 * @example
 * ```ts
 * import { AtomicMetricsCollector } from "./_atomic_collector.ts";
 * import type { OwnerCollector } from "./_owner_collector.ts";
 * const c: OwnerCollector = new AtomicMetricsCollector();
 * c.kind; // "atomic"
 * c.close();
 * ```
 */
export interface OwnerCollector extends MetricsCollector {
  /** Which implementation this is. */
  readonly kind: CollectorKind;
  /** Called with each closed second's latency counts (ns layout; reused afterwards), e.g. for `--hlog`. */
  onSecond: ((counts: Float64Array, second: number, lengthMs: number) => void) | null;
  /** Forgets everything recorded and restarts the clock (at `startMs`, a `performance.now()` value, if given). */
  reset(startMs?: number): void;
  /** Uncorrected service-time histogram counts (a copy). */
  getServiceHistogram(): Float64Array;
}
