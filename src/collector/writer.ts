/**
 * The recording side of a collector, as a worker thread holds it.
 *
 * @module
 */
import type { CollectorKind } from "./types.ts";

/**
 * What a load worker needs: the recording methods of `MetricsCollector`.
 * Get one in a worker with `attachCollector(handle)`.
 *
 * @example
 * ```ts
 * import { attachCollector, createCollector } from "../../mod.ts";
 * const owner = createCollector();
 * const writer = attachCollector(owner.handle()); // normally in a worker
 * writer.record(200, 1.25, 512, 0, -1);
 * owner.close();
 * ```
 */
export interface CollectorWriter {
  /** "atomic" or "legacy". */
  readonly kind: CollectorKind;
  /**
   * Records one request: status (0 with a transport error), latency in ms,
   * body bytes, `ErrorKind`, uncorrected service time in ms (negative: none).
   * Throws `InvalidResultError` on bad input and counts it as invalid.
   */
  record(status: number, durationMs: number, bytes: number, errorKind: number, serviceTimeMs: number): void;
  /**
   * The same with integer nanosecond latencies (service time negative for
   * none). On V8 (Deno, Node) integers below 2^30 are passed without boxing,
   * so this form stays allocation-free even where the call is not inlined;
   * the load engine uses it.
   */
  recordNs(status: number, latencyNs: number, bytes: number, errorKind: number, serviceNs: number): void;
  /** Counts `n` requests that could not be sent on time (open model). */
  recordMissedSends(n: number): void;
  /**
   * Counts one unit of work the load generator sent and measures (a request,
   * an iteration, a message): the live "sent" rate. One plain store.
   */
  recordSent(): void;
  /** Stores the current generation rate (requests per second). */
  recordGenerationRate(rate: number): void;
}
