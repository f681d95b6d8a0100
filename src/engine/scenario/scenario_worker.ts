/**
 * A load worker running scenario iterations instead of single requests:
 * closed model (virtual users loop over iterations, following ramps) or open
 * model (iterations started at the arrival rate, each measured from its
 * intended start, so a stalled server shows in the iteration latency).
 * Requests, iterations and checks are recorded lock-free into the worker's
 * lanes; iterations past `--iteration-timeout` are abandoned and counted.
 *
 * @module
 */
import { attachCollector } from "../../collector/create.ts";
import { NamedLaneWriter } from "../../collector/named_lanes.ts";
import { ErrorKind } from "../../collector/types.ts";
import type { CollectorWriter } from "../../collector/writer.ts";
import { ArrivalSchedule, levelAt, type Segment } from "../schedule.ts";
import {
  CTRL_INTERRUPTED,
  CTRL_MEASURING,
  CTRL_STOP,
  type WorkerJob,
  type WorkerMessage,
} from "../worker_protocol.ts";
import { VuContext } from "./_context.ts";
import { VuHttpClient } from "./_http_client.ts";
import { spinForTestSlowdown, TEST_SLOWDOWN } from "../test_slowdown.ts";
import type { ScenarioContext } from "./types.ts";

const INTERRUPT_GRACE_MS = 1000;
/** Distinct iteration error messages kept per worker. */
const MAX_MESSAGES = 100;

/** What a scenario worker needs beyond a plain job. */
export interface ScenarioJob {
  /** URL the worker imports the scenario module from. */
  moduleUrl: string;
  /** Base URL for relative request URLs ("" for none). */
  base: string;
  /** JSON of what `setup()` returned ("" for nothing). */
  dataJson: string;
  /** `ctx.env`. */
  env: Record<string, string>;
  /** Bound on one iteration, ms. */
  iterationTimeoutMs: number;
}

/** Scenario figures a worker reports when done. */
export interface ScenarioWorkerReport {
  /** Iteration error messages with counts. */
  errors: Array<[string, number]>;
  /** Iterations abandoned at the iteration timeout. */
  timedOut: number;
  /** Iterations still running at the end. */
  abandoned: number;
}

interface ScenarioVu {
  index: number;
  id: number;
  http: VuHttpClient;
  ctx: VuContext;
  busy: boolean;
  retired: boolean;
  measured: boolean;
  intendedAt: number;
  startedAt: number;
  onOk: () => void;
  onErr: (error: unknown) => void;
}

type IterationFn = (ctx: ScenarioContext) => unknown;

/**
 * Runs a scenario job; `post` sends messages to the orchestrator.
 *
 * @example
 * ```ts
 * // In the load worker entry, for a job with `scenario` set:
 * // const w = await ScenarioWorker.create(job, (m) => port.postMessage(m));
 * // w.start(startEpochMs);
 * ```
 */
export class ScenarioWorker {
  readonly #job: WorkerJob;
  readonly #scenario: ScenarioJob;
  readonly #post: (m: WorkerMessage) => void;
  readonly #fn: IterationFn;
  readonly #writer: CollectorWriter;
  readonly #named: NamedLaneWriter;
  readonly #control: Int32Array;
  readonly #users: ScenarioVu[] = [];
  readonly #idle: ScenarioVu[] = [];
  readonly #open: boolean;
  readonly #segments: Segment[];
  readonly #endMs: number;
  readonly #hasRampDown: boolean;
  readonly #data: unknown;
  readonly #errors = new Map<string, number>();
  #arrivals: ArrivalSchedule | null = null;
  #arrivalCount = 0;
  #next = 0;
  #missedUpTo = 0;
  #t0 = 0;
  /** Run time the warm-up ends: iterations due from then on are measured (by plan, not by a late flag). */
  #warmupEndMs = 0;
  #running = 0;
  #started = 0;
  #measuredStarted = 0;
  #lastStartAt = 0;
  #activeLevel = 0;
  #stopping = false;
  #stopDeadline = Infinity;
  #finished = false;
  #timedOut = 0;
  #wakeTimer: ReturnType<typeof setTimeout> | null = null;
  #sweepTimer: ReturnType<typeof setInterval> | null = null;

