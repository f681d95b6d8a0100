/**
 * The owner's flush timed directly: a collector with N lanes (a run with
 * N - 1 load workers plus the owner's lane), writers on this thread that
 * record what a run would between two flushes, then one timed `flush()`.
 * Latencies follow a log-normal spread (median 0.5 ms, a long tail), with a
 * service time beside each (the open model), so the flush sees realistic
 * touched-bucket patterns: a few hundred 64-bucket groups in all, a few
 * dozen per flush at 1000 req/s.
 *
 * @module
 */
import { attachCollector, createCollector } from "../../src/collector/create.ts";
import type { CollectorKind } from "../../src/collector/create.ts";
import type { CollectorWriter } from "../../src/collector/writer.ts";

/** Options of {@linkcode timeFlush}. */
export interface FlushTimingOptions {
  /** Lanes of the collector (load workers + 1). */
  lanes: number;
  /** Requests per second of the simulated run (records per flush = rate / 10). */
  rate: number;
  /** Timed flushes (default 200). */
  flushes?: number;
  /** Collector kind (default "atomic"). */
  kind?: CollectorKind;
}

/** Flush times in microseconds. */
export interface FlushTiming {
  p50Us: number;
  p99Us: number;
  maxUs: number;
  /** Mean over the timed flushes. */
  meanUs: number;
}

/** A deterministic log-normal latency stream in integer ns (median 0.5 ms, sigma 0.6). */
function latencyStream(seed: number): () => number {
  let s = seed >>> 0 || 1;
  const uniform = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return (s + 0.5) / 4294967296;
  };
  return () => {
    const normal = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    return Math.round(500_000 * Math.exp(0.6 * normal));
  };
}

/**
 * Times the owner's `flush()` after each batch of `rate / 10` records spread
 * over the writer lanes (every lane but the owner's). The first 20 flushes
 * warm up and are not counted.
 *
 * @example
 * ```ts
 * import { timeFlush } from "./flush_timing.ts";
 * const t = timeFlush({ lanes: 3, rate: 1000 });
 * console.log(t.p50Us);
 * ```
 */
export function timeFlush(options: FlushTimingOptions): FlushTiming {
  const flushes = options.flushes ?? 200;
  const collector = createCollector({
    kind: options.kind ?? "atomic",
    lanes: options.lanes,
    sampleCapacity: 1024,
    flushIntervalMs: 60_000, // only the timed flushes run
  });
  // Every lane is claimed (the flush reads claimed lanes); all but the last one record.
  const writers: CollectorWriter[] = [];
  for (let w = 0; w < options.lanes; w++) writers.push(attachCollector(collector.handle()));
  const writerLanes = Math.max(1, options.lanes - 1);
  const next = latencyStream(0x9e3779b9);
  const perFlush = Math.max(1, Math.round(options.rate / 10));
  const times: number[] = [];
  const warmup = 20;
  let sum = 0;
  try {
    for (let f = 0; f < flushes + warmup; f++) {
      for (let k = 0; k < perFlush; k++) {
        const service = next();
        writers[k % writerLanes].recordNs(200, service + (k % 7 === 0 ? next() >> 4 : 0), 512, 0, service);
      }
      const t0 = performance.now();
      collector.flush();
      const us = (performance.now() - t0) * 1000;
      if (f >= warmup) {
        times.push(us);
        sum += us;
      }
    }
  } finally {
    collector.close();
  }
  times.sort((a, b) => a - b);
  const at = (q: number): number => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { p50Us: at(0.5), p99Us: at(0.99), maxUs: times[times.length - 1], meanUs: sum / times.length };
}
