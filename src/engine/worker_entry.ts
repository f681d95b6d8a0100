/**
 * Entry of a load worker thread: receives its job and the start signal,
 * runs a `LoadWorker`, reports errors instead of dying silently.
 *
 * @module
 */
import { parentPort } from "../runtime/worker.ts";
import { system } from "../runtime/mod.ts";
import { LoadWorker } from "../protocols/http/load_worker.ts";
import { WsWorker } from "../protocols/websocket/ws_worker.ts";
import { ScenarioWorker } from "../protocols/scenario/scenario_worker.ts";
import { startWorkerSideTasks } from "./_worker_side_tasks.ts";
import { GrpcWorker } from "../protocols/grpc/grpc_worker.ts";
import type { StartMessage, StopMessage } from "../worker/messages.ts";
import type { WorkerJob, WorkerMessage } from "./worker_protocol.ts";

const port = parentPort();
let worker: LoadWorker | ScenarioWorker | WsWorker | GrpcWorker | null = null;
let index = -1;
let job: WorkerJob | null = null;
let stopSideTasks = (): void => {};
/** Posts to the orchestrator; the final report also ends the side tasks (heap report, test leak). */
const post = (out: WorkerMessage): void => {
  if (out.type === "done") stopSideTasks();
  port.postMessage(out);
};

port.onMessage((message: unknown) => {
  const m = message as WorkerJob | StartMessage | StopMessage;
  try {
    if (m.type === "job" && m.scenario) {
      index = m.workerIndex;
      job = m;
      ScenarioWorker.create(m, post).then(
        (w) => {
          worker = w;
          port.postMessage({ type: "ready", workerIndex: index } satisfies WorkerMessage);
        },
        (error) =>
          port.postMessage({ type: "error", workerIndex: index, message: String(error?.message ?? error) }),
      );
    } else if (m.type === "job") {
      index = m.workerIndex;
      job = m;
      worker = m.websocket
        ? new WsWorker(m, post)
        : m.grpc
        ? new GrpcWorker(m, post)
        : new LoadWorker(m, post);
      port.postMessage({ type: "ready", workerIndex: index } satisfies WorkerMessage);
    } else if (m.type === "start") {
      if (job !== null) stopSideTasks = startWorkerSideTasks(job, m.startEpochMs, post);
      worker?.start(m.startEpochMs);
      crashForTests(index);
    } else if (m.type === "stop") {
      worker?.noticeStop();
    }
  } catch (error) {
    port.postMessage(
      {
        type: "error",
        workerIndex: index,
        message: error instanceof Error ? error.message : String(error),
      } satisfies WorkerMessage,
    );
  }
});

/**
 * Fault-test hook: `LUNGE_TEST_WORKER_CRASH_MS=N` makes the first load worker
 * throw an uncaught error N ms after the start, as a real crash would.
 */
function crashForTests(workerIndex: number): void {
  const ms = Number(system.env("LUNGE_TEST_WORKER_CRASH_MS") ?? "0");
  if (workerIndex !== 0 || !(ms > 0)) return;
  setTimeout(() => {
    throw new Error(`simulated crash (LUNGE_TEST_WORKER_CRASH_MS=${ms})`);
  }, ms);
}
