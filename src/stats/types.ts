/**
 * The data types of the stats library: metric types, priorities, tags, the
 * `StatEvent` record, drop strategies and drop reasons.
 *
 * @module
 */

/**
 * Metric types, stored as small integers in the ring's event slot.
 *
 * @example
 * ```ts
 * import { StatType } from "./types.ts";
 * StatType.Timer; // 2
 * ```
 */
export const StatType = {
  /** A count to add (`|c`). */
  Counter: 0,
  /** A value that replaces the previous one (`|g`). */
  Gauge: 1,
  /** A duration in milliseconds (`|ms`). */
  Timer: 2,
  /** A value aggregated into a histogram (`|h`). */
  Histogram: 3,
} as const;

/**
 * One of the `StatType` values.
 *
 * @example
 * ```ts
 * import { StatType } from "./types.ts";
 * const t: StatType = StatType.Counter;
 * ```
 */
export type StatType = typeof StatType[keyof typeof StatType];

/**
 * DogStatsD type suffixes, indexed by `StatType`.
 *
 * @example
 * ```ts
 * import { StatType, STAT_TYPE_SUFFIXES } from "./types.ts";
 * STAT_TYPE_SUFFIXES[StatType.Timer]; // "ms"
 * ```
 */
export const STAT_TYPE_SUFFIXES: readonly string[] = ["c", "g", "ms", "h"];

/**
 * Event priorities: high events are drained first and dropped last.
 *
 * @example
 * ```ts
 * import { Priority } from "./types.ts";
 * Priority.High; // 0
 * ```
 */
export const Priority = {
  High: 0,
  Medium: 1,
  Low: 2,
} as const;

/**
 * One of the `Priority` values.
 *
 * @example
 * ```ts
 * import { Priority } from "./types.ts";
 * const p: Priority = Priority.Low;
 * ```
 */
export type Priority = typeof Priority[keyof typeof Priority];

/**
 * A key/value tag (DogStatsD `key:value`).
 *
 * @example
 * ```ts
 * import type { Tag } from "./types.ts";
 * const tag: Tag = { key: "env", value: "prod" };
 * ```
 */
export interface Tag {
  /** Tag name, sanitized for the wire (DogStatsD reserved characters become `_`). */
  key: string;
  /** Tag value as a string (numbers are converted); may be empty for a key-only tag. */
  value: string;
}

/**
 * Tags as accepted by the recording methods: an object (`{ env: "prod" }`),
 * a list of `"key:value"` strings, or a tag-set id from `client.tagSet()`.
 * Pass the same object each time (or an id): the first sight of an object
 * is interned, later calls with the same object allocate nothing.
 */
export type Tags = Readonly<Record<string, string | number>> | readonly string[] | number;

/**
 * One decoded metric event (what the decoders return; the hot path never builds one).
 *
 * @example
 * ```ts
 * import { Priority, type StatEvent, StatType } from "./types.ts";
 * const e: StatEvent = { type: StatType.Counter, name: "hits", value: 1, tags: [], timestamp: Date.now(), priority: Priority.Medium, sampleRate: 1 };
 * ```
 */
export interface StatEvent {
  /** Metric type: counter, gauge, timer or histogram. */
  type: StatType;
  /** Full metric name as sent (prefix included). */
  name: string;
  /** The recorded value (ms for timings). */
  value: number;
  /** Tags sent with the event, constant tags included. */
  tags: Tag[];
  /** Milliseconds since the Unix epoch. */
  timestamp: number;
  /** Priority the event was recorded with (decides what is shed first when the buffer is full). */
  priority: Priority;
  /** Fraction of events kept by sampling (1 = all); counters are scaled by 1 / rate downstream. */
  sampleRate: number;
}

/**
 * What to do when the buffer is full.
 *
 * @example
 * ```ts
 * import { DropStrategy } from "./types.ts";
 * DropStrategy.DropOldest; // "drop-oldest"
 * ```
 */
export const DropStrategy = {
  /** Reject the incoming event (default). */
  DropNewest: "drop-newest",
  /** Evict the oldest buffered event of the same priority to make room. */
  DropOldest: "drop-oldest",
  /** Shed low priority first (above 75 % fill), then medium (above 90 %); high only when full. */
  DropByPriority: "drop-by-priority",
  /** Above 50 % fill keep 1 in 2 events, above 75 % 1 in 4, marked with a sample rate. */
  DropSampled: "drop-sampled",
} as const;

/**
 * One of the `DropStrategy` values.
 *
 * @example
 * ```ts
 * import { DropStrategy } from "./types.ts";
 * const s: DropStrategy = DropStrategy.DropNewest;
 * ```
 */
export type DropStrategy = typeof DropStrategy[keyof typeof DropStrategy];

/**
 * Why an event was dropped; indexes the drop counters.
 *
 * @example
 * ```ts
 * import { DropReason, DROP_REASON_NAMES } from "./types.ts";
 * DROP_REASON_NAMES[DropReason.BufferFull]; // "buffer_full"
 * ```
 */
export const DropReason = {
  /** Buffer full, incoming event rejected (DropNewest, and the fallback of every strategy). */
  BufferFull: 0,
  /** Evicted as the oldest event to make room (DropOldest). */
  EvictedOldest: 1,
  /** Shed because of its priority under pressure (DropByPriority). */
  PriorityShed: 2,
  /** Not kept by sampling under pressure (DropSampled). */
  SampledOut: 3,
  /** The name or tag-set interner reached its cap. */
  CardinalityLimit: 4,
  /** Value not finite, or name empty. */
  Invalid: 5,
  /** A single event larger than a packet. */
  Oversize: 6,
  /** Memory limiter refused growth. */
  MemoryLimit: 7,
  /** The circuit breaker was open. */
  CircuitOpen: 8,
  /** The packet carrying it failed to send. */
  NetworkError: 9,
  /** Recorded after stop, or still buffered when stop timed out. */
  Stopped: 10,
} as const;

/**
 * One of the `DropReason` values.
 *
 * @example
 * ```ts
 * import { DropReason } from "./types.ts";
 * const r: DropReason = DropReason.Oversize;
 * ```
 */
export type DropReason = typeof DropReason[keyof typeof DropReason];

/**
 * Snake-case names of the drop reasons, indexed by `DropReason`.
 *
 * @example
 * ```ts
 * import { DROP_REASON_NAMES } from "./types.ts";
 * DROP_REASON_NAMES[0]; // "buffer_full"
 * ```
 */
export const DROP_REASON_NAMES: readonly string[] = [
  "buffer_full",
  "evicted_oldest",
  "priority_shed",
  "sampled_out",
  "cardinality_limit",
  "invalid",
  "oversize",
  "memory_limit",
  "circuit_open",
  "network_error",
  "stopped",
];

/**
 * Wire formats the sender can use.
 *
 * @example
 * ```ts
 * import type { WireProtocol } from "./types.ts";
 * const w: WireProtocol = "binary";
 * ```
 */
export type WireProtocol = "text" | "binary";
