/**
 * An incremental HTTP/1.1 response parser for the raw-socket client. It scans
 * bytes as they arrive (responses split across any number of reads, or several
 * in one read), finds only what the client needs (status, Content-Length,
 * Transfer-Encoding: chunked, Connection) and counts body bytes without
 * decoding them. It allocates nothing per response: header lines split across
 * reads are copied into one reused line buffer.
 *
 * @module
 */

const S_STATUS = 0;
const S_HEADER = 1;
const S_FIXED = 2;
const S_CHUNK_SIZE = 3;
const S_CHUNK_DATA = 4;
const S_CHUNK_END = 5;
const S_TRAILER = 6;
const S_UNTIL_CLOSE = 7;
const S_ERROR = 8;

const NO_LINE = new Uint8Array(0);

/** What a parser hands the body to (a `StreamTimer`); declared here so the parser imports nothing. */
export interface ResponseBodyTap {
  /** The final head ended; `eventStream` when its content type is `text/event-stream`. */
  head(eventStream: boolean): void;
  /** Body bytes `buf[start, end)`, de-chunked. */
  body(buf: Uint8Array, start: number, end: number): void;
}

/** Longest line kept whole; longer lines are kept truncated (fine for all but the headers we read). */
const MAX_LINE = 8192;
/** Largest response head accepted before the response is declared malformed. */
const MAX_HEAD_BYTES = 256 * 1024;

const CR = 13;
const LF = 10;
const SP = 32;
const HT = 9;
const COMMA = 44;
const SEMICOLON = 59;
const EQUALS = 61;
const DQUOTE = 34;
const BACKSLASH = 92;

/** RFC 9110 §5.6.2 tchar, by byte: 1 for the characters a token may hold. */
const TCHAR = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") {
  TCHAR[c.charCodeAt(0)] = 1;
}

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}
const CONTENT_LENGTH = ascii("content-length");
const TRANSFER_ENCODING = ascii("transfer-encoding");
const CONNECTION = ascii("connection");
const CHUNKED = ascii("chunked");
const CLOSE = ascii("close");
const KEEP_ALIVE = ascii("keep-alive");
const CONTENT_TYPE = ascii("content-type");
const EVENT_STREAM = ascii("text/event-stream");

/** Case-insensitive comparison of `src[start, start + word.length)` with a lower-case ASCII `word`. */
function matchesAt(src: Uint8Array, start: number, word: Uint8Array): boolean {
  for (let i = 0; i < word.length; i++) {
    let c = src[start + i];
    if (c >= 65 && c <= 90) c |= 0x20;
    if (c !== word[i]) return false;
  }
  return true;
}

/** Position after the optional whitespace (OWS, BWS) at `src[i, end)`. */
function skipSpace(src: Uint8Array, i: number, end: number): number {
  while (i < end && (src[i] === SP || src[i] === HT)) i++;
  return i;
}

/** Position after the token at `src[i, end)` (equal to `i` when there is none). */
function skipToken(src: Uint8Array, i: number, end: number): number {
  while (i < end && TCHAR[src[i]] === 1) i++;
  return i;
}

/** Position after the quoted-string starting at `src[i]` (a `"`), or -1 when it does not end. */
function skipQuoted(src: Uint8Array, i: number, end: number): number {
  for (i++; i < end; i++) {
    const c = src[i];
    if (c === DQUOTE) return i + 1;
    if (c === BACKSLASH) {
      if (++i === end || (src[i] < SP && src[i] !== HT) || src[i] === 127) return -1;
    } else if ((c < SP && c !== HT) || c === 127) return -1;
  }
  return -1;
}

/**
 * Position after `;` parameters at `src[i, end)` (RFC 9112 §6.1 transfer-parameter, §7.1.1 chunk-ext):
 * `*( OWS ";" OWS name [ OWS "=" OWS ( token / quoted-string ) ] )`, the value required when
 * `valueRequired`. Returns -1 when a parameter is malformed; stops before anything that is not a `;`.
 */
