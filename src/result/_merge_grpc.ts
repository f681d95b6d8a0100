/**
 * Merging of the `grpc` sections of segment results (`lunge merge`): calls,
 * statuses and messages summed per method or call name, messages per call
 * recomputed; first-message percentiles take the largest (an upper bound:
 * the sections carry no histogram of them).
 *
 * @module
 */
import type { GrpcCallStats, GrpcSummary, RunResult } from "./run_result.ts";

function mergeStats(list: readonly GrpcCallStats[]): GrpcCallStats {
  const statuses: Record<string, number> = {};
  for (const s of list) for (const [k, v] of Object.entries(s.statuses)) statuses[k] = (statuses[k] ?? 0) + v;
  const calls = list.reduce((n, s) => n + s.calls, 0);
  const received = list.reduce((n, s) => n + s.messagesReceived, 0);
  const timed = list.map((s) => s.firstMessage).filter((f) => f !== null);
  return {
    name: list[0].name,
    calls,
    statuses,
    errors: calls - (statuses.OK ?? 0),
    messagesSent: list.reduce((n, s) => n + s.messagesSent, 0),
    messagesReceived: received,
    messagesPerCall: calls === 0 ? 0 : received / calls,
    firstMessage: timed.length === 0 ? null : {
      p50: Math.max(...timed.map((f) => f.p50)),
      p90: Math.max(...timed.map((f) => f.p90)),
      p99: Math.max(...timed.map((f) => f.p99)),
      mean: Math.max(...timed.map((f) => f.mean)),
    },
  };
}

/**
 * The merged `grpc` section, or undefined when no input has one.
 *
 * @example
 * ```ts
 * import { mergeGrpc } from "./_merge_grpc.ts";
 * import type { RunResult } from "./run_result.ts";
 * declare const a: RunResult, b: RunResult;
 * mergeGrpc([a, b])?.total.calls;
 * ```
 */
export function mergeGrpc(results: readonly RunResult[]): GrpcSummary | undefined {
  const parts = results.map((r) => r.grpc).filter((g): g is GrpcSummary => g !== undefined);
  if (parts.length === 0) return undefined;
  const names = [...new Set(parts.flatMap((p) => p.methods.map((m) => m.name)))];
  return {
    url: parts[0].url,
    kind: parts.every((p) => p.kind === parts[0].kind) ? parts[0].kind : "mixed",
    source: parts[0].source,
    total: mergeStats(parts.map((p) => p.total)),
    methods: names.map((name) => mergeStats(parts.flatMap((p) => p.methods.filter((m) => m.name === name)))),
  };
}
