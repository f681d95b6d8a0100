/**
 * Starts the built-in target server off the measuring thread: on a worker
 * thread or in a child process.
 *
 * @example
 * ```ts
 * import { startTarget } from "./start.ts";
 * const target = await startTarget({ mode: "worker" });
 * await fetch(`${target.url}/`).then((r) => r.text());
 * console.log((await target.stats()).totalRequests); // 1
 * await target.stop();
 * ```
 *
 * @module
 */
import { startTargetProcess } from "./_start_process.ts";
import { startTargetWorker } from "./_start_worker.ts";
import type { StartTargetOptions, TargetHandle } from "./types.ts";

/**
 * Starts the target server in `mode` (`"worker"` by default, or `"process"`)
 * and resolves once it listens. `port: 0` (the default) binds an ephemeral port,
 * reported in the handle.
 *
 * @example
 * ```ts
 * import { startTarget } from "./start.ts";
 * const target = await startTarget({ mode: "process", port: 0 });
 * await target.stall(1000); // requests arriving in the next second wait
 * await target.stop();
 * ```
 */
export function startTarget(options: StartTargetOptions = {}): Promise<TargetHandle> {
  const port = options.port ?? 0;
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return Promise.reject(
      new RangeError(`Cannot start target: "port" must be an integer from 0 to 65535, got ${port}`),
    );
  }
  const mode = options.mode ?? "worker";
  if (mode !== "worker" && mode !== "process") {
    return Promise.reject(
      new TypeError(`Cannot start target: "mode" must be "worker" or "process", got "${mode}"`),
    );
  }
  const startTimeoutMs = options.startTimeoutMs ?? 10_000;
  if (!(startTimeoutMs > 0)) {
    return Promise.reject(new RangeError(`Cannot start target: "startTimeoutMs" must be > 0`));
  }
  const resolved = {
    port,
    hostname: options.hostname ?? "127.0.0.1",
    maxBytes: options.maxBytes,
    startTimeoutMs,
  };
  return mode === "worker" ? startTargetWorker(resolved) : startTargetProcess(resolved);
}
