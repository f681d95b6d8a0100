/**
 * A fake clock with fake timers and fake connections, to drive a
 * `LoadWorker` through its schedule in unit tests: no waiting, no network,
 * every time exact. Plus the job a test worker runs (a real collector and
 * client table on SharedArrayBuffers, which the test reads afterwards).
 */
import { createCollector } from "../../src/collector/create.ts";
import { ClientStatsTable } from "../../src/collector/client_stats.ts";
import type { MetricsCollector } from "../../src/collector/types.ts";
import type { HttpConnection, ResponseCallback } from "../../src/http/types.ts";
import type { WorkerClock, WorkerTimers } from "../../src/protocols/http/_load_worker_options.ts";
import type { Segment } from "../../src/pacer/schedule.ts";
import { CONTROL_BYTES, CTRL_MEASURING } from "../../src/pacer/control.ts";
import type { WorkerJob } from "../../src/engine/worker_protocol.ts";
import { ErrorKind } from "../../src/collector/types.ts";

interface FakeTimer {
  id: number;
  at: number;
  callback: () => void;
  /** 0 for a one-shot timer, else the period of a repeating one. */
  everyMs: number;
}

/**
 * Time that moves only when the test says so. Timers run in time order (ties
 * in the order they were set); a delay below 1 ms is 1 ms, as in Node, so a
 * timer re-armed with 0 cannot spin without time passing.
 */
export class FakeClock implements WorkerClock, WorkerTimers {
  readonly timeOrigin: number;
  #now = 0;
  #nextId = 1;
  #timers: FakeTimer[] = [];