  /** Imports the scenario module, then builds the worker. */
  static async create(job: WorkerJob, post: (m: WorkerMessage) => void): Promise<ScenarioWorker> {
    const scenario = job.scenario!;
    const mod = await import(scenario.moduleUrl);
    if (typeof mod.default !== "function") throw new Error("the scenario has no default export function");
    return new ScenarioWorker(job, post, mod.default as IterationFn);
  }

  private constructor(job: WorkerJob, post: (m: WorkerMessage) => void, fn: IterationFn) {
    this.#job = job;
    this.#scenario = job.scenario!;
    this.#post = post;
    this.#fn = fn;
    this.#writer = attachCollector(job.collector);
    this.#named = NamedLaneWriter.attach(job.named!);
    this.#control = new Int32Array(job.control);
    this.#open = job.model === "open";
    this.#segments = job.segments;
    this.#endMs = job.segments.reduce((end, s) => Math.max(end, s.startMs + s.durationMs), 0);
    this.#hasRampDown = job.segments.some((s) => s.phase === "ramp-down");
    this.#warmupEndMs = job.segments.reduce((end, s) => s.phase === "warmup" ? s.startMs + s.durationMs : end, 0);
    this.#data = this.#scenario.dataJson === "" ? undefined : JSON.parse(this.#scenario.dataJson);
    for (let i = 0; i < job.concurrency; i++) {
      const vu = this.#newVu(i);
      this.#users.push(vu);
      this.#idle.push(vu);
    }
    if (this.#open) {
      this.#arrivals = new ArrivalSchedule(job.segments, job.arrivalOffset);
      this.#arrivalCount = this.#arrivals.count();
    }
  }

  #newVu(index: number): ScenarioVu {
    const named = this.#named;
    const writer = this.#writer;
    const vu = {} as ScenarioVu;
    const recorder = {
      request: (name: string, status: number, ns: number, bytes: number, kind: number): void => {
        if (TEST_SLOWDOWN !== 0) spinForTestSlowdown();
        if (!vu.measured) return;
        try {
          writer.recordNs(status, ns, bytes, kind, -1);
        } catch {
          return; // counted as invalid by the collector
        }
        named.record(named.resolve(name), status, ns, kind);
      },
      check: (name: string, passed: boolean): void => {
        if (vu.measured) named.recordCheck(named.resolveCheck(name), passed);
      },
    };
    const http = new VuHttpClient({
      base: this.#scenario.base,
      timeoutMs: this.#job.timeoutMs,
      recorder,
      forceFetch: this.#job.transport === "fetch",
    });
    const id = this.#job.workerIndex * 100_000 + index + 1;
    Object.assign(vu, {
      index,
      id,
      http,
      ctx: new VuContext(http, recorder, id, this.#data, this.#scenario.env),
      busy: false,
      retired: false,
      measured: false,
      intendedAt: 0,
      startedAt: 0,
      onOk: (): void => this.#end(vu, null),
      onErr: (error: unknown): void => this.#end(vu, error ?? "iteration failed"),
    });
    return vu;
  }

  /** Starts at `startEpochMs` (epoch milliseconds shared by all workers). */
  start(startEpochMs: number): void {
    this.#t0 = startEpochMs - performance.timeOrigin;
    this.#sweepTimer = setInterval(() => this.#sweep(), 50);
    this.#wakeTimer = setTimeout(() => this.#tick(), Math.max(0, -this.#now()));
  }

