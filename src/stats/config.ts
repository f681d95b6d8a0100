/**
 * Configuration of the stats client: the seed's defaults (7.1), environment
 * variables, and validation that fails at start-up with a `RangeError` or
 * `TypeError`, never at the first send.
 *
 * @module
 */
import { DropStrategy, type WireProtocol } from "./types.ts";

/** A log sink: level and message. */
export type StatsLogger = (level: "warn" | "error" | "info", message: string) => void;

/** Options accepted by `createStatsClient` (all optional). */
export interface StatsOptions {
  /** Destination `host:port` or `[ipv6]:port` (default `127.0.0.1:8125`). Env `LUNGE_STATS_ADDRESS`. */
  address?: string;
  /** Wire format (default `"text"`, DogStatsD). Env `LUNGE_STATS_PROTOCOL`. */
  protocol?: WireProtocol;
  /** Prefix added to every metric name (default none). Env `LUNGE_STATS_PREFIX`. */
  prefix?: string;
  /** Tags added to every event. */
  tags?: Readonly<Record<string, string | number>>;
  /** Total ring slots across the three priorities (default 16384). Env `LUNGE_STATS_BUFFER_SIZE`. */
  bufferSize?: number;
  /** Events that trigger a drain (default 50). Env `LUNGE_STATS_BATCH_SIZE`. */
  batchSize?: number;
  /** Longest an event waits before it is sent, ms (default 100). Env `LUNGE_STATS_MAX_BATCH_AGE_MS`. */
  maxBatchAgeMs?: number;
  /** Adapt the batch size to buffer pressure (default true). */
  adaptiveBatching?: boolean;
  /** What to do when the buffer is full (default `drop-newest`). Env `LUNGE_STATS_DROP_STRATEGY`. */
  dropStrategy?: DropStrategy;
  /** Largest datagram payload (default 1472 for IPv4, 1452 for IPv6). Env `LUNGE_STATS_MAX_PACKET_BYTES`. */
  maxPacketBytes?: number;
  /** Packets handed to the socket and not yet confirmed (default 512). */
  maxInFlightPackets?: number;
  /** Cap on interned names and on interned tag sets (default 10,000 each). */
  maxInterned?: number;
  /** Hard memory cap, MB (default 10). Env `LUNGE_STATS_MAX_MEMORY_MB`. */
  maxMemoryMB?: number;
  /** SO_SNDBUF requested, bytes (default 4 MB). */
  socketBufferBytes?: number;
  /** Failures before the breaker opens (default 10). */
  breakerFailureThreshold?: number;
  /** Time the breaker stays open before a probe, ms (default 30,000). */
  breakerResetTimeoutMs?: number;
  /** At most one network-error log line per this many ms (default 10,000). */
  errorLogIntervalMs?: number;
  /** Log sink (default `console.warn` / `console.error`). */
  logger?: StatsLogger;
}

/** A validated configuration with every field filled in. */
export interface StatsConfig extends Required<Omit<StatsOptions, "tags" | "logger" | "maxPacketBytes">> {
  /** Constant tags added to every event (empty object when none). */
  tags: Readonly<Record<string, string | number>>;
  /** The log sink in use (the given one, or the console default). */
  logger: StatsLogger;
  /** Largest datagram payload in bytes, defaulted from the address family (1472 IPv4, 1452 IPv6). */
  maxPacketBytes: number;
  /** Parsed destination host (an IPv6 address without its brackets). */
  host: string;
  /** Parsed destination port, 1 to 65535. */
  port: number;
  /** Address family: 6 when the host contains a colon, else 4. */
  family: 4 | 6;
}

/**
 * The seed's defaults (DropNewest instead of the seed's DropByPriority, so
 * that nothing is shed before the buffer is actually full).
 *
 * @example
 * ```ts
 * import { STATS_DEFAULTS } from "./config.ts";
 * STATS_DEFAULTS.batchSize; // 50
 * ```
 */
export const STATS_DEFAULTS: Readonly<
  Omit<StatsConfig, "host" | "port" | "family" | "maxPacketBytes" | "logger">
> = {
  address: "127.0.0.1:8125",
  protocol: "text",
  prefix: "",
  tags: {},
  bufferSize: 16384,
  batchSize: 50,
  maxBatchAgeMs: 100,
  adaptiveBatching: true,
  dropStrategy: DropStrategy.DropNewest,
  maxInFlightPackets: 512,
  maxInterned: 10_000,
  maxMemoryMB: 10,
  socketBufferBytes: 4 * 1024 * 1024,
  breakerFailureThreshold: 10,
  breakerResetTimeoutMs: 30_000,
  errorLogIntervalMs: 10_000,
};

const DROP_STRATEGIES: readonly string[] = Object.values(DropStrategy);
const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*$/;
const IPV6 = /^[0-9A-Fa-f:.]+$/;

/**
 * Parses `host:port` or `[ipv6]:port`; throws `RangeError` when invalid.
 *
 * @example
 * ```ts
 * import { parseStatsAddress } from "./config.ts";
 * parseStatsAddress("[::1]:9125"); // { host: "::1", port: 9125, family: 6 }
 * ```
 */
