/**
 * What a load worker runs beside its load, on its own timers and never on
 * the request path: the heap report (`WorkerJob.heapEveryMs`), and the
 * test-only leak of the first worker (`LUNGE_TEST_LEAK_WORKER_HEAP` /
 * `LUNGE_TEST_LEAK_WORKER_BUFFERS`, bytes per second). Both worker threads
 * and the single load worker that runs on the main thread use it.
 *
 * @module
 */
import { system } from "../runtime/mod.ts";
import { startTestLeak, testLeakRate } from "../runtime/test_leak.ts";
import type { WorkerJob, WorkerMessage } from "./worker_protocol.ts";

// Read once, when the worker's module loads.
const LEAK_HEAP = testLeakRate("LUNGE_TEST_LEAK_WORKER_HEAP");
const LEAK_BUFFERS = testLeakRate("LUNGE_TEST_LEAK_WORKER_BUFFERS");

/**
 * Starts the side tasks of `job` at the common start; returns the function
 * that stops them (call it when the worker reports "done").
 *
 * @example
 * ```ts
 * import { startWorkerSideTasks } from "./_worker_side_tasks.ts";
 * declare const job: import("./worker_protocol.ts").WorkerJob;
 * const stop = startWorkerSideTasks(job, Date.now(), (m) => console.log(m));
 * stop();
 * ```
 */
export function startWorkerSideTasks(
  job: WorkerJob,
  startEpochMs: number,
  post: (message: WorkerMessage) => void,
): () => void {
  const stops: Array<() => void> = [];
  const every = job.heapEveryMs ?? 0;
  if (every > 0) {
    // Staggered (golden-ratio offsets), so that the workers' forced GCs do not pause them all at once.
    let interval: ReturnType<typeof setInterval> | undefined;
    const first = setTimeout(() => {
      post(readHeap(job.workerIndex, startEpochMs));
      interval = setInterval(() => post(readHeap(job.workerIndex, startEpochMs)), every);
      system.unrefTimer(interval);
    }, every * (1 + ((job.workerIndex * 0.618) % 1)));
    system.unrefTimer(first);
    stops.push(() => {
      clearTimeout(first);
      clearInterval(interval);
    });
  }
  if (job.workerIndex === 0) {
    if (LEAK_HEAP > 0) stops.push(startTestLeak("heap", LEAK_HEAP));
    if (LEAK_BUFFERS > 0) stops.push(startTestLeak("buffers", LEAK_BUFFERS));
  }
  return () => {
    for (const stop of stops.splice(0)) stop();
  };
}

/** This thread's heap, right after a forced full GC where the runtime allows one. */
function readHeap(workerIndex: number, startEpochMs: number): WorkerMessage {
  const before = performance.now();
  const afterGc = system.gc();
  const after = performance.now();
  return {
    type: "heap",
    workerIndex,
    elapsedMs: performance.timeOrigin + after - startEpochMs,
    heapUsed: system.memory().heapUsed,
    afterGc,
    gcMs: afterGc ? after - before : 0,
  };
}
