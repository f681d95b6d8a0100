/**
 * The plan fingerprint: a short hash of everything that decides what load a
 * run sends (URL, request, model, rate, users, durations, limits, and any
 * plan option added later), and of nothing that only decides how this
 * process sends it (workers, collector, transport, thresholds, outputs,
 * segment, start time). `lunge merge` refuses results whose fingerprints
 * differ: they are not parts of one run.
 *
 * @module
 */

/** Options that do not change the plan: two segments may differ in them. */
const NOT_PLAN = new Set([
  "builtinPath",
  "workers",
  "collector",
  "transport",
  "thresholds",
  "sampleCapacity",
  "segment",
  "startAtEpochMs",
  "signal",
  "onProgress",
  "onCollector",
  "onIntervalHistogram",
]);

/**
 * A deterministic text form of a plan: keys sorted, functions and the
 * options above dropped, byte arrays as hex.
 */
function canonical(value: unknown, top: boolean): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "function") return "null";
  if (value instanceof Uint8Array) {
    return `"bytes:${[...value].map((b) => b.toString(16).padStart(2, "0")).join("")}"`;
  }
  if (Array.isArray(value)) return `[${value.map((v) => canonical(v, false)).join(",")}]`;
  if (typeof value === "object") {
    const keys = Object.keys(value as Record<string, unknown>)
      .filter((k) => !(top && NOT_PLAN.has(k)) && typeof (value as Record<string, unknown>)[k] !== "function")
      .sort();
    return `{${
      keys.map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k], false)}`).join(
        ",",
      )
    }}`;
  }
  return JSON.stringify(value);
}

/** FNV-1a over UTF-16 code units with a seed; 32 bits. */
function fnv1a(text: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/**
 * The fingerprint (16 hex digits) of normalized run options.
 *
 * @example
 * ```ts
 * import { planFingerprint } from "./_plan_fingerprint.ts";
 * const a = planFingerprint({ url: "http://127.0.0.1:8080/", rate: 100, workers: 1 });
 * const b = planFingerprint({ url: "http://127.0.0.1:8080/", rate: 100, workers: 4 });
 * a === b; // true: workers do not change the plan
 * ```
 */
export function planFingerprint(options: object): string {
  const text = canonical(options, true);
  const hex = (n: number): string => n.toString(16).padStart(8, "0");
  return hex(fnv1a(text, 0)) + hex(fnv1a(text, 0x9e3779b9));
}
