/**
 * A load worker that runs on the calling thread, behind the same
 * `WorkerHandle` a worker thread has. A run with one load worker uses it: a
 * second isolate costs about 20 MiB of memory and its own timers and
 * wake-ups, and with one worker the thread buys nothing, since the main
 * thread only waits for it (the collector's owner flush is a few tens of µs
 * once a second).
 *
 * Messages go both ways through microtasks, so the order and the
 * asynchrony are those of a real worker; nothing is cloned, and nothing a
 * message carries is touched again by its sender.
 *
 * @module
 */
import type { WorkerHandle } from "../runtime/types.ts";
import { LoadWorker } from "../protocols/http/load_worker.ts";
import { startWorkerSideTasks } from "./_worker_side_tasks.ts";
import { WsWorker } from "../protocols/websocket/ws_worker.ts";
import { GrpcWorker } from "../protocols/grpc/grpc_worker.ts";
import type { StartMessage, StopMessage } from "../worker/messages.ts";
import type { WorkerJob, WorkerMessage } from "./worker_protocol.ts";

/**
 * Starts a plain load worker (no scenario) on this thread.
 *
 * @example
 * ```ts
 * import { inThreadWorker } from "./_in_thread_worker.ts";
 * const w = inThreadWorker();
 * w.onMessage((m) => console.log(m)); // { type: "ready", ... }, later { type: "done", ... }
 * // w.postMessage(job); then w.postMessage({ type: "start", startEpochMs });
 * w.terminate();
 * ```
 */
export function inThreadWorker(): WorkerHandle {
  let worker: LoadWorker | WsWorker | GrpcWorker | null = null;
  let job: WorkerJob | null = null;
  let toParent: ((message: unknown) => void) | null = null;
  let terminated = false;
  let index = -1;
  let stopSideTasks = (): void => {};
  const post = (message: WorkerMessage): void => {
    if (message.type === "done") stopSideTasks();
    if (!terminated) queueMicrotask(() => !terminated && toParent?.(message));
  };
  const receive = (m: WorkerJob | StartMessage | StopMessage): void => {
    if (terminated) return;
    try {
      if (m.type === "job") {
        if (m.scenario) throw new Error("scenario jobs run on worker threads");
        index = m.workerIndex;
        job = m;
        worker = m.websocket
          ? new WsWorker(m, post)
          : m.grpc
          ? new GrpcWorker(m, post)
          : new LoadWorker(m, post);
        post({ type: "ready", workerIndex: index });
      } else if (m.type === "start") {
        if (job !== null) stopSideTasks = startWorkerSideTasks(job, m.startEpochMs, post);
        worker?.start(m.startEpochMs);
      } else if (m.type === "stop") {
        worker?.noticeStop();
      }
    } catch (error) {
      // As the thread entry does: the pool reports it as this worker's failure.
      post({
        type: "error",
        workerIndex: index,
        message: error instanceof Error ? error.message : String(error),
      });
    }
  };
  return {
    postMessage(message: unknown): void {
      queueMicrotask(() => receive(message as WorkerJob | StartMessage | StopMessage));
    },
    onMessage(handler: (message: unknown) => void): void {
      toParent = handler;
    },
    // An exception thrown on this thread is the process's own: there is no separate crash to report.
    onError(_handler: (error: Error) => void): void {},
    terminate(): void {
      if (terminated) return;
      terminated = true;
      stopSideTasks();
      worker?.abort();
    },
  };
}
