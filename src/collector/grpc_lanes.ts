/**
 * gRPC counters in their own SharedArrayBuffer: per writer lane and per
 * name (a method, a scenario call name), the calls by gRPC status (0..16 and
 * "other"), messages sent and received, and a compact histogram of the time
 * to a streaming call's first message. Each lane has one writer (plain
 * stores, no lock, no map on the hot path: a name is a slot number resolved
 * once); the owner adds the lanes up at the end.
 *
 * @module
 */
import {
  COMPACT_BUCKETS,
  compactBucketIndex,
  compactMean,
  compactPercentiles,
} from "../shared/compact_histogram.ts";

const MAGIC = 0x4c475250; // "LGRP"
const H_MAGIC = 0;
const H_LANES = 1;
const H_NAMES = 2;
const HEADER_WORDS = 16;
/** Words 0..16: calls by gRPC status; 17: a status above 16. */
const R_STATUS = 0;
const STATUS_WORDS = 18;
const R_SENT = 18;
const R_RECEIVED = 19;
const R_FIRST = 20; // calls whose first message was timed
const R_HIST = 24;
const RECORD_WORDS = R_HIST + COMPACT_BUCKETS;

/** Plain data that lets a worker attach to the gRPC lanes. */
export interface GrpcLanesHandle {
  /** The shared memory. */
  buffer: SharedArrayBuffer;
}

/** The gRPC figures of one name, or of every name together. */
export interface GrpcLaneTotals {
  /** Calls by gRPC status code (index 0..16; index 17: a code above 16). */
  statuses: number[];
  /** Request messages sent. */
  messagesSent: number;
  /** Response messages received. */
  messagesReceived: number;
  /** Calls whose time to the first message was recorded (streaming responses). */
  firstMessageCalls: number;
  /** Time to the first response message, ms (from the compact histogram, within 0.8%). */
  firstMessage: { p50: number; p90: number; p99: number; mean: number } | null;
}

/**
 * The owner's side: allocates the lanes and adds them up.
 *
 * @example
 * ```ts
 * import { GrpcLanes, GrpcLaneWriter } from "./grpc_lanes.ts";
 * const lanes = GrpcLanes.create(2, 1);
 * const w = GrpcLaneWriter.attach(lanes.handle(), 0);
 * w.recordCall(0, 14, 1, 0);
 * lanes.totals(0).statuses[14]; // 1
 * ```
 */
export class GrpcLanes {
  readonly #words: Uint32Array;
  readonly #buffer: SharedArrayBuffer;
  readonly #lanes: number;
  readonly #names: number;

  private constructor(buffer: SharedArrayBuffer) {
    this.#buffer = buffer;
    this.#words = new Uint32Array(buffer);
    this.#lanes = this.#words[H_LANES];
    this.#names = this.#words[H_NAMES];
  }

  /** Lanes for `lanes` writers and `names` names each. */
  static create(lanes: number, names: number): GrpcLanes {
    const buffer = new SharedArrayBuffer((HEADER_WORDS + lanes * names * RECORD_WORDS) * 4);
    const words = new Uint32Array(buffer);
    words[H_LANES] = lanes;
    words[H_NAMES] = names;
    Atomics.store(words, H_MAGIC, MAGIC);
    return new GrpcLanes(buffer);
  }

  /** The owner's view of lanes made elsewhere (a handle from `handle()`). */
  static fromHandle(handle: GrpcLanesHandle): GrpcLanes {
    return new GrpcLanes(handle.buffer);
  }

  /** What a worker needs to attach. */
  handle(): GrpcLanesHandle {
    return { buffer: this.#buffer };
  }

  /** Names each lane has room for. */
  get names(): number {
    return this.#names;
  }

  /** The figures of name slot `name`, or of every name together when `name` is -1. */
  totals(name: number): GrpcLaneTotals {
    Atomics.load(this.#words, H_MAGIC); // a fence: the workers' plain stores are visible
    const sum = new Float64Array(RECORD_WORDS);
    for (let lane = 0; lane < this.#lanes; lane++) {
      for (let n = 0; n < this.#names; n++) {
        if (name >= 0 && n !== name) continue;
        const base = HEADER_WORDS + (lane * this.#names + n) * RECORD_WORDS;
        for (let i = 0; i < RECORD_WORDS; i++) sum[i] += this.#words[base + i];
      }
    }
    const hist = sum.subarray(R_HIST);
    const first = sum[R_FIRST];
    const [p50, p90, p99] = first === 0 ? [0, 0, 0] : compactPercentiles(hist, [50, 90, 99]);
    return {
      statuses: Array.from(sum.subarray(R_STATUS, R_STATUS + STATUS_WORDS)),
      messagesSent: sum[R_SENT],
      messagesReceived: sum[R_RECEIVED],
      firstMessageCalls: first,
      firstMessage: first === 0 ? null : {
        p50: p50 / 1e6,
        p90: p90 / 1e6,
        p99: p99 / 1e6,
        mean: compactMean(hist) / 1e6,
      },
    };
  }
}

/**
 * One worker's lane: plain stores, no allocation.
 *
 * @example
 * ```ts
 * import { GrpcLanes, GrpcLaneWriter } from "./grpc_lanes.ts";
 * const w = GrpcLaneWriter.attach(GrpcLanes.create(1, 1).handle(), 0);
 * w.recordCall(0, 0, 1, 3);
 * w.recordFirstMessage(0, 1_500_000);
 * ```
 */
export class GrpcLaneWriter {
  readonly #words: Uint32Array;
  readonly #base: number;
  readonly #names: number;

  private constructor(words: Uint32Array, lane: number) {
    this.#words = words;
    this.#names = words[H_NAMES];
    if (lane < 0 || lane >= words[H_LANES]) throw new RangeError(`no gRPC lane ${lane}`);
    this.#base = HEADER_WORDS + lane * this.#names * RECORD_WORDS;
  }

  /** Attaches to lane `lane` (the worker's index). */
  static attach(handle: GrpcLanesHandle, lane: number): GrpcLaneWriter {
    const words = new Uint32Array(handle.buffer);
    if (Atomics.load(words, H_MAGIC) !== MAGIC) throw new TypeError("not a gRPC lanes buffer");
    return new GrpcLaneWriter(words, lane);
  }

  /** Name slots of each lane (a slot at or past it is counted in the last one). */
  get names(): number {
    return this.#names;
  }

  #at(name: number): number {
    return this.#base + (name < this.#names ? name : this.#names - 1) * RECORD_WORDS;
  }

  /** One call of name slot `name` ended with gRPC status `code`, after `sent` and `received` messages. */
  recordCall(name: number, code: number, sent: number, received: number): void {
    const at = this.#at(name);
    const w = this.#words;
    w[at + R_STATUS + (code >= 0 && code < STATUS_WORDS - 1 ? code : STATUS_WORDS - 1)]++;
    w[at + R_SENT] += sent;
    w[at + R_RECEIVED] += received;
  }

  /** A streaming call's first message came `ns` after the call was due. */
  recordFirstMessage(name: number, ns: number): void {
    const at = this.#at(name);
    this.#words[at + R_FIRST]++;
    this.#words[at + R_HIST + compactBucketIndex(ns)]++;
  }
}
