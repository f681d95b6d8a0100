/**
 * One stress run: starts the built-in target in its own process, primes it
 * (uncounted), resets its ground truth, forces a GC on both sides, drives the
 * measured open-model run while sampling memory every second, then probes for
 * leaks (threads, sockets, memory after a forced GC) and judges the verdicts.
 *
 * @module
 */
import type { MetricsCollector } from "../src/collector/types.ts";
import type { RunProgress, WorkerHeapReading } from "../src/engine/options.ts";
import type { RunResult } from "../src/result/run_result.ts";
import { run } from "../src/engine/run.ts";
import { system } from "../src/runtime/mod.ts";
import { startTarget } from "../src/target/start.ts";
import type { TargetHandle } from "../src/target/types.ts";
import { clientSocketsTo, targetGc, threadCount, waitFor, workerThreadCount } from "./probes.ts";
import type {
  GcReadings,
  LeakReadings,
  StressConfig,
  StressResult,
  StressSample,
  WorkerHeapSeries,
} from "./types.ts";
import { judge, liveHeapEverySeconds, settleSeconds } from "./verdicts.ts";

/** How long the end-of-run probes wait for sockets and threads to go, ms. */
export const LEAK_SETTLE_MS = 5_000;
/** Rate of the uncounted priming run (capped by the scenario's rate), req/s. */
const PRIMING_RATE = 2_000;

/** Hooks of {@linkcode runStress}. */
export interface StressHooks {
  /** Called with each per-second sample (progress line). */
  onSample?: (sample: StressSample, config: StressConfig) => void;
  /** Called with short notes on what happens between phases. */
  onNote?: (note: string) => void;
  /** Aborting stops the measured run early (the result is marked interrupted). */
  signal?: AbortSignal;
}

/**
 * Runs one stress scenario end to end and returns its result with verdicts.
 *
 * @example
 * ```ts
 * import { runStress } from "./run_stress.ts";
 * const result = await runStress({
 *   scenario: "baseline", rate: 500, durationMs: 3000, rampUpMs: 0, rampDownMs: 0, idleAfterMs: 0,
 *   concurrency: 50, workers: 1, collector: "atomic", warmupMs: 0, checkThroughput: true,
 *   outDir: null, json: false,
 * });
 * console.log(result.verdicts.every((v) => v.passed));
 * ```
 */
export async function runStress(config: StressConfig, hooks: StressHooks = {}): Promise<StressResult> {
  const note = hooks.onNote ?? ((): void => {});
  const target = await startTarget({ mode: "process" });
  try {
    const url = `${target.url}/`;
    if (config.warmupMs > 0) {
      note(`priming (uncounted): ${config.warmupMs} ms at ${Math.min(config.rate, PRIMING_RATE)} req/s`);
      await run({
        url,
        rate: Math.min(config.rate, PRIMING_RATE),
        durationMs: config.warmupMs,
        concurrency: config.concurrency,
        workers: config.workers ?? undefined,
        collector: config.collector,
        sampleCapacity: 0,
      });
      await waitFor(() => target.stats(), (s) => s.openConnections === 0, LEAK_SETTLE_MS);
    }
    await target.reset();
    const genStart = gcAndRead();
    const targetStart = await targetGc(target.url);
    const threadsBefore = threadCount();

    const samples: StressSample[] = [];
    // The load workers and the target read their live heap (after a forced GC) at this rhythm; a full GC of
    // a heap of ~10 MiB takes a few ms.
    const liveEvery = liveHeapEverySeconds(config.durationMs / 1000);
    // The target forces at most one GC a second: every other sample at the most, so that none waits for a slot.
    const sampler = new Sampler(target, samples, (s) => hooks.onSample?.(s, config), {
      from: settleSeconds(config.durationMs / 1000),
      every: Math.max(2, liveEvery),
    });
    const startedAt = new Date();
    note(`measured run: ${config.rate} req/s, ${config.durationMs} ms, ${config.concurrency} connections`);
    const result = await run({
      url,
      rate: config.rate,
      durationMs: config.durationMs,
      rampUpMs: config.rampUpMs,
      rampDownMs: config.rampDownMs,
      concurrency: config.concurrency,
      workers: config.workers ?? undefined,
      collector: config.collector,
      signal: hooks.signal,
      onProgress: (p) => sampler.onProgress(p),
      onWorkerHeap: (r) => sampler.onWorkerHeap(r),
      workerHeapEveryMs: liveEvery * 1000,
      onCollector: (collector) => sampler.attach(collector),
    });
    await sampler.settle();
    if (config.idleAfterMs > 0 && !result.interrupted) {
      note(`idle: sampling for ${config.idleAfterMs} ms after the load`);
      await sampler.idle(config.idleAfterMs, config.durationMs / 1000);
    }
    const endedAt = new Date();

    const leaks = await probeLeaks(target, threadsBefore, sampler.workerThreadsPeak);
    const truth = await target.stats();
    const genEnd = gcAndRead();
    const targetEnd = await targetGc(target.url);
    const generatorGc: GcReadings = {
      gc: genStart.gc && genEnd.gc,
      startHeapUsed: genStart.heapUsed,
      endHeapUsed: genEnd.heapUsed,
      startRss: genStart.rss,
      endRss: genEnd.rss,
    };
    const targetGcReadings: GcReadings = {
      gc: targetStart.gc && targetEnd.gc,
      startHeapUsed: targetStart.memory.heapUsed,
      endHeapUsed: targetEnd.memory.heapUsed,
      startRss: targetStart.memory.rss,
      endRss: targetEnd.memory.rss,
    };
    const snapshot = result.snapshot;
    const { timeSeries: _series, ...runWithoutSeries } = result;
    const partial: Omit<StressResult, "verdicts"> = {
      schema: "lunge-stress-v1",
      config,
      runtime: { name: system.name, version: system.version, cpus: system.cpuCount() },
      startedAt: startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      settleSeconds: settleSeconds(config.durationMs / 1000),
      samples,
      loadWorkers: result.options.workers,
      workerHeaps: sampler.workerHeaps,
      generatorSampledAfterGc: sampler.sampledAfterGc,
      generatorGc,
      targetGc: targetGcReadings,
      leaks,
      counts: {
        collector: snapshot.totalRequests,
        target: truth.totalRequests,
        failed: snapshot.failedRequests,
        missedSends: snapshot.missedSends,
      },
      achievedRate: result.achievedRate,
      p99Ms: snapshot.latency.p99,
      interrupted: result.interrupted,
      run: runWithoutSeries as Omit<RunResult, "timeSeries">,
    };
    return { ...partial, verdicts: judge(partial) };
  } finally {
    await target.stop();
  }
}

