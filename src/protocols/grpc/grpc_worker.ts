/**
 * The gRPC protocol of the pacer: one unit of work is one call (unary or
 * server streaming) of one method on the slot's HTTP/2 stream handle. The
 * outcome goes to the lane as for HTTP (a gRPC status counted under its HTTP
 * equivalent, see `grpc/status.ts`), the gRPC status, the messages and a
 * streaming call's time to its first message to the gRPC lanes.
 *
 * @module
 */
import { attachCollector } from "../../collector/create.ts";
import { type ClientStats, ClientStatsTable } from "../../collector/client_stats.ts";
import { GrpcLaneWriter } from "../../collector/grpc_lanes.ts";
import { ErrorKind } from "../../collector/types.ts";
import type { CollectorWriter } from "../../collector/writer.ts";
import { type GrpcCall, GrpcChannel } from "../../grpc/channel.ts";
import { httpStatusOfGrpc } from "../../grpc/status.ts";
import { ErrorTally } from "../../worker/error_tally.ts";
import { timedUnitPacing } from "../../worker/timed_unit_pacing.ts";
import { Pacer, type PacerTotals } from "../../pacer/pacer.ts";
import type { PacedSlot, Protocol } from "../../pacer/protocol.ts";
import type { WorkerClock } from "../../pacer/clock.ts";
import type { DoneMessage } from "../../worker/messages.ts";
import type { GrpcJob, GrpcWorkerJob } from "./grpc_job.ts";
import { TemplatedMessages } from "./templated_messages.ts";

/** A virtual user's call side. */
interface GrpcUser {
  call: GrpcCall;
  client: ClientStats;
  reconnectsSeen: number;
}

/**
 * Runs a `GrpcWorkerJob` whose `grpc` part is set.
 *
 * @example
 * ```ts
 * // In a worker entry:
 * // const w = new GrpcWorker(job, (m) => port.postMessage(m));
 * // w.start(startEpochMs);
 * ```
 */
export class GrpcWorker implements Protocol {
  readonly #job: GrpcWorkerJob;
  readonly #grpc: GrpcJob;
  #post: (m: DoneMessage) => void;
  readonly #writer: CollectorWriter;
  readonly #lanes: GrpcLaneWriter;
  readonly #channel: GrpcChannel;
  readonly #users: GrpcUser[] = [];
  #next = 0;
  readonly #templated: TemplatedMessages | null;
  #local = 0; // this worker's calls so far, for {{seq}}
  readonly #open: boolean;
  readonly #table: ClientStatsTable;
  readonly #errors = new ErrorTally();
  readonly #clock: WorkerClock;
  readonly #pacer: Pacer;

