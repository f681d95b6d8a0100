/**
 * HPACK decoder for response header blocks (RFC 7541): indexed fields,
 * literals with and without indexing, Huffman strings, the dynamic table with
 * size updates and eviction. Only `:status` and `content-length` are turned
 * into values; the other fields are kept as bytes (in the dynamic table when
 * the encoder indexed them), so decoding the usual response allocates nothing.
 *
 * @module
 */
import { huffmanDecode, huffmanValid } from "./_huffman.ts";
import { copyBytes } from "./_frames.ts";
import {
  STATIC_CONTENT_LENGTH,
  STATIC_COUNT,
  STATIC_NAME_BYTES,
  STATIC_VALUE_BYTES,
} from "./_hpack_static.ts";

/** Per-entry overhead counted in the table size (RFC 7541 §4.1). */
const ENTRY_OVERHEAD = 32;
const KIND_OTHER = 0;
const KIND_STATUS = 1;
const KIND_CONTENT_LENGTH = 2;
// gRPC's response fields (read only for them: a plain HTTP/2 response never has them).
const KIND_GRPC_STATUS = 3;
const KIND_GRPC_MESSAGE = 4;
// Always read: a text/event-stream response is timed event by event.
const KIND_CONTENT_TYPE = 5;
/** Static table index of `content-type` (RFC 7541 Appendix A). */
const STATIC_CONTENT_TYPE = 31;
const EVENT_STREAM = new TextEncoder().encode("text/event-stream");
const STATUS_NAME = new TextEncoder().encode(":status");
const CONTENT_LENGTH_NAME = new TextEncoder().encode("content-length");
const GRPC_STATUS_NAME = new TextEncoder().encode("grpc-status");
const GRPC_MESSAGE_NAME = new TextEncoder().encode("grpc-message");
const CONTENT_TYPE_NAME = new TextEncoder().encode("content-type");
const GRPC_TYPE = new TextEncoder().encode("application/grpc");
const MISPLACED_PSEUDO = "a pseudo-header after a regular field, or an unknown pseudo-header";
const INVALID_LENGTH = "an invalid content-length";
const CONFLICTING_LENGTHS = "two different content-length values";

function sameBytes(a: Uint8Array, aStart: number, aLen: number, b: Uint8Array): boolean {
  if (aLen !== b.length) return false;
  for (let i = 0; i < aLen; i++) if (a[aStart + i] !== b[i]) return false;
  return true;
}

function kindOf(bytes: Uint8Array, start: number, length: number): number {
  if (sameBytes(bytes, start, length, STATUS_NAME)) return KIND_STATUS;
  if (sameBytes(bytes, start, length, CONTENT_LENGTH_NAME)) return KIND_CONTENT_LENGTH;
  if (sameBytes(bytes, start, length, GRPC_STATUS_NAME)) return KIND_GRPC_STATUS;
  if (sameBytes(bytes, start, length, GRPC_MESSAGE_NAME)) return KIND_GRPC_MESSAGE;
  if (sameBytes(bytes, start, length, CONTENT_TYPE_NAME)) return KIND_CONTENT_TYPE;
  return KIND_OTHER;
}

/** Whether a content-type value is `text/event-stream`, alone or with parameters (case-insensitive). */
function isEventStream(v: Uint8Array, start: number, length: number): boolean {
  const n = EVENT_STREAM.length;
  if (length < n) return false;
  for (let i = 0; i < n; i++) {
    let c = v[start + i];
    if (c >= 65 && c <= 90) c |= 0x20;
    if (c !== EVENT_STREAM[i]) return false;
  }
  const next = length === n ? 59 : v[start + n];
  return next === 59 /* ; */ || next === 32 || next === 9;
}

/**
 * Decodes header blocks of one connection (the dynamic table lives as long as
 * the connection). After a successful `decode`, `status` and `contentLength`
 * describe the block.
 *
 * @example
 * ```ts
 * import { HpackDecoder } from "./_hpack_decoder.ts";
 * const decoder = new HpackDecoder();
 * decoder.decode(Uint8Array.of(0x88), 0, 1); // true: ":status: 200" from the static table
 * decoder.status; // 200
 * ```
 */