  constructor(timeOrigin = 1_700_000_000_000) {
    this.timeOrigin = timeOrigin;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(callback: () => void, ms: number): unknown {
    const id = this.#nextId++;
    this.#timers.push({ id, at: this.#now + Math.max(1, ms), callback, everyMs: 0 });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.#timers = this.#timers.filter((t) => t.id !== handle);
  }

  setInterval(callback: () => void, ms: number): unknown {
    const id = this.#nextId++;
    const everyMs = Math.max(1, ms);
    this.#timers.push({ id, at: this.#now + everyMs, callback, everyMs });
    return id;
  }

  clearInterval(handle: unknown): void {
    this.clearTimeout(handle);
  }

  /** Timers waiting to run. */
  get pending(): number {
    return this.#timers.length;
  }

  /** Runs every timer due within `ms` (moving the clock to each), then sets the clock to now + `ms`. */
  async advance(ms: number): Promise<void> {
    await this.advanceTo(this.#now + ms);
  }

  /** Runs every timer due by `end` (moving the clock to each), then sets the clock to `end`. */
  async advanceTo(end: number): Promise<void> {
    for (let runs = 0;; runs++) {
      if (runs > 1_000_000) throw new Error("fake clock: timers keep re-arming without end");
      let next: FakeTimer | null = null;
      for (const t of this.#timers) {
        if (t.at <= end && (next === null || t.at < next.at || (t.at === next.at && t.id < next.id))) {
          next = t;
        }
      }
      if (next === null) break;
      this.#timers = this.#timers.filter((t) => t !== next);
      this.#now = Math.max(this.#now, next.at);
      // A repeating timer is re-armed before its callback runs, so the callback can clear it.
      if (next.everyMs > 0) this.#timers.push({ ...next, at: next.at + next.everyMs });
      next.callback();
      await microtasks();
    }
    this.#now = Math.max(this.#now, end);
    await microtasks();
  }
}

/** Lets queued microtasks (e.g. a worker's `queueMicrotask(finish)`) run. */
async function microtasks(): Promise<void> {
  for (let i = 0; i < 3; i++) await Promise.resolve();
}

/** One send on a fake connection and how it ended. */
export interface FakeExchange {
  /** Clock time of the send. */
  sentAt: number;
  /** Clock time it ended (response, abort or close); null while in flight. */
  endedAt: number | null;
  /** "response", an abort's error kind, or "closed". */
  outcome: "response" | "closed" | number | null;
}

/** A connection that answers when its network says so. */
export class FakeConnection implements HttpConnection {
  readonly exchanges: FakeExchange[] = [];
  reconnects = 0;
  lastError = "";
  closed = false;
  readonly #net: FakeNetwork;
  readonly #onResponse: ResponseCallback;

  constructor(net: FakeNetwork, onResponse: ResponseCallback) {
    this.#net = net;
    this.#onResponse = onResponse;
  }

  get inFlight(): boolean {
    const last = this.exchanges[this.exchanges.length - 1];
    return last !== undefined && last.endedAt === null;
  }

  send(): void {
    if (this.inFlight) throw new Error("fake connection: send() while a request is in flight");
    this.closed = false;
    const exchange: FakeExchange = { sentAt: this.#net.clock.now(), endedAt: null, outcome: null };
    this.exchanges.push(exchange);
    this.#net.sent(this, exchange);
  }

  /** Answers `exchange` (if it is still the one in flight) with `status`. */
  respond(exchange: FakeExchange, status: number, bytes: number): void {
    if (exchange.endedAt !== null) return;
    exchange.endedAt = this.#net.clock.now();
    exchange.outcome = "response";
    this.#onResponse(status, bytes, ErrorKind.None);
  }

  abort(kind: number): void {
    const last = this.exchanges[this.exchanges.length - 1];
    if (last === undefined || last.endedAt !== null) return;
    last.endedAt = this.#net.clock.now();
    last.outcome = kind;
    this.lastError = kind === ErrorKind.Timeout ? "fake timeout" : "fake failure";
    this.#onResponse(0, 0, kind);
  }

  close(): void {
    const last = this.exchanges[this.exchanges.length - 1];
    if (last !== undefined && last.endedAt === null) {
      last.endedAt = this.#net.clock.now();
      last.outcome = "closed";
    }
    this.closed = true;
  }
}

/** The connections a worker made; every request is answered `latencyMs` after its send (null: never). */
export class FakeNetwork {
  readonly clock: FakeClock;
  readonly connections: FakeConnection[] = [];
  latencyMs: number | null;
  status = 200;
  bytes = 10;

  constructor(clock: FakeClock, latencyMs: number | null) {
    this.clock = clock;
    this.latencyMs = latencyMs;
  }

  /** The `createConnection` option of a `LoadWorker`. */
  readonly createConnection = (onResponse: ResponseCallback): HttpConnection => {
    const c = new FakeConnection(this, onResponse);
    this.connections.push(c);
    return c;
  };

  sent(conn: FakeConnection, exchange: FakeExchange): void {
    const latency = this.latencyMs;
    if (latency === null) return;
    this.clock.setTimeout(() => conn.respond(exchange, this.status, this.bytes), latency);
  }

  /** Every exchange of every connection, by send time. */
  exchanges(): FakeExchange[] {
    return this.connections.flatMap((c) => c.exchanges).sort((a, b) => a.sentAt - b.sentAt);
  }
}

/** A test worker's job and the shared state the test reads afterwards. */
export interface TestJob {
  job: WorkerJob;
  collector: MetricsCollector;
  clients: ClientStatsTable;
  control: Int32Array;
}

/** The job of worker 0 of 1, recording from the start (measuring on), with raw latencies kept. */
export function testJob(
  fields: Pick<WorkerJob, "model" | "concurrency" | "segments"> & Partial<WorkerJob>,
): TestJob {
  const collector = createCollector({ kind: "atomic", lanes: 2 });
  const clients = ClientStatsTable.create(1000);
  const buffer = new SharedArrayBuffer(CONTROL_BYTES);
  const control = new Int32Array(buffer);
  Atomics.store(control, CTRL_MEASURING, 1);
  const job: WorkerJob = {
    type: "job",
    workerIndex: 0,
    collector: collector.handle(),
    clients: clients.handle(),
    control: buffer,
    spec: { url: "http://127.0.0.1:9/", method: "GET", headers: {} },
    transport: "auto",
    connect: {},
    maxConcurrency: fields.concurrency,
    keepLatencies: 10_000,
    arrivalOffset: 0,
    requestLimit: null,
    timeoutMs: 10_000,
    ...fields,
  };
  return { job, collector, clients, control };
}

/** One segment at a steady level (requests/s or VUs). */
export function steady(level: number, durationMs: number, startMs = 0): Segment {
  return { phase: "steady", startMs, durationMs, from: level, to: level };
}
