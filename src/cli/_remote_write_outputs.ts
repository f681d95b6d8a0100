/**
 * The `--out prometheus=URL` outputs of `lunge run`: one remote-write output
 * per URL reading the run's collector (snapshot and histograms) and the
 * latest progress tick (the planned rate), and the closing line each prints.
 *
 * @module
 */
import type { MetricsCollector } from "../collector/types.ts";
import type { LiveTables, RunProgress } from "../engine/options.ts";
import { type RemoteWriteStats, type RunSeriesInput, startRemoteWriteOutput } from "../stats/harness/mod.ts";

/** A started remote-write output and its URL. */
export interface NamedRemoteWrite {
  /** The endpoint. */
  readonly url: string;
  /** Sends the last batch and returns the counts. */
  stop(): Promise<RemoteWriteStats>;
}

/** Where the outputs read the run. */
export interface RemoteWriteSources {
  /** The run's collector, or null before the run made it. */
  collector: () => MetricsCollector | null;
  /** The latest progress tick, or null. */
  progress: () => RunProgress | null;
  /** The run's live tables (per-name totals), or null. */
  tables?: () => LiveTables | null;
}

/** The service-time histogram, on the collectors that keep it apart. */
function serviceHistogram(collector: MetricsCollector): Float64Array | null {
  const c = collector as MetricsCollector & { getServiceHistogram?: () => Float64Array };
  return typeof c.getServiceHistogram === "function" ? c.getServiceHistogram() : null;
}

/** Per-name request and failure counts (targets, scenario steps), at most 100 names. */
function namesOf(tables: LiveTables | null): Map<string, { requests: number; failed: number }> | undefined {
  const names = tables?.names() ?? [];
  if (names.length === 0) return undefined;
  return new Map(names.slice(0, 100).map((n) => [n.name, { requests: n.count, failed: n.errors }]));
}

/**
 * Starts one remote-write output per URL.
 *
 * @example
 * ```ts
 * import { startRemoteWrites } from "./_remote_write_outputs.ts";
 * const outputs = startRemoteWrites(["http://127.0.0.1:9090/api/v1/write"], { run: "r1", segment: "0/1" }, {
 *   collector: () => null,
 *   progress: () => null,
 * });
 * for (const o of outputs) await o.stop();
 * ```
 */
export function startRemoteWrites(
  urls: readonly string[],
  labels: Readonly<Record<string, string>>,
  sources: RemoteWriteSources,
): NamedRemoteWrite[] {
  const read = (): RunSeriesInput | null => {
    const collector = sources.collector();
    if (collector === null) return null;
    return {
      snapshot: collector.getSnapshot(),
      latency: collector.getHistogram(),
      service: serviceHistogram(collector),
      targetRate: sources.progress()?.targetRate ?? null,
      names: namesOf(sources.tables?.() ?? null),
    };
  };
  return urls.map((url) => {
    const output = startRemoteWriteOutput({ url, labels, read });
    return { url, stop: () => output.stop() };
  });
}

/**
 * The closing line of one output, e.g. `prometheus http://p/api/v1/write: 1,200 samples sent in 10 batches, 0 dropped`.
 *
 * @example
 * ```ts
 * import { remoteWriteSummaryLine } from "./_remote_write_outputs.ts";
 * remoteWriteSummaryLine("http://p/api/v1/write", {
 *   sentBatches: 1, sentSamples: 120, droppedBatches: 0, droppedSamples: 0, failedAttempts: 0, lastError: null,
 * });
 * ```
 */
export function remoteWriteSummaryLine(url: string, s: RemoteWriteStats): string {
  const n = (x: number): string => x.toLocaleString("en-US");
  const dropped = `${n(s.droppedSamples)} dropped` +
    (s.droppedBatches > 0 ? ` in ${n(s.droppedBatches)} batches` : "");
  const failed = s.failedAttempts > 0 ? `, ${n(s.failedAttempts)} failed sends (last: ${s.lastError})` : "";
  return `prometheus ${url}: ${n(s.sentSamples)} samples sent in ${
    n(s.sentBatches)
  } batches, ${dropped}${failed}`;
}