export class HpackDecoder {
  /** `:status` of the last decoded block, 0 when it had none (or it was not 3 digits). */
  status = 0;
  /** `content-length` of the last decoded block, -1 when absent or not a number. */
  contentLength = -1;
  /** Whether the last decoded block's `content-type` is `text/event-stream`. */
  eventStream = false;
  /**
   * Whether the last block is a malformed response head (RFC 9113 §8.1.1, §8.3): a pseudo-header
   * after a regular field, an unknown pseudo-header, an invalid content-length, or two different ones.
   */
  malformed = false;
  /** Why the last block is malformed (a constant string), "" when it is not. */
  malformedReason = "";
  /** Whether `grpcStatus`, `grpcMessage` and `contentType` are read (a gRPC connection); off by default. */
  readGrpc = false;
  /** `grpc-status` of the last decoded block, -1 when absent (or not a number). */
  grpcStatus = -1;
  /** `grpc-message` of the last decoded block as sent (percent-encoded), "" when absent. */
  grpcMessage = "";
  /** `content-type` of the last block: 0 absent, 1 application/grpc[+...], 2 something else. */
  contentType = 0;
  /** When set, called with every decoded field (tests and diagnostics; allocates strings). */
  onField: ((name: string, value: string) => void) | null = null;

  /** The size limit we announced (SETTINGS_HEADER_TABLE_SIZE): updates may not exceed it. */
  readonly #limit: number;
  #maxSize: number;
  #size = 0;
  // Entry metadata in a ring, newest at #head; at most #limit / 32 entries fit.
  readonly #offsets: Int32Array;
  readonly #nameLengths: Int32Array;
  readonly #valueLengths: Int32Array;
  readonly #kinds: Uint8Array;
  #head = 0;
  #count = 0;
  // Entry bytes (name then value) appended at #tail, oldest first; compacted when full.
  readonly #bytes: Uint8Array;
  #tail = 0;
  #nameScratch = new Uint8Array(256);
  #valueScratch = new Uint8Array(256);
  readonly #text = new TextDecoder();

  /** @param maxTableSize SETTINGS_HEADER_TABLE_SIZE as announced to the peer (default 4096). */
  constructor(maxTableSize = 4096) {
    this.#limit = maxTableSize;
    this.#maxSize = maxTableSize;
    const entries = Math.floor(maxTableSize / ENTRY_OVERHEAD) + 1;
    this.#offsets = new Int32Array(entries);
    this.#nameLengths = new Int32Array(entries);
    this.#valueLengths = new Int32Array(entries);
    this.#kinds = new Uint8Array(entries);
    this.#bytes = new Uint8Array(2 * maxTableSize + 64);
  }

  /** Empties the dynamic table and restores the announced size limit (a new connection). */
  reset(): void {
    this.#maxSize = this.#limit;
    this.#size = 0;
    this.#count = 0;
    this.#tail = 0;
  }

  /** Current size of the dynamic table (RFC 7541 §4.1). */
  get tableSize(): number {
    return this.#size;
  }

  /** Number of entries in the dynamic table. */
  get tableLength(): number {
    return this.#count;
  }

