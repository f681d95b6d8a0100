/**
 * The WebSocket protocol of the pacer (docs/protocols.md): one unit of work is
 * one message sent on the slot's WebSocket and the next message received back
 * (its round trip). Each virtual user keeps one connection, opened on its
 * first unit and again after the server closes it or a failure ended it; its
 * handshake goes to the "ws handshake" per-name lane, its counts (messages,
 * bytes, close codes, failures by kind) to the worker's report.
 *
 * @module
 */
import { attachCollector } from "../../collector/create.ts";
import { type ClientStats, ClientStatsTable } from "../../collector/client_stats.ts";
import { ErrorKind } from "../../collector/types.ts";
import type { CollectorWriter } from "../../collector/writer.ts";
import { NamedLaneWriter } from "../../collector/named_lanes.ts";
import { WsConnection, WsEnd, wsEndpoint, type WsListener } from "../../http/ws/ws_connection.ts";
import { ErrorTally } from "../../worker/error_tally.ts";
import { timedUnitPacing } from "../../worker/timed_unit_pacing.ts";
import { Pacer, type PacerTotals } from "../../pacer/pacer.ts";
import type { PacedSlot, Protocol } from "../../pacer/protocol.ts";
import type { WorkerClock, WorkerTimers } from "../../pacer/clock.ts";
import { compileTemplate, fillTemplate, isTemplated, type Template } from "../../request_sets/templates.ts";
import {
  emptyWsReport,
  type WebSocketJob,
  type WebSocketWorkerJob,
  WS_HANDSHAKE_NAME,
  type WsDoneMessage,
  type WsWorkerReport,
} from "./types.ts";

/** One message to send: fixed bytes, or a template filled per send. */
interface OutgoingMessage {
  bytes: Uint8Array | null;
  template: Template | null;
  /** Its per-name lane slot, or -1. */
  lane: number;
}

/** A virtual user's connection side. */
interface WsUser {
  readonly slot: PacedSlot;
  conn: WsConnection;
  client: ClientStats;
  /** The unit in flight has sent its message (false while it waits for the handshake). */
  sent: boolean;
  /** Index of the message in flight (and the next one to send). */
  next: number;
  /** The per-name lane slot of the message in flight. */
  lane: number;
  /** Messages received since the unit's message went out. */
  connectsSeen: number;
}

/**
 * Runs a `WebSocketWorkerJob`; `post` sends messages to the orchestrator.
 *
 * @example
 * ```ts
 * // In a worker entry, for a job with `websocket` set:
 * // const w = new WsWorker(job, (m) => port.postMessage(m));
 * // w.start(startEpochMs);
 * ```
 */
export class WsWorker implements Protocol {
  readonly #job: WebSocketWorkerJob;
  readonly #ws: WebSocketJob;
  #post: (m: WsDoneMessage) => void;
  readonly #writer: CollectorWriter;
  readonly #users: WsUser[] = [];
  readonly #open: boolean;
  readonly #table: ClientStatsTable;
  readonly #errors = new ErrorTally();
  readonly #named: NamedLaneWriter | null = null;
  readonly #handshakeLane: number = -1;
  readonly #messages: OutgoingMessage[];
  readonly #report: WsWorkerReport = emptyWsReport();
  readonly #clock: WorkerClock;
  readonly #encoder = new TextEncoder();
  readonly #endpoint: ReturnType<typeof wsEndpoint>;
  #seq: number;
  readonly #seqStride: number;
  /** The values of a templated message, `seq` set per send. */
  readonly #fill: { seq: number; worker: number; csv: Readonly<Record<string, readonly string[]>> };
  readonly #pacer: Pacer;

