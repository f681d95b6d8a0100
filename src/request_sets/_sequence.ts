/**
 * The global sequence number behind `{{seq}}`: unique across workers (and
 * across segments of a split run) without any shared counter per request.
 *
 * @module
 */

/** Where a worker sits in the run (and the run in a split plan). */
export interface SequencePlace {
  /** This worker's index, 0-based. */
  worker: number;
  /** Workers of this run. */
  workers: number;
  /** This run's segment index when the plan is split (`--segment I/N`), else 0. */
  segment?: number;
  /** Segments of the split plan, else 1. */
  segments?: number;
}

/**
 * The global sequence number of a worker's `local`-th templated request
 * (0-based): interleaved across workers, then across segments, so that every
 * (segment, worker, local) triple maps to a distinct number.
 *
 * @example
 * ```ts
 * import { globalSeq } from "./_sequence.ts";
 * globalSeq(0, { worker: 1, workers: 2 }); // 1
 * globalSeq(1, { worker: 0, workers: 2 }); // 2
 * globalSeq(0, { worker: 0, workers: 2, segment: 1, segments: 3 }); // 1
 * ```
 */
export function globalSeq(local: number, place: SequencePlace): number {
  const segments = place.segments ?? 1;
  return (local * place.workers + place.worker) * segments + (place.segment ?? 0);
}
