/**
 * A writer that records nothing, for measuring what the collector costs: the
 * same run once with the real writers and once with this one (A/B). Bench
 * and test use only: the load workers get it when the process runs with
 * `LUNGE_BENCH_NOOP_WRITER=1`, and the run's counts are then all zero.
 *
 * @module
 */
import type { CollectorKind } from "./types.ts";
import { system } from "../runtime/mod.ts";
import type { CollectorWriter } from "./writer.ts";

/** The environment switch that makes `attachCollector` hand out no-op writers. */
export const NOOP_WRITER_ENV = "LUNGE_BENCH_NOOP_WRITER";

/**
 * True when this process runs with `LUNGE_BENCH_NOOP_WRITER=1` (read once per attach, never on the hot path).
 *
 * @example
 * ```ts
 * import { noopWriterRequested } from "./_noop_writer.ts";
 * noopWriterRequested(() => "1"); // true
 * ```
 */
export function noopWriterRequested(env: (name: string) => string | undefined = system.env): boolean {
  return env(NOOP_WRITER_ENV) === "1";
}

/**
 * Accepts every call and records nothing.
 *
 * @example
 * ```ts
 * import { NoopWriter } from "./_noop_writer.ts";
 * const w = new NoopWriter("atomic");
 * w.recordNs(200, 1_000_000, 10, 0, -1); // does nothing
 * ```
 */
export class NoopWriter implements CollectorWriter {
  /** The kind of the collector this writer stands in for. */
  readonly kind: CollectorKind;

  constructor(kind: CollectorKind) {
    this.kind = kind;
  }

  /** Does nothing. */
  record(
    _status: number,
    _durationMs: number,
    _bytes: number,
    _errorKind: number,
    _serviceTimeMs: number,
  ): void {}

  /** Does nothing. */
  recordNs(
    _status: number,
    _latencyNs: number,
    _bytes: number,
    _errorKind: number,
    _serviceNs: number,
  ): void {}

  /** Does nothing. */
  recordMissedSends(_n: number): void {}

  /** Does nothing. */
  recordSent(): void {}

  /** Does nothing. */
  recordGenerationRate(_rate: number): void {}
}