function skipParameters(src: Uint8Array, i: number, end: number, valueRequired: boolean): number {
  for (;;) {
    let j = skipSpace(src, i, end);
    if (j === end || src[j] !== SEMICOLON) return i;
    j = skipSpace(src, j + 1, end);
    const name = j;
    j = skipToken(src, j, end);
    if (j === name) return -1;
    const afterName = j;
    j = skipSpace(src, j, end);
    if (j < end && src[j] === EQUALS) {
      j = skipSpace(src, j + 1, end);
      if (j < end && src[j] === DQUOTE) j = skipQuoted(src, j, end);
      else if (skipToken(src, j, end) === j) return -1;
      else j = skipToken(src, j, end);
      if (j < 0) return -1;
      i = j;
    } else if (valueRequired) return -1;
    else i = afterName;
  }
}

const TE_NONE = 0; // the list holds no coding (only empty elements)
const TE_CHUNKED = 1;
const TE_OTHER = 2;
const TE_INVALID = 3;

/**
 * The final coding of a Transfer-Encoding value `src[s, e)`: a comma-separated list of codings
 * (RFC 9112 §6.1), each a case-insensitive token with optional parameters; empty elements are
 * ignored (RFC 9110 §5.6.1). TE_CHUNKED only when the last coding's name is exactly `chunked`.
 */
function finalCoding(src: Uint8Array, s: number, e: number): number {
  let last = TE_NONE;
  let i = s;
  while (i < e) {
    const c = src[i];
    if (c === SP || c === HT || c === COMMA) {
      i++;
      continue;
    }
    const name = i;
    i = skipToken(src, i, e);
    if (i === name) return TE_INVALID;
    last = i - name === CHUNKED.length && matchesAt(src, name, CHUNKED) ? TE_CHUNKED : TE_OTHER;
    i = skipParameters(src, i, e, true);
    if (i < 0) return TE_INVALID;
    i = skipSpace(src, i, e);
    if (i < e && src[i] !== COMMA) return TE_INVALID;
  }
  return last;
}

/** Whether the lower-case `word` occurs in `src[start, end)`, case-insensitively. */
function contains(src: Uint8Array, start: number, end: number, word: Uint8Array): boolean {
  for (let i = start; i + word.length <= end; i++) {
    if (matchesAt(src, i, word)) return true;
  }
  return false;
}

/**
 * Parses a stream of HTTP/1.1 responses. Feed it bytes with `feed`; after a
 * call that returns with `complete` set, `status`, `bodyBytes` and `keepAlive`
 * describe the response that just ended, and the returned position is the
 * first byte after it.
 *
 * @example
 * ```ts
 * import { ResponseParser } from "./_response_parser.ts";
 * const parser = new ResponseParser();
 * const bytes = new TextEncoder().encode("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
 * const next = parser.feed(bytes, 0, bytes.length);
 * console.log(next, parser.complete, parser.status, parser.bodyBytes); // 40 true 200 2
 * ```
 */
export class ResponseParser {
  /** Set by `feed`/`finish` when a response completed. */
  complete = false;
  /** Status code of the completed response. */
  status = 0;
  /** Body bytes of the completed response (decoded from chunked framing). */
  bodyBytes = 0;
  /** Whether the connection may carry another request after the completed response. */
  keepAlive = true;
  /** Why parsing failed (a constant string), once `feed` returned -1. */
  error = "";
  /** Gets the head's content type and the body bytes as they pass (stream timing), or null. */
  tap: ResponseBodyTap | null = null;

  private state = S_STATUS;
  private noResponseBody = false;
  // Allocated on the first line split across reads: most connections never need it, and 8 KiB
  // per connection is 80 MiB at 10,000 connections.
  private line: Uint8Array = NO_LINE;
  private lineLength = 0; // bytes of the current line seen so far (may exceed MAX_LINE)
  private headBytes = 0;
  private started = false;
  private contentLength = -1;
  private chunked = false;
  private otherEncoding = false;
  private remaining = 0;
  private httpMinor = 1;
  private connectionClose = false;
  private connectionKeepAlive = false;
  private received = 0; // body bytes so far (chunked or close-delimited bodies)
  private eventStream = false;

  /**
   * Starts over for a new connection. `noResponseBody` is true for HEAD
   * requests, whose responses carry headers only.
   *
   * @example
   * ```ts
   * import { ResponseParser } from "./_response_parser.ts";
   * const parser = new ResponseParser();
   * parser.reset(true); // HEAD
   * ```
   */
  reset(noResponseBody = false): void {
    this.noResponseBody = noResponseBody;
    this.complete = false;
    this.error = "";
    this.startResponse();
  }

