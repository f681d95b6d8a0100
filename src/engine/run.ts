/**
 * `run()`: one load run from options to result. Starts the built-in target
 * when asked, spawns the load workers with one shared collector, steps
 * through the phases, reports progress once per second, stops early on an
 * abort, and returns the `RunResult` that reporters turn into text, JSON or
 * HTML.
 *
 * @module
 */
import { ClientStatsTable } from "../collector/client_stats.ts";
import { createCollector } from "../collector/create.ts";
import type { MetricsCollector } from "../collector/types.ts";
import { system } from "../runtime/mod.ts";
import { workerEntryUrl } from "../runtime/entry_url.ts";
import { spawnWorker, type WorkerHandle } from "../runtime/worker.ts";
import { loadWorkerEntry } from "../_bundled/entries.ts";
import { startTarget } from "../target/start.ts";
import type { TargetHandle } from "../target/types.ts";
import { VERSION } from "../version.ts";
import { encodeHistogram } from "./histogram_codec.ts";
import { type NormalizedRunOptions, normalizeRunOptions } from "./normalize.ts";
import type { RunOptions } from "./options.ts";
import { RESULT_SCHEMA_VERSION, type RunResult } from "./result.ts";
import { buildSegments, levelAt, type PhasePlan, type Segment, segmentAt } from "./schedule.ts";
import type { NamedLanes } from "../collector/named_lanes.ts";
import { createRunNamedLanes, namedViewOf, pollNamedLanes } from "./named_run.ts";
import { evaluateAllThresholds } from "./named_thresholds.ts";
import { resolveTargets } from "./targets/parse_targets.ts";
import { loadScenario, mergeScenarioOptions } from "./scenario/load.ts";
import { finishScenarioRun, prepareScenarioRun, type ScenarioRun, scenarioSummary } from "./scenario/run_support.ts";
import {
  CONTROL_BYTES,
  CTRL_INTERRUPTED,
  CTRL_MEASURING,
  CTRL_STOP,
  type WorkerJob,
  type WorkerMessage,
} from "./worker_protocol.ts";

/** Lead time between "all workers ready" and the common start. */
const START_DELAY_MS = 30;

/** Splits `total` into `parts` near-equal integers. */
function share(total: number, parts: number, index: number): number {
  return Math.floor(total / parts) + (index < total % parts ? 1 : 0);
}

/**
 * Runs a load test and returns its result.
 *
 * @example
 * ```ts
 * import { run } from "./run.ts";
 * const result = await run({ url: "builtin", durationMs: 2000, concurrency: 10 });
 * console.log(result.snapshot.totalRequests, result.snapshot.latency.p99);
 * ```
 */
export async function run(options: RunOptions): Promise<RunResult> {
  const loaded = options.scenario ? await loadScenario(options.scenario) : null;
  if (loaded !== null) options = mergeScenarioOptions(loaded.module.options, options);
  const opts = normalizeRunOptions(options);
  let target: TargetHandle | null = null;
  try {
    if (opts.builtinPath !== null) target = await startTarget({ mode: "process" });
    const url = target === null ? opts.url : target.url + opts.builtinPath;
    if (loaded === null) return await runAgainst(url, opts, options, null);
    const forceFetch = opts.transport === "fetch";
    const sr = await prepareScenarioRun(loaded, {
      base: options.url === "" ? "" : url,
      timeoutMs: opts.timeoutMs,
      env: opts.workload.env,
      iterationTimeoutMs: opts.workload.iterationTimeoutMs,
      forceFetch,
    });
    const result = await runAgainst(url, opts, options, sr);
    await finishScenarioRun(sr, opts.timeoutMs, forceFetch);
    return result;
  } finally {
    await target?.stop();
  }
}

/** The plan of phases for this run. */
function phasePlan(opts: NormalizedRunOptions): PhasePlan {
  const measured = opts.durationMs ?? Infinity;
  const ramps = opts.rampUpMs + opts.rampDownMs;
  if (ramps > measured) {
    throw new RangeError(
      `Cannot start run: ramp-up + ramp-down (${ramps} ms) exceed the duration (${measured} ms)`,
    );
  }
  return {
    warmupMs: opts.warmupMs,
    rampUpMs: opts.rampUpMs,
    steadyMs: measured - ramps,
    rampDownMs: opts.rampDownMs,
  };
}

