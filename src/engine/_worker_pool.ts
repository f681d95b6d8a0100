/**
 * The run's load workers as one pool: spawns them with their jobs, resolves
 * once all are ready, starts them together, and resolves once all are done.
 * A worker that fails before the start fails the run; a worker that crashes
 * after it ends the run (the others are told to stop by the run, and have a
 * bounded time to report) with what was measured until then.
 *
 * The pool knows the load-worker protocol (`ready`, `done`, `error`) but not
 * how a worker is started: `spawn` is given, so that unit tests drive it
 * with fake workers.
 *
 * @module
 */
import { system } from "../runtime/mod.ts";
import type { WorkerHandle } from "../runtime/worker.ts";
import type { WorkerTotals } from "./_run_totals.ts";
import type { StartMessage, StopMessage } from "../worker/messages.ts";
import type { WorkerJob, WorkerMessage } from "./worker_protocol.ts";

/** Options of `WorkerPool`. */
export interface WorkerPoolOptions {
  /** Workers to start (W). */
  count: number;
  /** Starts worker `index` (0-based), e.g. `spawnWorker(url, "lunge-load-" + (index + 1))`. */
  spawn: (index: number) => WorkerHandle;
  /** The job of worker `index`, posted to it right after it is spawned. */
  job: (index: number) => WorkerJob;
  /**
   * After a crash once started: how long the other workers get to report
   * before `finished()` resolves without them (a worker that neither finishes
   * nor dies must not hang the run).
   */
  drainAfterCrashMs: number;
  /** Each worker's final report, in the order they arrive. */
  onDone?: (totals: WorkerTotals) => void;
  /** A worker's heap reading (only when its job asks for them: `heapEveryMs`). */
  onHeap?: (reading: Extract<WorkerMessage, { type: "heap" }>) => void;
  /**
   * A worker crashed (or reported an error) after the start: the run should
   * tell the others to stop. Called for every such crash; the first message
   * is kept as `crash`.
   */
  onCrash?: (message: string) => void;
}

/** A promise with its resolve, opened once. */
class Latch {
  readonly promise: Promise<void>;
  open: () => void = () => {};
  constructor() {
    this.promise = new Promise<void>((resolve) => (this.open = resolve));
  }
}

/**
 * The totals of a worker that crashed: it reports nothing more, so they count as none.
 */
function noTotals(workerIndex: number): WorkerTotals {
  return {
    type: "done",
    workerIndex,
    sent: 0,
    abandoned: 0,
    lastSendEpochMs: 0,
    completedInWindow: 0,
    connections: 0,
    delayedSends: 0,
  };
}

/** Bun's message quotes the source around the throw; keep its "error: ..." line. */
function crashMessage(text: string): string {
  return text.replace(/^(load worker \d+ \w+: )[\s\S]*?\n\s*error: ([^\n]*)[\s\S]*$/, "$1$2");
}

/**
 * W load workers: spawned with their jobs, started together, awaited
 * together, terminated together.
 *
 * @example
 * ```ts
 * import { WorkerPool } from "./_worker_pool.ts";
 * import { spawnWorker } from "../runtime/worker.ts";
 * declare const url: URL;
 * declare const jobOf: (w: number) => import("./worker_protocol.ts").WorkerJob;
 * const pool = new WorkerPool({
 *   count: 2,
 *   spawn: (w) => spawnWorker(url, `lunge-load-${w + 1}`),
 *   job: jobOf,
 *   drainAfterCrashMs: 13_000,
 * });
 * try {
 *   await pool.ready(); // throws the first worker's failure
 *   pool.start(Date.now() + 30);
 *   const totals = await pool.finished();
 *   console.log(totals.length, pool.crash);
 * } finally {
 *   pool.terminate();
 * }
 * ```
 */
