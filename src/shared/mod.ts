/**
 * SharedArrayBuffer primitives that many threads use at once without a lock
 * on the hot path: atomic counters and durations, a compare-and-swap min/max,
 * a bounded lock-free MPMC ring buffer, a log-linear histogram (3 significant
 * digits, mergeable), a latency-sample ring, and a futex-style mutex. Each
 * one lives in a buffer you can post to a worker and re-attach there.
 *
 * @example
 * ```ts
 * import { AtomicCounter, LogLinearHistogram } from "@lunge/lunge/shared";
 * const requests = AtomicCounter.create();
 * requests.add(1);
 * const latency = LogLinearHistogram.create();
 * latency.recordNs(1_250_000);
 * console.log(requests.value(), latency.percentileNs(99));
 * ```
 *
 * @module
 */
export { AtomicCounter, AtomicDuration, type AtomicSlotHandle } from "./_atomic_counter.ts";
export { AtomicMinMax } from "./_atomic_min_max.ts";
export { type MutexHandle, SharedMutex } from "./mutex.ts";
export {
  LockFreeRingBuffer,
  ringBufferBytes,
  type RingBufferHandle,
  type RingBufferOptions,
} from "./ring_buffer.ts";
export { LatencySampleRing, sampleRingBytes, type SampleRingHandle } from "./_sample_ring.ts";
export {
  bucketIndex,
  bucketLowerBoundNs,
  bucketMidpointNs,
  bucketUpperBoundNs,
  type CountsSummary,
  HISTOGRAM_BUCKETS,
  histogramBytes,
  type HistogramHandle,
  LogLinearHistogram,
  percentilesOfCounts,
  summarizeCounts,
} from "./histogram.ts";