  /**
   * Dynamic table entry `i` (1 = newest) as strings (tests and diagnostics).
   *
   * @example
   * ```ts
   * import { HpackDecoder } from "./_hpack_decoder.ts";
   * new HpackDecoder().tableEntry(1); // undefined: the table is empty
   * ```
   */
  tableEntry(i: number): [string, string] | undefined {
    if (i < 1 || i > this.#count) return undefined;
    const slot = this.#slot(i);
    const off = this.#offsets[slot];
    const nl = this.#nameLengths[slot];
    return [
      this.#text.decode(this.#bytes.subarray(off, off + nl)),
      this.#text.decode(this.#bytes.subarray(off + nl, off + nl + this.#valueLengths[slot])),
    ];
  }

  /**
   * Decodes the complete header block `block[start, end)`. Returns false on a
   * decoding error (a COMPRESSION_ERROR: the connection cannot go on).
   */
  decode(block: Uint8Array, start: number, end: number): boolean {
    this.status = 0;
    this.contentLength = -1;
    this.eventStream = false;
    this.malformed = false;
    this.malformedReason = "";
    this.grpcStatus = -1;
    this.grpcMessage = "";
    this.contentType = 0;
    let p = start;
    let fields = 0;
    let regularSeen = false;
    while (p < end) {
      const b = block[p];
      let kind = KIND_OTHER;
      // Where the field's value and name are (src, start, length); names only when needed.
      let vSrc: Uint8Array;
      let vStart: number;
      let vLen: number;
      let nSrc: Uint8Array | null = null;
      let nStart = 0;
      let nLen = 0;
      let index: boolean;
      if (b & 0x80) {
        // Indexed header field.
        const idx = this.#readInt(block, p, end, 7);
        if (idx <= 0) return false;
        p = this.#next;
        if (idx <= STATIC_COUNT) {
          nSrc = STATIC_NAME_BYTES[idx];
          nLen = nSrc.length;
          vSrc = STATIC_VALUE_BYTES[idx];
          vStart = 0;
          vLen = vSrc.length;
          kind = idx >= 8 && idx <= 14
            ? KIND_STATUS
            : idx === STATIC_CONTENT_LENGTH
            ? KIND_CONTENT_LENGTH
            : idx === STATIC_CONTENT_TYPE
            ? KIND_CONTENT_TYPE
            : KIND_OTHER;
        } else {
          if (idx - STATIC_COUNT > this.#count) return false;
          const slot = this.#slot(idx - STATIC_COUNT);
          nSrc = this.#bytes;
          nStart = this.#offsets[slot];
          nLen = this.#nameLengths[slot];
          vSrc = this.#bytes;
          vStart = nStart + nLen;
          vLen = this.#valueLengths[slot];
          kind = this.#kinds[slot];
        }
        index = false;
      } else if ((b & 0xe0) === 0x20) {
        // Dynamic table size update: only before the first field.
        if (fields > 0) return false;
        const size = this.#readInt(block, p, end, 5);
        if (size < 0 || size > this.#limit) return false;
        p = this.#next;
        this.#maxSize = size;
        this.#evictTo(size);
        continue;
      } else {
        index = (b & 0xc0) === 0x40;
        const nameIdx = this.#readInt(block, p, end, index ? 6 : 4);
        if (nameIdx < 0) return false;
        p = this.#next;
        if (nameIdx === 0) {
          if (!this.#readString(block, p, end, true)) return false;
          p = this.#next;
          nSrc = this.#strSrc;
          nStart = this.#strStart;
          nLen = this.#strLen;
          kind = kindOf(nSrc, nStart, nLen);
        } else if (nameIdx <= STATIC_COUNT) {
          nSrc = STATIC_NAME_BYTES[nameIdx];
          nLen = nSrc.length;
          kind = nameIdx >= 8 && nameIdx <= 14
            ? KIND_STATUS
            : nameIdx === STATIC_CONTENT_LENGTH
            ? KIND_CONTENT_LENGTH
            : nameIdx === STATIC_CONTENT_TYPE
            ? KIND_CONTENT_TYPE
            : KIND_OTHER;
        } else {
          if (nameIdx - STATIC_COUNT > this.#count) return false;
          const slot = this.#slot(nameIdx - STATIC_COUNT);
          nLen = this.#nameLengths[slot];
          // Copied out: inserting this field may evict the entry the name comes from.
          if (this.#nameScratch.length < nLen) this.#nameScratch = new Uint8Array(nLen * 2);
          copyBytes(this.#bytes, this.#offsets[slot], nLen, this.#nameScratch, 0);
          nSrc = this.#nameScratch;
          kind = this.#kinds[slot];
        }
        // A value nobody reads (not indexed, not :status or content-length) is skipped undecoded.
        const grpcOnly = kind === KIND_GRPC_STATUS || kind === KIND_GRPC_MESSAGE;
        const skip = !index && (kind === KIND_OTHER || (grpcOnly && !this.readGrpc)) && this.onField === null;
        if (!this.#readString(block, p, end, false, skip)) return false;
        p = this.#next;
        vSrc = this.#strSrc;
        vStart = this.#strStart;
        vLen = this.#strLen;
      }
      fields++;
      if (nLen > 0 && nSrc[nStart] === 0x3a /* ':' */) {
        if (regularSeen || kind !== KIND_STATUS) this.#malformed(MISPLACED_PSEUDO);
      } else regularSeen = true;
      if (kind === KIND_STATUS) this.status = parseStatus(vSrc, vStart, vLen);
      else if (kind === KIND_CONTENT_TYPE) {
        this.eventStream = isEventStream(vSrc, vStart, vLen);
        if (this.readGrpc) this.#grpcField(kind, vSrc, vStart, vLen);
      } else if (kind === KIND_CONTENT_LENGTH) {
        const length = parseLength(vSrc, vStart, vLen);
        if (length < 0) this.#malformed(INVALID_LENGTH);
        // The same value repeated is kept, as the HTTP/1.1 parser does (RFC 9110 §8.6 allows either);
        // two different values leave the body's length unknown.
        else if (this.contentLength >= 0 && this.contentLength !== length) {
          this.#malformed(CONFLICTING_LENGTHS);
        } else this.contentLength = length;
      } else if ((kind === KIND_GRPC_STATUS || kind === KIND_GRPC_MESSAGE) && this.readGrpc) {
        this.#grpcField(kind, vSrc, vStart, vLen);
      }
      if (this.onField !== null) {
        this.onField(
          this.#text.decode(nSrc.subarray(nStart, nStart + nLen)),
          this.#text.decode(vSrc.subarray(vStart, vStart + vLen)),
        );
      }
      if (index) this.#insert(nSrc, nStart, nLen, vSrc, vStart, vLen, kind);
    }
    return true;
  }

  #grpcField(kind: number, src: Uint8Array, start: number, len: number): void {
    if (kind === KIND_GRPC_STATUS) this.grpcStatus = parseLength(src, start, len);
    else if (kind === KIND_GRPC_MESSAGE) {
      // Read only when the call failed (or its status is still to come): an OK call allocates nothing here.
      if (this.grpcStatus !== 0) this.grpcMessage = this.#text.decode(src.subarray(start, start + len));
    } else {
      let grpc = len >= GRPC_TYPE.length;
      for (let i = 0; grpc && i < GRPC_TYPE.length; i++) grpc = src[start + i] === GRPC_TYPE[i];
      this.contentType = grpc ? 1 : 2;
    }
  }

  #malformed(reason: string): void {
    // The first reason found is the one reported.
    if (!this.malformed) this.malformedReason = reason;
    this.malformed = true;
  }

  // Results of #readInt / #readString (fields, so that reading allocates nothing).
  #next = 0;
  #strSrc: Uint8Array = new Uint8Array(0);
  #strStart = 0;
  #strLen = 0;

  /** Reads an integer with an N-bit prefix at `p`; -1 on truncation or overflow. Sets #next. */
  #readInt(src: Uint8Array, p: number, end: number, prefixBits: number): number {
    const max = (1 << prefixBits) - 1;
    let value = src[p++] & max;
    if (value < max) {
      this.#next = p;
      return value;
    }
    let shift = 0;
    while (true) {
      if (p >= end || shift > 28) return -1;
      const b = src[p++];
      value += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if ((b & 0x80) === 0) break;
    }
    if (value > 0x7fffffff) return -1;
    this.#next = p;
    return value;
  }

  /** Reads a string literal at `p` into #strSrc/#strStart/#strLen (decoding Huffman). Sets #next. */
  #readString(src: Uint8Array, p: number, end: number, isName: boolean, skip = false): boolean {
    if (p >= end) return false;
    const huffman = (src[p] & 0x80) !== 0;
    const len = this.#readInt(src, p, end, 7);
    if (len < 0) return false;
    p = this.#next;
    if (len > end - p) return false;
    this.#next = p + len;
    // A skipped Huffman value is still checked (RFC 7541 §5.2): a bad one is a decoding error.
    if (huffman && skip && !huffmanValid(src, p, p + len)) return false;
    if (!huffman || skip) {
      this.#strSrc = src;
      this.#strStart = p;
      this.#strLen = len;
      return true;
    }
    // Every code is at least 5 bits: at most 8/5 output bytes per input byte.
    const need = Math.ceil((len * 8) / 5);
    let out = isName ? this.#nameScratch : this.#valueScratch;
    if (out.length < need) {
      out = new Uint8Array(need * 2);
      if (isName) this.#nameScratch = out;
      else this.#valueScratch = out;
    }
    const n = huffmanDecode(src, p, p + len, out);
    if (n < 0) return false;
    this.#strSrc = out;
    this.#strStart = 0;
    this.#strLen = n;
    return true;
  }

  /** Ring slot of dynamic entry `i` (1 = newest). */
  #slot(i: number): number {
    const cap = this.#offsets.length;
    return (this.#head - (i - 1) + cap) % cap;
  }

  #evictTo(limit: number): void {
    while (this.#size > limit && this.#count > 0) {
      const slot = this.#slot(this.#count);
      this.#size -= this.#nameLengths[slot] + this.#valueLengths[slot] + ENTRY_OVERHEAD;
      this.#count--;
    }
    if (this.#count === 0) this.#tail = 0;
  }

  #insert(
    nSrc: Uint8Array,
    nStart: number,
    nLen: number,
    vSrc: Uint8Array,
    vStart: number,
    vLen: number,
    kind: number,
  ): void {
    const entrySize = nLen + vLen + ENTRY_OVERHEAD;
    if (entrySize > this.#maxSize) {
      // Too big for the table: the table is emptied and nothing is added (RFC 7541 §4.4).
      this.#evictTo(0);
      return;
    }
    this.#evictTo(this.#maxSize - entrySize);
    const bytes = this.#bytes;
    if (this.#tail + nLen + vLen > bytes.length) this.#compact();
    const off = this.#tail;
    // Values may live in this table's own buffer (an indexed value re-inserted never happens:
    // only literals are inserted, and their bytes are in the block or a scratch buffer).
    copyBytes(nSrc, nStart, nLen, bytes, off);
    copyBytes(vSrc, vStart, vLen, bytes, off + nLen);
    this.#tail = off + nLen + vLen;
    const cap = this.#offsets.length;
    this.#head = (this.#head + 1) % cap;
    const slot = this.#head;
    this.#offsets[slot] = off;
    this.#nameLengths[slot] = nLen;
    this.#valueLengths[slot] = vLen;
    this.#kinds[slot] = kind;
    this.#count++;
    this.#size += entrySize;
  }

  /** Moves the live entries' bytes to the front of the buffer. */
  #compact(): void {
    if (this.#count === 0) {
      this.#tail = 0;
      return;
    }
    const oldest = this.#offsets[this.#slot(this.#count)];
    this.#bytes.copyWithin(0, oldest, this.#tail);
    for (let i = 1; i <= this.#count; i++) this.#offsets[this.#slot(i)] -= oldest;
    this.#tail -= oldest;
  }
}

function parseStatus(src: Uint8Array, start: number, len: number): number {
  if (len !== 3) return 0;
  const a = src[start] - 48;
  const b = src[start + 1] - 48;
  const c = src[start + 2] - 48;
  if (a < 1 || a > 9 || b < 0 || b > 9 || c < 0 || c > 9) return 0;
  return a * 100 + b * 10 + c;
}

function parseLength(src: Uint8Array, start: number, len: number): number {
  if (len === 0 || len > 15) return -1;
  let n = 0;
  for (let i = 0; i < len; i++) {
    const d = src[start + i] - 48;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}
