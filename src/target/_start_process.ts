/**
 * Runs the target server in a child process of the same runtime.
 *
 * @module
 */
import { targetProcessEntry } from "../_bundled/entries.ts";
import { processEntryUrl } from "../runtime/entry_url.ts";
import { spawnRuntimeProcess } from "../runtime/process.ts";
import type { ReadyMessage } from "./_protocol.ts";
import { clientUrl, type ResolvedStartOptions } from "./_start_worker.ts";
import type { GroundTruth, TargetHandle } from "./types.ts";
import { isLoopbackHost } from "./control_access.ts";

/** How long `stop()` waits after SIGTERM before SIGKILL. */
const KILL_GRACE_MS = 2000;

async function control(url: string, method: "GET" | "POST", token: string): Promise<unknown> {
  const headers: Record<string, string> = token === "" ? {} : { authorization: `Bearer ${token}` };
  const response = await fetch(url, { method, headers });
  const text = await response.text();
  if (!response.ok) throw new Error(`Target control ${method} ${url} failed: ${response.status} ${text}`);
  return JSON.parse(text);
}

/**
 * Starts the target in a child process (`process_entry.ts`) and resolves once
 * the child has printed its bound port. Control calls go over HTTP.
 *
 * @example
 * ```ts
 * import { startTargetProcess } from "./_start_process.ts";
 * const target = await startTargetProcess({ port: 0, hostname: "127.0.0.1", startTimeoutMs: 10_000 });
 * console.log((await target.stats()).totalRequests);
 * await target.stop();
 * ```
 */
export async function startTargetProcess(options: ResolvedStartOptions): Promise<TargetHandle> {
  const args = ["--port", String(options.port), "--hostname", options.hostname];
  if (options.maxBytes !== undefined) args.push("--max-bytes", String(options.maxBytes));
  // Off loopback the control routes need a token: a fresh random one, known to this process only
  // (it is on the child's command line, which only local users can read; they reach loopback anyway).
  const token = isLoopbackHost(options.hostname) ? "" : crypto.randomUUID();
  if (token !== "") args.push("--control-token", token);
  const child = spawnRuntimeProcess(await processEntryUrl(targetProcessEntry), args);
  let stopped = false;

  const stop = async (): Promise<void> => {
    if (stopped) return child.exited.then(() => {});
    stopped = true;
    child.kill("SIGTERM");
    let timer: ReturnType<typeof setTimeout> | undefined;
    const forced = new Promise<void>((r) => (timer = setTimeout(() => {
      child.kill("SIGKILL");
      r();
    }, KILL_GRACE_MS)));
    await Promise.race([child.exited, forced]);
    await child.exited;
    clearTimeout(timer);
  };

  return new Promise<TargetHandle>((resolve, reject) => {
    let settled = false;
    const fail = (why: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      const tail = child.stderrTail().trim();
      stop().finally(() => reject(new Error(`Cannot start target: ${why}${tail ? `\n${tail}` : ""}`)));
    };
    const timer = setTimeout(
      () => fail(`no port reported within ${options.startTimeoutMs} ms`),
      options.startTimeoutMs,
    );
    child.exited.then((code) => fail(`the target process exited with code ${code}`));
    child.onStdoutLine((line) => {
      if (settled) return;
      let message: ReadyMessage;
      try {
        message = JSON.parse(line) as ReadyMessage;
      } catch {
        return; // not our line
      }
      if (message.type !== "ready") return;
      settled = true;
      clearTimeout(timer);
      const url = clientUrl(message.hostname, message.port);
      resolve({
        url,
        port: message.port,
        mode: "process",
        stats: (window) =>
          control(
            `${url}/__lunge/stats${window ? `?from=${window.fromEpochMs}&to=${window.toEpochMs}` : ""}`,
            "GET",
            token,
          ) as Promise<GroundTruth>,
        reset: async (): Promise<void> => {
          await control(`${url}/__lunge/reset`, "POST", token);
        },
        stall: async (ms: number): Promise<void> => {
          await control(`${url}/__lunge/stall?ms=${ms}`, "POST", token);
        },
        stop,
      });
    });
  });
}
