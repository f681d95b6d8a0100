/**
 * Drives the incremental response parser over bytes split at given points,
 * the way the raw client does, and reports the outcome in the reference
 * parser's terms (plus whether it ever failed to make progress).
 *
 * @module
 */
import { ResponseParser } from "../../src/http/_response_parser.ts";
import type { ReferenceOutcome } from "./_reference_parser.ts";

/** The outcome, or "stuck" when a feed neither completed nor consumed its bytes (a hang in the client). */
export type IncrementalOutcome = ReferenceOutcome | { kind: "stuck"; at: number };

const parser = new ResponseParser();

/** Parses `bytes` fed in pieces ending at `cuts` (ascending, the last one = length). */
export function parseIncremental(
  bytes: Uint8Array,
  head: boolean,
  cuts: readonly number[],
): IncrementalOutcome {
  parser.reset(head);
  let start = 0;
  for (const cut of cuts) {
    let pos = start;
    while (pos < cut) {
      const next = parser.feed(bytes, pos, cut);
      if (next < 0) return { kind: "error" };
      if (parser.complete) {
        return {
          kind: "complete",
          status: parser.status,
          bodyBytes: parser.bodyBytes,
          keepAlive: parser.keepAlive,
          consumed: next,
        };
      }
      if (next <= pos || next > cut) return { kind: "stuck", at: pos };
      pos = next;
    }
    start = cut;
  }
  if (parser.finish()) return { kind: "until-close", status: parser.status, bodyBytes: parser.bodyBytes };
  return { kind: "incomplete" };
}
