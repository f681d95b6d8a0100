/**
 * Per-name metrics (request-set targets, scenario steps, scenario checks and
 * iterations) in their own SharedArrayBuffer: one lane per worker, one small
 * record per name in each lane, written with plain stores by the lane's only
 * writer (no lock, no shared map per request). Names live in a bounded shared
 * table: fixed at start for request sets, registered on first use by scenario
 * steps (under a spin lock, once per name and worker; a worker-local cache
 * resolves a name to its slot afterwards). Names past the capacity are counted
 * under `other`. The owner adds up lane deltas into exact totals.
 *
 * @module
 */
import {
  COMPACT_BUCKETS,
  compactBucketIndex,
  compactMean,
  compactPercentiles,
} from "../shared/compact_histogram.ts";

const MAGIC = 0x4c4e4d45; // "LNME"
// Header words (Int32).
const H_MAGIC = 0;
const H_NAME_CAPACITY = 1; // slots for names, `other` included
const H_CHECK_CAPACITY = 2;
const H_LANES = 3;
const H_NEXT_LANE = 4;
const H_NAMES = 5; // names registered
const H_CHECKS = 6; // checks registered
const H_LOCK = 7;
const H_OVERFLOW = 8; // registrations refused because the table was full
const HEADER_BYTES = 64;
/** Longest name kept (UTF-8 bytes); longer names are cut. */
const NAME_BYTES = 124;
const NAME_ENTRY_BYTES = 128;

// Words of one name record (Uint32), then the compact histogram.
const R_COUNT = 0;
const R_CLASS = 0; // + 1..5: responses by status class (1xx..5xx)
const R_KIND = 6; // + kind (1..8): transport errors by kind
const R_MAX_F64 = 8; // Float64 index inside the record (byte 64): latency max (ns)
const R_STATUS = 24; // + status - 400: statuses 400..599
const R_HIST = 224;
/** Uint32 words of one name record. */
export const RECORD_WORDS: number = R_HIST + COMPACT_BUCKETS;
const CHECK_WORDS = 2; // passes, fails

/** Plain data that lets a worker attach to the per-name lanes. */
export interface NamedLanesHandle {
  /** The shared memory. */
  buffer: SharedArrayBuffer;
}

/** Metrics of one name (a target, a step, or the iterations). */
export interface NamedStats {
  /** The name. */
  name: string;
  /** Requests (or iterations) recorded. */
  count: number;
  /** Failed ones: status >= 400 or a transport error (failed iterations). */
  errors: number;
  /** Responses by status code ("200", "404", ...). */
  statusCounts: Record<string, number>;
  /** Failed ones by status ("400".."599"). */
  errorsByStatus: Record<string, number>;
  /** Transport errors by kind name ("timeout", "reset", ...). */
  errorsByKind: Record<string, number>;
  /** Latency in ms from the compact histogram (within 0.8%), max exact. */
  latency: { p50: number; p90: number; p99: number; max: number; mean: number };
}

function layout(nameCapacity: number, checkCapacity: number): {
  namesAt: number;
  checksAt: number;
  lanesAt: number;
  laneBytes: number;
} {
  const namesAt = HEADER_BYTES;
  const checksAt = namesAt + nameCapacity * NAME_ENTRY_BYTES;
  const lanesAt = checksAt + checkCapacity * NAME_ENTRY_BYTES;
  // Records for every name plus one for iterations, then the check counters; 64-byte aligned.
  const raw = ((nameCapacity + 1) * RECORD_WORDS + checkCapacity * CHECK_WORDS) * 4;
  return { namesAt, checksAt, lanesAt, laneBytes: Math.ceil(raw / 64) * 64 };
}