  /** `options` replace the clock and timers (unit tests); the defaults are the real ones. */
  constructor(
    job: WebSocketWorkerJob,
    post: (m: WsDoneMessage) => void,
    options: { clock?: WorkerClock; timers?: WorkerTimers } = {},
  ) {
    this.#job = job;
    this.#ws = job.websocket!;
    this.#post = post;
    this.#clock = options.clock ?? performance;
    this.#writer = attachCollector(job.collector);
    this.#open = job.model === "open";
    this.#table = ClientStatsTable.attach(job.clients);
    this.#endpoint = wsEndpoint(this.#ws.url, this.#ws.headers, this.#ws.tls);
    this.#seq = job.seq?.first ?? job.workerIndex;
    this.#seqStride = job.seq?.stride ?? 1;
    this.#fill = { seq: 0, worker: job.workerIndex, csv: this.#ws.csv ?? {} };
    if (job.named) {
      const named = NamedLaneWriter.attach(job.named);
      this.#named = named;
      this.#handshakeLane = named.resolve(WS_HANDSHAKE_NAME);
    }
    this.#messages = this.#ws.messages.map((text, i) => {
      const template = compileTemplate(text);
      const name = this.#ws.names[i] ?? "";
      return {
        bytes: isTemplated(template) ? null : this.#encoder.encode(text),
        template: isTemplated(template) ? template : null,
        lane: this.#named !== null && name !== "" ? this.#named.resolve(name) : -1,
      };
    });
    // Last: the pacer opens the initial slots through openSlot(), which needs the fields above.
    this.#pacer = new Pacer(
      this,
      timedUnitPacing(job, this.#writer, (totals) => this.#done(totals), this.#clock, options.timers),
    );
  }

  /** Protocol: a virtual user; its connection opens on its first unit. */
  openSlot(slot: PacedSlot): void {
    const index = this.#users.length;
    const user: WsUser = {
      slot,
      conn: null as unknown as WsConnection,
      client: this.#table.addClient(),
      sent: false,
      next: index % this.#messages.length,
      lane: -1,
      connectsSeen: 0,
    };
    const listener: WsListener = {
      onWsOpen: (conn) => this.#opened(user, conn),
      onWsMessage: (_conn, _binary, length) => this.#received(user, length),
      onWsEnd: (conn, end, detail, status, code) => this.#ended(user, conn, end, detail, status, code),
    };
    user.conn = new WsConnection(this.#endpoint, listener, {
      maxMessageBytes: this.#ws.maxMessageBytes,
      keepPayloads: false,
      now: () => this.#clock.now(),
    });
    this.#users.push(user);
  }

  /** Protocol: sends the user's next message (connecting first when needed). */
  startWork(slot: PacedSlot): void {
    const u = this.#users[slot.index];
    u.sent = false;
    const conn = u.conn;
    if (conn.isOpen) this.#send(u);
    else if (!conn.isActive) conn.open();
    // Otherwise the handshake is under way: #opened sends.
  }

  /** Protocol: messages past the timeout fail as timeouts; their connection is dropped. */
  sweep(slots: readonly PacedSlot[], now: number): void {
    const limit = this.#job.timeoutMs;
    for (let i = 0; i < slots.length; i++) {
      const s = slots[i];
      if (s.busy && now - s.sentAt > limit) {
        const u = this.#users[i];
        u.conn.drop();
        this.#report.timeout++;
        this.#fail(u, ErrorKind.Timeout, `no answer within ${limit} ms`);
      }
    }
  }

  /** Protocol: the run is over: every connection starts its close handshake (code 1000). */
  close(): void {
    for (const u of this.#users) {
      u.conn.close(1000);
      u.client.remove();
    }
  }

  /** Starts at `startEpochMs` (epoch milliseconds shared by all workers). */
  start(startEpochMs: number): void {
    this.#pacer.start(startEpochMs);
  }

  /** The orchestrator says the run is stopping. */
  noticeStop(): void {
    this.#pacer.noticeStop();
  }

  /** Stops at once; nothing is reported. */
  abort(): void {
    this.#post = () => {};
    this.#pacer.abort();
  }

  #send(u: WsUser): void {
    const m = this.#messages[u.next];
    u.next = u.next + 1 === this.#messages.length ? 0 : u.next + 1;
    u.lane = m.lane;
    let bytes = m.bytes;
    if (bytes === null) {
      this.#fill.seq = this.#seq;
      bytes = this.#encoder.encode(fillTemplate(m.template!, this.#fill));
      this.#seq += this.#seqStride;
    }
    u.sent = true;
    u.conn.send(bytes, this.#ws.binary);
  }

  #opened(u: WsUser, conn: WsConnection): void {
    this.#report.handshakes++;
    if (conn.connects - 1 !== u.connectsSeen) {
      u.client.recordReconnects(conn.connects - 1 - u.connectsSeen);
      u.connectsSeen = conn.connects - 1;
    }
    const slot = u.slot;
    if (this.#named !== null && slot.measured) {
      this.#named.record(this.#handshakeLane, 101, Math.round(conn.handshakeMs * 1e6), ErrorKind.None);
    }
    if (slot.busy && !u.sent) this.#send(u);
  }

  #received(u: WsUser, length: number): void {
    const slot = u.slot;
    if (!slot.busy || !u.sent) return; // a message nobody waits for: counted by the connection only
    const end = this.#clock.now();
    if (slot.measured) {
      const latencyNs = Math.round((end - slot.intendedAt) * 1e6);
      try {
        this.#writer.recordNs(
          101,
          latencyNs,
          length,
          ErrorKind.None,
          this.#open ? Math.round((end - slot.sentAt) * 1e6) : -1,
        );
        if (u.lane >= 0) this.#named!.record(u.lane, 101, latencyNs, ErrorKind.None);
      } catch {
        // Counted as invalid by the collector; the run goes on.
      }
      u.client.recordResponse(101);
    }
    this.#pacer.complete(slot, end);
  }

  #ended(u: WsUser, conn: WsConnection, end: number, detail: string, status: number, code: number): void {
    const r = this.#report;
    // The closes the server started (1006: the socket without a close frame); lunge's own closes
    // at the end of the run are not counted, so the figure does not depend on when the run stopped.
    if (end === WsEnd.PeerClosed) r.closeCodes[code] = (r.closeCodes[code] ?? 0) + 1;
    let kind: number = ErrorKind.Reset;
    if (end === WsEnd.HandshakeRefused) {
      r.handshakeRefused++;
      r.handshakeStatus[status] = (r.handshakeStatus[status] ?? 0) + 1;
      kind = ErrorKind.Protocol;
      if (this.#named !== null && u.slot.measured) this.#named.record(this.#handshakeLane, 0, 0, kind);
    } else if (end === WsEnd.Protocol) {
      r.protocol++;
      r.protocolCauses[detail] = (r.protocolCauses[detail] ?? 0) + 1;
      kind = ErrorKind.Protocol;
      detail = `protocol error: ${detail}`;
    } else if (end === WsEnd.Transport) {
      r.transport++;
      kind = conn.lastErrorKind;
    } else if (u.slot.busy) {
      r.closedByPeer++; // PeerClosed (or a close of ours completing) while a message waited
    }
    if (u.slot.busy) this.#fail(u, kind, detail);
  }

  /** Ends the unit in flight on `u` as a failure of `kind`. */
  #fail(u: WsUser, kind: number, message: string): void {
    const slot = u.slot;
    if (!slot.busy) return;
    const end = this.#clock.now();
    if (slot.measured) {
      const latencyNs = Math.round((end - slot.intendedAt) * 1e6);
      try {
        this.#writer.recordNs(0, latencyNs, 0, kind, this.#open ? Math.round((end - slot.sentAt) * 1e6) : -1);
        if (u.lane >= 0 && u.sent) this.#named!.record(u.lane, 0, latencyNs, kind);
      } catch {
        // Counted as invalid by the collector.
      }
      u.client.recordTransportError(kind === ErrorKind.Timeout);
      this.#errors.addFailure(kind, message, this.#job.timeoutMs);
    }
    this.#pacer.complete(slot, end);
  }

  /** The pacer has finished (connections closing): the "done" report with the WebSocket counts. */
  #done(totals: PacerTotals): void {
    const r = this.#report;
    for (const u of this.#users) {
      const c = u.conn;
      r.messagesSent += c.messagesSent;
      r.messagesReceived += c.messagesReceived;
      r.bytesSent += c.bytesSent;
      r.bytesReceived += c.bytesReceived;
      r.pongsSent += c.pongsSent;
    }
    this.#post({
      type: "done",
      workerIndex: this.#job.workerIndex,
      ...totals,
      errors: this.#errors.entries(),
      websocket: r,
    });
  }
}