  #now(): number {
    return performance.now() - this.#t0;
  }

  #tick(): void {
    this.#wakeTimer = null;
    if (this.#open) this.#pump();
    else this.#rampClosed();
  }

  #rampClosed(): void {
    if (this.#checkStop()) return;
    const now = this.#now();
    this.#activeLevel = Math.min(this.#users.length, Math.ceil(levelAt(this.#segments, now) - 1e-9));
    for (let i = 0; i < this.#activeLevel; i++) {
      const vu = this.#users[i];
      if (!vu.busy && !this.#stopping && this.#mayStart()) this.#startIteration(vu, performance.now());
    }
    if (now >= this.#endMs) return this.#beginStop(false);
    const ramping = this.#segments.some((s) => s.from !== s.to && now < s.startMs + s.durationMs);
    this.#wakeTimer = setTimeout(() => this.#tick(), ramping ? 20 : Math.min(250, this.#endMs - now));
  }

  /** False (and stopping begins) when the iteration limit is reached. */
  #mayStart(): boolean {
    const limit = this.#job.requestLimit;
    if (
      limit !== null && this.#measuredStarted >= limit && this.#now() >= this.#warmupEndMs
    ) {
      this.#beginStop(false);
      return false;
    }
    return true;
  }

  #pump(): void {
    if (this.#checkStop()) return;
    const arrivals = this.#arrivals!;
    const now = this.#now();
    if (now >= this.#endMs) {
      this.#countMissed(Infinity);
      this.#beginStop(false);
      return;
    }
    while (this.#next < this.#arrivalCount && this.#idle.length > 0) {
      const due = arrivals.timeOf(this.#next);
      if (due > now) break;
      if (!this.#mayStart()) return;
      const vu = this.#idle.pop()!;
      this.#next++;
      this.#startIteration(vu, this.#t0 + due);
    }
    if (this.#next < this.#arrivalCount && this.#idle.length === 0) this.#countMissed(now);
    if (this.#next >= this.#arrivalCount) {
      this.#beginStop(false);
      return;
    }
    if (this.#wakeTimer === null && this.#idle.length > 0) {
      // Rounded up: a timer rounded down fires before the arrival is due and costs a wake-up for nothing.
      const wait = arrivals.timeOf(this.#next) - now;
      this.#wakeTimer = setTimeout(() => this.#tick(), Math.max(0, Math.ceil(wait)));
    }
  }

  /**
   * Iterations due by `now` that found no free virtual user: counted once each as missed, those due
   * after the warm-up only (an iteration is measured by its intended start, so a missed one is too).
   */
  #countMissed(now: number): void {
    const arrivals = this.#arrivals!;
    let k = Math.max(this.#next, this.#missedUpTo);
    let n = 0;
    while (k < this.#arrivalCount && arrivals.timeOf(k) <= now) {
      if (arrivals.timeOf(k) >= this.#warmupEndMs) n++;
      k++;
    }
    this.#missedUpTo = k;
    if (n > 0) this.#writer.recordMissedSends(n);
  }

  #startIteration(vu: ScenarioVu, intendedAt: number): void {
    vu.busy = true;
    vu.intendedAt = intendedAt;
    vu.startedAt = performance.now();
    this.#lastStartAt = vu.startedAt;
    vu.measured = intendedAt >= this.#t0 + this.#warmupEndMs || Atomics.load(this.#control, CTRL_MEASURING) === 1;
    if (vu.measured) this.#measuredStarted++;
    this.#running++;
    this.#started++;
    let result: unknown;
    try {
      result = this.#fn(vu.ctx);
    } catch (error) {
      result = Promise.reject(error);
    }
    if (
      result !== null && typeof result === "object" && typeof (result as Promise<unknown>).then === "function"
    ) {
      (result as Promise<unknown>).then(vu.onOk, vu.onErr);
    } else {
      queueMicrotask(vu.onOk);
    }
  }

  #end(vu: ScenarioVu, error: unknown): void {
    if (!vu.busy || vu.retired) return;
    vu.busy = false;
    vu.ctx.vu.iteration++;
    this.#running--;
    if (vu.measured) {
      const ns = Math.round((performance.now() - vu.intendedAt) * 1e6);
      if (error === null) this.#named.record(this.#named.iterationSlot, 200, ns, ErrorKind.None);
      else {
        this.#named.record(this.#named.iterationSlot, 0, ns, ErrorKind.Other);
        this.#addError(error instanceof Error ? error.message : String(error));
      }
    }
    this.#afterIteration(vu);
  }

  #afterIteration(vu: ScenarioVu): void {
    if (this.#stopping) {
      if (this.#running === 0) this.#finish();
      return;
    }
    if (this.#open) {
      this.#idle.push(vu);
      this.#pump();
      return;
    }
    if (this.#checkStop()) return;
    const now = this.#now();
    if (now >= this.#endMs) return this.#beginStop(false);
    if (vu.index >= this.#activeLevel) return;
    if (this.#hasRampDown) {
      this.#activeLevel = Math.min(this.#users.length, Math.ceil(levelAt(this.#segments, now) - 1e-9));
      if (vu.index >= this.#activeLevel) return;
    }
    if (this.#mayStart()) this.#startIteration(vu, performance.now());
  }

  #addError(message: string): void {
    const line = message.split("\n")[0].slice(0, 300);
    const n = this.#errors.get(line);
    if (n !== undefined) this.#errors.set(line, n + 1);
    else if (this.#errors.size < MAX_MESSAGES) this.#errors.set(line, 1);
    else this.#errors.set("(other messages)", (this.#errors.get("(other messages)") ?? 0) + 1);
  }

  /** Request timeouts, iteration timeouts, and the stop signal. */
  #sweep(): void {
    this.#checkStop();
    const now = performance.now();
    const limit = this.#scenario.iterationTimeoutMs;
    for (let i = 0; i < this.#users.length; i++) {
      const vu = this.#users[i];
      if (!vu.busy) continue;
      vu.http.sweep(now);
      if (now - vu.startedAt > limit) this.#timeOut(vu);
    }
    if (this.#stopping && this.#running > 0 && now >= this.#stopDeadline) this.#finish();
    if (!this.#stopping && this.#open && this.#wakeTimer === null) this.#pump();
  }

  /** Abandons an iteration past the iteration timeout; a fresh virtual user takes its place. */
  #timeOut(vu: ScenarioVu): void {
    vu.retired = true;
    vu.http.retired = true;
    vu.http.close();
    this.#running--;
    this.#timedOut++;
    if (vu.measured) {
      const ns = Math.round((performance.now() - vu.intendedAt) * 1e6);
      this.#named.record(this.#named.iterationSlot, 0, ns, ErrorKind.Timeout);
      this.#addError(`iteration timed out after ${this.#scenario.iterationTimeoutMs} ms`);
    }
    const fresh = this.#newVu(vu.index);
    fresh.ctx.vu.iteration = vu.ctx.vu.iteration + 1;
    this.#users[vu.index] = fresh;
    this.#afterIteration(fresh);
  }

  #checkStop(): boolean {
    if (this.#stopping) return true;
    if (Atomics.load(this.#control, CTRL_STOP) === 1) {
      this.#beginStop(Atomics.load(this.#control, CTRL_INTERRUPTED) === 1);
      return true;
    }
    return false;
  }

  #beginStop(interrupted: boolean): void {
    if (this.#stopping) return;
    this.#stopping = true;
    if (this.#wakeTimer !== null) clearTimeout(this.#wakeTimer);
    this.#wakeTimer = null;
    const grace = interrupted ? INTERRUPT_GRACE_MS : this.#scenario.iterationTimeoutMs + 1000;
    this.#stopDeadline = performance.now() + grace;
    if (this.#running === 0) queueMicrotask(() => this.#finish());
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    if (this.#sweepTimer !== null) clearInterval(this.#sweepTimer);
    if (this.#wakeTimer !== null) clearTimeout(this.#wakeTimer);
    const abandoned = this.#running;
    for (const vu of this.#users) {
      vu.retired = true;
      vu.http.retired = true;
      vu.http.close();
    }
    Atomics.add(this.#control, CTRL_MEASURING + 13, 1);
    this.#post({
      type: "done",
      workerIndex: this.#job.workerIndex,
      sent: this.#started,
      abandoned,
      lastSendEpochMs: this.#lastStartAt === 0 ? 0 : performance.timeOrigin + this.#lastStartAt,
      // Per-window completions and the request pool belong to the single-request engine.
      completedInWindow: 0,
      connections: 0,
      delayedSends: 0,
      scenario: { errors: [...this.#errors], timedOut: this.#timedOut, abandoned },
    });
  }
}
