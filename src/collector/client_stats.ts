/**
 * Per-client statistics: every virtual user (client) counts its
 * requests, errors by HTTP status (a fixed array for 400-599 plus "other"),
 * reconnections and timeouts, in its own slot of a SharedArrayBuffer. The
 * aggregator adds and removes clients and sums them while the run goes on,
 * without a lock: each slot has one writer, slots are claimed with
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
/** HTTP errors 400..599 at S_HTTP + (code - 400); "other" at S_HTTP + 200. */
const S_HTTP = 8;
const SLOT_WORDS = 216; // 8 + 201, padded to a multiple of 16 words (64 bytes)
const HEADER_WORDS = 16;

/** Plain data that lets a worker attach to a client stats table. */
export interface ClientStatsHandle {
  /** The table's shared memory (a 64-byte header, then one slot per client). */
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

  /**
   * Wraps one client's slot. Normally obtained from `ClientStatsTable.addClient`,
   * which claims the slot; constructing one directly writes into `words` unclaimed.
   *
   * @param words The slot's 216 Uint32 words inside the table's buffer.
   */
  constructor(words: Uint32Array) {
    this.#words = words;
  }

  /** Counts a request that got an HTTP status (errors for status >= 400). */
  recordResponse(status: number): void {
    const w = this.#words;
    w[S_REQUESTS]++;
    if (status >= 400) {
      w[S_ERRORS]++;
      w[S_HTTP + (status <= 599 ? status - 400 : 200)]++;
    }
  }

  /** Counts a request that failed without a status (the "other" bucket). */
  recordTransportError(timeout: boolean): void {
    const w = this.#words;
    w[S_REQUESTS]++;
    w[S_ERRORS]++;
    w[S_HTTP + 200]++;
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
    return new ClientStatsTable(new SharedArrayBuffer((HEADER_WORDS + capacity * SLOT_WORDS) * 4), capacity);
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
    const index = Atomics.add(this.#words, 0, 1);
    if (index >= this.#capacity) {
      Atomics.sub(this.#words, 0, 1);
      throw new RangeError(`Cannot add client: all ${this.#capacity} client slots are taken`);
    }
    const base = HEADER_WORDS + index * SLOT_WORDS;
    const words = this.#words.subarray(base, base + SLOT_WORDS);
    Atomics.store(words, S_ACTIVE, 1);
    return new ClientStats(words);
  }

  /** Clients currently active (added and not removed). */
  activeClients(): number {
    const n = Math.min(Atomics.load(this.#words, 0), this.#capacity);
    let active = 0;
    for (let i = 0; i < n; i++) active += Atomics.load(this.#words, HEADER_WORDS + i * SLOT_WORDS + S_ACTIVE);
    return active;
  }

  /** Sums every client ever added (removed ones included). */
  aggregate(): ClientStatsSummary {
    const w = this.#words;
    const n = Math.min(Atomics.load(w, 0), this.#capacity);
    const http = new Float64Array(201);
    const out: ClientStatsSummary = {
      clients: n,
      requests: 0,
      errors: 0,
      reconnections: 0,
      timeouts: 0,
      errorsByStatus: {},
    };
    for (let i = 0; i < n; i++) {
      const b = HEADER_WORDS + i * SLOT_WORDS;
      out.requests += w[b + S_REQUESTS];
      out.errors += w[b + S_ERRORS];
      out.reconnections += w[b + S_RECONNECTS];
      out.timeouts += w[b + S_TIMEOUTS];
      for (let k = 0; k < 201; k++) if (w[b + S_HTTP + k] !== 0) http[k] += w[b + S_HTTP + k];
    }
    for (let k = 0; k < 200; k++) if (http[k] !== 0) out.errorsByStatus[String(400 + k)] = http[k];
    out.errorsByStatus.other = http[200];
    return out;
  }
}