export class WorkerPool {
  readonly #count: number;
  readonly #workers: WorkerHandle[] = [];
  readonly #readySet = new Set<number>();
  readonly #done = new Map<number, WorkerTotals>();
  readonly #allReady = new Latch();
  readonly #allDone = new Latch();
  readonly #timers: Array<ReturnType<typeof setTimeout>> = [];
  readonly #options: WorkerPoolOptions;
  #failure: Error | null = null;
  #crash: string | null = null;
  #started = false;

  /** Spawns the workers and posts each its job (a spawn that throws terminates those already started). */
  constructor(options: WorkerPoolOptions) {
    this.#options = options;
    this.#count = options.count;
    try {
      for (let w = 0; w < options.count; w++) this.#spawn(w);
    } catch (error) {
      this.terminate();
      throw error;
    }
  }

  #spawn(w: number): void {
    const worker = this.#options.spawn(w);
    this.#workers.push(worker);
    worker.onMessage((message) => {
      const m = message as WorkerMessage;
      if (m.type === "ready") {
        this.#readySet.add(m.workerIndex);
        if (this.#readySet.size === this.#count) this.#allReady.open();
      } else if (m.type === "done") {
        this.#done.set(m.workerIndex, m);
        this.#options.onDone?.(m);
        if (this.#done.size === this.#count) this.#allDone.open();
      } else if (m.type === "heap") {
        this.#options.onHeap?.(m);
      } else if (m.type === "error") {
        this.#crashed(w, `load worker ${m.workerIndex + 1} failed: ${m.message}`);
      }
    });
    worker.onError((error) => this.#crashed(w, `load worker ${w + 1} crashed: ${error.message}`));
    worker.postMessage(this.#options.job(w));
  }

  #crashed(index: number, text: string): void {
    const message = crashMessage(text);
    if (!this.#started) {
      this.#failure ??= new Error(message);
      this.#allReady.open();
      this.#allDone.open();
      return;
    }
    this.#crash ??= message;
    this.#options.onCrash?.(message);
    if (!this.#done.has(index)) this.#done.set(index, noTotals(index));
    if (this.#done.size === this.#count) this.#allDone.open();
    // Bounded: a worker that neither finishes nor dies does not hang the run.
    const t = setTimeout(() => this.#allDone.open(), this.#options.drainAfterCrashMs);
    system.unrefTimer(t);
    this.#timers.push(t);
  }

  /** Resolves once every worker is ready; throws the first failure of a worker that failed before the start. */
  async ready(): Promise<void> {
    await this.#allReady.promise;
    if (this.#failure) throw this.#failure;
  }

  /** Tells every worker to start at `startEpochMs`; from now on a worker error is a crash. */
  start(startEpochMs: number): void {
    const message: StartMessage = { type: "start", startEpochMs };
    for (const worker of this.#workers) worker.postMessage(message);
    this.#started = true;
  }

  /**
   * Tells every worker the run is stopping, once the control flags say so: an idle worker
   * would otherwise notice only at its next (slowed-down) sweep.
   */
  notifyStop(): void {
    const message: StopMessage = { type: "stop" };
    for (const worker of this.#workers) {
      try {
        worker.postMessage(message);
      } catch {
        // A worker that crashed may refuse messages; it reports nothing more anyway.
      }
    }
  }

  /**
   * Resolves with the workers' final reports (in the order they first
   * arrived) once all have reported, or once a crash's drain time is over
   * (a crashed worker counts as reporting nothing; a silent one is left out).
   */
  async finished(): Promise<WorkerTotals[]> {
    await this.#allDone.promise;
    if (this.#failure) throw this.#failure;
    return [...this.#done.values()];
  }

  /** The first crash after the start (its message), or null. */
  get crash(): string | null {
    return this.#crash;
  }

  /** Terminates every worker and clears the pool's timers (safe to call more than once). */
  terminate(): void {
    for (const t of this.#timers) clearTimeout(t);
    for (const w of this.#workers) w.terminate();
  }
}
