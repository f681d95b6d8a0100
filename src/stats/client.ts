/**
 * The stats client: non-blocking recording into the priority rings, batched
 * draining into packed datagrams, and the lifecycle (`start`, `flush`,
 * `stop`). Recording never throws and, for known names and tag objects,
 * allocates nothing.
 *
 * @module
 */
import { openUdpSender, type UdpSender } from "../runtime/udp.ts";
import { system } from "../runtime/mod.ts";
import { AdaptiveBatchSize } from "./_adaptive_batch.ts";
import { BREAKER_STATE_NAMES, BreakerState, CircuitBreaker } from "./_circuit_breaker.ts";
import { resolveStatsConfig, type StatsConfig, type StatsOptions } from "./config.ts";
import { StatsConfigurationError, StatsNetworkError } from "./_errors.ts";
import { EVENT_WORDS, PriorityEventBuffer } from "./_event_buffer.ts";
import { evaluateHealth, type StatsHealth } from "./_health.ts";
import { INTERN_NO_MEMORY, NameInterner, TagSetInterner } from "./_interner.ts";
import { InternalMetrics, type StatsMetricsSnapshot, summarizeLatency } from "./internal_metrics.ts";
import { MemoryLimiter, type MemoryPressure } from "./_memory_limiter.ts";
import { AppendResult, PacketAssembler, type PooledPacket } from "./_packet_assembler.ts";
import { DROP_REASON_NAMES, DropReason, Priority, StatType, type Tags } from "./types.ts";

/** Extra dependencies, mostly for tests. */
export interface StatsClientDeps {
  /** Use this transport instead of opening a UDP socket. */
  transport?: UdpSender;
  /** Environment lookup (default: the process environment). */
  env?: (name: string) => string | undefined;
  /** Clock for the circuit breaker, ms. */
  now?: () => number;
}

/** Options of `start()`. */
export interface StatsStartOptions {
  /** Stops the client (as `stop()`) when aborted. */
  signal?: AbortSignal;
}

/** A metric with its name and tags resolved once: recording through it is a few stores. */
export interface StatsMetric {
  /** Records `value` (counters: adds it). Returns whether it was buffered. */
  record(value: number): boolean;
}

/** Sampling of buffer latency: one event in 8 (a histogram record per event would cost more than the rest). */
const BUFFER_LATENCY_SAMPLE_MASK = 7;

/**
 * The non-blocking StatsD/DogStatsD client.
 *
 * @example
 * ```ts
 * import { createStatsClient } from "./client.ts";
 * const stats = createStatsClient({ address: "127.0.0.1:8125", prefix: "app." });
 * await stats.start();
 * stats.increment("requests", 1, { route: "/users" });
 * stats.timing("latency", 12.5);
 * await stats.stop();
 * ```
 */
export class StatsClient {
  /** The validated configuration. */
  readonly config: StatsConfig;
  readonly #buffer: PriorityEventBuffer;
  readonly #names: NameInterner;
  readonly #tagSets: TagSetInterner;
  readonly #assembler: PacketAssembler;
  readonly #breaker: CircuitBreaker;
  readonly #limiter: MemoryLimiter;
  readonly #adaptive: AdaptiveBatchSize | null;
  readonly #metrics = new InternalMetrics();
  readonly #slot = new Float64Array(EVENT_WORDS);
  readonly #injected: UdpSender | undefined;
  #sender: UdpSender | null = null;
  #batchSize: number;
  #pending = 0;
  #running = false;
  #stopped = false;
  #draining = false;
  /** The last drain stopped because every packet buffer was in flight. */
  #backlogged = false;
  #timer: ReturnType<typeof setInterval> | undefined;
  #eventsInFlight = 0;
  #warnedDrop = false;
  #lastErrorLog = -Infinity;
  #suppressedErrors = 0;
  #completionWaiters: Array<() => void> = [];
  #sampleTick = 0;
  #abortCleanup: (() => void) | null = null;
  #stopping: Promise<StatsMetricsSnapshot> | null = null;

