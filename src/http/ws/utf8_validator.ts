/**
 * A streaming UTF-8 validator (RFC 3629, as the WHATWG decoder with `fatal`
 * checks it): bytes are fed in any number of pieces (a WebSocket text message
 * spread over frames and socket reads) and the state carries across them, so a
 * text message is checked as it arrives, without being buffered or decoded.
 *
 * @module
 */

/**
 * Checks UTF-8 piece by piece; `valid` turns false at the first bad byte and stays so until `reset()`.
 *
 * @example
 * ```ts
 * import { Utf8Validator } from "./utf8_validator.ts";
 * const v = new Utf8Validator();
 * v.feed(new Uint8Array([0xe2, 0x82]), 0, 2);
 * v.feed(new Uint8Array([0xac]), 0, 1); // "€" split across two pieces
 * v.complete; // true
 * ```
 */
export class Utf8Validator {
  /** Continuation bytes still expected for the current code point. */
  #need = 0;
  /** The range the next continuation byte must fall in (narrower after E0, ED, F0, F4). */
  #lo = 0x80;
  #hi = 0xbf;
  #valid = true;

  /** Whether every byte so far was valid (an unfinished code point at the end may still follow). */
  get valid(): boolean {
    return this.#valid;
  }

  /** Whether the bytes so far are valid and end on a code point boundary. */
  get complete(): boolean {
    return this.#valid && this.#need === 0;
  }

  /** Starts a new text. */
  reset(): void {
    this.#need = 0;
    this.#lo = 0x80;
    this.#hi = 0xbf;
    this.#valid = true;
  }

  /** Checks `bytes[start, end)`; returns `valid`. */
  feed(bytes: Uint8Array, start: number, end: number): boolean {
    if (!this.#valid) return false;
    let need = this.#need, lo = this.#lo, hi = this.#hi;
    let i = start;
    while (i < end) {
      const b = bytes[i++];
      if (need === 0) {
        if (b < 0x80) continue;
        if (b >= 0xc2 && b <= 0xdf) need = 1;
        else if (b === 0xe0) (need = 2), (lo = 0xa0);
        else if (b === 0xed) (need = 2), (hi = 0x9f);
        else if (b >= 0xe1 && b <= 0xef) need = 2;
        else if (b === 0xf0) (need = 3), (lo = 0x90);
        else if (b === 0xf4) (need = 3), (hi = 0x8f);
        else if (b >= 0xf1 && b <= 0xf3) need = 3;
        else return (this.#valid = false);
      } else {
        if (b < lo || b > hi) return (this.#valid = false);
        need--;
        lo = 0x80;
        hi = 0xbf;
      }
    }
    this.#need = need;
    this.#lo = lo;
    this.#hi = hi;
    return true;
  }
}
