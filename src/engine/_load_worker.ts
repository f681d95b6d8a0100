/**
 * One load worker: runs its virtual users (one keep-alive connection each)
 * in the closed or open model and records every measured request into its
 * lane of the shared collector. Runtime-neutral: the entry file wires it to
 * the worker's message port.
 *
 * @module
 */
import { AdaptiveSweep, IDLE_SWEEP_MS } from "./_adaptive_sweep.ts";
import type { LoadWorkerOptions, WorkerClock, WorkerTimers } from "./_load_worker_options.ts";
import { attachCollector } from "../collector/create.ts";
import { type ClientStats, ClientStatsTable } from "../collector/client_stats.ts";
import { ErrorKind } from "../collector/types.ts";
import type { CollectorWriter } from "../collector/writer.ts";
import { ErrorTally } from "./error_tally.ts";
import { NamedLaneWriter } from "../collector/named_lanes.ts";
import { createConnectionFactory, prepareRequest } from "./http/mod.ts";
import type { HttpConnection, PreparedRequest, ResponseCallback } from "./http/types.ts";
import { RequestSetSource } from "./targets/request_source.ts";
import { spinForTestSlowdown, TEST_SLOWDOWN } from "./test_slowdown.ts";
import { ArrivalSchedule, levelAt, type Segment } from "./schedule.ts";
import {
  CTRL_INTERRUPTED,
  CTRL_MEASURING,
  CTRL_STOP,
  type WorkerJob,
  type WorkerMessage,
} from "./worker_protocol.ts";

/** Grace period for in-flight requests after an interrupt. */
const INTERRUPT_GRACE_MS = 1000;
/**
 * Open-model pool growth: an arrival waits this long for a busy connection
 * to free up before a new one is opened for it (a hiccup of a few ms must not
 * open connections)...
 */
const GROW_AFTER_MS = 10;
/**
 * ...and at most this many new connections per worker may be waiting for
 * their first response at once: a burst of connects past the server's accept
 * backlog loses SYNs, which retry after 1 s, which makes more arrivals wait.
 */
const GROW_BURST = 64;

/** A virtual user: one connection, at most one request in flight. */
interface VirtualUser {
  index: number;
  conn: HttpConnection;
  client: ClientStats;
  busy: boolean;
  /** Whether the request in flight is recorded (sent while measuring). */
  measured: boolean;
  /** performance.now() at the intended send (open model) or the send (closed). */
  intendedAt: number;
  sentAt: number;
  reconnectsSeen: number;
  /** Opened by pool growth and still waiting for its first response. */
  fresh: boolean;
  /** Target of the request in flight (request sets). */
  target: number;
}

/**
 * Runs a `WorkerJob`; `post` sends messages to the orchestrator.
 *
 * @example
 * ```ts
 * // In a worker entry:
 * // const w = new LoadWorker(job, (m) => port.postMessage(m));
 * // w.start(startEpochMs);
 * ```
 */
export class LoadWorker {
  readonly #job: WorkerJob;
  #post: (m: WorkerMessage) => void;
  readonly #writer: CollectorWriter;
  readonly #control: Int32Array;
  readonly #users: VirtualUser[] = [];
  readonly #idle: VirtualUser[] = [];
  readonly #open: boolean;
  readonly #segments: Segment[];
  readonly #endMs: number;
  /** Whether the schedule ramps down (closed VUs then stop one by one). */
  readonly #hasRampDown: boolean;
  #arrivals: ArrivalSchedule | null = null;
  #arrivalCount = 0;
  #next = 0; // next arrival index (open)
  #missedUpTo = 0; // arrivals below this index already counted as missed
  #t0 = 0; // performance.now() at run start
  #inFlight = 0;
  #sent = 0;
  #measuredSent = 0;
  #lastSentAt = 0; // performance.now() of the last send
  #activeLevel = 0; // VUs allowed to run now (closed)
  #stopping = false;
  #stopDeadline = Infinity;
  #finished = false;
  #wakeTimer: unknown = null;
  #sweepTimer: AdaptiveSweep | null = null;
  #depth = 0;
  readonly #prepared: PreparedRequest;
  readonly #createConnection: (onResponse: ResponseCallback) => HttpConnection;
  readonly #table: ClientStatsTable;
  /** Open model: the pool grows on demand up to this many connections. */
  readonly #maxUsers: number;
  /** Arrivals that waited because every allowed connection was busy (counted once each). */
  #delayed = 0;
  /** Connections opened by growth whose first request is in flight. */
  #freshInFlight = 0;
  /** performance.now() at the planned end of the schedule. */
  #windowEnd = Infinity;
  /**
   * Clock time the warm-up ends: a request sent (or due) from then on is measured. Each worker
   * decides by the planned time, not by a flag the main thread sets when its timer fires, since
   * that timer runs late on a loaded machine and the requests in between were lost from the counts.
   */
  #measureFrom = 0;
  #warmupEndMs = 0;
  #completedInWindow = 0;
  /** Test-only raw latencies (ns); null when off. */
  readonly #raw: Float64Array | null;
  #rawCount = 0;
  #rawDropped = 0;
  /** Messages of failed requests; touched only when a request fails. */
  readonly #errors = new ErrorTally();
  readonly #set: RequestSetSource | null = null;
  readonly #named: NamedLaneWriter | null = null;
  readonly #clock: WorkerClock;
  readonly #timers: WorkerTimers;

