/**
 * Internal: the node type of the `RunResult` JSON shape description and the
 * small builders both shape files use (`_result_shape.ts` for the run,
 * `_named_shape.ts` for the per-name and scenario parts).
 *
 * @module
 */

/** A node of the shape description. */
export type Shape =
  | { kind: "number" }
  | { kind: "integer" }
  | { kind: "string" }
  | { kind: "boolean" }
  | { kind: "literal"; values: readonly (string | number)[] }
  | { kind: "nullable"; inner: Shape }
  /** A field added after schema 1's first release: when missing, `fallback` is used (or it stays missing). */
  | { kind: "optional"; inner: Shape; fallback?: unknown }
  | { kind: "array"; item: Shape }
  | { kind: "pair"; item: Shape }
  | { kind: "record"; value: Shape }
  | { kind: "object"; fields: Record<string, Shape> };

/** A number. @example `const n: Shape = num;` */
export const num: Shape = { kind: "number" };
/** An integer. @example `const n: Shape = int;` */
export const int: Shape = { kind: "integer" };
/** A string. @example `const s: Shape = str;` */
export const str: Shape = { kind: "string" };
/** A boolean. @example `const b: Shape = bool;` */
export const bool: Shape = { kind: "boolean" };

/**
 * Every key of T, in the order written here (the documented order).
 *
 * @example
 * ```ts
 * import { int, object } from "./_shape.ts";
 * object<{ count: number }>({ count: int });
 * ```
 */
export const object = <T>(fields: { [K in keyof T]-?: Shape }): Shape => ({ kind: "object", fields });
