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
import { StreamLaneWriter, StreamMetric } from "../../collector/stream_lanes.ts";
import type { StreamTimer } from "../../http/stream_timer.ts";
import { recordStream } from "../../worker/stream_recorder.ts";
import { ErrorKind } from "../../collector/types.ts";
import type { CollectorWriter } from "../../collector/writer.ts";
import { Pacer, type PacerTotals } from "../../pacer/pacer.ts";
import type { PacedSlot, Protocol } from "../../pacer/protocol.ts";
import type { ScenarioDoneMessage, ScenarioJob, ScenarioWorkerJob } from "./job.ts";
import { VuContext } from "./_context.ts";
import { VuHttpClient } from "./_http_client.ts";
import { spinForTestSlowdown, TEST_SLOWDOWN } from "../../worker/test_slowdown.ts";
import { VuWsClient } from "./_ws_client.ts";
import { VuGrpcClient } from "./_grpc_client.ts";
import { GrpcLaneWriter } from "../../collector/grpc_lanes.ts";
import type { ScenarioContext } from "./types.ts";

/** Distinct iteration error messages kept per worker. */
const MAX_MESSAGES = 100;
/** How often running iterations are checked against their request and iteration timeouts, ms. */
const SWEEP_EVERY_MS = 50;

/** A virtual user's scenario side (its pacing side is the pacer's slot of the same index). */
interface ScenarioVu {
  id: number;
  http: VuHttpClient;
  ws: VuWsClient;
  grpc: VuGrpcClient;
  ctx: VuContext;
  /** Abandoned at the iteration timeout: whatever it still does is ignored. */
  retired: boolean;
  /** The slot's `measured` for this virtual user's iteration (a retired one keeps its own). */
  measured: boolean;
  onOk: () => void;
  onErr: (error: unknown) => void;
}

type IterationFn = (ctx: ScenarioContext) => unknown;

/**
 * Runs a scenario job; `post` sends messages to the orchestrator. It is the
 * iteration protocol of the pacer: one unit of work is one call of the
 * scenario's default function on a virtual user's context.
 *
 * @example
 * ```ts
 * // In the load worker entry, for a job with `scenario` set:
 * // const w = await ScenarioWorker.create(job, (m) => port.postMessage(m));
 * // w.start(startEpochMs);
 * ```
 */
export class ScenarioWorker implements Protocol {
  readonly #job: ScenarioWorkerJob;
  readonly #scenario: ScenarioJob;
  readonly #post: (m: ScenarioDoneMessage) => void;
  readonly #fn: IterationFn;
  readonly #writer: CollectorWriter;
  readonly #named: NamedLaneWriter;
  readonly #streams: StreamLaneWriter | null = null;
  readonly #grpcLanes: GrpcLaneWriter | null;
  readonly #users: ScenarioVu[] = [];
  readonly #data: unknown;
  readonly #errors = new Map<string, number>();
  #timedOut = 0;
  readonly #pacer: Pacer;

  /** Imports the scenario module, then builds the worker. */
  static async create(
    job: ScenarioWorkerJob,
    post: (m: ScenarioDoneMessage) => void,
  ): Promise<ScenarioWorker> {
    const scenario = job.scenario!;
    const mod = await import(scenario.moduleUrl);
    if (typeof mod.default !== "function") throw new Error("the scenario has no default export function");
    return new ScenarioWorker(job, post, mod.default as IterationFn);
  }

