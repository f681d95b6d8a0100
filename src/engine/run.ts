/**
 * `run()`: one load run from options to result. Starts the built-in target
 * when asked, spawns the load workers with one shared collector, steps
 * through the phases, reports progress once per second, stops early on an
 * abort, and returns the `RunResult` that reporters turn into text, JSON or
 * HTML.
 *
 * @module
 */
import { requireH2 } from "./_http2_preflight.ts";
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
import { encodeHistogram } from "../result/histogram_codec.ts";
import { type NormalizedRunOptions, normalizeRunOptions } from "./_normalize.ts";
import { type RunOptions, RunOptionsError } from "./options.ts";
import { RESULT_SCHEMA_VERSION, type RunResult } from "../result/run_result.ts";
import { poolSummary, runWarnings, type WorkerTotals } from "./_run_totals.ts";
import { buildSegments, type PhasePlan, type Segment } from "../pacer/schedule.ts";
import { startProgressFeed } from "./_progress_feed.ts";
import { splitCount, workerShare } from "./execution_segment.ts";
import { planFingerprint } from "./_plan_fingerprint.ts";
import { fitWarmupBeforeStartAt, startPerfOf } from "./_start_at.ts";
import { listenToSeconds, resetCollectorAt, serviceHistogramOf } from "./_collector_hooks.ts";
import { ErrorTally } from "../worker/error_tally.ts";
import { checkFdLimit } from "./_fd_limit.ts";
import { WorkerPool } from "./_worker_pool.ts";
import { inThreadWorker } from "./_in_thread_worker.ts";
import { CRASH_DRAIN_GRACE_MS, RunFailedError } from "./run_failure.ts";
import type { NamedLanes } from "../collector/named_lanes.ts";
import type { StreamSummary } from "../collector/stream_stats.ts";
import { createRunNamedLanes, namedViewOf, pollNamedLanes, SCENARIO_NAME_CAPACITY } from "./_named_run.ts";
import { evaluateAllThresholds } from "../thresholds/named_thresholds.ts";
import { createRunStreamLanes, STREAM_NAME_CAPACITY, streamSummaryOf } from "./_stream_run.ts";
import { resolveTargets } from "../request_sets/parse_targets.ts";
import { loadScenario, mergeScenarioOptions } from "../protocols/scenario/load.ts";
import {
  finishScenarioRun,
  prepareScenarioRun,
  type ScenarioRun,
  scenarioSummary,
} from "../protocols/scenario/run_support.ts";
import { CONTROL_BYTES, CTRL_INTERRUPTED, CTRL_MEASURING, CTRL_STOP } from "../pacer/control.ts";
import type { WorkerJob } from "./worker_protocol.ts";
import { type WorkerOptionField, workerOptionsOf } from "../options/worker_options.ts";
import { builtinWsUrl, createWsNamedLanes, wsJobOf, wsSummary } from "../protocols/websocket/run_support.ts";
import type { WsWorkerReport } from "../protocols/websocket/types.ts";
import { type GrpcRun, grpcTransportOptions, isGrpcUrl, prepareGrpcRun } from "../protocols/grpc/prepare.ts";
import { grpcSummaryOf, scenarioGrpcLanes, scenarioGrpcSummary } from "../protocols/grpc/summary.ts";

/** A worker's share in connections made a share in virtual users: `streams` per connection. */
function h2Share<T extends { concurrency: number }>(share: T, streams: number): T {
  return { ...share, concurrency: share.concurrency * streams };
}