function headerOf(buffer: SharedArrayBuffer): Int32Array {
  const header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
  if (Atomics.load(header, H_MAGIC) !== MAGIC) {
    throw new TypeError("Cannot attach named lanes: the buffer is not a lunge named-lanes buffer");
  }
  return header;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function writeName(buffer: SharedArrayBuffer, at: number, name: string): void {
  const bytes = new Uint8Array(buffer, at + 4, NAME_BYTES);
  bytes.fill(0);
  let n = encoder.encodeInto(name, bytes).written;
  if (n === NAME_BYTES && name.length > 0) n = NAME_BYTES; // cut
  new Int32Array(buffer, at, 1)[0] = n;
}

function readName(buffer: SharedArrayBuffer, at: number): string {
  const n = new Int32Array(buffer, at, 1)[0];
  return decoder.decode(new Uint8Array(buffer, at + 4, n).slice());
}

/** Name of the overflow slot. */
export const OTHER_NAME = "other";

/**
 * The owner side: creates the buffer, registers fixed names, and reads exact
 * totals (call `poll()` at least every few seconds in long runs so that the
 * 32-bit lane words never wrap unseen; `stats()` polls too).
 *
 * @example
 * ```ts
 * import { NamedLanes, NamedLaneWriter } from "./named_lanes.ts";
 * const lanes = NamedLanes.create({ names: ["home"], lanes: 1 });
 * const w = NamedLaneWriter.attach(lanes.handle());
 * w.record(w.resolve("home"), 200, 1_500_000, 0);
 * lanes.stats()[0].count; // 1
 * ```
 */
export class NamedLanes {
  readonly #buffer: SharedArrayBuffer;
  readonly #header: Int32Array;
  readonly #nameCapacity: number;
  readonly #checkCapacity: number;
  readonly #lanes: number;
  readonly #layout: ReturnType<typeof layout>;
  /** Exact totals per record word (names + iterations), per check word. */
  readonly #totals: Float64Array;
  readonly #last: Uint32Array;
  readonly #checkTotals: Float64Array;
  readonly #checkLast: Uint32Array;

  private constructor(buffer: SharedArrayBuffer) {
    this.#buffer = buffer;
    this.#header = headerOf(buffer);
    this.#nameCapacity = this.#header[H_NAME_CAPACITY];
    this.#checkCapacity = this.#header[H_CHECK_CAPACITY];
    this.#lanes = this.#header[H_LANES];
    this.#layout = layout(this.#nameCapacity, this.#checkCapacity);
    const words = (this.#nameCapacity + 1) * RECORD_WORDS;
    this.#totals = new Float64Array(words);
    this.#last = new Uint32Array(words * this.#lanes);
    this.#checkTotals = new Float64Array(this.#checkCapacity * CHECK_WORDS);
    this.#checkLast = new Uint32Array(this.#checkCapacity * CHECK_WORDS * this.#lanes);
  }

  /**
   * Creates the lanes. `names` are registered in order (slots 0..n-1); the
   * table holds `capacity` names (default: `names.length`, at least 1) plus
   * `other`, and `checks` check names plus their own `other`.
   *
   * @example
   * ```ts
   * import { NamedLanes } from "./named_lanes.ts";
   * const lanes = NamedLanes.create({ capacity: 256, checks: 64, lanes: 2 });
   * ```
   */
  static create(
    options: { names?: readonly string[]; capacity?: number; checks?: number; lanes: number },
  ): NamedLanes {
    const names = options.names ?? [];
    const capacity = Math.max(1, options.capacity ?? names.length, names.length) + 1;
    const checks = Math.max(1, options.checks ?? 1) + 1;
    const l = layout(capacity, checks);
    const buffer = new SharedArrayBuffer(l.lanesAt + options.lanes * l.laneBytes);
    const header = new Int32Array(buffer, 0, HEADER_BYTES / 4);
    header[H_NAME_CAPACITY] = capacity;
    header[H_CHECK_CAPACITY] = checks;
    header[H_LANES] = options.lanes;
    names.forEach((name, i) => writeName(buffer, l.namesAt + i * NAME_ENTRY_BYTES, name));
    writeName(buffer, l.namesAt + (capacity - 1) * NAME_ENTRY_BYTES, OTHER_NAME);
    writeName(buffer, l.checksAt + (checks - 1) * NAME_ENTRY_BYTES, OTHER_NAME);
    header[H_NAMES] = names.length;
    Atomics.store(header, H_MAGIC, MAGIC);
    return new NamedLanes(buffer);
  }

  /** Plain data for `postMessage`. */
  handle(): NamedLanesHandle {
    return { buffer: this.#buffer };
  }

  /** Bytes of shared memory used. */
  get byteLength(): number {
    return this.#buffer.byteLength;
  }

  /** Names refused because the table was full (counted under `other`). */
  get overflowed(): number {
    return Atomics.load(this.#header, H_OVERFLOW);
  }

  /** Adds what every lane recorded since the last poll to the exact totals. */
  poll(): void {
    const used = Math.min(Atomics.load(this.#header, H_NAMES), this.#nameCapacity - 1);
    const slots = [...Array(used).keys(), this.#nameCapacity - 1, this.#nameCapacity];
    const checks = Math.min(Atomics.load(this.#header, H_CHECKS), this.#checkCapacity - 1);
    const words = (this.#nameCapacity + 1) * RECORD_WORDS;
    for (let lane = 0; lane < this.#lanes; lane++) {
      const base = this.#layout.lanesAt + lane * this.#layout.laneBytes;
      const w = new Uint32Array(this.#buffer, base, this.#layout.laneBytes / 4);
      for (const slot of slots) {
        const s = slot * RECORD_WORDS;
        for (let i = 0; i < RECORD_WORDS; i++) {
          if (i === R_MAX_F64 * 2 || i === R_MAX_F64 * 2 + 1) continue;
          const cur = w[s + i];
          const k = lane * words + s + i;
          const delta = (cur - this.#last[k]) >>> 0;
          if (delta !== 0) {
            this.#totals[s + i] += delta;
            this.#last[k] = cur;
          }
        }
      }
      const c0 = words;
      for (const check of [...Array(checks).keys(), this.#checkCapacity - 1]) {
        for (let j = 0; j < CHECK_WORDS; j++) {
          const i = check * CHECK_WORDS + j;
          const cur = w[c0 + i];
          const k = lane * this.#checkCapacity * CHECK_WORDS + i;
          const delta = (cur - this.#checkLast[k]) >>> 0;
          this.#checkTotals[i] += delta;
          this.#checkLast[k] = cur;
        }
      }
    }
  }

  #maxNs(slot: number): number {
    let max = 0;
    for (let lane = 0; lane < this.#lanes; lane++) {
      const base = this.#layout.lanesAt + lane * this.#layout.laneBytes + slot * RECORD_WORDS * 4;
      const v = new Float64Array(this.#buffer, base + R_MAX_F64 * 8, 1)[0];
      if (v > max) max = v;
    }
    return max;
  }

  #statsOf(slot: number, name: string): NamedStats {
    const s = slot * RECORD_WORDS;
    const t = this.#totals;
    const statusCounts: Record<string, number> = {};
    const errorsByStatus: Record<string, number> = {};
    const errorsByKind: Record<string, number> = {};
    let errors = 0;
    for (let c = 1; c <= 5; c++) {
      if (c === 4 || c === 5 || t[s + R_CLASS + c] === 0) continue;
      statusCounts[`${c}xx`] = t[s + R_CLASS + c];
    }
    for (let status = 400; status < 600; status++) {
      const n = t[s + R_STATUS + status - 400];
      if (n === 0) continue;
      statusCounts[String(status)] = n;
      errorsByStatus[String(status)] = n;
      errors += n;
    }
    for (let kind = 1; kind <= 8; kind++) {
      const n = t[s + R_KIND + kind];
      if (n === 0) continue;
      errorsByKind[KIND_NAMES[kind]] = n;
      errors += n;
    }
    const hist = t.subarray(s + R_HIST, s + R_HIST + COMPACT_BUCKETS);
    const [p50, p90, p99] = compactPercentilesMs(hist);
    const max = this.#maxNs(slot) / 1e6;
    return {
      name,
      count: t[s + R_COUNT],
      errors,
      statusCounts,
      errorsByStatus,
      errorsByKind,
      latency: {
        p50: Math.min(p50, max),
        p90: Math.min(p90, max),
        p99: Math.min(p99, max),
        max,
        mean: compactMeanMs(hist),
      },
    };
  }

  /** Totals per name in slot order (`other` last, only when used). Polls first. */
  stats(): NamedStats[] {
    this.poll();
    const used = Math.min(Atomics.load(this.#header, H_NAMES), this.#nameCapacity - 1);
    const out: NamedStats[] = [];
    for (let slot = 0; slot < used; slot++) {
      out.push(this.#statsOf(slot, readName(this.#buffer, this.#layout.namesAt + slot * NAME_ENTRY_BYTES)));
    }
    const other = this.#statsOf(this.#nameCapacity - 1, OTHER_NAME);
    if (other.count > 0) out.push(other);
    return out;
  }

  /** Iteration totals (scenarios): count, failures (`errors`), duration percentiles. Polls first. */
  iterations(): NamedStats {
    this.poll();
    return this.#statsOf(this.#nameCapacity, "iterations");
  }

  /** Pass and fail counts per check, in registration order (`other` last, when used). Polls first. */
  checks(): Array<{ name: string; passes: number; fails: number }> {
    this.poll();
    const used = Math.min(Atomics.load(this.#header, H_CHECKS), this.#checkCapacity - 1);
    const list = [...Array(used).keys()];
    const otherSlot = this.#checkCapacity - 1;
    if (this.#checkTotals[otherSlot * 2] + this.#checkTotals[otherSlot * 2 + 1] > 0) list.push(otherSlot);
    return list.map((i) => ({
      name: readName(this.#buffer, this.#layout.checksAt + i * NAME_ENTRY_BYTES),
      passes: this.#checkTotals[i * 2],
      fails: this.#checkTotals[i * 2 + 1],
    }));
  }
}

const KIND_NAMES = ["none", "timeout", "refused", "reset", "other", "dns", "tls", "protocol", "fd_limit"];

function compactPercentilesMs(hist: ArrayLike<number>): number[] {
  return compactPercentiles(hist, [50, 90, 99]).map((ns) => ns / 1e6);
}

function compactMeanMs(hist: ArrayLike<number>): number {
  return compactMean(hist) / 1e6;
}

/**
 * A worker's side: claims a lane, resolves names to slots (worker-local
 * cache; the shared table only on a name's first use in this worker) and
 * records with plain stores.
 *
 * @example
 * ```ts
 * import { NamedLanes, NamedLaneWriter } from "./named_lanes.ts";
 * const lanes = NamedLanes.create({ capacity: 8, lanes: 1 });
 * const w = NamedLaneWriter.attach(lanes.handle());
 * const slot = w.resolve("GET /users");
 * w.record(slot, 200, 2_000_000, 0);
 * w.recordCheck(w.resolveCheck("status is 200"), true);
 * ```
 */
export class NamedLaneWriter {
  readonly #buffer: SharedArrayBuffer;
  readonly #header: Int32Array;
  readonly #words: Uint32Array;
  readonly #f64: Float64Array;
  readonly #nameCapacity: number;
  readonly #checkCapacity: number;
  readonly #checkBase: number;
  readonly #layout: ReturnType<typeof layout>;
  readonly #names = new Map<string, number>();
  readonly #checks = new Map<string, number>();
  /** Slot of the iteration record. */
  readonly iterationSlot: number;

  private constructor(buffer: SharedArrayBuffer) {
    this.#buffer = buffer;
    const header = headerOf(buffer);
    this.#header = header;
    this.#nameCapacity = header[H_NAME_CAPACITY];
    this.#checkCapacity = header[H_CHECK_CAPACITY];
    this.#layout = layout(this.#nameCapacity, this.#checkCapacity);
    const lane = Atomics.add(header, H_NEXT_LANE, 1);
    if (lane >= header[H_LANES]) {
      throw new RangeError(`Cannot attach named lanes: all ${header[H_LANES]} lanes are taken`);
    }
    const base = this.#layout.lanesAt + lane * this.#layout.laneBytes;
    this.#words = new Uint32Array(buffer, base, this.#layout.laneBytes / 4);
    this.#f64 = new Float64Array(buffer, base, this.#layout.laneBytes / 8);
    this.#checkBase = (this.#nameCapacity + 1) * RECORD_WORDS;
    this.iterationSlot = this.#nameCapacity;
  }

  /** Attaches to lanes created on another thread. */
  static attach(handle: NamedLanesHandle): NamedLaneWriter {
    return new NamedLaneWriter(handle.buffer);
  }

  /** Records one request (or iteration): status (0 with an error kind), latency in ns, `ErrorKind`. */
  record(slot: number, status: number, ns: number, kind: number): void {
    const w = this.#words;
    const s = slot * RECORD_WORDS;
    w[s + R_COUNT]++;
    if (kind === 0 && status >= 100 && status < 600) {
      w[s + R_CLASS + ((status / 100) | 0)]++;
      if (status >= 400) w[s + R_STATUS + status - 400]++;
    } else {
      w[s + R_KIND + (kind > 0 && kind <= 8 ? kind : 4)]++;
    }
    w[s + R_HIST + compactBucketIndex(ns)]++;
    const m = (s >> 1) + R_MAX_F64;
    if (ns > this.#f64[m]) this.#f64[m] = ns;
  }

  /** Counts one check outcome. */
  recordCheck(slot: number, passed: boolean): void {
    this.#words[this.#checkBase + slot * CHECK_WORDS + (passed ? 0 : 1)]++;
  }

  /** The slot of a name: from the local cache, else the shared table (registering it), else `other`. */
  resolve(name: string): number {
    const slot = this.#names.get(name);
    if (slot !== undefined) return slot;
    const found = this.#register(name, H_NAMES, this.#layout.namesAt, this.#nameCapacity);
    this.#names.set(name, found);
    return found;
  }

  /** The slot of a check name (own table, same rules). */
  resolveCheck(name: string): number {
    const slot = this.#checks.get(name);
    if (slot !== undefined) return slot;
    const found = this.#register(name, H_CHECKS, this.#layout.checksAt, this.#checkCapacity);
    this.#checks.set(name, found);
    return found;
  }

  #register(name: string, countWord: number, tableAt: number, capacity: number): number {
    const header = this.#header;
    while (Atomics.compareExchange(header, H_LOCK, 0, 1) !== 0) { /* held for a table scan at most */ }
    try {
      const count = header[countWord];
      const probe = new Uint8Array(NAME_BYTES);
      const n = encoder.encodeInto(name, probe).written;
      for (let i = 0; i < count; i++) {
        const at = tableAt + i * NAME_ENTRY_BYTES;
        if (new Int32Array(this.#buffer, at, 1)[0] !== n) continue;
        const bytes = new Uint8Array(this.#buffer, at + 4, n);
        let same = true;
        for (let j = 0; j < n && same; j++) same = bytes[j] === probe[j];
        if (same) return i;
      }
      if (count >= capacity - 1) {
        if (countWord === H_NAMES) Atomics.add(header, H_OVERFLOW, 1);
        return capacity - 1;
      }
      writeName(this.#buffer, tableAt + count * NAME_ENTRY_BYTES, name);
      Atomics.store(header, countWord, count + 1);
      return count;
    } finally {
      Atomics.store(header, H_LOCK, 0);
    }
  }
}
