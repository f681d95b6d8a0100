/**
 * Choosing a collector: an explicit option, else the environment
 * (`LUNGE_COLLECTOR=atomic|legacy`, or the rollback switch
 * `LUNGE_USE_OLD_COLLECTOR=1`), else the atomic collector.
 *
 * @module
 */
import { system } from "../runtime/mod.ts";
import { AtomicMetricsCollector } from "./_atomic_collector.ts";
import { AtomicLaneWriter } from "./_atomic_writer.ts";
import { LegacyMetricsCollector } from "./_legacy_collector.ts";
import { LegacyWriter } from "./_legacy_writer.ts";
import { NoopWriter, noopWriterRequested } from "./_noop_writer.ts";
import type { CollectorOptions, OwnerCollector } from "./_owner_collector.ts";
import { COLLECTOR_KINDS, type CollectorHandle, type CollectorKind, type MetricsCollector } from "./types.ts";
import type { CollectorWriter } from "./writer.ts";

export type { CollectorKind } from "./types.ts";

/** Options of `createCollector`. */
export interface CreateCollectorOptions extends CollectorOptions {
  /** Which collector; default from the environment, else "atomic". */
  kind?: CollectorKind;
}

/**
 * The collector kind the environment asks for, or `null`. Throws a
 * RangeError for a value it does not know, so a typo is never a silent
 * fallback.
 *
 * @example
 * ```ts
 * import { collectorKindFromEnv } from "./create.ts";
 * collectorKindFromEnv((name) => name === "LUNGE_USE_OLD_COLLECTOR" ? "1" : undefined); // "legacy"
 * ```
 */
export function collectorKindFromEnv(
  env: (name: string) => string | undefined = system.env,
): CollectorKind | null {
  const old = env("LUNGE_USE_OLD_COLLECTOR");
  if (old !== undefined && old !== "" && old !== "0" && old.toLowerCase() !== "false") return "legacy";
  const chosen = env("LUNGE_COLLECTOR");
  if (chosen === undefined || chosen === "") return null;
  if ((COLLECTOR_KINDS as readonly string[]).includes(chosen)) return chosen as CollectorKind;
  throw new RangeError(
    `Cannot choose collector: LUNGE_COLLECTOR must be ${kindList()}, got "${chosen}"`,
  );
}

/**
 * Creates a metrics collector on this thread (the owner: it flushes and
 * takes snapshots).
 *
 * @example
 * ```ts
 * import { createCollector } from "./create.ts";
 * const c = createCollector({ kind: "atomic", lanes: 8 });
 * c.recordRequest({ status: 200, durationMs: 1, bytes: 2 });
 * c.getSnapshot().totalRequests; // 1
 * c.close();
 * ```
 */
export function createCollector(options: CreateCollectorOptions = {}): MetricsCollector {
  const kind = options.kind ?? collectorKindFromEnv() ?? "atomic";
  if (kind === "atomic") return new AtomicMetricsCollector(options);
  if (kind === "legacy") return new LegacyMetricsCollector(options);
  throw new RangeError(`Cannot create collector: "kind" must be ${kindList()}, got "${String(kind)}"`);
}

/**
 * Whether `collector` is one of lunge's own collectors (made by
 * `createCollector`), with the owner's extras of `OwnerCollector`.
 *
 * @example
 * ```ts
 * import { createCollector, isOwnerCollector } from "./create.ts";
 * const c = createCollector();
 * isOwnerCollector(c); // true
 * c.close();
 * ```
 */
export function isOwnerCollector(collector: MetricsCollector): collector is OwnerCollector {
  return collector instanceof AtomicMetricsCollector || collector instanceof LegacyMetricsCollector;
}

/**
 * Attaches to a collector created on another thread, from the handle it
 * sent with `postMessage`. Returns the recording side only.
 *
 * @example
 * ```ts
 * import { attachCollector } from "./create.ts";
 * // in a worker:
 * // self.onmessage = (e) => { const w = attachCollector(e.data); w.record(200, 1, 0, 0, -1); };
 * ```
 */
export function attachCollector(handle: CollectorHandle): CollectorWriter {
  if (!handle || !(handle.buffer instanceof SharedArrayBuffer)) {
    throw new TypeError("Cannot attach collector: the handle has no SharedArrayBuffer");
  }
  if (noopWriterRequested() && (COLLECTOR_KINDS as readonly string[]).includes(handle.kind)) {
    return new NoopWriter(handle.kind); // bench A/B only (see _noop_writer.ts)
  }
  if (handle.kind === "atomic") return new AtomicLaneWriter(handle.buffer, handle.sampleCapacity);
  if (handle.kind === "legacy") return new LegacyWriter(handle.buffer, handle.sampleCapacity);
  throw new TypeError(`Cannot attach collector: unknown kind "${String(handle.kind)}"`);
}

/** `"atomic" or "legacy"`, for the messages that list the kinds. */
function kindList(): string {
  return COLLECTOR_KINDS.map((k) => `"${k}"`).join(" or ");
}