  /**
   * Whether part of a response has been received but not all of it.
   *
   * @example
   * ```ts
   * import { ResponseParser } from "./_response_parser.ts";
   * console.log(new ResponseParser().midResponse); // false
   * ```
   */
  get midResponse(): boolean {
    return this.started;
  }

  /**
   * Consumes `buf[pos, end)` until one response completes or the bytes run
   * out. Returns the position after the consumed bytes (check `complete`), or
   * -1 when the response is malformed (see `error`; the parser then stays failed
   * until `reset`).
   *
   * @example
   * ```ts
   * import { ResponseParser } from "./_response_parser.ts";
   * const parser = new ResponseParser();
   * const a = new TextEncoder().encode("HTTP/1.1 204 No Content\r\n\r\n");
   * parser.feed(a, 0, a.length);
   * console.log(parser.complete, parser.status); // true 204
   * ```
   */
  feed(buf: Uint8Array, pos: number, end: number): number {
    this.complete = false;
    if (this.state === S_ERROR) return -1;
    if (pos < end) this.started = true;
    while (pos < end) {
      const state = this.state;
      if (state === S_FIXED || state === S_CHUNK_DATA) {
        const available = end - pos;
        const take = available < this.remaining ? available : this.remaining;
        if (this.tap !== null) this.tap.body(buf, pos, pos + take);
        pos += take;
        this.remaining -= take;
        if (this.remaining === 0) {
          if (state === S_FIXED) {
            this.finishResponse(this.contentLength);
            return pos;
          }
          this.state = S_CHUNK_END;
        }
        continue;
      }
      if (state === S_UNTIL_CLOSE) {
        if (this.tap !== null) this.tap.body(buf, pos, end);
        this.received += end - pos;
        return end;
      }
      // Line-oriented states: find the end of the line.
      let nl = pos;
      while (nl < end && buf[nl] !== LF) nl++;
      if (nl === end) {
        this.appendLine(buf, pos, end);
        if (!this.countHead(end - pos)) return -1;
        return end;
      }
      if (!this.countHead(nl + 1 - pos)) return -1;
      let ok: boolean;
      // A line longer than MAX_LINE goes through the truncating path even when it arrived whole,
      // so that the outcome never depends on how the bytes were split into reads.
      if (this.lineLength === 0 && nl - pos <= MAX_LINE) {
        ok = this.onLine(buf, pos, nl > pos && buf[nl - 1] === CR ? nl - 1 : nl);
      } else {
        this.appendLine(buf, pos, nl);
        let lineEnd = this.lineLength < MAX_LINE ? this.lineLength : MAX_LINE;
        if (this.lineLength <= MAX_LINE && lineEnd > 0 && this.line[lineEnd - 1] === CR) lineEnd--;
        const truncated = this.lineLength > MAX_LINE;
        this.lineLength = 0;
        ok = truncated ? this.onTruncatedLine() : this.onLine(this.line, 0, lineEnd);
      }
      pos = nl + 1;
      if (!ok) {
        this.state = S_ERROR;
        return -1;
      }
      if (this.complete) return pos;
    }
    return pos;
  }

  /**
   * Tells the parser that the peer closed the connection. Returns true when
   * that ends the current response normally (a body delimited by the close);
   * `complete`, `status` and `bodyBytes` then describe it.
   *
   * @example
   * ```ts
   * import { ResponseParser } from "./_response_parser.ts";
   * const parser = new ResponseParser();
   * const a = new TextEncoder().encode("HTTP/1.0 200 OK\r\n\r\nhello");
   * parser.feed(a, 0, a.length);
   * console.log(parser.finish(), parser.bodyBytes); // true 5
   * ```
   */
  finish(): boolean {
    this.complete = false;
    if (this.state !== S_UNTIL_CLOSE) return false;
    this.finishResponse(this.received);
    return true;
  }

  private startResponse(): void {
    this.state = S_STATUS;
    this.lineLength = 0;
    this.headBytes = 0;
    this.started = false;
    this.resetHead();
  }

