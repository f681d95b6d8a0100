/**
 * The `--json` result file: a stable, documented, versioned schema (see
 * `docs/result-schema.md`). `toJson` writes a `RunResult`; `parseResultJson`
 * reads one back and validates it.
 *
 * @module
 */
import { RESULT_SCHEMA_VERSION, type RunResult } from "./run_result.ts";
import { conform, order, RUN_RESULT_SHAPE } from "./_result_shape.ts";

/** Arrays and objects whose compact form fits in this many characters stay on one line. */
const INLINE_WIDTH = 160;

/**
 * Serialises a result as pretty JSON with keys in the documented order.
 * Short objects and arrays (a histogram pair, a time-series point) stay on
 * one line so that the file remains readable and small. Ends with a newline.
 *
 * @example
 * ```ts
 * import { toJson } from "./json.ts";
 * import type { RunResult } from "./run_result.ts";
 * declare const result: RunResult;
 * const text = toJson(result);
 * ```
 */
export function toJson(result: RunResult): string {
  return pretty(order(result, RUN_RESULT_SHAPE), "") + "\n";
}

/**
 * Parses and validates a result file written by `toJson` (or any tool that
 * follows the schema). Throws a `TypeError` with a clear message when the
 * text is not JSON, the `schemaVersion` is not supported, or a field is
 * missing or of the wrong type.
 *
 * @example
 * ```ts
 * import { parseResultJson, toJson } from "./json.ts";
 * import type { RunResult } from "./run_result.ts";
 * declare const result: RunResult;
 * const again = parseResultJson(toJson(result));
 * console.log(again.snapshot.totalRequests === result.snapshot.totalRequests); // true
 * ```
 */
export function parseResultJson(text: string): RunResult {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TypeError(`Cannot read result JSON: not valid JSON (${reason})`);
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    throw new TypeError('Cannot read result JSON: expected an object with a "schemaVersion" field');
  }
  const version = (data as Record<string, unknown>).schemaVersion;
  // Version 1 lacked the per-name parts only: read it as version 2 without them.
  if (version === 1) data = { ...data, schemaVersion: RESULT_SCHEMA_VERSION, names: [], scenario: null };
  else if (version !== RESULT_SCHEMA_VERSION) {
    const found = version === undefined ? "none" : JSON.stringify(version);
    throw new TypeError(
      `Cannot read result JSON: unsupported "schemaVersion" ${found} (this lunge reads version ${RESULT_SCHEMA_VERSION})`,
    );
  }
  try {
    return conform(data, RUN_RESULT_SHAPE, "") as RunResult;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TypeError(`Cannot read result JSON: ${reason}`);
  }
}

function pretty(value: unknown, indent: string): string {
  const compact = JSON.stringify(value);
  if (typeof value !== "object" || value === null || compact.length + indent.length <= INLINE_WIDTH) {
    return compact === undefined ? "null" : spaced(value, compact);
  }
  const inner = indent + "  ";
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    return `[\n${value.map((item) => inner + pretty(item, inner)).join(",\n")}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "{}";
  const body = entries.map(([key, item]) => `${inner}${JSON.stringify(key)}: ${pretty(item, inner)}`);
  return `{\n${body.join(",\n")}\n${indent}}`;
}

/** One-line form with a space after `,` and `:` between items (strings untouched). */
function spaced(value: unknown, compact: string): string {
  if (typeof value !== "object" || value === null) return compact;
  if (Array.isArray(value)) {
    return `[${value.map((item) => spaced(item, JSON.stringify(item) ?? "null")).join(", ")}]`;
  }
  const body = Object.entries(value as Record<string, unknown>)
    .map(([key, item]) => `${JSON.stringify(key)}: ${spaced(item, JSON.stringify(item) ?? "null")}`);
  return body.length === 0 ? "{}" : `{ ${body.join(", ")} }`;
}
