/**
 * One load worker: runs its virtual users (one keep-alive connection each)
 * and records every measured request into its lane of the shared collector.
 * It is the request protocol of the pacer (one request, or the next target
 * of a request set, per unit of work); the `Pacer` decides when each is
 * sent, in the closed or open model. Runtime-neutral: the entry file wires
 * it to the worker's message port.
 *
 * @module
 */
import type { LoadWorkerOptions } from "./_load_worker_options.ts";
import { attachCollector } from "../../collector/create.ts";
import { type ClientStats, ClientStatsTable } from "../../collector/client_stats.ts";
import { ErrorKind } from "../../collector/types.ts";
import type { CollectorWriter } from "../../collector/writer.ts";
import { ErrorTally } from "../../worker/error_tally.ts";
import { NamedLaneWriter } from "../../collector/named_lanes.ts";
import { createConnectionFactory, prepareRequest } from "../../http/mod.ts";
import type { HttpConnection, PreparedRequest, ResponseCallback } from "../../http/types.ts";
import { RequestSetSource } from "../../request_sets/request_source.ts";
import { spinForTestSlowdown, TEST_SLOWDOWN } from "../../worker/test_slowdown.ts";
import { timedUnitPacing } from "../../worker/timed_unit_pacing.ts";
import { Pacer, type PacerTotals } from "../../pacer/pacer.ts";
import type { PacedSlot, Protocol } from "../../pacer/protocol.ts";
import type { WorkerClock } from "../../pacer/clock.ts";
import type { DoneMessage } from "../../worker/messages.ts";
import type { HttpJob } from "./job.ts";
import { StreamLaneWriter } from "../../collector/stream_lanes.ts";
import { preferSocketsForPacedLoad } from "../../runtime/connect.ts";
import { recordStream, timeConnection, type UserStreamTimer } from "../../worker/stream_recorder.ts";

/** A virtual user's connection side (its pacing side is the pacer's slot of the same index). */
interface VirtualUser {
  conn: HttpConnection;
  client: ClientStats;
  reconnectsSeen: number;
  /** Target of the request in flight (request sets). */
  target: number;
  /** Times its responses (first byte, events, tokens); null without stream lanes or on `fetch`. */
  stream: UserStreamTimer | null;
}

/**
 * Runs an `HttpJob`; `post` sends messages to the orchestrator.
 *
 * @example
 * ```ts
 * // In a worker entry:
 * // const w = new LoadWorker(job, (m) => port.postMessage(m));
 * // w.start(startEpochMs);
 * ```
 */
export class LoadWorker implements Protocol {
  readonly #job: HttpJob;
  #post: (m: DoneMessage) => void;
  readonly #writer: CollectorWriter;
  readonly #users: VirtualUser[] = [];
  readonly #open: boolean;
  readonly #prepared: PreparedRequest;
  readonly #createConnection: (onResponse: ResponseCallback) => HttpConnection;
  readonly #table: ClientStatsTable;
  /** Test-only raw latencies (ns); null when off. */
  readonly #raw: Float64Array | null;
  #rawCount = 0;
  #rawDropped = 0;
  /** Messages of failed requests; touched only when a request fails. */
  readonly #errors = new ErrorTally();
  readonly #set: RequestSetSource | null = null;
  readonly #named: NamedLaneWriter | null = null;
  readonly #clock: WorkerClock;
  readonly #pacer: Pacer;
  readonly #streams: StreamLaneWriter | null = null;
  readonly #now = (): number => this.#clock.now();