  /** `options` replace the clock, timers and connections (unit tests); the defaults are the real ones. */
  constructor(job: WorkerJob, post: (m: WorkerMessage) => void, options: LoadWorkerOptions = {}) {
    this.#job = job;
    this.#clock = options.clock ?? performance;
    this.#timers = options.timers ?? globalThis;
    this.#post = post;
    this.#writer = attachCollector(job.collector);
    this.#control = new Int32Array(job.control);
    this.#open = job.model === "open";
    this.#segments = job.segments;
    this.#endMs = job.segments.reduce((end, s) => Math.max(end, s.startMs + s.durationMs), 0);
    this.#hasRampDown = job.segments.some((seg) => seg.phase === "ramp-down");
    this.#warmupEndMs = job.segments.reduce((end, s) => s.phase === "warmup" ? s.startMs + s.durationMs : end, 0);
    this.#prepared = prepareRequest(job.spec, { ...job.connect, transport: job.transport });
    // HTTP/1.1: one connection per virtual user; HTTP/2: `streams` virtual users share a connection.
    this.#createConnection = options.createConnection ?? createConnectionFactory(this.#prepared, {
      http2: job.http2,
      streams: job.streams,
    });
    this.#table = ClientStatsTable.attach(job.clients);
    this.#maxUsers = this.#open ? Math.max(job.concurrency, job.maxConcurrency) : job.concurrency;
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
    for (let i = 0; i < job.concurrency; i++) this.#addUser();
    if (this.#open) {
      this.#arrivals = new ArrivalSchedule(job.segments, job.arrivalOffset);
      this.#arrivalCount = this.#arrivals.count();
    }
  }

  /** Adds a virtual user (its connection opens on its first send) to the pool, idle. */
  #addUser(): void {
    const user: VirtualUser = {
      index: this.#users.length,
      conn: null as unknown as HttpConnection,
      client: this.#table.addClient(),
      busy: false,
      measured: false,
      intendedAt: 0,
      sentAt: 0,
      reconnectsSeen: 0,
      fresh: false,
      target: 0,
    };
    const onResponse = (status: number, bytes: number, kind: number): void =>
      this.#complete(user, status, bytes, kind);
    user.conn = this.#set === null
      ? this.#createConnection(onResponse)
      : this.#set.createConnection(user.index, onResponse);
    this.#users.push(user);
    this.#idle.push(user);
  }

  /** Open model: one more connection when every one is busy, up to the limit (see GROW_BURST). */
  #grow(): boolean {
    if (this.#users.length >= this.#maxUsers || this.#freshInFlight >= GROW_BURST) return false;
    this.#addUser();
    this.#users[this.#users.length - 1].fresh = true;
    this.#freshInFlight++; // it is sent at once
    return true;
  }

  /** Starts at `startEpochMs` (epoch milliseconds shared by all workers). */
  start(startEpochMs: number): void {
    this.#t0 = startEpochMs - this.#clock.timeOrigin;
    this.#windowEnd = this.#t0 + this.#endMs;
    this.#measureFrom = this.#t0 + this.#warmupEndMs;
    const sweepEvery = Math.min(100, Math.max(5, this.#job.timeoutMs / 10));
    this.#sweepTimer = new AdaptiveSweep(
      sweepEvery,
      () => this.#sweep(),
      () => this.#inFlight > 0 || this.#stopping,
      IDLE_SWEEP_MS,
      this.#timers,
      { graceMs: this.#job.timeoutMs, clock: this.#clock },
    );
    this.#sweepTimer.start();
    const delay = Math.max(0, -this.#now());
    this.#wakeTimer = this.#timers.setTimeout(() => this.#tick(), delay);
  }

  /** The wake-up callback, bound once: no closure per timer. */
  readonly #onTick = (): void => this.#tick();

  #now(): number {
    return this.#clock.now() - this.#t0;
  }

  #tick(): void {
    this.#wakeTimer = null;
    if (this.#open) this.#pump();
    else this.#rampClosed();
  }

  /** Closed model: lets the number of running VUs follow the schedule. */
  #rampClosed(): void {
    if (this.#checkStop()) return;
    const now = this.#now();
    const level = Math.min(this.#users.length, Math.ceil(levelAt(this.#segments, now) - 1e-9));
    this.#activeLevel = level;
    for (let i = 0; i < level; i++) {
      const u = this.#users[i];
      if (!u.busy && !this.#stopping) this.#sendClosed(u);
    }
    if (now >= this.#endMs) return this.#beginStop(false);
    // Re-check often while ramping; at a steady level just wake up for the next phase.
    const ramping = this.#segments.some((s) => s.from !== s.to && now < s.startMs + s.durationMs);
    this.#wakeTimer = this.#timers.setTimeout(
      () => this.#tick(),
      ramping ? 20 : Math.min(250, this.#endMs - now),
    );
  }

  #sendClosed(u: VirtualUser): void {
    if (!this.#mayMeasure()) return;
    const t = this.#clock.now();
    u.intendedAt = t;
    this.#send(u, t);
  }

  /** False (and stopping begins) when a request-count limit is reached. */
  #mayMeasure(): boolean {
    const limit = this.#job.requestLimit;
    if (limit !== null && this.#measuredSent >= limit && this.#clock.now() >= this.#measureFrom) {
      this.#beginStop(false);
      return false;
    }
    return true;
  }

  #send(u: VirtualUser, sentAt: number): void {
    u.busy = true;
    u.sentAt = sentAt;
    this.#lastSentAt = sentAt;
    u.measured = sentAt >= this.#measureFrom || Atomics.load(this.#control, CTRL_MEASURING) === 1;
    if (u.measured) this.#measuredSent++;
    this.#inFlight++;
    this.#sent++;
    this.#sweepTimer?.wake(); // a slowed-down sweep must time this request out on time
    if (this.#set !== null) u.target = this.#set.next(u.index, u.conn);
    u.conn.send();
  }

  /** Open model: sends every due arrival that has a free connection. */
  #pump(): void {
    if (this.#checkStop()) return;
    const arrivals = this.#arrivals!;
    const now = this.#now();
    const base = this.#t0;
    while (this.#next < this.#arrivalCount) {
      const due = arrivals.timeOf(this.#next);
      if (due > now) break;
      if (this.#idle.length === 0) {
        const waited = now - due >= GROW_AFTER_MS || now >= this.#endMs;
        if (!waited || !this.#grow()) break;
      }
      if (!this.#mayMeasure()) return;
      const u = this.#idle.pop()!;
      u.intendedAt = base + due;
      this.#next++;
      this.#send(u, this.#clock.now());
    }
    if (this.#next < this.#arrivalCount && this.#idle.length === 0 && this.#users.length >= this.#maxUsers) {
      this.#countDelayed(now);
    }
    if (now >= this.#endMs) {
      // The schedule is over: arrivals still waiting for a connection are not sent late
      // (an overloaded run would never end); they are counted as missed sends instead.
      this.#dropUnsent(Infinity);
      this.#beginStop(false);
      return;
    }
    if (this.#next >= this.#arrivalCount) {
      this.#beginStop(false);
      return;
    }
    if (this.#wakeTimer === null && this.#idle.length > 0) {
      // Rounded up: timers have 1 ms steps, and one rounded down fires before the arrival is due, finds
      // nothing to send and re-arms for the next step, which sends no sooner but costs a wake-up.
      const wait = arrivals.timeOf(this.#next) - now;
      this.#wakeTimer = this.#timers.setTimeout(this.#onTick, Math.max(0, Math.ceil(wait)));
    } else if (
      this.#wakeTimer === null && this.#users.length < this.#maxUsers && this.#freshInFlight < GROW_BURST
    ) {
      // Every connection is busy: wake when the next arrival has waited long enough to grow for it
      // (a completion may free one sooner; it pumps too).
      const wait = arrivals.timeOf(this.#next) + GROW_AFTER_MS - now;
      this.#wakeTimer = this.#timers.setTimeout(this.#onTick, Math.max(1, Math.ceil(wait)));
    }
  }

  /** Counts (once each) the measured arrivals due by `now` that wait for a connection. */
  #countDelayed(now: number): void {
    // Measured as a send is: from the planned end of the warm-up, not when the main thread's timer says.
    if (this.#clock.now() < this.#measureFrom) return;
    const arrivals = this.#arrivals!;
    let k = Math.max(this.#next, this.#missedUpTo);
    let n = 0;
    while (k < this.#arrivalCount && arrivals.timeOf(k) <= now) {
      k++;
      n++;
    }
    this.#missedUpTo = k;
    this.#delayed += n;
  }

  /**
   * Gives up the measured arrivals due by `upTo` that were never sent (the
   * run is over): each is a missed send, which the `errors` rate counts.
   */
  #dropUnsent(upTo: number): void {
    if (!this.#open || this.#clock.now() < this.#measureFrom) return;
    const arrivals = this.#arrivals!;
    let k = this.#next;
    if (upTo === Infinity) k = this.#arrivalCount;
    else while (k < this.#arrivalCount && arrivals.timeOf(k) <= upTo) k++;
    const n = k - this.#next;
    this.#next = k;
    if (n > 0) this.#writer.recordMissedSends(n);
  }

  #complete(u: VirtualUser, status: number, bytes: number, kind: number): void {
    if (!u.busy) return;
    if (TEST_SLOWDOWN !== 0) spinForTestSlowdown();
    const end = this.#clock.now();
    u.busy = false;
    if (u.fresh) {
      u.fresh = false;
      this.#freshInFlight--;
    }
    this.#inFlight--;
    const reconnects = u.conn.reconnects;
    if (reconnects !== u.reconnectsSeen) {
      u.client.recordReconnects(reconnects - u.reconnectsSeen);
      u.reconnectsSeen = reconnects;
    }
    // The window's rate counts every completion inside it, also of a request sent during the
    // warm-up: at a steady state those replace the ones still in flight at the end.
    if (end <= this.#windowEnd && (u.measured || end >= this.#measureFrom)) {
      this.#completedInWindow++;
    }
    if (u.measured) {
      // Integer nanoseconds: no float boxing on V8 for latencies under ~1 s.
      const latencyNs = Math.round((end - u.intendedAt) * 1e6);
      if (this.#raw !== null && kind === ErrorKind.None) this.#keepLatency(latencyNs);
      try {
        this.#writer.recordNs(
          status,
          latencyNs,
          bytes,
          kind,
          this.#open ? Math.round((end - u.sentAt) * 1e6) : -1,
        );
        if (this.#named !== null) this.#named.record(this.#set!.slotOf(u.target), status, latencyNs, kind);
      } catch {
        // Counted as invalid by the collector; the run goes on.
      }
      if (kind === ErrorKind.None) u.client.recordResponse(status);
      else {
        u.client.recordTransportError(kind === ErrorKind.Timeout);
        this.#errors.addFailure(kind, u.conn.lastError, this.#job.timeoutMs);
      }
    }
    if (this.#stopping) {
      if (this.#inFlight === 0) this.#finish();
      return;
    }
    // A synchronous failure inside send() must not recurse without bound.
    if (this.#depth > 8) {
      this.#timers.setTimeout(() => this.#afterComplete(u, this.#clock.now()), 0);
      return;
    }
    this.#depth++;
    try {
      this.#afterComplete(u, end);
    } finally {
      this.#depth--;
    }
  }

  /** Test-only: keeps one raw latency (see `WorkerJob.keepLatencies`). */
  #keepLatency(ns: number): void {
    if (this.#rawCount < this.#raw!.length) this.#raw![this.#rawCount++] = ns;
    else this.#rawDropped++;
  }

  /** `at`: clock time of the completion (one clock read per request fewer: each costs ~50 ns on Bun). */
  #afterComplete(u: VirtualUser, at: number): void {
    if (this.#stopping) return;
    if (this.#open) {
      this.#idle.push(u);
      this.#pump();
      return;
    }
    if (this.#checkStop()) return;
    const now = at - this.#t0;
    if (now >= this.#endMs) {
      this.#beginStop(false);
      return;
    }
    if (u.index >= this.#activeLevel) return;
    if (this.#hasRampDown) {
      // Follow the ramp-down per completion: the VUs above the current level stop.
      this.#activeLevel = Math.min(this.#users.length, Math.ceil(levelAt(this.#segments, now) - 1e-9));
      if (u.index >= this.#activeLevel) return;
    }
    this.#sendClosed(u);
  }

  /** Times out requests past the deadline and notices a stop from the orchestrator. */
  #sweep(): void {
    this.#checkStop();
    const now = this.#clock.now();
    const limit = this.#job.timeoutMs;
    for (const u of this.#users) {
      if (u.busy && now - u.sentAt > limit) u.conn.abort(ErrorKind.Timeout);
    }
    if (this.#stopping && this.#inFlight > 0 && now >= this.#stopDeadline) {
      this.#finish(); // abandon what is left (interrupt)
    }
    if (!this.#stopping && this.#open && this.#wakeTimer === null) this.#pump();
  }

  /** The orchestrator says the run is stopping: read the control flags now, not at the next sweep. */
  noticeStop(): void {
    if (this.#sweepTimer !== null && !this.#finished) this.#checkStop();
  }

  #checkStop(): boolean {
    if (this.#stopping) return true;
    if (Atomics.load(this.#control, CTRL_STOP) === 1) {
      const interrupted = Atomics.load(this.#control, CTRL_INTERRUPTED) === 1;
      // Arrivals already due but never sent still show in the result.
      if (interrupted) this.#dropUnsent(this.#now());
      this.#beginStop(interrupted);
      return true;
    }
    return false;
  }

  #beginStop(interrupted: boolean): void {
    if (this.#stopping) return;
    this.#stopping = true;
    if (this.#wakeTimer !== null) this.#timers.clearTimeout(this.#wakeTimer);
    this.#wakeTimer = null;
    this.#stopDeadline = this.#clock.now() + (interrupted ? INTERRUPT_GRACE_MS : this.#job.timeoutMs + 1000);
    if (this.#inFlight === 0) queueMicrotask(() => this.#finish());
    else this.#sweepTimer?.hurry(); // what is in flight is abandoned at the deadline, not a slow sweep later
  }

  /**
   * Stops at once: closes every connection and clears the timers. Nothing is reported (the
   * caller is gone); a no-op once the worker has finished.
   */
  abort(): void {
    this.#post = () => {};
    this.#finish();
  }

  #finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    this.#sweepTimer?.stop();
    if (this.#wakeTimer !== null) this.#timers.clearTimeout(this.#wakeTimer);
    const abandoned = this.#inFlight;
    for (const u of this.#users) {
      u.conn.close();
      u.client.remove();
    }
    // Every record so far is visible to the orchestrator before it hears "done".
    Atomics.add(this.#control, CTRL_MEASURING + 13, 1);
    this.#post({
      type: "done",
      workerIndex: this.#job.workerIndex,
      sent: this.#sent,
      abandoned,
      lastSendEpochMs: this.#lastSentAt === 0 ? 0 : this.#clock.timeOrigin + this.#lastSentAt,
      completedInWindow: this.#completedInWindow,
      connections: this.#users.length,
      delayedSends: this.#delayed,
      ...(this.#raw === null
        ? {}
        : { latencies: this.#raw.slice(0, this.#rawCount), latenciesDropped: this.#rawDropped }),
      errors: this.#errors.entries(),
    });
  }
}
