/**
 * gRPC's Length-Prefixed-Message: one byte compressed flag, four bytes
 * big-endian length, the message. `frameMessage` builds one (once per
 * prepared message); `MessageReader` cuts them out of a response's DATA as it
 * arrives, counting them without copying unless asked to keep them.
 *
 * @module
 */
import type { H2DataSink } from "../http/h2/pool.ts";

/** Bytes of the prefix before each message. */
export const MESSAGE_PREFIX_BYTES = 5;

/**
 * One Length-Prefixed-Message around `message`.
 *
 * @example
 * ```ts
 * import { frameMessage } from "./framing.ts";
 * frameMessage(Uint8Array.of(8, 1)); // Uint8Array [0, 0, 0, 0, 2, 8, 1]
 * ```
 */
export function frameMessage(message: Uint8Array, compressed = false): Uint8Array {
  const out = new Uint8Array(MESSAGE_PREFIX_BYTES + message.length);
  out[0] = compressed ? 1 : 0;
  new DataView(out.buffer).setUint32(1, message.length, false);
  out.set(message, MESSAGE_PREFIX_BYTES);
  return out;
}

/**
 * The bytes of `parts` one after the other (several framed messages as one body); one part is returned as is.
 *
 * @example
 * ```ts
 * import { concatBytes } from "./framing.ts";
 * concatBytes([Uint8Array.of(1), Uint8Array.of(2, 3)]); // Uint8Array [1, 2, 3]
 * ```
 */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Called with each whole message a `MessageReader` keeps (`compressed`: its flag was set). */
export type MessageCallback = (message: Uint8Array, compressed: boolean) => void;

/**
 * Reads the messages of one response at a time (`reset()` between calls);
 * a stream's `H2DataSink`. Counting allocates nothing; `keep` copies each
 * message out for `onMessage` (scenarios decode them).
 *
 * @example
 * ```ts
 * import { frameMessage, MessageReader } from "./framing.ts";
 * const reader = new MessageReader();
 * const bytes = frameMessage(Uint8Array.of(1, 2, 3));
 * reader.onBytes(bytes, 0, 4);
 * reader.onBytes(bytes, 4, bytes.length - 4);
 * reader.messages; // 1
 * ```
 */
export class MessageReader implements H2DataSink {
  /** Whole messages read since the last reset. */
  messages = 0;
  /** Called once per response when its first whole message arrives (streaming latency), or null. */
  onFirst: (() => void) | null = null;
  /** Keeps each message and hands it over, or null to count only. */
  onMessage: MessageCallback | null = null;
  /** Largest message accepted when keeping them (bytes). */
  maxKeep = 64 * 1024 * 1024;
  #head = 0; // prefix bytes read of the current message
  #length = 0; // the current message's length (while reading its body)
  #left = 0; // body bytes still to come
  #compressed = false;
  #buf: Uint8Array | null = null;
  #fill = 0;

  /** Forgets the previous response. */
  reset(): void {
    this.messages = 0;
    this.#head = 0;
    this.#left = 0;
    this.#fill = 0;
  }

  /** Whether the response ended inside a message (a truncated message). */
  get partial(): boolean {
    return this.#head > 0 || this.#left > 0;
  }

  /** Response data, in order. */
  onBytes(bytes: Uint8Array, start: number, length: number): void {
    let p = start;
    const end = start + length;
    while (p < end) {
      if (this.#left === 0 && this.#head < MESSAGE_PREFIX_BYTES) {
        const b = bytes[p++];
        if (this.#head === 0) {
          this.#compressed = b === 1;
          this.#length = 0;
        } else this.#length = this.#length * 256 + b;
        if (++this.#head < MESSAGE_PREFIX_BYTES) continue;
        this.#left = this.#length;
        this.#fill = 0;
        if (this.onMessage !== null && this.#length <= this.maxKeep) {
          if (this.#buf === null || this.#buf.length < this.#length) this.#buf = new Uint8Array(this.#length);
        }
        if (this.#left === 0) this.#whole();
        continue;
      }
      const take = Math.min(this.#left, end - p);
      if (this.onMessage !== null && this.#buf !== null && this.#length <= this.maxKeep) {
        this.#buf.set(bytes.subarray(p, p + take), this.#fill);
        this.#fill += take;
      }
      this.#left -= take;
      p += take;
      if (this.#left === 0) this.#whole();
    }
  }

  #whole(): void {
    this.#head = 0;
    if (++this.messages === 1 && this.onFirst !== null) this.onFirst();
    if (this.onMessage !== null) {
      this.onMessage(
        this.#buf === null ? new Uint8Array(0) : this.#buf.slice(0, this.#length),
        this.#compressed,
      );
    }
  }
}