  constructor(job: GrpcWorkerJob, post: (m: DoneMessage) => void, options: { clock?: WorkerClock } = {}) {
    this.#job = job;
    this.#grpc = job.grpc!;
    this.#post = post;
    this.#clock = options.clock ?? performance;
    this.#writer = attachCollector(job.collector);
    this.#lanes = GrpcLaneWriter.attach(this.#grpc.lanes, job.workerIndex);
    this.#open = job.model === "open";
    this.#table = ClientStatsTable.attach(job.clients);
    this.#templated = this.#grpc.templated
      ? new TemplatedMessages(this.#grpc.templated, job.workerIndex)
      : null;
    this.#channel = new GrpcChannel({
      url: this.#grpc.url,
      path: this.#grpc.path,
      body: this.#grpc.bodies[0],
      metadata: this.#grpc.metadata,
      timeoutMs: job.timeoutMs,
      encoding: this.#grpc.encoding,
      connect: job.connect,
      streams: job.streams,
    });
    // Last: the pacer opens the initial slots through openSlot(), which needs the fields above.
    this.#pacer = new Pacer(
      this,
      timedUnitPacing(job, this.#writer, (totals) => this.#report(totals), this.#clock),
    );
  }

  /** Protocol: a virtual user (its connection opens on its first call). */
  openSlot(slot: PacedSlot): void {
    const user: GrpcUser = {
      call: null as unknown as GrpcCall,
      client: this.#table.addClient(),
      reconnectsSeen: 0,
    };
    user.call = this.#channel.createCall((code, http, bytes, kind) =>
      this.#complete(slot, user, code, http, bytes, kind)
    );
    if (this.#grpc.serverStreaming) {
      user.call.reader.onFirst = () => {
        if (slot.busy && slot.measured) {
          this.#lanes.recordFirstMessage(0, Math.round((this.#clock.now() - slot.intendedAt) * 1e6));
        }
      };
    }
    this.#users.push(user);
  }

  /** Protocol: one call on the slot's stream handle. */
  startWork(slot: PacedSlot): void {
    const u = this.#users[slot.index];
    const bodies = this.#grpc.bodies;
    if (this.#templated !== null) {
      // {{seq}} values disjoint across workers and --segment parts, as in request sets.
      const seq = this.#job.seq === undefined
        ? this.#local
        : this.#job.seq.first + this.#local * this.#job.seq.stride;
      this.#local++;
      u.call.send(this.#templated.next(seq));
    } else if (bodies.length === 1) u.call.send();
    else {
      // In turn across the worker's calls, whichever virtual user makes them.
      u.call.send(bodies[this.#next]);
      this.#next = this.#next + 1 === bodies.length ? 0 : this.#next + 1;
    }
  }

  /** Protocol: calls past the deadline end as DEADLINE_EXCEEDED (the stream is reset). */
  sweep(slots: readonly PacedSlot[], now: number): void {
    const limit = this.#job.timeoutMs;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i];
      if (s.busy && now - s.sentAt > limit) this.#users[i].call.abort(ErrorKind.Timeout);
    }
  }

  /** Protocol: closes every stream handle (the connections close with their last one). */
  close(): void {
    for (const u of this.#users) {
      u.call.close();
      u.client.remove();
    }
  }

  /** Starts at `startEpochMs` (epoch milliseconds shared by all workers). */
  start(startEpochMs: number): void {
    this.#pacer.start(startEpochMs);
  }

  /** A call ended on `slot`: recorded if measured, then the slot is free. */
  #complete(slot: PacedSlot, u: GrpcUser, code: number, http: number, bytes: number, kind: number): void {
    if (!slot.busy) return;
    const end = this.#clock.now();
    const reconnects = u.call.reconnects;
    if (reconnects !== u.reconnectsSeen) {
      u.client.recordReconnects(reconnects - u.reconnectsSeen);
      u.reconnectsSeen = reconnects;
    }
    if (slot.measured) {
      const latencyNs = Math.round((end - slot.intendedAt) * 1e6);
      const serviceNs = this.#open ? Math.round((end - slot.sentAt) * 1e6) : -1;
      const answered = kind === ErrorKind.None;
      // A call the server answered counts under its gRPC status's HTTP equivalent (OK: 200).
      const status = answered ? httpStatusOfGrpc(code) : 0;
      try {
        this.#writer.recordNs(status, latencyNs, bytes, kind, serviceNs);
      } catch {
        // Counted as invalid by the collector; the run goes on.
      }
      this.#lanes.recordCall(0, code, 1, u.call.reader.messages);
      if (answered) u.client.recordResponse(http);
      else u.client.recordTransportError(kind === ErrorKind.Timeout);
      if (code !== 0) this.#errors.add(kind, u.call.errorMessage);
    }
    this.#pacer.complete(slot, end);
  }

  /** The orchestrator says the run is stopping: read the control flags now. */
  noticeStop(): void {
    this.#pacer.noticeStop();
  }

  /** Stops at once: closes every connection and clears the timers; nothing is reported. */
  abort(): void {
    this.#post = () => {};
    this.#pacer.abort();
  }

  #report(totals: PacerTotals): void {
    this.#post({
      type: "done",
      workerIndex: this.#job.workerIndex,
      ...totals,
      errors: this.#errors.entries(),
    });
  }
}
