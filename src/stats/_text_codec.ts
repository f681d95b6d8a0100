/**
 * The DogStatsD / StatsD text protocol: `name:value|type[|@rate][|#k:v,k2:v2]`,
 * one event per line. The writer works on pre-encoded name and tag bytes and
 * formats integers without allocating; the parser is for tests and receivers.
 *
 * @module
 */
import { STAT_TYPE_SUFFIXES, type StatEvent, type StatType, type Tag } from "./types.ts";
import { Priority } from "./types.ts";

/** Extra bytes a text event can take beyond its name and tags (value, type, rate, separators). */
export const TEXT_EVENT_OVERHEAD = 48;

const COLON = 58;
const PIPE = 124;
const HASH = 35;
const AT = 64;
const NEWLINE = 10;
const SUFFIX_BYTES: Uint8Array[] = STAT_TYPE_SUFFIXES.map((s) => new TextEncoder().encode(s));
/** `|@0.5`, `|@0.25`, ... indexed by log2 of the sampling divisor. */
const RATE_BYTES: Uint8Array[] = [1, 2, 4, 8, 16, 32, 64, 128].map((n) =>
  new TextEncoder().encode(`|@${1 / n}`)
);

/**
 * Writes one event as a text line (with its trailing newline) into `out`
 * at `at`, which must have `name.length + tags.length + TEXT_EVENT_OVERHEAD`
 * bytes free. Returns the offset after the line.
 *
 * @example
 * ```ts
 * import { writeTextEvent } from "./_text_codec.ts";
 * const enc = new TextEncoder();
 * const out = new Uint8Array(128);
 * const end = writeTextEvent(out, 0, 0, enc.encode("hits"), 3, enc.encode("env:prod"), 0);
 * new TextDecoder().decode(out.subarray(0, end)); // "hits:3|c|#env:prod\n"
 * ```
 */
export function writeTextEvent(
  out: Uint8Array,
  at: number,
  type: number,
  name: Uint8Array,
  value: number,
  tags: Uint8Array,
  rateShift: number,
): number {
  out.set(name, at);
  at += name.length;
  out[at++] = COLON;
  at = writeNumber(out, at, value);
  out[at++] = PIPE;
  const suffix = SUFFIX_BYTES[type];
  for (let i = 0; i < suffix.length; i++) out[at++] = suffix[i];
  if (rateShift > 0) {
    const rate = RATE_BYTES[rateShift];
    out.set(rate, at);
    at += rate.length;
  }
  if (tags.length > 0) {
    out[at++] = PIPE;
    out[at++] = HASH;
    out.set(tags, at);
    at += tags.length;
  }
  out[at++] = NEWLINE;
  return at;
}

/** Writes a finite number in the shortest form StatsD daemons parse. */
function writeNumber(out: Uint8Array, at: number, value: number): number {
  if (value === (value | 0)) {
    let v = value | 0;
    if (v < 0) {
      out[at++] = 45; // "-"
      if (v === -2147483648) return writeDigits(out, at, 2147483648);
      v = -v;
    }
    return writeDigits(out, at, v);
  }
  if (Number.isInteger(value) && Math.abs(value) < 9007199254740992) {
    if (value < 0) {
      out[at++] = 45;
      value = -value;
    }
    return writeDigits(out, at, value);
  }
  const text = String(value); // fractional: rare for counters, one short-lived string
  for (let i = 0; i < text.length; i++) out[at++] = text.charCodeAt(i);
  return at;
}

function writeDigits(out: Uint8Array, at: number, v: number): number {
  let digits = 1;
  for (let p = 10; p <= v && digits < 16; p *= 10) digits++;
  let end = at + digits;
  const stop = end;
  do {
    const q = Math.floor(v / 10);
    out[--end] = 48 + (v - q * 10);
    v = q;
  } while (v > 0);
  return stop;
}

const TYPE_BY_SUFFIX: Record<string, StatType> = { c: 0, g: 1, ms: 2, h: 3, d: 3 };

/**
 * Parses a text packet (one or more lines) into events; malformed lines are
 * skipped and counted in `bad`.
 *
 * @example
 * ```ts
 * import { parseTextPacket } from "./_text_codec.ts";
 * const { events } = parseTextPacket("hits:3|c|#env:prod\nlat:1.5|ms\n");
 * events[1].value; // 1.5
 * ```
 */
export function parseTextPacket(text: string): { events: StatEvent[]; bad: number } {
  const events: StatEvent[] = [];
  let bad = 0;
  for (const line of text.split("\n")) {
    if (line.length === 0) continue;
    const colon = line.indexOf(":");
    const fields = line.slice(colon + 1).split("|");
    const type = TYPE_BY_SUFFIX[fields[1] ?? ""];
    const value = Number(fields[0]);
    if (colon <= 0 || type === undefined || fields[0] === "" || !Number.isFinite(value)) {
      bad++;
      continue;
    }
    let sampleRate = 1;
    let tags: Tag[] = [];
    for (let i = 2; i < fields.length; i++) {
      const f = fields[i];
      if (f.charCodeAt(0) === AT) sampleRate = Number(f.slice(1));
      else if (f.charCodeAt(0) === HASH) {
        tags = f.slice(1).split(",").filter((t) => t.length > 0).map((t) => {
          const at = t.indexOf(":");
          return at < 0 ? { key: t, value: "" } : { key: t.slice(0, at), value: t.slice(at + 1) };
        });
      }
    }
    events.push({
      type,
      name: line.slice(0, colon),
      value,
      tags,
      timestamp: 0,
      priority: Priority.Medium,
      sampleRate,
    });
  }
  return { events, bad };
}