function gcAndRead(): { gc: boolean; heapUsed: number; rss: number } {
  const gc = system.gc();
  const m = system.memory();
  return { gc, heapUsed: m.heapUsed, rss: m.rss };
}

/** Waits for the target's connections to close and the worker threads to go. */
async function probeLeaks(
  target: TargetHandle,
  threadsBefore: number | null,
  workerThreadsDuring: number | null,
): Promise<LeakReadings> {
  const conns = await waitFor(
    () => target.stats().then((s) => s.openConnections),
    (n) => n === null || n === 0,
    LEAK_SETTLE_MS,
  );
  const workers = await waitFor(
    () => Promise.resolve(workerThreadCount()),
    (n) => n === null || n === 0,
    LEAK_SETTLE_MS,
  );
  return {
    threadsBefore,
    threadsAfter: threadCount(),
    workerThreadsDuring,
    workerThreadsAfter: workers.value,
    targetConnections: conns.value,
    targetConnectionsMs: Math.round(conns.ms),
    clientSockets: clientSocketsTo(target.port),
  };
}

/**
 * Turns the engine's once-per-second progress into samples with memory of
 * both sides; the target's memory read is asynchronous and fills in the
 * sample when it arrives (skipped while a previous read is still out).
 */
class Sampler {
  readonly #target: TargetHandle;
  readonly #samples: StressSample[];
  readonly #emit: (s: StressSample) => void;
  #pending: Promise<void> | null = null;
  #collector: MetricsCollector | null = null;
  #gcEverySample = true;
  #workerThreadsPeak: number | null = null;
  readonly #workerHeaps = new Map<number, WorkerHeapSeries>();
  /** Seconds between forced GCs in the target, the first once the settle time is over. */
  readonly #targetGcEvery: number;
  #nextTargetGcAt: number;

  constructor(
    target: TargetHandle,
    samples: StressSample[],
    emit: (s: StressSample) => void,
    targetGc: { from: number; every: number },
  ) {
    this.#target = target;
    this.#samples = samples;
    this.#emit = emit;
    this.#targetGcEvery = targetGc.every;
    this.#nextTargetGcAt = targetGc.from;
  }

  attach(collector: MetricsCollector): void {
    this.#collector = collector;
  }

