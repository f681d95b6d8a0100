/**
 * Runs the target server on its own worker thread.
 *
 * @module
 */
import { targetWorkerEntry } from "../_bundled/entries.ts";
import { workerEntryUrl } from "../runtime/entry_url.ts";
import { spawnWorker } from "../runtime/worker.ts";
import type { CommandMessage, StartMessage, TargetWorkerMessage } from "./_protocol.ts";
import type { GroundTruth, TargetHandle } from "./types.ts";

/** Resolved options of a target start. */
export interface ResolvedStartOptions {
  port: number;
  hostname: string;
  maxBytes?: number;
  startTimeoutMs: number;
}

/** How long `stop()` waits for a graceful close before terminating the worker. */
const STOP_GRACE_MS = 2000;

/**
 * Builds the base URL a client uses: a wildcard bind is reached on loopback.
 *
 * @example
 * ```ts
 * import { clientUrl } from "./_start_worker.ts";
 * console.log(clientUrl("0.0.0.0", 8080)); // "http://127.0.0.1:8080"
 * ```
 */
export function clientUrl(hostname: string, port: number): string {
  const host = hostname === "0.0.0.0" || hostname === "::" || hostname === ""
    ? "127.0.0.1"
    : hostname.includes(":")
    ? `[${hostname}]`
    : hostname;
  return `http://${host}:${port}`;
}

/**
 * Starts the target in a module worker and resolves once it listens.
 *
 * @example
 * ```ts
 * import { startTargetWorker } from "./_start_worker.ts";
 * const target = await startTargetWorker({ port: 0, hostname: "127.0.0.1", startTimeoutMs: 10_000 });
 * console.log(target.url);
 * await target.stop();
 * ```
 */
export async function startTargetWorker(options: ResolvedStartOptions): Promise<TargetHandle> {
  const worker = spawnWorker(await workerEntryUrl(targetWorkerEntry), "lunge-target");
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let stopped = false;

  return new Promise<TargetHandle>((resolve, reject) => {
    const timer = setTimeout(() => {
      worker.terminate();
      reject(new Error(`Cannot start target: no answer from the worker within ${options.startTimeoutMs} ms`));
    }, options.startTimeoutMs);

    const call = (
      type: CommandMessage["type"],
      ms?: number,
      window?: CommandMessage["window"],
    ): Promise<unknown> => {
      if (stopped) return Promise.reject(new Error("Cannot reach target: it was stopped"));
      const id = nextId++;
      return new Promise((res, rej) => {
        pending.set(id, { resolve: res, reject: rej });
        worker.postMessage({ type, id, ms, window } satisfies CommandMessage);
      });
    };

    worker.onError((error) => {
      clearTimeout(timer);
      reject(new Error(`Cannot start target: ${error.message}`));
      for (const p of pending.values()) p.reject(error);
      pending.clear();
    });

    worker.onMessage((data: unknown) => {
      const message = data as TargetWorkerMessage;
      if (message.type === "reply") {
        const p = pending.get(message.id);
        pending.delete(message.id);
        if (message.error !== undefined) p?.reject(new Error(message.error));
        else p?.resolve(message.value);
      } else if (message.type === "failed") {
        clearTimeout(timer);
        worker.terminate();
        reject(new Error(`Cannot start target: ${message.message}`));
      } else if (message.type === "ready") {
        clearTimeout(timer);
        resolve({
          url: clientUrl(message.hostname, message.port),
          port: message.port,
          mode: "worker",
          stats: (window) => call("stats", undefined, window) as Promise<GroundTruth>,
          reset: async (): Promise<void> => {
            await call("reset");
          },
          stall: async (ms: number): Promise<void> => {
            await call("stall", ms);
          },
          stop: async (): Promise<void> => {
            if (stopped) return;
            const closed = call("stop").catch(() => {});
            stopped = true;
            let grace: ReturnType<typeof setTimeout> | undefined;
            await Promise.race([closed, new Promise((r) => (grace = setTimeout(r, STOP_GRACE_MS)))]);
            clearTimeout(grace);
            worker.terminate();
            for (const p of pending.values()) p.reject(new Error("Cannot reach target: it was stopped"));
            pending.clear();
          },
        });
      }
    });

    worker.postMessage(
      {
        type: "start",
        port: options.port,
        hostname: options.hostname,
        maxBytes: options.maxBytes,
      } satisfies StartMessage,
    );
  });
}