export function parseStatsAddress(address: string): { host: string; port: number; family: 4 | 6 } {
  const bad = (why: string): RangeError =>
    new RangeError(`Cannot configure stats: "address" ${why}, got ${JSON.stringify(address)}`);
  if (typeof address !== "string" || address.length === 0) throw bad("must be host:port");
  let host: string;
  let portText: string;
  if (address.startsWith("[")) {
    const close = address.indexOf("]");
    if (close < 0 || address[close + 1] !== ":") throw bad("must be [ipv6]:port");
    host = address.slice(1, close);
    portText = address.slice(close + 2);
    if (!IPV6.test(host) || !host.includes(":")) throw bad("has an invalid IPv6 address");
  } else {
    const colon = address.lastIndexOf(":");
    if (colon <= 0) throw bad("must be host:port");
    host = address.slice(0, colon);
    portText = address.slice(colon + 1);
    if (!HOSTNAME.test(host)) throw bad("has an invalid host");
    const octets = host.split(".");
    if (octets.length === 4 && octets.every((o) => /^\d+$/.test(o)) && octets.some((o) => Number(o) > 255)) {
      throw bad("has an invalid IPv4 address");
    }
  }
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 1 || port > 65535) throw bad("must end in a port from 1 to 65535");
  return { host, port, family: host.includes(":") ? 6 : 4 };
}

/**
 * Merges explicit options over environment variables over defaults and
 * validates the result. Throws `RangeError`/`TypeError` on a bad value.
 *
 * @example
 * ```ts
 * import { resolveStatsConfig } from "./config.ts";
 * const config = resolveStatsConfig({ address: "127.0.0.1:9125" }, () => undefined);
 * config.port; // 9125
 * ```
 */
export function resolveStatsConfig(
  options: StatsOptions = {},
  env: (name: string) => string | undefined = () => undefined,
): StatsConfig {
  const num = (name: string): number | undefined => {
    const raw = env(name);
    if (raw === undefined || raw === "") return undefined;
    const n = Number(raw);
    if (!Number.isFinite(n)) {
      throw new RangeError(`Cannot configure stats: ${name} must be a number, got "${raw}"`);
    }
    return n;
  };
  const merged = {
    ...STATS_DEFAULTS,
    ...defined({
      address: env("LUNGE_STATS_ADDRESS") || undefined,
      protocol: (env("LUNGE_STATS_PROTOCOL") || undefined) as WireProtocol | undefined,
      prefix: env("LUNGE_STATS_PREFIX"),
      bufferSize: num("LUNGE_STATS_BUFFER_SIZE"),
      batchSize: num("LUNGE_STATS_BATCH_SIZE"),
      maxBatchAgeMs: num("LUNGE_STATS_MAX_BATCH_AGE_MS"),
      dropStrategy: (env("LUNGE_STATS_DROP_STRATEGY") || undefined) as DropStrategy | undefined,
      maxPacketBytes: num("LUNGE_STATS_MAX_PACKET_BYTES"),
      maxMemoryMB: num("LUNGE_STATS_MAX_MEMORY_MB"),
    }),
    ...defined(options as Record<string, unknown>),
  } as StatsOptions & typeof STATS_DEFAULTS;
  const { host, port, family } = parseStatsAddress(merged.address);
  const maxPacketBytes = merged.maxPacketBytes ?? (family === 6 ? 1452 : 1472);

  const intIn = (name: string, value: number, min: number, max: number): void => {
    if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
      throw new RangeError(
        `Cannot configure stats: "${name}" must be an integer from ${min} to ${max}, got ${value}`,
      );
    }
  };
  intIn("bufferSize", merged.bufferSize, 64, 1 << 24);
  intIn("batchSize", merged.batchSize, 1, 100_000);
  intIn("maxPacketBytes", maxPacketBytes, 64, 65_507);
  intIn("maxInFlightPackets", merged.maxInFlightPackets, 1, 1 << 20);
  intIn("maxInterned", merged.maxInterned, 1, 1_000_000);
  intIn("socketBufferBytes", merged.socketBufferBytes, 0, 1 << 30);
  intIn("breakerFailureThreshold", merged.breakerFailureThreshold, 1, 1_000_000);
  const positive = (name: string, value: number): void => {
    if (typeof value !== "number" || !(value > 0) || !Number.isFinite(value)) {
      throw new RangeError(`Cannot configure stats: "${name}" must be > 0, got ${value}`);
    }
  };
  positive("maxBatchAgeMs", merged.maxBatchAgeMs);
  positive("maxMemoryMB", merged.maxMemoryMB);
  positive("breakerResetTimeoutMs", merged.breakerResetTimeoutMs);
  positive("errorLogIntervalMs", merged.errorLogIntervalMs);
  if (merged.protocol !== "text" && merged.protocol !== "binary") {
    throw new RangeError(
      `Cannot configure stats: "protocol" must be "text" or "binary", got ${JSON.stringify(merged.protocol)}`,
    );
  }
  if (!DROP_STRATEGIES.includes(merged.dropStrategy)) {
    throw new RangeError(
      `Cannot configure stats: "dropStrategy" must be one of ${DROP_STRATEGIES.join(", ")}, got ${
        JSON.stringify(merged.dropStrategy)
      }`,
    );
  }
  if (typeof merged.prefix !== "string") {
    throw new TypeError(`Cannot configure stats: "prefix" must be a string`);
  }
  if (merged.tags === null || typeof merged.tags !== "object") {
    throw new TypeError(`Cannot configure stats: "tags" must be an object of strings`);
  }
  if (typeof merged.adaptiveBatching !== "boolean") {
    throw new TypeError(`Cannot configure stats: "adaptiveBatching" must be a boolean`);
  }
  const logger: StatsLogger = options.logger ?? ((level, message) => {
    if (level === "error") console.error(`[lunge stats] ${message}`);
    else console.warn(`[lunge stats] ${message}`);
  });
  return { ...merged, maxPacketBytes, host, port, family, logger } as StatsConfig;
}

function defined<T extends Record<string, unknown>>(obj: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) if (v !== undefined) out[k] = v;
  return out as Partial<T>;
}