  private resetHead(): void {
    this.contentLength = -1;
    this.chunked = false;
    this.otherEncoding = false;
    this.connectionClose = false;
    this.connectionKeepAlive = false;
    this.received = 0;
    this.eventStream = false;
  }

  private finishResponse(bodyBytes: number): void {
    this.complete = true;
    this.bodyBytes = bodyBytes;
    this.keepAlive = this.state !== S_UNTIL_CLOSE && !this.connectionClose &&
      (this.httpMinor >= 1 || this.connectionKeepAlive);
    this.startResponse();
  }

  private countHead(n: number): boolean {
    if (this.state !== S_STATUS && this.state !== S_HEADER && this.state !== S_TRAILER) return true;
    this.headBytes += n;
    if (this.headBytes > MAX_HEAD_BYTES) {
      this.error = "response head too large";
      this.state = S_ERROR;
      return false;
    }
    return true;
  }

  private appendLine(buf: Uint8Array, start: number, end: number): void {
    const room = MAX_LINE - this.lineLength;
    if (room > 0) {
      if (this.line === NO_LINE) this.line = new Uint8Array(MAX_LINE);
      const n = end - start < room ? end - start : room;
      this.line.set(buf.subarray(start, start + n), this.lineLength);
    }
    this.lineLength += end - start;
  }

  private onTruncatedLine(): boolean {
    // Only a header we do not read may be this long; a truncated status or size line is malformed.
    if (this.state === S_HEADER || this.state === S_TRAILER) {
      if (matchesAt(this.line, 0, CONTENT_LENGTH) || matchesAt(this.line, 0, TRANSFER_ENCODING)) {
        this.error = "header line too long";
        return false;
      }
      return true;
    }
    this.error = "line too long";
    return false;
  }

  /** Handles one complete line `src[s, e)` (without CR LF). */
  private onLine(src: Uint8Array, s: number, e: number): boolean {
    switch (this.state) {
      case S_STATUS:
        return e === s ? true : this.onStatusLine(src, s, e);
      case S_HEADER:
        return e === s ? this.onHeadEnd() : this.onHeaderLine(src, s, e);
      case S_CHUNK_SIZE:
        return this.onChunkSizeLine(src, s, e);
      case S_CHUNK_END:
        if (e !== s) {
          this.error = "missing CRLF after chunk data";
          return false;
        }
        this.state = S_CHUNK_SIZE;
        return true;
      case S_TRAILER:
        if (e === s) this.finishResponse(this.received);
        return true;
    }
    this.error = "unexpected state";
    return false;
  }

  private onStatusLine(src: Uint8Array, s: number, e: number): boolean {
    // "HTTP/1.x SSS[ reason]"
    if (
      e - s < 12 || src[s] !== 72 || src[s + 1] !== 84 || src[s + 2] !== 84 || src[s + 3] !== 80 ||
      src[s + 4] !== 47 || src[s + 5] !== 49 || src[s + 6] !== 46 || src[s + 8] !== SP ||
      (e - s > 12 && src[s + 12] !== SP)
    ) {
      this.error = "malformed status line";
      return false;
    }
    const minor = src[s + 7] - 48;
    const d0 = src[s + 9] - 48, d1 = src[s + 10] - 48, d2 = src[s + 11] - 48;
    if (minor < 0 || minor > 9 || d0 < 1 || d0 > 5 || d1 < 0 || d1 > 9 || d2 < 0 || d2 > 9) {
      this.error = "malformed status line";
      return false;
    }
    this.httpMinor = minor;
    this.status = d0 * 100 + d1 * 10 + d2;
    this.state = S_HEADER;
    return true;
  }

