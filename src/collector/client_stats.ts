/**
 * Per-client statistics: every virtual user (client) counts its
 * requests, errors, reconnections and timeouts in its own slot of a
 * SharedArrayBuffer, and its errors by HTTP status (a fixed array for
 * 400-599 plus "other") in the block of the thread that runs it. The
 * aggregator adds and removes clients and sums them while the run goes on,
 * without a lock: each slot and block has one writer, both are claimed with
 * `Atomics.add`, and a removed client's counts stay in the totals.
 *
 * @module
 */

/**
 * Per-client statistics, aggregated over all virtual users.
 *
 * @example
 * ```ts
 * import type { ClientStatsSummary } from "./client_stats.ts";
 * const none: ClientStatsSummary = {
 *   clients: 0, requests: 0, errors: 0, reconnections: 0, timeouts: 0, errorsByStatus: {},
 * };
 * ```
 */
export interface ClientStatsSummary {
  /** Virtual users (clients) that ran. */
  clients: number;
  /** Requests completed by all clients (failed ones included). */
  requests: number;
  /** Failed requests: status >= 400 or a transport error. */
  errors: number;
  /** Connections re-opened after the server or a failure closed them. */
  reconnections: number;
  /** Requests that failed by timing out. */
  timeouts: number;
  /** Failed requests by status "400".."599" plus "other". */
  errorsByStatus: Record<string, number>;
}

const S_ACTIVE = 0;
const S_REQUESTS = 1;
const S_ERRORS = 2;
const S_RECONNECTS = 3;
const S_TIMEOUTS = 4;
/** One cache line, so that clients of different threads never share one. */
const SLOT_WORDS = 16;
/** Header: [0] clients added, [1] status blocks claimed. */
const HEADER_WORDS = 16;
const H_WRITERS = 1;
/** HTTP errors 400..599 at (code - 400); "other" at 200. */
const STATUS_COUNTS = 201;
const BLOCK_WORDS = 208; // 201, padded to a multiple of 16 words (64 bytes)
/**
 * Errors by status live in one block per writing thread, not per client: 201 counters per client
 * were 800 bytes, 8 MiB of resident memory at 10,000 clients, nearly all of it zeros. A thread
 * claims its block when it adds its first client; 512 covers the 256 workers and any views.
 */
const MAX_WRITERS = 512;
const SLOTS_AT = HEADER_WORDS + MAX_WRITERS * BLOCK_WORDS;

/** Plain data that lets a worker attach to a client stats table. */
export interface ClientStatsHandle {
  /** The table's shared memory (a 64-byte header, one block of error counts per writing thread, then one slot per client). */
  buffer: SharedArrayBuffer;
  /** Maximum number of clients the table holds. */
  capacity: number;
}

/**
 * One client's counters (single writer: the thread that runs the client).
 *
 * @example
 * ```ts
 * import { ClientStatsTable } from "./client_stats.ts";
 * const table = ClientStatsTable.create(10);
 * const client = table.addClient();
 * client.recordResponse(404);
 * table.aggregate().errorsByStatus["404"]; // 1
 * ```
 */
export class ClientStats {
  readonly #words: Uint32Array;
  readonly #statuses: Uint32Array;

  /**
   * Wraps one client's slot. Normally obtained from `ClientStatsTable.addClient`,
   * which claims the slot; constructing one directly writes into `words` unclaimed.
   *
   * @param words The slot's 16 Uint32 words inside the table's buffer.
   * @param statuses The writing thread's 201 error counters by status (400..599, then "other"),
   *   shared by every client that thread runs.
   */
  constructor(words: Uint32Array, statuses: Uint32Array) {
    this.#words = words;
    this.#statuses = statuses;
  }

  /** Counts a request that got an HTTP status (errors for status >= 400). */
  recordResponse(status: number): void {
    const w = this.#words;
    w[S_REQUESTS]++;
    if (status >= 400) {
      w[S_ERRORS]++;
      this.#statuses[status <= 599 ? status - 400 : 200]++;
    }
  }

  /** Counts a request that failed without a status (the "other" bucket). */
  recordTransportError(timeout: boolean): void {
    const w = this.#words;
    w[S_REQUESTS]++;
    w[S_ERRORS]++;
    this.#statuses[200]++;
    if (timeout) w[S_TIMEOUTS]++;
  }

  /** Counts `n` reconnections. */
  recordReconnects(n: number): void {
    this.#words[S_RECONNECTS] += n;
  }