  private constructor(job: ScenarioWorkerJob, post: (m: ScenarioDoneMessage) => void, fn: IterationFn) {
    this.#job = job;
    this.#scenario = job.scenario!;
    this.#post = post;
    this.#fn = fn;
    this.#writer = attachCollector(job.collector);
    this.#named = NamedLaneWriter.attach(job.named!);
    if (job.streamLanes) this.#streams = StreamLaneWriter.attach(job.streamLanes);
    const lanes = this.#scenario.grpcLanes;
    this.#grpcLanes = lanes ? GrpcLaneWriter.attach(lanes, job.workerIndex) : null;
    this.#data = this.#scenario.dataJson === "" ? undefined : JSON.parse(this.#scenario.dataJson);
    // Last: the pacer opens the virtual users through openSlot(), which needs the fields above.
    this.#pacer = new Pacer(this, {
      model: job.model,
      segments: job.segments,
      arrivalOffset: job.arrivalOffset,
      concurrency: job.concurrency,
      // Iterations do not grow the pool: one that finds every virtual user busy is a missed send.
      maxConcurrency: job.concurrency,
      requestLimit: job.requestLimit,
      control: new Int32Array(job.control),
      lane: this.#writer,
      accounting: "plan",
      drainMs: this.#scenario.iterationTimeoutMs + 1000,
      sweepEveryMs: SWEEP_EVERY_MS,
      onDone: (totals) => this.#report(totals),
    });
  }

  /** Protocol: a virtual user with its own HTTP client and context. */
  openSlot(slot: PacedSlot): void {
    this.#users.push(this.#newVu(slot));
  }

  #newVu(slot: PacedSlot): ScenarioVu {
    const named = this.#named;
    const writer = this.#writer;
    const streams = this.#streams;
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
      stream: (name: string, timer: StreamTimer, sentAt: number, end: number): void => {
        if (vu.measured && streams !== null) {
          timer.endAt = end;
          recordStream(streams, named.resolve(name), timer, { sentAt });
        }
      },
      streamGap: (name: string, token: boolean, ns: number): void => {
        if (vu.measured && streams !== null) {
          streams.record(named.resolve(name), token ? StreamMetric.Itl : StreamMetric.EventGap, ns);
        }
      },
      check: (name: string, passed: boolean): void => {
        if (vu.measured) named.recordCheck(named.resolveCheck(name), passed);
      },
      grpcCall: (
        name: string,
        code: number,
        status: number,
        ns: number,
        bytes: number,
        kind: number,
        sent: number,
        received: number,
        firstNs: number,
      ): void => {
        if (!vu.measured) return;
        try {
          writer.recordNs(status, ns, bytes, kind, -1);
        } catch {
          return; // counted as invalid by the collector
        }
        const slot = named.resolve(name);
        named.record(slot, status, ns, kind);
        this.#grpcLanes?.recordCall(slot, code, sent, received);
        if (firstNs >= 0) this.#grpcLanes?.recordFirstMessage(slot, firstNs);
      },
    };
    const http = new VuHttpClient({
      base: this.#scenario.base,
      timeoutMs: this.#job.timeoutMs,
      recorder,
      forceFetch: this.#job.transport === "fetch",
    });
    const grpc = new VuGrpcClient({ timeoutMs: this.#job.timeoutMs, recorder, connect: this.#job.connect });
    const id = this.#job.workerIndex * 100_000 + slot.index + 1;
    const ws = new VuWsClient({ base: this.#scenario.base, timeoutMs: this.#job.timeoutMs, recorder });
    Object.assign(vu, {
      id,
      http,
      ws,
      grpc,
      ctx: new VuContext(http, recorder, id, this.#data, this.#scenario.env, ws, grpc),
      retired: false,
      measured: false,
      onOk: (): void => this.#end(slot, vu, null),
      onErr: (error: unknown): void => this.#end(slot, vu, error ?? "iteration failed"),
    });
    return vu;
  }

  /** Starts at `startEpochMs` (epoch milliseconds shared by all workers). */
  start(startEpochMs: number): void {
    this.#pacer.start(startEpochMs);
  }

  /** The orchestrator says the run is stopping: read the control flags now, not at the next sweep. */
  noticeStop(): void {
    this.#pacer.noticeStop();
  }

  /** Protocol: runs one iteration on the slot's virtual user. */
  startWork(slot: PacedSlot): void {
    const vu = this.#users[slot.index];
    vu.measured = slot.measured;
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

  #end(slot: PacedSlot, vu: ScenarioVu, error: unknown): void {
    if (!slot.busy || vu.retired) return;
    vu.ctx.vu.iteration++;
    const end = performance.now();
    if (vu.measured) {
      const ns = Math.round((end - slot.intendedAt) * 1e6);
      if (error === null) this.#named.record(this.#named.iterationSlot, 200, ns, ErrorKind.None);
      else {
        this.#named.record(this.#named.iterationSlot, 0, ns, ErrorKind.Other);
        this.#addError(error instanceof Error ? error.message : String(error));
      }
    }
    this.#pacer.complete(slot, end);
  }

  #addError(message: string): void {
    const line = message.split("\n")[0].slice(0, 300);
    const n = this.#errors.get(line);
    if (n !== undefined) this.#errors.set(line, n + 1);
    else if (this.#errors.size < MAX_MESSAGES) this.#errors.set(line, 1);
    else this.#errors.set("(other messages)", (this.#errors.get("(other messages)") ?? 0) + 1);
  }

  /** Protocol: request timeouts and iteration timeouts. */
  sweep(slots: readonly PacedSlot[], now: number): void {
    const limit = this.#scenario.iterationTimeoutMs;
    for (let i = 0; i < slots.length; i++) {
      const slot = slots[i];
      if (!slot.busy) continue;
      this.#users[i].http.sweep(now);
      if (now - slot.sentAt > limit) this.#timeOut(slot, now);
    }
  }

  /** Abandons an iteration past the iteration timeout; a fresh virtual user takes its place. */
  #timeOut(slot: PacedSlot, now: number): void {
    const vu = this.#users[slot.index];
    vu.retired = true;
    vu.http.retired = true;
    vu.http.close();
    vu.ws.closeAll();
    vu.grpc.retired = true;
    vu.grpc.close();
    this.#timedOut++;
    if (vu.measured) {
      const ns = Math.round((now - slot.intendedAt) * 1e6);
      this.#named.record(this.#named.iterationSlot, 0, ns, ErrorKind.Timeout);
      this.#addError(`iteration timed out after ${this.#scenario.iterationTimeoutMs} ms`);
    }
    const fresh = this.#newVu(slot);
    fresh.ctx.vu.iteration = vu.ctx.vu.iteration + 1;
    this.#users[slot.index] = fresh;
    this.#pacer.complete(slot, now);
  }

  /** Protocol: closes every virtual user's connections. */
  close(): void {
    for (const vu of this.#users) {
      vu.retired = true;
      vu.http.retired = true;
      vu.http.close();
      vu.ws.closeAll();
      vu.grpc.retired = true;
      vu.grpc.close();
    }
  }

  /** The pacer has finished: the "done" report. */
  #report(totals: PacerTotals): void {
    this.#post({
      type: "done",
      workerIndex: this.#job.workerIndex,
      sent: totals.sent,
      abandoned: totals.abandoned,
      lastSendEpochMs: totals.lastSendEpochMs,
      // Per-window completions and the request pool belong to the single-request engine.
      completedInWindow: 0,
      connections: 0,
      delayedSends: 0,
      scenario: { errors: [...this.#errors], timedOut: this.#timedOut, abandoned: totals.abandoned },
    });
  }
}
