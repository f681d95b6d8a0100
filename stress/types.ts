/**
 * Shapes shared by the stress run, its verdicts and its reports.
 *
 * @module
 */
import type { CollectorKind } from "../src/collector/types.ts";
import type { RunResult } from "../src/result/run_result.ts";
import type { ScenarioName } from "./scenarios.ts";

/** Whether a check passed, failed, or could not be made here. */
export type VerdictStatus = "passed" | "failed" | "not checked";

/** The outcome of one check. */
export interface Verdict {
  /** Short name, e.g. `"heap (target)"`. */
  name: string;
  /** "not checked" when this machine or runtime could not show the figure: never counted as passed. */
  status: VerdictStatus;
  /** True only when the check was made and passed. */
  passed: boolean;
  /** One line: the figures and the bound they were held to, or why the check could not be made. */
  detail: string;
}

/** A resolved stress configuration (flags applied to a scenario). */
export interface StressConfig {
  scenario: ScenarioName;
  /** Peak arrival rate, requests/s. */
  rate: number;
  /** Measured duration, ms (ramps included). */
  durationMs: number;
  rampUpMs: number;
  rampDownMs: number;
  /** Sampled idle time after the load, ms. */
  idleAfterMs: number;
  /** Virtual users (connections). */
  concurrency: number;
  /** Load worker threads (default: CPU count). */
  workers: number | null;
  collector: CollectorKind;
  /** Uncounted priming run before the measured one (JIT, connection pools), ms; 0 for none. */
  warmupMs: number;
  /** Whether the throughput verdict applies. */
  checkThroughput: boolean;
  /** Where the JSON and HTML go; null writes no files. */
  outDir: string | null;
  /** Print the JSON result on stdout instead of the text summary. */
  json: boolean;
}

/** One per-second sample of the measured run (and of the idle time after it). */
export interface StressSample {
  /** Seconds since the measured run started. */
  t: number;
  /** Run phase, or "idle" after the load. */
  phase: string;
  /** Completed requests per second over the last second. */
  rps: number;
  /** Target rate at that moment (open model). */
  targetRate: number;
  /** p99 latency over the last second, ms. */
  p99Ms: number;
  /** Requests completed so far / failed so far. */
  requests: number;
  errors: number;
  /**
   * Load generator (this process): heap of the main thread, taken right after
   * a forced GC of it when the runtime allows (live heap); RSS is the whole
   * process's, load-worker threads included (their heaps: `StressResult.workerHeaps`).
   */
  heapUsed: number;
  rss: number;
  external: number;
  /** The latest heap reading of each load worker that has reported, in worker order (read in its own thread). */
  workerHeapUsed?: number[];
  /** Target process memory from its ground-truth endpoint; null when that read failed or was late. */
  targetHeapUsed: number | null;
  targetRss: number | null;
  targetExternal: number | null;
  /** Connections open at the target. */
  targetConnections: number | null;
  /**
   * Target heap right after a forced GC in the target (`POST /__lunge/gc`), read
   * every few seconds; the leak verdict fits these (live heap), not the floors.
   */
  targetHeapAfterGc?: number | null;
}

/** One load worker's heap, read in its own thread every 2 s. */
export interface WorkerHeapSeries {
  /** Which load worker, 1-based (thread `lunge-load-<worker>`). */
  worker: number;
  /**
   * Seconds since the measured run started, heap used (bytes), whether a forced GC ran right before,
   * and how long it paused the worker (ms).
   */
  points: Array<{ t: number; heapUsed: number; afterGc: boolean; gcMs: number }>;
  /** Longest pause of that worker for a forced GC, ms. */
  maxGcMs: number;
}

/** Memory after a forced GC, at the start and at the end. */
export interface GcReadings {
  /** Whether the forced GC really ran (false: figures are without a GC). */
  gc: boolean;
  startHeapUsed: number;
  endHeapUsed: number;
  startRss: number;
  endRss: number;
}

/** What the end-of-run leak probes saw. */
export interface LeakReadings {
  /** OS threads before the run and after it (for information: runtimes start helper threads lazily). */
  threadsBefore: number | null;
  threadsAfter: number | null;
  /** Load-worker threads (by thread name) seen at most during the run, and left after it. */
  workerThreadsDuring: number | null;
  workerThreadsAfter: number | null;
  /** Target-side open connections after the run, and ms until 0. */
  targetConnections: number | null;
  targetConnectionsMs: number;
  /** Client sockets still held open to the target after the run. */
  clientSockets: number | null;
}

/** Everything a stress run produced. */
export interface StressResult {
  schema: "lunge-stress-v1";
  config: StressConfig;
  runtime: { name: string; version: string; cpus: number };
  startedAt: string;
  endedAt: string;
  /** Seconds of memory samples ignored at the start of the heap and RSS fits. */
  settleSeconds: number;
  samples: StressSample[];
  /** Load workers of the measured run (each reports its own heap; a single one runs on the main thread). */
  loadWorkers: number;
  /** Heap of each load worker over the run, read in the worker's own thread. */
  workerHeaps: WorkerHeapSeries[];
  /** Whether the load generator's heap samples were taken right after a forced GC of its main thread. */
  generatorSampledAfterGc: boolean;
  generatorGc: GcReadings;
  targetGc: GcReadings;
  leaks: LeakReadings;
  /** Collector total vs the target's ground truth. */
  counts: { collector: number; target: number; failed: number; missedSends: number };
  achievedRate: number;
  p99Ms: number;
  interrupted: boolean;
  verdicts: Verdict[];
  /** The engine's result of the measured run (without its time series, which `samples` carries). */
  run: Omit<RunResult, "timeSeries">;
}
