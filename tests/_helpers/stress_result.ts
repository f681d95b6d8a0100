/**
 * A clean stress result (20 s at 1000 req/s, flat memory everywhere, every
 * probe read) to judge in unit tests, with the parts a test changes.
 *
 * @module
 */
import type { StressResult, StressSample, WorkerHeapSeries } from "../../stress/types.ts";

const MIB = 1024 * 1024;

/** What {@linkcode cleanStressResult} lets a test change. */
export interface CleanResultChanges {
  /** Load workers of the run (default 2), each with a flat heap series unless `workerHeaps` is given. */
  loadWorkers?: number;
  workerHeaps?: WorkerHeapSeries[];
  /** Changes each per-second sample (t = 1..20). */
  sample?: (s: StressSample) => StressSample;
  counts?: Partial<StressResult["counts"]>;
  /** What the end-of-run probes saw (default: every probe read, nothing left over). */
  leaks?: StressResult["leaks"];
}

/**
 * A result without verdicts, ready for `judge()`.
 *
 * @example
 * ```ts
 * import { cleanStressResult } from "./stress_result.ts";
 * import { judge } from "../../stress/verdicts.ts";
 * judge(cleanStressResult()).every((v) => v.passed); // true
 * ```
 */
export function cleanStressResult(changes: CleanResultChanges = {}): Omit<StressResult, "verdicts"> {
  const loadWorkers = changes.loadWorkers ?? 2;
  const samples = Array.from({ length: 20 }, (_, i): StressSample => {
    const s: StressSample = {
      t: i + 1,
      phase: "steady",
      rps: 1000,
      targetRate: 1000,
      p99Ms: 3,
      requests: (i + 1) * 1000,
      errors: 0,
      heapUsed: 10 * MIB,
      rss: 80 * MIB,
      external: MIB,
      targetHeapUsed: 8 * MIB,
      targetRss: 60 * MIB,
      targetExternal: MIB,
      targetConnections: 10,
      targetHeapAfterGc: 6 * MIB,
    };
    return changes.sample?.(s) ?? s;
  });
  const workerHeaps = changes.workerHeaps ?? Array.from({ length: loadWorkers }, (_, w) => ({
    worker: w + 1,
    points: samples.map((s) => ({ t: s.t, heapUsed: 5 * MIB, afterGc: true, gcMs: 2 })),
    maxGcMs: 2,
  }));
  const gc = { gc: true, startHeapUsed: 6 * MIB, endHeapUsed: 6 * MIB, startRss: 60 * MIB, endRss: 60 * MIB };
  return {
    schema: "lunge-stress-v1",
    config: {
      scenario: "baseline",
      rate: 1000,
      durationMs: 20_000,
      rampUpMs: 0,
      rampDownMs: 0,
      idleAfterMs: 0,
      concurrency: 10,
      workers: loadWorkers,
      collector: "atomic",
      warmupMs: 0,
      checkThroughput: true,
      outDir: null,
      json: false,
    },
    runtime: { name: "deno", version: "2", cpus: 2 },
    startedAt: "2026-11-30T00:00:00.000Z",
    endedAt: "2026-11-30T00:00:20.000Z",
    settleSeconds: 2,
    samples,
    loadWorkers,
    workerHeaps,
    generatorSampledAfterGc: true,
    generatorGc: gc,
    targetGc: gc,
    leaks: changes.leaks ?? {
      threadsBefore: 10,
      threadsAfter: 10,
      workerThreadsDuring: loadWorkers,
      workerThreadsAfter: 0,
      targetConnections: 0,
      targetConnectionsMs: 10,
      clientSockets: 1,
    },
    counts: { collector: 20_000, target: 20_000, failed: 0, missedSends: 0, ...changes.counts },
    achievedRate: 1000,
    p99Ms: 3,
    interrupted: false,
    run: {} as StressResult["run"],
  };
}