  private onHeaderLine(src: Uint8Array, s: number, e: number): boolean {
    let colon = s;
    while (colon < e && src[colon] !== 58) colon++;
    if (colon === e) {
      this.error = "header line without a colon";
      return false;
    }
    const nameLength = colon - s;
    let v = colon + 1;
    while (v < e && (src[v] === SP || src[v] === HT)) v++;
    let ve = e;
    while (ve > v && (src[ve - 1] === SP || src[ve - 1] === HT)) ve--;

    if (nameLength === CONTENT_LENGTH.length && matchesAt(src, s, CONTENT_LENGTH)) {
      if (v === ve || ve - v > 15) {
        this.error = "invalid Content-Length";
        return false;
      }
      let n = 0;
      for (let i = v; i < ve; i++) {
        const d = src[i] - 48;
        if (d < 0 || d > 9) {
          this.error = "invalid Content-Length";
          return false;
        }
        n = n * 10 + d;
      }
      if (this.contentLength >= 0 && this.contentLength !== n) {
        this.error = "conflicting Content-Length headers";
        return false;
      }
      this.contentLength = n;
    } else if (nameLength === TRANSFER_ENCODING.length && matchesAt(src, s, TRANSFER_ENCODING)) {
      // Only a final `chunked` coding frames the body. In a response, any other final coding
      // (`chunked` earlier in the list included) means the body runs until the server closes
      // (RFC 9112 §6.3 rule 4): unlike a server reading a request, which must refuse such framing
      // with 400, a client can still find the end of the body, because the server's close marks it.
      // Several Transfer-Encoding lines form one list, so the last coding seen decides.
      const coding = finalCoding(src, v, ve);
      if (coding === TE_INVALID) {
        this.error = "invalid Transfer-Encoding (not a comma-separated list of codings)";
        return false;
      }
      if (coding !== TE_NONE) this.chunked = coding === TE_CHUNKED;
      this.otherEncoding = !this.chunked;
    } else if (nameLength === CONTENT_TYPE.length && matchesAt(src, s, CONTENT_TYPE)) {
      // text/event-stream, alone or with parameters (`; charset=utf-8`).
      const n = EVENT_STREAM.length;
      this.eventStream = ve - v >= n && matchesAt(src, v, EVENT_STREAM) &&
        (ve - v === n || src[v + n] === SEMICOLON || src[v + n] === SP || src[v + n] === HT);
    } else if (nameLength === CONNECTION.length && matchesAt(src, s, CONNECTION)) {
      if (contains(src, v, ve, CLOSE)) this.connectionClose = true;
      if (contains(src, v, ve, KEEP_ALIVE)) this.connectionKeepAlive = true;
    }
    return true;
  }

  private onHeadEnd(): boolean {
    const status = this.status;
    if (status < 200) {
      if (status === 101) {
        this.error = "unexpected 101 Switching Protocols";
        return false;
      }
      // Interim response (100 Continue, 103 Early Hints): the final one follows.
      this.state = S_STATUS;
      this.headBytes = 0;
      this.resetHead();
      return true;
    }
    if (this.tap !== null) this.tap.head(this.eventStream);
    if (this.noResponseBody || status === 204 || status === 304) {
      this.finishResponse(0);
    } else if (this.chunked) {
      this.state = S_CHUNK_SIZE;
    } else if (this.otherEncoding || this.contentLength < 0) {
      this.state = S_UNTIL_CLOSE;
    } else if (this.contentLength === 0) {
      this.finishResponse(0);
    } else {
      this.remaining = this.contentLength;
      this.state = S_FIXED;
    }
    return true;
  }

  private onChunkSizeLine(src: Uint8Array, s: number, e: number): boolean {
    let size = 0;
    let digits = 0;
    let i = s;
    for (; i < e; i++) {
      let c = src[i];
      if (c >= 48 && c <= 57) c -= 48;
      else if ((c | 0x20) >= 97 && (c | 0x20) <= 102) c = (c | 0x20) - 87;
      else break;
      size = size * 16 + c;
      if (++digits > 12) break;
    }
    if (digits === 0) {
      this.error = "invalid chunk size (no hex digits)";
      return false;
    }
    if (digits > 12) {
      this.error = "invalid chunk size (more than 12 hex digits)";
      return false;
    }
    // After the digits: nothing, or chunk extensions (RFC 9112 §7.1.1), which are ignored.
    if (i < e) {
      const after = skipParameters(src, i, e, false);
      if (after < 0) {
        this.error = "invalid chunk extension (expected ;name[=value])";
        return false;
      }
      if (after < e) {
        this.error = "invalid chunk size line (junk after the size)";
        return false;
      }
    }
    if (size === 0) {
      this.state = S_TRAILER;
      this.headBytes = 0;
      return true;
    }
    this.received += size;
    this.remaining = size;
    this.state = S_CHUNK_DATA;
    return true;
  }
}