  /**
   * Validates the configuration (options over `LUNGE_STATS_*` environment
   * variables) and reserves the buffers; opens no socket until `start()`.
   * Throws `RangeError`/`TypeError` for a bad value and
   * `StatsConfigurationError` when the buffers exceed `maxMemoryMB`.
   *
   * @param options Client options (all optional; see `StatsOptions`).
   * @param deps Injected transport, environment and clock, mostly for tests.
   */
  constructor(options: StatsOptions = {}, deps: StatsClientDeps = {}) {
    const config = resolveStatsConfig(options, deps.env ?? ((name) => system.env(name)));
    this.config = config;
    this.#limiter = new MemoryLimiter(config.maxMemoryMB * 1024 * 1024);
    const fixed = PriorityEventBuffer.bytesFor(config.bufferSize) +
      PacketAssembler.bytesFor(config.maxInFlightPackets, config.maxPacketBytes);
    if (!this.#limiter.tryReserve(fixed)) {
      throw new StatsConfigurationError(
        `Cannot configure stats: bufferSize ${config.bufferSize} and maxInFlightPackets ${config.maxInFlightPackets} ` +
          `need ${(fixed / 1048576).toFixed(1)} MB, over "maxMemoryMB" ${config.maxMemoryMB}`,
      );
    }
    this.#buffer = new PriorityEventBuffer({ bufferSize: config.bufferSize, strategy: config.dropStrategy });
    this.#names = new NameInterner({ prefix: config.prefix, cap: config.maxInterned });
    this.#tagSets = new TagSetInterner({ constantTags: config.tags, cap: config.maxInterned });
    const grow = (bytes: number): boolean => this.#limiter.tryReserve(bytes);
    this.#names.canGrow = grow;
    this.#tagSets.canGrow = grow;
    this.#breaker = new CircuitBreaker({
      failureThreshold: config.breakerFailureThreshold,
      resetTimeoutMs: config.breakerResetTimeoutMs,
      now: deps.now,
      onStateChange: (_from, to) => {
        config.logger(
          to === BreakerState.Open ? "warn" : "info",
          `circuit breaker ${BREAKER_STATE_NAMES[to]}`,
        );
      },
    });
    this.#assembler = new PacketAssembler({
      protocol: config.protocol,
      maxPacketBytes: config.maxPacketBytes,
      poolSize: config.maxInFlightPackets,
      names: this.#names,
      tagSets: this.#tagSets,
      transmit: (packet) => this.#transmit(packet),
      completed: (packet, error) => this.#completed(packet, error),
    });
    this.#adaptive = config.adaptiveBatching ? new AdaptiveBatchSize({ medium: config.batchSize }) : null;
    this.#batchSize = this.#adaptive ? this.#adaptive.size : config.batchSize;
    this.#injected = deps.transport;
  }

  // ---- recording (hot path) ------------------------------------------------

  /**
   * Records an event of any type. Returns `true` when buffered, `false`
   * when dropped (counted by reason). Never throws, never blocks.
   */
  record(
    type: StatType,
    name: string,
    value: number,
    tags?: Tags,
    priority: Priority = Priority.Medium,
  ): boolean {
    this.#metrics.eventsReceived++;
    if (this.#stopped) return this.#drop(DropReason.Stopped);
    const nameId = this.#names.idOf(name);
    if (nameId < 0) {
      return this.#drop(
        nameId === INTERN_NO_MEMORY
          ? DropReason.MemoryLimit
          : typeof name === "string" && name.length > 0
          ? DropReason.CardinalityLimit
          : DropReason.Invalid,
      );
    }
    const tagSetId = tags === undefined ? 0 : this.#tagSets.idOf(tags);
    if (tagSetId < 0) {
      return this.#drop(tagSetId === INTERN_NO_MEMORY ? DropReason.MemoryLimit : DropReason.CardinalityLimit);
    }
    return this.#push(type, nameId, tagSetId, value, priority);
  }

  /** Adds `value` (default 1) to a counter. */
  increment(name: string, value = 1, tags?: Tags, priority?: Priority): boolean {
    return this.record(StatType.Counter, name, value, tags, priority);
  }

  /** Sets a gauge. */
  gauge(name: string, value: number, tags?: Tags, priority?: Priority): boolean {
    return this.record(StatType.Gauge, name, value, tags, priority);
  }

  /** Records a duration in milliseconds. */
  timing(name: string, ms: number, tags?: Tags, priority?: Priority): boolean {
    return this.record(StatType.Timer, name, ms, tags, priority);
  }

  /** Records a histogram value. */
  histogram(name: string, value: number, tags?: Tags, priority?: Priority): boolean {
    return this.record(StatType.Histogram, name, value, tags, priority);
  }

  /**
   * Resolves a name and tags once and returns a handle whose `record` skips
   * all lookups. Throws `RangeError` when the name or tag set cannot be
   * interned (this is set-up, not the hot path).
   */
  metric(type: StatType, name: string, tags?: Tags, priority: Priority = Priority.Medium): StatsMetric {
    const nameId = this.#names.idOf(name);
    const tagSetId = tags === undefined ? 0 : this.#tagSets.idOf(tags);
    if (nameId < 0 || tagSetId < 0) {
      throw new RangeError(
        `Cannot create metric "${name}": name or tags refused (interner cap or memory limit)`,
      );
    }
    return {
      record: (value: number): boolean => {
        this.#metrics.eventsReceived++;
        if (this.#stopped) return this.#drop(DropReason.Stopped);
        return this.#push(type, nameId, tagSetId, value, priority);
      },
    };
  }

  /** Interns a tag set and returns its id (pass it as `tags` to skip the lookup). */
  tagSet(tags: Tags): number {
    return this.#tagSets.idOf(tags);
  }

  #push(type: number, nameId: number, tagSetId: number, value: number, priority: number): boolean {
    if (value - value !== 0) return this.#drop(DropReason.Invalid); // NaN or ±Infinity
    const slot = this.#slot;
    slot[0] = (type & 7) | ((priority & 3) << 3);
    slot[1] = nameId;
    slot[2] = tagSetId;
    slot[3] = value;
    slot[4] = Date.now();
    if (!this.#buffer.push(slot)) {
      this.#warnDrop();
      return false;
    }
    if (++this.#pending >= this.#batchSize && this.#running) this.#drain();
    return true;
  }

  #drop(reason: number): boolean {
    this.#metrics.drops[reason]++;
    this.#warnDrop();
    return false;
  }

  #warnDrop(): void {
    if (this.#warnedDrop) return;
    this.#warnedDrop = true;
    this.config.logger(
      "warn",
      `dropping events (strategy ${this.config.dropStrategy}); see the drop counters by reason in the internal metrics`,
    );
  }

  // ---- draining --------------------------------------------------------------

  /** Moves buffered events into packets until the rings are empty or no packet buffer is free. */
  #drain(): void {
    if (this.#draining) return;
    this.#draining = true;
    this.#pending = 0;
    try {
      const buffer = this.#buffer;
      const size = buffer.notePeak();
      if (this.#adaptive) this.#batchSize = this.#adaptive.observe(size / buffer.capacity);
      this.#metrics.batches++;
      const slot = this.#slot;
      if (this.#breaker.state === BreakerState.Open) {
        let n = this.#assembler.discardOpen();
        while (buffer.pop(slot)) n++;
        this.#metrics.drops[DropReason.CircuitOpen] += n;
        return;
      }
      const asm = this.#assembler;
      const metrics = this.#metrics;
      const breaker = this.#breaker;
      const now = Date.now();
      this.#backlogged = false;
      for (;;) {
        // No free packet buffer, or half-open with the probe out: leave events buffered for now.
        if (!asm.canAccept || (!breaker.isClosed && breaker.probePending)) {
          this.#backlogged = true;
          break;
        }
        if (!buffer.pop(slot)) break;
        if ((++this.#sampleTick & BUFFER_LATENCY_SAMPLE_MASK) === 0) {
          metrics.bufferLatency.record(now - slot[4]);
        }
        const result = asm.append(slot[0], slot[1], slot[2], slot[3], slot[4]);
        if (result !== AppendResult.Ok) {
          metrics.drops[result === AppendResult.Oversize ? DropReason.Oversize : DropReason.BufferFull]++;
        }
      }
    } finally {
      this.#draining = false;
    }
  }

  #transmit(packet: PooledPacket): void {
    const sender = this.#sender;
    if (sender === null || !this.#breaker.allowSend()) {
      this.#metrics.drops[sender === null ? DropReason.NetworkError : DropReason.CircuitOpen] += packet.count;
      this.#assembler.recycle(packet);
      return;
    }
    this.#eventsInFlight += packet.count;
    sender.send(packet.bytes, packet.length, packet.done);
  }

  #completed(packet: PooledPacket, error: Error | null): void {
    const m = this.#metrics;
    this.#eventsInFlight -= packet.count;
    if (error) {
      m.udpErrors++;
      m.drops[DropReason.NetworkError] += packet.count;
      this.#breaker.recordFailure();
      this.#logNetworkError(error);
    } else {
      m.eventsSent += packet.count;
      m.packetsSent++;
      m.bytesSent += packet.length;
      m.sendLatency.record(performance.now() - packet.sentAt);
      m.endToEndLatency.record(Date.now() - packet.oldestMs);
      this.#breaker.recordSuccess();
    }
    if (this.#completionWaiters.length > 0) {
      const waiters = this.#completionWaiters;
      this.#completionWaiters = [];
      for (const w of waiters) w();
    }
    // Events held back because every packet buffer was busy can go now.
    if (this.#running && (this.#backlogged || this.#pending >= this.#batchSize)) this.#drain();
  }

  #onSocketError(error: Error): void {
    this.#metrics.udpErrors++;
    this.#breaker.recordFailure();
    this.#logNetworkError(error);
  }

  #logNetworkError(error: Error): void {
    const now = performance.now();
    if (now - this.#lastErrorLog < this.config.errorLogIntervalMs) {
      this.#suppressedErrors++;
      return;
    }
    const more = this.#suppressedErrors > 0 ? ` (${this.#suppressedErrors} more since the last report)` : "";
    this.#lastErrorLog = now;
    this.#suppressedErrors = 0;
    this.config.logger("warn", `UDP send to ${this.config.address} failed: ${error.message}${more}`);
  }

  #tick(): void {
    this.#drain();
    const asm = this.#assembler;
    if (asm.openEvents > 0 && performance.now() - asm.openSince >= this.config.maxBatchAgeMs / 2) {
      asm.sendOpen();
    }
  }

  // ---- lifecycle -------------------------------------------------------------

  /**
   * Opens the socket and starts the age-based flush timer. Rejects with
   * `StatsNetworkError` when the host does not resolve.
   */
  async start(options: StatsStartOptions = {}): Promise<void> {
    if (this.#running || this.#stopped) return;
    if (this.#injected) {
      this.#sender = this.#injected;
    } else {
      try {
        this.#sender = await openUdpSender({
          host: this.config.host,
          port: this.config.port,
          family: this.config.family,
          sendBufferBytes: this.config.socketBufferBytes,
        });
      } catch (error) {
        throw new StatsNetworkError(
          `Cannot start stats: cannot open a UDP socket to ${this.config.address}: ${
            (error as Error).message
          }`,
          error,
        );
      }
    }
    this.#sender.onError((error) => this.#onSocketError(error));
    this.#running = true;
    const interval = Math.max(1, this.config.maxBatchAgeMs / 2);
    this.#timer = setInterval(() => this.#tick(), interval);
    system.unrefTimer(this.#timer);
    const signal = options.signal;
    if (signal) {
      const onAbort = (): void => {
        void this.stop();
      };
      if (signal.aborted) onAbort();
      else {
        signal.addEventListener("abort", onAbort, { once: true });
        this.#abortCleanup = () => signal.removeEventListener("abort", onAbort);
      }
    }
    if (this.#buffer.size() > 0) this.#drain();
  }

  /**
   * Sends everything buffered now and waits (up to `timeoutMs`) until the
   * socket has taken every packet. Resolves `true` when fully drained.
   */
  async flush(timeoutMs = 1000): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      if (this.#running || this.#stopping) {
        this.#drain();
        if (this.#breaker.state !== BreakerState.Open) this.#assembler.sendOpen();
        else this.#metrics.drops[DropReason.CircuitOpen] += this.#assembler.discardOpen();
      }
      const busy = this.#buffer.size() > 0 || this.#assembler.inFlightPackets > 0 ||
        this.#assembler.openEvents > 0;
      if (!busy) return true;
      const left = deadline - performance.now();
      if (left <= 0 || this.#sender === null) return false;
      await this.#nextCompletion(Math.min(left, 50));
    }
  }

  #nextCompletion(timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, timeoutMs);
      let called = false;
      function done(): void {
        if (called) return;
        called = true;
        clearTimeout(timer);
        resolve();
      }
      this.#completionWaiters.push(done);
    });
  }

  /**
   * Stops accepting events, drains and sends what is buffered (up to
   * `timeoutMs`), closes the socket and returns the final metrics. Events
   * still buffered at the deadline are counted as dropped (`stopped`).
   */
  stop(timeoutMs = 2000): Promise<StatsMetricsSnapshot> {
    if (this.#stopping) return this.#stopping;
    this.#stopping = this.#stop(timeoutMs);
    return this.#stopping;
  }

  async #stop(timeoutMs: number): Promise<StatsMetricsSnapshot> {
    this.#stopped = true;
    this.#abortCleanup?.();
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
    if (this.#running) await this.flush(timeoutMs);
    this.#running = false;
    const slot = this.#slot;
    let left = this.#assembler.discardOpen();
    while (this.#buffer.pop(slot)) left++;
    this.#metrics.drops[DropReason.Stopped] += left;
    const sender = this.#sender;
    this.#sender = null;
    if (sender && sender !== this.#injected) await sender.close();
    // Packets the socket never confirmed are lost with it.
    if (this.#eventsInFlight > 0) {
      this.#metrics.drops[DropReason.Stopped] += this.#eventsInFlight;
      this.#eventsInFlight = 0;
    }
    return this.metrics();
  }

  /** Whether `start()` has run and `stop()` has not. */
  get running(): boolean {
    return this.#running && !this.#stopped;
  }

  /** Adds a memory pressure callback ("normal", "high" at 75 %, "critical" at 90 % of `maxMemoryMB`). */
  onMemoryPressure(listener: (level: MemoryPressure, usedBytes: number) => void): void {
    this.#limiter.onPressure(listener);
  }

  // ---- observability ----------------------------------------------------------

  /** A copy of the internal metrics now. */
  metrics(): StatsMetricsSnapshot {
    const m = this.#metrics;
    const dropsByReason: Record<string, number> = {};
    let dropped = 0;
    for (let i = 0; i < DROP_REASON_NAMES.length; i++) {
      const n = m.drops[i] + this.#buffer.drops[i];
      dropsByReason[DROP_REASON_NAMES[i]] = n;
      dropped += n;
    }
    const size = this.#buffer.size();
    const attempts = m.packetsSent + m.udpErrors;
    return {
      eventsReceived: m.eventsReceived,
      eventsSent: m.eventsSent,
      eventsDropped: dropped,
      dropsByReason,
      eventsBuffered: size + this.#assembler.openEvents,
      eventsInFlight: this.#eventsInFlight,
      batches: m.batches,
      packetsSent: m.packetsSent,
      bytesSent: m.bytesSent,
      udpErrors: m.udpErrors,
      eventsPerPacket: m.packetsSent > 0 ? m.eventsSent / m.packetsSent : 0,
      bufferSize: size,
      bufferCapacity: this.#buffer.capacity,
      bufferPeak: Math.max(this.#buffer.peak, size),
      bufferUtilization: size / this.#buffer.capacity,
      batchSize: this.#batchSize,
      batchSizeChanges: this.#adaptive ? this.#adaptive.changes : 0,
      breakerState: BREAKER_STATE_NAMES[this.#breaker.state] as StatsMetricsSnapshot["breakerState"],
      breakerOpens: this.#breaker.opens,
      internedNames: this.#names.size,
      internedTagSets: this.#tagSets.size,
      memoryUsedBytes: this.#limiter.usedBytes,
      memoryLimitBytes: this.#limiter.limitBytes,
      latencyMs: {
        buffer: summarizeLatency(m.bufferLatency),
        send: summarizeLatency(m.sendLatency),
        endToEnd: summarizeLatency(m.endToEndLatency),
      },
      dropRate: m.eventsReceived > 0 ? dropped / m.eventsReceived : 0,
      udpErrorRate: attempts > 0 ? m.udpErrors / attempts : 0,
    };
  }

  /** Latency histograms (for the Prometheus exposition). */
  histograms(): InternalMetrics {
    return this.#metrics;
  }

  /** Health against the seed's thresholds. */
  health(): StatsHealth {
    return evaluateHealth(this.metrics());
  }
}

/**
 * Creates a stats client. Validates the configuration now: a bad address or
 * size throws `RangeError` here, never at the first send.
 *
 * @example
 * ```ts
 * import { createStatsClient } from "./client.ts";
 * const stats = createStatsClient({ address: "127.0.0.1:8125", protocol: "text" });
 * await stats.start();
 * stats.increment("jobs.done");
 * console.log((await stats.stop()).eventsSent);
 * ```
 */
export function createStatsClient(options: StatsOptions = {}, deps: StatsClientDeps = {}): StatsClient {
  return new StatsClient(options, deps);
}
