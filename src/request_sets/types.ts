/**
 * The shapes of a request set (`--targets FILE`) as the options and the load
 * workers carry it. Kept apart from the parser and the source so that
 * `options.ts` can name them without importing code that imports it.
 *
 * @example
 * ```ts
 * import type { RequestSet } from "./types.ts";
 * const set: RequestSet = { targets: [], weighted: false, csv: {} };
 * ```
 *
 * @module
 */

/** One target of a request set, as the workers receive it. */
export interface TargetDef {
  /** The method as written (methods are case-sensitive tokens, RFC 9110 §9.1). */
  method: string;
  /** Absolute http(s) URL, possibly with placeholders after the origin. */
  url: string;
  /** Header values may hold placeholders. */
  headers: Record<string, string>;
  /** Body text (may hold placeholders) or undefined. */
  body?: string;
  /** Metrics name (default `METHOD path`). */
  name: string;
  /** Relative weight (default 1). */
  weight: number;
}

/** A parsed request set: targets plus the CSV columns their templates use. */
export interface RequestSet {
  /** Targets in file order. */
  targets: TargetDef[];
  /** Whether any target gave a weight. */
  weighted: boolean;
  /** CSV columns by `FILE:column` (see `csvKey`), rows in file order. */
  csv: Record<string, string[]>;
}

/** How the next target is chosen (declared with the other option values). */
export type { TargetsOrder } from "../options/values.ts";
