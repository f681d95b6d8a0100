/**
 * End-to-end runs: `run()` against the built-in target (started once, in its
 * own process), with CPU time measured around the run. `system.cpuTimeMs()`
 * covers this process: the main thread and the load workers; the target's
 * CPU is not in it.
 *
 * @module
 */
import type { CollectorKind } from "../../src/collector/create.ts";
import type { MetricsCollector } from "../../src/collector/types.ts";
import { run } from "../../src/engine/run.ts";
import type { RunResult } from "../../src/result/run_result.ts";
import { system } from "../../src/runtime/mod.ts";
import type { GroundTruth, TargetHandle } from "../../src/target/types.ts";
import { runWindow } from "../../src/target/_arrivals.ts";

/** Options of {@linkcode e2eRun}. */
export interface E2eOptions {
  /** Path on the target, e.g. "/" or "/flaky?error_rate=0.1". */
  path: string;
  collector: CollectorKind;
  concurrency: number;
  durationMs: number;
  workers?: number;
  /** Open model rate; omit for closed. */
  rate?: number;
  /** Latency samples kept per worker (for accuracy checks). */
  sampleCapacity?: number;
  /** Open model: the connection pool's limit (default: the engine's). */
  maxConcurrency?: number;
  /** Raw latencies each load worker keeps in a plain array (accuracy checks; default 0: off). */
  keepLatencies?: number;
  /** Warm-up before the measured window (default 0). */
  warmupMs?: number;
}

/** One run's result with what the bench adds around it. */
export interface E2eOutcome {
  result: RunResult;
  /** CPU ms of this process (main thread + load workers) during the run. */
  cpuMs: number;
  /** The target's ground truth for exactly this run (reset before). */
  truth: GroundTruth;
  /** Every latency sample the collector kept (ms), read after the run. */
  samples: Float64Array;
  /** The raw latencies (ns) the load workers kept (empty unless `keepLatencies`). */
  latencies: Float64Array;
}

/**
 * Resets the target, runs, reads the ground truth and the kept samples.
 *
 * @example
 * ```ts
 * import { startTarget } from "../../src/target/start.ts";
 * import { e2eRun } from "./e2e.ts";
 * const target = await startTarget({ mode: "process" });
 * const out = await e2eRun(target, { path: "/", collector: "atomic", concurrency: 100, durationMs: 1000 });
 * console.log(out.result.achievedRate, out.cpuMs);
 * await target.stop();
 * ```
 */
export async function e2eRun(target: TargetHandle, options: E2eOptions): Promise<E2eOutcome> {
  await target.reset();
  let collector: MetricsCollector | null = null;
  let latencies: Float64Array = new Float64Array(0);
  const cpu0 = system.cpuTimeMs();
  const result = await run({
    url: target.url + options.path,
    collector: options.collector,
    concurrency: options.concurrency,
    workers: options.workers,
    durationMs: options.durationMs,
    warmupMs: options.warmupMs ?? 0,
    rate: options.rate ?? null,
    timeoutMs: 30_000,
    sampleCapacity: options.sampleCapacity ?? 1024,
    onCollector: (c) => (collector = c),
    keepLatencies: options.keepLatencies ?? 0,
    maxConcurrency: options.maxConcurrency,
    onLatencies: (ns) => (latencies = ns),
  });
  const cpuMs = system.cpuTimeMs() - cpu0;
  // The target also counts what arrived inside the run's planned window (server-side rates).
  const truth = await target.stats(runWindow(result));
  const samples = collector === null
    ? new Float64Array(0)
    : (collector as MetricsCollector).getRecentSamples();
  return { result, cpuMs, truth, samples, latencies };
}
