/**
 * The one line the CLI prints when not a single request succeeded: the
 * dominant cause (the most frequent error kind or failing status) in words,
 * with the host it concerns.
 *
 * @module
 */
import type { RunResult } from "../result/run_result.ts";
import { formatCount } from "./_units.ts";

function hostOf(url: string): { host: string; hostPort: string } {
  try {
    const u = new URL(url);
    const port = u.port !== "" ? u.port : u.protocol === "https:" ? "443" : "80";
    return { host: u.hostname, hostPort: `${u.hostname}:${port}` };
  } catch {
    return { host: url, hostPort: url };
  }
}

/** A gRPC run where no call was OK: its statuses and the most frequent message. */
function grpcFailureLine(result: RunResult): string {
  const t = result.grpc!.total;
  const statuses = Object.entries(t.statuses).map(([k, v]) => `${k} ${v}`).join(", ");
  const top = result.errorMessages?.[0]?.message;
  return `every call failed (${statuses}) calling ${t.name} at ${result.grpc!.url}${top ? `: ${top}` : ""}`;
}

/**
 * `null` when at least one request succeeded (or none completed); otherwise
 * `every request failed: <cause>`, e.g. `every request failed: connection
 * refused by 127.0.0.1:1` or `every request failed: DNS lookup failed for
 * nonexistent.invalid`.
 *
 * @example
 * ```ts
 * import { totalFailureLine } from "./_failure_cause.ts";
 * import type { RunResult } from "../result/run_result.ts";
 * declare const result: RunResult;
 * const line = totalFailureLine(result);
 * if (line !== null) console.error(`lunge: ${line}`);
 * ```
 */
export function totalFailureLine(result: RunResult): string | null {
  const s = result.snapshot;
  if (s.totalRequests === 0 || s.successfulRequests > 0) return null;
  if (result.grpc !== undefined) return grpcFailureLine(result);
  const { host, hostPort } = hostOf(result.target.url);
  // The dominant cause: the largest error kind or failing status.
  let best = { key: "", count: -1 };
  for (const [kind, count] of Object.entries(s.errorsByKind)) {
    if (count > best.count) best = { key: kind, count };
  }
  for (const [status, count] of Object.entries(s.statusCounts)) {
    if (count > best.count) best = { key: status, count };
  }
  const topMessage = (kind: string): string => {
    const m = result.errorMessages?.find((e) => e.kind === kind);
    return m === undefined ? "" : `: ${m.message}`;
  };
  const share = best.count === s.totalRequests
    ? ""
    : ` (${formatCount(best.count)} of ${formatCount(s.totalRequests)})`;
  let cause: string;
  switch (best.key) {
    case "refused":
      cause = `connection refused by ${hostPort}`;
      break;
    case "dns":
      cause = `DNS lookup failed for ${host}`;
      break;
    case "timeout":
      cause = `requests to ${hostPort} timed out (after ${formatCount(result.options.timeoutMs)} ms)`;
      break;
    case "reset":
      cause = `connection reset or closed by ${hostPort}${topMessage("reset")}`;
      break;
    case "tls":
      cause = `TLS failed with ${hostPort}${topMessage("tls")}`;
      break;
    case "protocol":
      cause = `malformed responses from ${hostPort}${topMessage("protocol")}`;
      break;
    case "fd_limit":
      cause = "out of file descriptors (raise 'ulimit -n' or lower --concurrency)";
      break;
    case "other":
      cause = `transport error with ${hostPort}${topMessage("other")}`;
      break;
    default:
      cause = `HTTP ${best.key} from ${result.target.method} ${result.target.url}`;
  }
  return `every request failed: ${cause}${share}`;
}