async function runAgainst(
  url: string,
  opts: NormalizedRunOptions,
  raw: RunOptions,
  scenario: ScenarioRun | null,
): Promise<RunResult> {
  const plan = phasePlan(opts);
  const level = opts.rate ?? opts.concurrency;
  const segments = buildSegments(plan, level);
  const totalMs = opts.durationMs === null ? null : opts.warmupMs + opts.durationMs;
  const collector = createCollector({
    kind: opts.collector,
    lanes: opts.workers + 1,
    sampleCapacity: opts.sampleCapacity,
  });
  const clients = ClientStatsTable.create(opts.concurrency);
  const named = createRunNamedLanes(opts.workload, opts.workers, scenario !== null);
  const stopPolling = pollNamedLanes(named);
  const control = new SharedArrayBuffer(CONTROL_BYTES);
  const ctrl = new Int32Array(control);
  const workers: WorkerHandle[] = [];
  const timers: Array<ReturnType<typeof setTimeout>> = [];
  let interrupted = false;
  let measureStart = 0; // performance.now() when measuring began
  let measureEnd = 0;
  try {
    raw.onCollector?.(collector);
    const done = new Map<number, { sent: number; abandoned: number; lastSendEpochMs: number }>();
    let failure: Error | null = null;
    let wake: () => void = () => {};
    const progressed = new Promise<void>((resolve) => (wake = resolve));
    const ready = new Set<number>();
    let readyWake: () => void = () => {};
    const allReady = new Promise<void>((resolve) => (readyWake = resolve));

    const workerUrl = await workerEntryUrl(loadWorkerEntry); // source file or bundled data: URL
    for (let w = 0; w < opts.workers; w++) {
      const worker = spawnWorker(workerUrl, `lunge-load-${w + 1}`);
      workers.push(worker);
      worker.onMessage((message) => {
        const m = message as WorkerMessage;
        if (m.type === "ready") {
          ready.add(m.workerIndex);
          if (ready.size === opts.workers) readyWake();
        } else if (m.type === "done") {
          done.set(m.workerIndex, {
            sent: m.sent,
            abandoned: m.abandoned,
            lastSendEpochMs: m.lastSendEpochMs,
          });
          if (m.scenario) scenario?.reports.push(m.scenario);
          if (done.size === opts.workers) wake();
        } else if (m.type === "error") {
          failure ??= new Error(`load worker ${m.workerIndex + 1} failed: ${m.message}`);
          readyWake();
          wake();
        }
      });
      worker.onError((error) => {
        failure ??= new Error(`load worker ${w + 1} crashed: ${error.message}`);
        readyWake();
        wake();
      });
      worker.postMessage(
        {
          type: "job",
          workerIndex: w,
          collector: collector.handle(),
          clients: clients.handle(),
          control,
          spec: { url, method: opts.method, headers: opts.headers, body: opts.body },
          transport: opts.transport,
          model: opts.model,
          concurrency: share(opts.concurrency, opts.workers, w),
          segments: scaleSegments(
            segments,
            opts.model === "open"
              ? 1 / opts.workers
              : share(opts.concurrency, opts.workers, w) / opts.concurrency,
          ),
          arrivalOffset: w / opts.workers,
          requestLimit: opts.requests === null ? null : share(opts.requests, opts.workers, w),
          timeoutMs: opts.timeoutMs,
          targets: opts.workload.targets === null
            ? null
            : { set: resolveTargets(opts.workload.targets, url), order: opts.workload.targetsOrder, workers: opts.workers },
          named: named?.handle() ?? null,
          scenario: scenario?.job ?? null,
        } satisfies WorkerJob,
      );
    }
    await allReady;
    if (failure) throw failure;

    const startPerf = performance.now() + START_DELAY_MS;
    const startEpochMs = performance.timeOrigin + startPerf;
    const beginMeasuring = (): void => {
      collector.reset(); // nothing measured has been recorded yet: warm-up requests are never recorded
      // Without a warm-up this runs just before the common start, which is when measuring begins.
      measureStart = Math.max(performance.now(), startPerf);
      Atomics.store(ctrl, CTRL_MEASURING, 1);
    };
    if (opts.warmupMs === 0) beginMeasuring();
    else timers.push(setTimeout(beginMeasuring, startPerf - performance.now() + opts.warmupMs));
    for (const worker of workers) worker.postMessage({ type: "start", startEpochMs });

    const stop = (): void => {
      interrupted = true;
      Atomics.store(ctrl, CTRL_INTERRUPTED, 1);
      Atomics.store(ctrl, CTRL_STOP, 1);
    };
    if (raw.signal?.aborted) stop();
    raw.signal?.addEventListener("abort", stop, { once: true });
    const progress = raw.onProgress === undefined
      ? null
      : startProgress(raw, collector, segments, opts, startPerf, totalMs);
    try {
      await progressed;
    } finally {
      raw.signal?.removeEventListener("abort", stop);
      if (progress !== null) clearInterval(progress);
    }
    if (failure) throw failure;
    measureEnd = performance.now();
    if (measureStart === 0) measureStart = measureEnd; // interrupted during warm-up
    collector.close(); // final flush
    const lastSend = Math.max(
      0,
      ...[...done.values()].map((d) => d.lastSendEpochMs - performance.timeOrigin),
    );
    return buildResult(url, opts, collector, clients, named, scenario, {
      measureStart,
      measureEnd,
      interrupted,
      plannedEnd: startPerf + segmentsEndMs(segments),
      lastSend,
    });
  } finally {
    stopPolling();
    for (const t of timers) clearTimeout(t);
    for (const w of workers) w.terminate();
    collector.close();
  }
}