  /** Marks the client as gone; its counts stay in the totals. */
  remove(): void {
    Atomics.store(this.#words, S_ACTIVE, 0);
  }
}

/**
 * A fixed-capacity table of client slots.
 *
 * @example
 * ```ts
 * import { ClientStatsTable } from "./client_stats.ts";
 * const table = ClientStatsTable.create(100);
 * // worker: ClientStatsTable.attach(table.handle()).addClient()
 * table.aggregate().clients; // 0
 * ```
 */
export class ClientStatsTable {
  readonly #words: Uint32Array;
  readonly #capacity: number;
  readonly #buffer: SharedArrayBuffer;
  /** This thread's status block, claimed with its first client. */
  #statuses: Uint32Array | null = null;

  private constructor(buffer: SharedArrayBuffer, capacity: number) {
    this.#buffer = buffer;
    this.#capacity = capacity;
    this.#words = new Uint32Array(buffer);
  }

  /** A table for up to `capacity` clients in a new SharedArrayBuffer. */
  static create(capacity: number): ClientStatsTable {
    if (!Number.isInteger(capacity) || capacity < 1 || capacity > 1_000_000) {
      throw new RangeError(
        `Cannot create client stats: "capacity" must be an integer from 1 to 1000000, got ${capacity}`,
      );
    }
    const words = HEADER_WORDS + MAX_WRITERS * BLOCK_WORDS + capacity * SLOT_WORDS;
    return new ClientStatsTable(new SharedArrayBuffer(words * 4), capacity);
  }

  /** Attaches to a table created elsewhere. */
  static attach(handle: ClientStatsHandle): ClientStatsTable {
    return new ClientStatsTable(handle.buffer, handle.capacity);
  }

  /** Plain data for `postMessage`. */
  handle(): ClientStatsHandle {
    return { buffer: this.#buffer, capacity: this.#capacity };
  }

  /** Claims a slot for a new client; RangeError when the table is full. */
  addClient(): ClientStats {
    const statuses = this.#statuses ??= this.#claimStatusBlock();
    const index = Atomics.add(this.#words, 0, 1);
    if (index >= this.#capacity) {
      Atomics.sub(this.#words, 0, 1);
      throw new RangeError(`Cannot add client: all ${this.#capacity} client slots are taken`);
    }
    const base = SLOTS_AT + index * SLOT_WORDS;
    const words = this.#words.subarray(base, base + SLOT_WORDS);
    Atomics.store(words, S_ACTIVE, 1);
    return new ClientStats(words, statuses);
  }

  #claimStatusBlock(): Uint32Array {
    const block = Atomics.add(this.#words, H_WRITERS, 1);
    if (block >= MAX_WRITERS) {
      Atomics.sub(this.#words, H_WRITERS, 1);
      throw new RangeError(`Cannot add client: more than ${MAX_WRITERS} threads write to this table`);
    }
    const base = HEADER_WORDS + block * BLOCK_WORDS;
    return this.#words.subarray(base, base + STATUS_COUNTS);
  }

  /** Clients currently active (added and not removed). */
  activeClients(): number {
    const n = Math.min(Atomics.load(this.#words, 0), this.#capacity);
    let active = 0;
    for (let i = 0; i < n; i++) active += Atomics.load(this.#words, SLOTS_AT + i * SLOT_WORDS + S_ACTIVE);
    return active;
  }

  /** Sums every client ever added (removed ones included). */
  aggregate(): ClientStatsSummary {
    const w = this.#words;
    const n = Math.min(Atomics.load(w, 0), this.#capacity);
    const http = new Float64Array(STATUS_COUNTS);
    const out: ClientStatsSummary = {
      clients: n,
      requests: 0,
      errors: 0,
      reconnections: 0,
      timeouts: 0,
      errorsByStatus: {},
    };
    for (let i = 0; i < n; i++) {
      const b = SLOTS_AT + i * SLOT_WORDS;
      out.requests += w[b + S_REQUESTS];
      out.errors += w[b + S_ERRORS];
      out.reconnections += w[b + S_RECONNECTS];
      out.timeouts += w[b + S_TIMEOUTS];
    }
    const writers = Math.min(Atomics.load(w, H_WRITERS), MAX_WRITERS);
    for (let block = 0; block < writers; block++) {
      const b = HEADER_WORDS + block * BLOCK_WORDS;
      for (let k = 0; k < STATUS_COUNTS; k++) if (w[b + k] !== 0) http[k] += w[b + k];
    }
    for (let k = 0; k < 200; k++) if (http[k] !== 0) out.errorsByStatus[String(400 + k)] = http[k];
    out.errorsByStatus.other = http[200];
    return out;
  }
}