  /** A load worker's own heap reading (every 2 s, from its thread). */
  onWorkerHeap(r: WorkerHeapReading): void {
    let series = this.#workerHeaps.get(r.worker);
    if (series === undefined) {
      series = { worker: r.worker, points: [], maxGcMs: 0 };
      this.#workerHeaps.set(r.worker, series);
    }
    series.points.push({
      t: Math.round(r.elapsedMs) / 1000,
      heapUsed: r.heapUsed,
      afterGc: r.afterGc,
      gcMs: Math.round(r.gcMs * 100) / 100,
    });
    series.maxGcMs = Math.max(series.maxGcMs, Math.round(r.gcMs * 100) / 100);
  }

  /** Every load worker's heap series, by worker number. */
  get workerHeaps(): WorkerHeapSeries[] {
    return [...this.#workerHeaps.values()].sort((a, b) => a.worker - b.worker);
  }

  onProgress(p: RunProgress): void {
    this.#take(
      p.elapsedMs / 1000,
      p.phase,
      p.rps,
      p.targetRate ?? 0,
      this.#lastCompleteP99(p),
      p.requests,
      p.errors,
    );
  }

  /**
   * p99 of the last complete second: the progress figure comes from the
   * point of the second that has just begun, which holds almost nothing yet.
   */
  #lastCompleteP99(p: RunProgress): number {
    if (this.#collector === null) return p.p99Ms;
    const points = this.#collector.getTimeSeries().points;
    const current = Math.floor(p.elapsedMs / 1000);
    for (let i = points.length - 1; i >= 0; i--) {
      if (points[i].second < current) return points[i].p99;
    }
    return p.p99Ms;
  }

  /** Samples every second for `ms` after the load (phase "idle"). */
  async idle(ms: number, fromSeconds: number): Promise<void> {
    const last = this.#samples.at(-1);
    for (let s = 1; s <= Math.round(ms / 1000); s++) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      this.#take(fromSeconds + s, "idle", 0, 0, 0, last?.requests ?? 0, last?.errors ?? 0);
      await this.settle();
    }
  }

  /** Waits for the target read in flight, if any. */
  async settle(): Promise<void> {
    await this.#pending;
  }

  /** Most load-worker threads seen at once during the run (null off Linux). */
  get workerThreadsPeak(): number | null {
    return this.#workerThreadsPeak;
  }

  /** Whether every sample's generator heap was read right after a forced GC. */
  get sampledAfterGc(): boolean {
    return this.#gcEverySample;
  }

  #take(
    t: number,
    phase: string,
    rps: number,
    targetRate: number,
    p99Ms: number,
    requests: number,
    errors: number,
  ): void {
    // The main thread only orchestrates: its heap is a few MiB and a full GC of it takes about a
    // millisecond once a second. It turns the heap figure into live memory, which a short run can judge.
    if (!system.gc()) this.#gcEverySample = false;
    const workers = workerThreadCount();
    if (workers !== null) this.#workerThreadsPeak = Math.max(this.#workerThreadsPeak ?? 0, workers);
    const m = system.memory();
    const sample: StressSample = {
      t: Math.round(t * 1000) / 1000,
      phase,
      rps,
      targetRate,
      p99Ms,
      requests,
      errors,
      heapUsed: m.heapUsed,
      rss: m.rss,
      external: m.external,
      workerHeapUsed: this.workerHeaps.map((w) => w.points[w.points.length - 1].heapUsed),
      targetHeapUsed: null,
      targetRss: null,
      targetExternal: null,
      targetConnections: null,
    };
    this.#samples.push(sample);
    if (this.#pending !== null) {
      this.#emit(sample);
      return;
    }
    // Every few seconds the target also runs a full GC, so that its leak verdict fits the
    // live heap: between major GCs the floors of its heap rise with garbage that is not a leak.
    const gcNow = t >= this.#nextTargetGcAt;
    // Half a second early at the most: samples come about a second apart, and the target allows one GC a second.
    if (gcNow) this.#nextTargetGcAt = t + this.#targetGcEvery - 0.5;
    this.#pending = this.#target.stats().then(
      async (truth) => {
        sample.targetHeapUsed = truth.memory.heapUsed;
        sample.targetRss = truth.memory.rss;
        sample.targetExternal = truth.memory.external;
        sample.targetConnections = truth.openConnections;
        if (gcNow) {
          const reading = await targetGc(this.#target.url);
          if (reading.gc) sample.targetHeapAfterGc = reading.memory.heapUsed;
        }
      },
      () => {/* a late or failed read leaves the target fields null */},
    ).finally(() => {
      this.#pending = null;
      this.#emit(sample);
    });
  }
}