/** Lead time between "all workers ready" and the common start. */
const START_DELAY_MS = 30;

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
  const grpcUrl = isGrpcUrl(options.url) ? options.url! : null;
  const opts = normalizeRunOptions(grpcUrl === null ? options : grpcTransportOptions(options));
  checkFdLimit(opts.concurrency);
  let target: TargetHandle | null = null;
  try {
    if (opts.builtinPath !== null) target = await startTarget({ mode: "process" });
    const url = target === null
      ? opts.url
      : opts.websocket !== null
      ? builtinWsUrl(target.url, opts.builtinPath!)
      : target.url + opts.builtinPath;
    if (grpcUrl !== null) {
      const grpc = await prepareGrpcRun(
        { ...options, url: grpcUrl },
        opts.workers,
        opts.connect,
        opts.timeoutMs,
      );
      return await runAgainst(url, opts, options, null, grpc);
    }
    if (loaded === null) return await runAgainst(url, opts, options, null);
    const forceFetch = opts.transport === "fetch";
    const sr = await prepareScenarioRun(loaded, {
      base: options.url === "" ? "" : url,
      timeoutMs: opts.timeoutMs,
      env: opts.workload.env,
      iterationTimeoutMs: opts.workload.iterationTimeoutMs,
      forceFetch,
    });
    sr.job.grpcLanes = scenarioGrpcLanes(loaded.file, opts.workers, SCENARIO_NAME_CAPACITY + 1)?.handle() ??
      null;
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
    throw new RunOptionsError(
      "rampUpMs",
      `ramp-up + ramp-down (${ramps} ms) exceed the duration (${measured} ms)`,
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
  grpc: GrpcRun | null = null,
): Promise<RunResult> {
  const fingerprint = planFingerprint(opts);
  opts = fitWarmupBeforeStartAt(opts, Date.now());
  if (opts.http2 === "tls") {
    await requireH2(
      { url, method: opts.method, headers: opts.headers, body: opts.body },
      opts.connect,
      opts.timeoutMs,
    );
  }
  const plan = phasePlan(opts);
  const level = opts.rate ?? opts.concurrency;
  const segments = buildSegments(plan, level);
  const totalMs = opts.durationMs === null ? null : opts.warmupMs + opts.durationMs;
  const collector = createCollector({
    kind: opts.collector,
    lanes: opts.workers + 1,
    sampleCapacity: opts.sampleCapacity,
  });
  const clients = ClientStatsTable.create(opts.maxConcurrency);
  const named = opts.websocket !== null
    ? createWsNamedLanes(opts.websocket, opts.workers)
    : createRunNamedLanes(opts.workload, opts.workers, scenario !== null);
  const wsReports: WsWorkerReport[] = [];
  const stopPolling = pollNamedLanes(named);
  const streams = createRunStreamLanes(
    opts.workers,
    scenario !== null ? STREAM_NAME_CAPACITY : named === null ? 0 : named.stats().length,
  );
  const control = new SharedArrayBuffer(CONTROL_BYTES);
  const ctrl = new Int32Array(control);
  const timers: Array<ReturnType<typeof setTimeout>> = [];
  let pool: WorkerPool | null = null;
  let interrupted = false;
  let measureStart = 0; // performance.now() when measuring began
  let measureEnd = 0;
  try {
    raw.onCollector?.(collector);
    raw.onLiveTables?.({ openConnections: () => clients.activeClients(), names: () => named?.stats() ?? [] });
    const errors = new ErrorTally();
    const spawn = await loadWorkerSpawner(opts.workers, scenario !== null);
    // A field the table marks for the workers but `WorkerJob` does not declare fails the type check here.
    const workerOptions: Pick<WorkerJob, WorkerOptionField> = workerOptionsOf(opts);
    pool = new WorkerPool({
      count: opts.workers,
      spawn,
      job: (w) => ({
        type: "job",
        workerIndex: w,
        collector: collector.handle(),
        clients: clients.handle(),
        control,
        spec: { url, method: opts.method, headers: opts.headers, body: opts.body },
        // The option fields the table marks for the workers (`worker`).
        ...workerOptions,
        // Workers split the connections; each carries `streams` virtual users (1 for HTTP/1.1).
        ...h2Share(workerShare({ ...opts, concurrency: opts.connections }, segments, w), opts.streams),
        maxConcurrency: splitCount(opts.maxConcurrency, opts.workers, w),
        targets: opts.workload.targets === null ? null : {
          set: resolveTargets(opts.workload.targets, url),
          order: opts.workload.targetsOrder,
          workers: opts.workers,
          segment: opts.segment.index,
          segments: opts.segment.count,
        },
        named: named?.handle() ?? null,
        scenario: scenario?.job ?? null,
        heapEveryMs: raw.onWorkerHeap === undefined ? 0 : opts.workerHeapEveryMs,
        streamLanes: streams.lanes.handle(),
        websocket: opts.websocket === null ? null : wsJobOf(opts.websocket, url, opts.headers, opts.connect),
        grpc: grpc?.job ?? null,
      }),
      drainAfterCrashMs: opts.timeoutMs + CRASH_DRAIN_GRACE_MS,
      onHeap: (m) =>
        raw.onWorkerHeap?.({
          worker: m.workerIndex + 1,
          elapsedMs: m.elapsedMs,
          heapUsed: m.heapUsed,
          afterGc: m.afterGc,
          gcMs: m.gcMs,
        }),
      onDone: (m) => {
        if (m.errors !== undefined) errors.merge(m.errors);
        if (m.scenario) scenario?.reports.push(m.scenario);
        if (m.websocket) wsReports.push(m.websocket);
      },
      // A worker crash after the start: the others stop and the partial result is returned with it.
      onCrash: () => {
        Atomics.store(ctrl, CTRL_INTERRUPTED, 1);
        Atomics.store(ctrl, CTRL_STOP, 1);
        pool?.notifyStop();
      },
    });
    await pool.ready();

    const startPerf = startPerfOf(opts, performance.now() + START_DELAY_MS);
    const startEpochMs = performance.timeOrigin + startPerf;
    // Measuring begins at the common start or the planned end of the warm-up. The workers decide
    // which requests are measured by that planned time (a timer here runs late on a loaded
    // machine, and the requests sent in between were lost), so the collector is reset before any
    // worker starts, its clock at that instant: warm-up requests are never recorded. A distant
    // --start-at must not add empty seconds.
    measureStart = startPerf + opts.warmupMs;
    resetCollectorAt(collector, measureStart);
    const beginMeasuring = (): void => {
      Atomics.store(ctrl, CTRL_MEASURING, 1);
      if (raw.onIntervalHistogram !== undefined) listenToSeconds(collector, raw.onIntervalHistogram);
    };
    if (opts.warmupMs === 0) beginMeasuring();
    else timers.push(setTimeout(beginMeasuring, startPerf - performance.now() + opts.warmupMs));
    pool.start(startEpochMs);

    const stop = (): void => {
      interrupted = true;
      Atomics.store(ctrl, CTRL_INTERRUPTED, 1);
      Atomics.store(ctrl, CTRL_STOP, 1);
      pool?.notifyStop();
    };
    if (raw.signal?.aborted) stop();
    raw.signal?.addEventListener("abort", stop, { once: true });
    const progress = raw.onProgress === undefined ? null : startProgressFeed({
      onProgress: raw.onProgress,
      collector,
      segments,
      open: opts.model === "open",
      segmentCount: opts.segment.count,
      startPerf,
      totalMs,
      grpc: grpc?.lanes ?? null,
      websocket: opts.websocket !== null,
    });
    let totals: WorkerTotals[];
    try {
      totals = await pool.finished();
    } finally {
      raw.signal?.removeEventListener("abort", stop);
      if (progress !== null) clearInterval(progress);
    }
    measureEnd = performance.now();
    if (measureStart > measureEnd) measureStart = measureEnd; // interrupted during warm-up
    collector.close(); // final flush
    const lastSend = Math.max(
      0,
      ...totals.map((d) => d.lastSendEpochMs - performance.timeOrigin),
    );
    if (opts.keepLatencies > 0) deliverLatencies(raw, totals);
    const result = buildResult(url, opts, collector, clients, named, scenario, {
      measureStart,
      measureEnd,
      interrupted: interrupted || pool.crash !== null,
      plannedEnd: startPerf + segmentsEndMs(segments),
      lastSend,
      fingerprint,
      completedInWindow: totals.reduce((n, d) => n + d.completedInWindow, 0),
      streams: streamSummaryOf(streams.lanes, named),
    }, grpc);
    // Scenario virtual users keep their own connections: the open-model pool does not apply.
    result.pool = scenario === null ? poolSummary(opts, totals) : null;
    if (opts.websocket !== null) result.websocket = wsSummary(wsReports, named);
    result.warnings = runWarnings(result);
    const top = errors.top();
    if (top.length > 0) result.errorMessages = top;
    if (pool.crash !== null) throw new RunFailedError(pool.crash, result);
    return result;
  } finally {
    stopPolling();
    streams.stop();
    for (const t of timers) clearTimeout(t);
    pool?.terminate();
    collector.close();
  }
}

/**
 * How load workers start: one plain load worker runs on this thread (a worker thread would add an
 * isolate, about 20 MiB, and its own wake-ups, for a main thread that only waits);
 * otherwise each gets a thread. Scenario workers always get threads: they run the user's code.
 * `LUNGE_THREADED_LOAD=1` gives the single worker a thread too (for A/B measurements).
 */
async function loadWorkerSpawner(workers: number, scenario: boolean): Promise<(w: number) => WorkerHandle> {
  if (workers === 1 && !scenario && system.env("LUNGE_THREADED_LOAD") !== "1") return () => inThreadWorker();
  const workerUrl = await workerEntryUrl(loadWorkerEntry); // source file or bundled data: URL
  return (w) => spawnWorker(workerUrl, `lunge-load-${w + 1}`);
}

/** Test-only: every worker's raw latencies, concatenated, to `onLatencies`. */
function deliverLatencies(raw: RunOptions, totals: readonly WorkerTotals[]): void {
  const parts = totals.map((d) => d.latencies ?? new Float64Array(0));
  const all = new Float64Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  raw.onLatencies?.(all, totals.reduce((n, d) => n + (d.latenciesDropped ?? 0), 0));
}

function segmentsEndMs(segments: readonly Segment[]): number {
  return segments.reduce((end, s) => Math.max(end, s.startMs + s.durationMs), 0);
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
  /** The plan fingerprint (of the options as given, before the warm-up was fitted). */
  fingerprint: string;
  /** Measured requests completed by the planned end (closed model). */
  completedInWindow: number;
  /** The stream timings, or null when none was recorded. */
  streams: StreamSummary | null;
}

function buildResult(
  url: string,
  opts: NormalizedRunOptions,
  collector: MetricsCollector,
  clients: ClientStatsTable,
  named: NamedLanes | null,
  scenario: ScenarioRun | null,
  span: RunSpan,
  grpc: GrpcRun | null = null,
): RunResult {
  const snapshot = collector.getSnapshot();
  const { measureStart, measureEnd, interrupted } = span;
  // A duration run is measured over its planned span, stretched by sends that went out
  // late (a backlog must lower the achieved rate, not hide behind the plan); request-count
  // and interrupted runs over the time they actually took.
  const planned = !interrupted && Number.isFinite(span.plannedEnd) && opts.requests === null;
  const endForRate = planned ? Math.max(span.plannedEnd, span.lastSend) : measureEnd;
  const durationMs = Math.max(1, endForRate - measureStart);
  // Closed model: the requests in flight at the end complete after the window (c of them:
  // +12% at c=10000 for 2 s), so the rate counts only the completions inside it.
  // (Scenario workers do not count completions per window: their rate is over every recorded request.)
  const achievedRate = planned && opts.model === "closed" && scenario === null
    ? span.completedInWindow / (durationMs / 1000)
    : snapshot.totalRequests / (durationMs / 1000);
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
    serviceHistogram: snapshot.serviceTime === null ? null : serviceHistogramOf(collector),
    plan: { fingerprint: span.fingerprint },
    segment: opts.segment.count === 1 && opts.startAtEpochMs === null ? null : {
      ...opts.segment,
      startAt: opts.startAtEpochMs === null ? null : new Date(opts.startAtEpochMs).toISOString(),
    },
    pool: null,
    warnings: [],
    names: [],
    scenario: null,
  };
  const view = namedViewOf(named, scenario !== null);
  result.names = [...view.names];
  if (scenario !== null && named !== null) {
    result.scenario = scenarioSummary(scenario, named);
    result.target = {
      url: scenario.job.base === "" ? scenario.loaded.file : scenario.job.base,
      method: "SCENARIO",
      builtin: opts.builtinPath !== null,
    };
  }
  if (span.streams !== null) result.streams = span.streams;
  if (scenario?.job.grpcLanes && named !== null) {
    const grpcCalls = scenarioGrpcSummary(scenario.job.grpcLanes, named.stats().map((n) => n.name));
    if (grpcCalls !== undefined) result.grpc = grpcCalls;
  }
  if (grpc !== null) {
    result.grpc = grpcSummaryOf({
      url: grpc.url,
      name: grpc.method.name,
      serverStreaming: grpc.method.responseStream,
      source: grpc.source,
    }, grpc.lanes);
    result.target = { url: grpc.url, method: grpc.method.name, builtin: false };
  }
  result.thresholds = evaluateAllThresholds(
    opts.thresholds,
    snapshot,
    achievedRate,
    { ...view, grpc: result.grpc },
    span.streams,
  );
  return result;
}
