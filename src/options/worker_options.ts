/**
 * The part of a load worker's job copied from the normalized run options:
 * the fields the option table marks with `worker`. `run()` spreads it into
 * every worker's job, so an option a worker needs is marked in the table
 * rather than copied by hand.
 *
 * @module
 */
import { OPTION_TABLE, type OptionEntry, type WorkerOptionField } from "./table.ts";

export type { WorkerOptionField } from "./table.ts";

/**
 * The normalized option fields the load workers receive, each once, in table order.
 *
 * @example
 * ```ts
 * import { WORKER_OPTION_FIELDS } from "./worker_options.ts";
 * WORKER_OPTION_FIELDS.includes("timeoutMs"); // true
 * ```
 */
export const WORKER_OPTION_FIELDS: readonly WorkerOptionField[] = [
  ...new Set(
    (OPTION_TABLE as readonly OptionEntry[]).flatMap((e) => e.worker === undefined ? [] : [e.worker]),
  ),
] as WorkerOptionField[];

/**
 * The fields of `options` that the table marks for the load workers.
 *
 * @example
 * ```ts
 * import { workerOptionsOf } from "./worker_options.ts";
 * const normalized = {
 *   model: "open", timeoutMs: 5000, transport: "auto", http2: "off", streams: 1, connect: {}, keepLatencies: 0, rate: 10,
 * } as const;
 * workerOptionsOf(normalized).timeoutMs; // 5000 (and no "rate")
 * ```
 */
export function workerOptionsOf<T extends Record<WorkerOptionField, unknown>>(
  options: T,
): Pick<T, WorkerOptionField> {
  const picked = {} as Pick<T, WorkerOptionField>;
  for (const field of WORKER_OPTION_FIELDS) picked[field] = options[field];
  return picked;
}