  /** `options` replace the clock, timers and connections (unit tests); the defaults are the real ones. */
  constructor(job: HttpJob, post: (m: DoneMessage) => void, options: LoadWorkerOptions = {}) {
    this.#job = job;
    this.#clock = options.clock ?? performance;
    this.#post = post;
    this.#writer = attachCollector(job.collector);
    this.#open = job.model === "open";
    // Before any connection opens: a paced load has few events per wake-up (see the runtime's note).
    if (options.createConnection === undefined) preferSocketsForPacedLoad(this.#open);
    this.#prepared = prepareRequest(job.spec, { ...job.connect, transport: job.transport });
    // HTTP/1.1: one connection per virtual user; HTTP/2: `streams` virtual users share a connection.
    this.#createConnection = options.createConnection ?? createConnectionFactory(this.#prepared, {
      http2: job.http2,
      streams: job.streams,
    });
    this.#table = ClientStatsTable.attach(job.clients);
    this.#raw = job.keepLatencies > 0 ? new Float64Array(job.keepLatencies) : null;
    if (job.targets) {
      this.#set = new RequestSetSource(job.targets.set, {
        order: job.targets.order,
        transport: job.transport,
        connect: job.connect,
        place: {
          worker: job.workerIndex,
          workers: job.targets.workers,
          segment: job.targets.segment,
          segments: job.targets.segments,
        },
      });
    }
    if (job.named) this.#named = NamedLaneWriter.attach(job.named);
    if (job.streamLanes) this.#streams = StreamLaneWriter.attach(job.streamLanes);
    // Last: the pacer opens the initial slots through openSlot(), which needs the fields above.
    this.#pacer = new Pacer(
      this,
      timedUnitPacing(job, this.#writer, (totals) => this.#report(totals), this.#clock, options.timers),
    );
  }

  /** Protocol: a virtual user (its connection opens on its first send). */
  openSlot(slot: PacedSlot): void {
    const user: VirtualUser = {
      conn: null as unknown as HttpConnection,
      client: this.#table.addClient(),
      reconnectsSeen: 0,
      target: 0,
      stream: null,
    };
    const onResponse = (status: number, bytes: number, kind: number): void =>
      this.#complete(slot, user, status, bytes, kind);
    user.conn = this.#set === null
      ? this.#createConnection(onResponse)
      : this.#set.createConnection(slot.index, onResponse);
    if (this.#streams !== null) user.stream = timeConnection(user.conn, slot, this.#streams, this.#now);
    this.#users.push(user);
  }

  /** Protocol: sends one request (the next target of a request set) on the slot's connection. */
  startWork(slot: PacedSlot): void {
    const u = this.#users[slot.index];
    if (this.#set !== null) u.target = this.#set.next(slot.index, u.conn);
    if (u.stream !== null) {
      u.stream.timer.reset();
      u.stream.gaps.name = this.#set === null ? -1 : this.#set.slotOf(u.target);
    }
    u.conn.send();
  }

  /** Protocol: aborts requests past the timeout (each completes as a timeout). */
  sweep(slots: readonly PacedSlot[], now: number): void {
    const limit = this.#job.timeoutMs;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i];
      if (s.busy && now - s.sentAt > limit) this.#users[i].conn.abort(ErrorKind.Timeout);
    }
  }

  /** Protocol: closes every connection. */
  close(): void {
    for (const u of this.#users) {
      u.conn.close();
      u.client.remove();
    }
  }

  /** Starts at `startEpochMs` (epoch milliseconds shared by all workers). */
  start(startEpochMs: number): void {
    this.#pacer.start(startEpochMs);
  }

  /** A response, failure or timeout on `slot`'s connection: recorded if measured, then the slot is free. */
  #complete(slot: PacedSlot, u: VirtualUser, status: number, bytes: number, kind: number): void {
    if (!slot.busy) return;
    if (TEST_SLOWDOWN !== 0) spinForTestSlowdown();
    const end = this.#clock.now();
    const reconnects = u.conn.reconnects;
    if (reconnects !== u.reconnectsSeen) {
      u.client.recordReconnects(reconnects - u.reconnectsSeen);
      u.reconnectsSeen = reconnects;
    }
    if (slot.measured) {
      // Integer nanoseconds: no float boxing on V8 for latencies under ~1 s.
      const latencyNs = Math.round((end - slot.intendedAt) * 1e6);
      if (this.#raw !== null && kind === ErrorKind.None) this.#keepLatency(latencyNs);
      try {
        this.#writer.recordNs(
          status,
          latencyNs,
          bytes,
          kind,
          this.#open ? Math.round((end - slot.sentAt) * 1e6) : -1,
        );
        if (this.#named !== null) this.#named.record(this.#set!.slotOf(u.target), status, latencyNs, kind);
        if (u.stream !== null && kind === ErrorKind.None) {
          u.stream.timer.endAt = end;
          recordStream(this.#streams!, u.stream.gaps.name, u.stream.timer, slot);
        }
      } catch {
        // Counted as invalid by the collector; the run goes on.
      }
      if (kind === ErrorKind.None) u.client.recordResponse(status);
      else {
        u.client.recordTransportError(kind === ErrorKind.Timeout);
        this.#errors.addFailure(kind, u.conn.lastError, this.#job.timeoutMs);
      }
    }
    this.#pacer.complete(slot, end);
  }

  /** Test-only: keeps one raw latency (see `WorkerJobBase.keepLatencies`). */
  #keepLatency(ns: number): void {
    if (this.#rawCount < this.#raw!.length) this.#raw![this.#rawCount++] = ns;
    else this.#rawDropped++;
  }

  /** The orchestrator says the run is stopping: read the control flags now, not at the next sweep. */
  noticeStop(): void {
    this.#pacer.noticeStop();
  }

  /**
   * Stops at once: closes every connection and clears the timers. Nothing is reported (the
   * caller is gone); a no-op once the worker has finished.
   */
  abort(): void {
    this.#post = () => {};
    this.#pacer.abort();
  }

  /** The pacer has finished (connections closed): the "done" report. */
  #report(totals: PacerTotals): void {
    this.#post({
      type: "done",
      workerIndex: this.#job.workerIndex,
      ...totals,
      ...(this.#raw === null
        ? {}
        : { latencies: this.#raw.slice(0, this.#rawCount), latenciesDropped: this.#rawDropped }),
      errors: this.#errors.entries(),
    });
  }
}