function segmentsEndMs(segments: readonly Segment[]): number {
  return segments.reduce((end, s) => Math.max(end, s.startMs + s.durationMs), 0);
}

/** A worker's share of the schedule: the level scaled by `factor`. */
function scaleSegments(segments: readonly Segment[], factor: number): Segment[] {
  return segments.map((s) => ({ ...s, from: s.from * factor, to: s.to * factor }));
}

function startProgress(
  raw: RunOptions,
  collector: MetricsCollector,
  segments: readonly Segment[],
  opts: NormalizedRunOptions,
  startPerf: number,
  totalMs: number | null,
): ReturnType<typeof setInterval> {
  let lastRequests = 0;
  let lastAt = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const elapsedMs = Math.max(0, now - startPerf);
    const snapshot = collector.getSnapshot();
    // p99 of the last complete second: the current one has only just begun.
    const completed = Math.floor(snapshot.elapsedMs / 1000);
    const points = collector.getTimeSeries().points.filter((p) => p.second < completed);
    const last = points.length > 0 ? points[points.length - 1] : null;
    const segment = segmentAt(segments, elapsedMs);
    const rps = ((snapshot.totalRequests - lastRequests) * 1000) / Math.max(1, now - lastAt);
    lastRequests = snapshot.totalRequests;
    lastAt = now;
    raw.onProgress?.({
      phase: segment?.phase ?? "done",
      elapsedMs,
      totalMs,
      requests: snapshot.totalRequests,
      rps,
      p99Ms: last?.p99 ?? 0,
      errors: snapshot.failedRequests,
      targetRate: opts.model === "open" ? levelAt(segments, elapsedMs) : null,
    });
  }, 1000);
  system.unrefTimer(timer);
  return timer;
}

/** When the measured part began and ended (performance.now() values). */
interface RunSpan {
  measureStart: number;
  /** When every worker had finished (in-flight requests drained). */
  measureEnd: number;
  interrupted: boolean;
  /** Planned end of the schedule (Infinity for request-count runs). */
  plannedEnd: number;
  /** The last request actually sent. */
  lastSend: number;
}

function buildResult(
  url: string,
  opts: NormalizedRunOptions,
  collector: MetricsCollector,
  clients: ClientStatsTable,
  named: NamedLanes | null,
  scenario: ScenarioRun | null,
  span: RunSpan,
): RunResult {
  const snapshot = collector.getSnapshot();
  const { measureStart, measureEnd, interrupted } = span;
  // A duration run is measured over its planned span, stretched by sends that went out
  // late (a backlog must lower the achieved rate, not hide behind the plan); request-count
  // and interrupted runs over the time they actually took.
  const planned = !interrupted && Number.isFinite(span.plannedEnd) && opts.requests === null;
  const endForRate = planned ? Math.max(span.plannedEnd, span.lastSend) : measureEnd;
  const durationMs = Math.max(1, endForRate - measureStart);
  const achievedRate = snapshot.totalRequests / (durationMs / 1000);
  const refused = snapshot.errorsByKind.refused;
  const result: RunResult = {
    schemaVersion: RESULT_SCHEMA_VERSION,
    tool: { name: "lunge", version: VERSION },
    runtime: {
      name: system.name,
      version: system.version,
      cpus: system.cpuCount(),
      cpuModel: system.cpuModel(),
    },
    startedAt: new Date(performance.timeOrigin + measureStart).toISOString(),
    endedAt: new Date(performance.timeOrigin + measureEnd).toISOString(),
    durationMs,
    target: { url, method: opts.method, builtin: opts.builtinPath !== null },
    options: {
      model: opts.model,
      rate: opts.rate,
      concurrency: opts.concurrency,
      workers: opts.workers,
      durationMs: opts.durationMs,
      requests: opts.requests,
      warmupMs: opts.warmupMs,
      rampUpMs: opts.rampUpMs,
      rampDownMs: opts.rampDownMs,
      timeoutMs: opts.timeoutMs,
      collector: opts.collector,
    },
    interrupted,
    snapshot,
    timeSeries: collector.getTimeSeries().points,
    histogram: encodeHistogram(collector.getHistogram()),
    achievedRate,
    targetRefusedConnections: refused > 0 && snapshot.successfulRequests === 0 &&
      refused >= snapshot.totalRequests / 2,
    clients: clients.aggregate(),
    thresholds: [],
    names: [],
    scenario: null,
  };
  const view = namedViewOf(named, scenario !== null);
  result.names = [...view.names];
  if (scenario !== null && named !== null) {
    result.scenario = scenarioSummary(scenario, named);
    result.target = { url: scenario.job.base === "" ? scenario.loaded.file : scenario.job.base, method: "SCENARIO", builtin: opts.builtinPath !== null };
  }
  result.thresholds = evaluateAllThresholds(opts.thresholds, snapshot, achievedRate, view);
  return result;
}
