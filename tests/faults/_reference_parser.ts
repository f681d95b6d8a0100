/**
 * A deliberately simple, whole-buffer reference for the raw client's
 * incremental response parser: it reads one response from complete bytes with
 * plain string and regex code, following the grammar the incremental parser
 * documents (status line `HTTP/1.d SSS[ reason]`, 1xx interim responses
 * skipped, 101 refused, Content-Length 1-15 digits and never conflicting,
 * Transfer-Encoding a list of codings (RFC 9112 §6.1) whose final coding is
 * `chunked`, everything else delimited by the close, chunk-size lines of 1-12
 * hex digits and valid extensions only (§7.1), lines over 8,192 bytes
 * truncated, heads over 256 KiB refused).
 *
 * @module
 */

const MAX_LINE = 8192;
const MAX_HEAD_BYTES = 256 * 1024;

const TOKEN = "[!#$%&'*+\\-.^_`|~0-9A-Za-z]+";
const QUOTED = '"(?:[\\t \\x21\\x23-\\x5b\\x5d-\\x7e\\x80-\\xff]|\\\\[\\t \\x21-\\x7e\\x80-\\xff])*"';
const PARAM = `[ \\t]*;[ \\t]*${TOKEN}[ \\t]*=[ \\t]*(?:${TOKEN}|${QUOTED})`;
const CODING = `${TOKEN}(?:${PARAM})*`;
/** A Transfer-Encoding value: codings separated by commas, empty elements allowed. */
const CODING_LIST = new RegExp(`^[ \\t,]*(?:${CODING}(?:[ \\t]*,[ \\t,]*${CODING})*[ \\t,]*)?$`);
const LAST_CODING = new RegExp(`(${TOKEN})(?:${PARAM})*[ \\t,]*$`);
const CHUNK_EXT = `[ \\t]*;[ \\t]*${TOKEN}(?:[ \\t]*=[ \\t]*(?:${TOKEN}|${QUOTED}))?`;
const CHUNK_SIZE_LINE = new RegExp(`^([0-9a-fA-F]{1,12})(?:${CHUNK_EXT})*$`);

/** "chunked", "other", "none" (no coding in the list) or "invalid". */
function finalCoding(value: string): string {
  if (!CODING_LIST.test(value)) return "invalid";
  const m = LAST_CODING.exec(value);
  if (m === null) return "none";
  return m[1].toLowerCase() === "chunked" ? "chunked" : "other";
}

/** What the reference read. */
export type ReferenceOutcome =
  | { kind: "complete"; status: number; bodyBytes: number; keepAlive: boolean; consumed: number }
  | { kind: "until-close"; status: number; bodyBytes: number }
  | { kind: "error" }
  | { kind: "incomplete" };

/** Parses one response from `text` (the bytes as latin1 characters); `head` for a HEAD request. */
export function referenceParse(text: string, head: boolean): ReferenceOutcome {
  let pos = 0;
  let headBytes = 0;
  // Reads a line (without LF and a trailing CR); null when no LF is left.
  const readLine = (): { line: string; truncated: boolean } | "error" | null => {
    const nl = text.indexOf("\n", pos);
    if (nl < 0) {
      headBytes += text.length - pos;
      return headBytes > MAX_HEAD_BYTES ? "error" : null;
    }
    headBytes += nl + 1 - pos;
    if (headBytes > MAX_HEAD_BYTES) return "error";
    const raw = text.slice(pos, nl);
    pos = nl + 1;
    if (raw.length > MAX_LINE) return { line: raw.slice(0, MAX_LINE), truncated: true };
    return { line: raw.endsWith("\r") ? raw.slice(0, -1) : raw, truncated: false };
  };
  // Chunk-framing lines do not count towards the head.
  const readFramingLine = (): { line: string; truncated: boolean } | null => {
    const nl = text.indexOf("\n", pos);
    if (nl < 0) return null;
    const raw = text.slice(pos, nl);
    pos = nl + 1;
    if (raw.length > MAX_LINE) return { line: raw.slice(0, MAX_LINE), truncated: true };
    return { line: raw.endsWith("\r") ? raw.slice(0, -1) : raw, truncated: false };
  };

  for (;;) {
    // Status line, after any empty lines.
    let status = 0;
    let minor = 1;
    for (;;) {
      const l = readLine();
      if (l === null) return { kind: "incomplete" };
      if (l === "error" || l.truncated) return { kind: "error" };
      if (l.line === "") continue;
      const m = /^HTTP\/1\.([0-9]) ([1-5][0-9][0-9])(?: [\s\S]*)?$/.exec(l.line);
      if (m === null) return { kind: "error" };
      minor = Number(m[1]);
      status = Number(m[2]);
      break;
    }
    let contentLength = -1;
    let chunked = false;
    let other = false;
    let close = false;
    let keepAliveToken = false;
    for (;;) {
      const l = readLine();
      if (l === null) return { kind: "incomplete" };
      if (l === "error") return { kind: "error" };
      if (l.truncated) {
        if (/^(content-length|transfer-encoding)/i.test(l.line)) return { kind: "error" };
        continue;
      }
      if (l.line === "") break;
      const colon = l.line.indexOf(":");
      if (colon < 0) return { kind: "error" };
      const name = l.line.slice(0, colon).toLowerCase();
      const value = l.line.slice(colon + 1).replace(/^[ \t]+|[ \t]+$/g, "");
      if (name === "content-length") {
        if (!/^[0-9]{1,15}$/.test(value)) return { kind: "error" };
        const n = Number(value);
        if (contentLength >= 0 && contentLength !== n) return { kind: "error" };
        contentLength = n;
      } else if (name === "transfer-encoding") {
        const coding = finalCoding(value);
        if (coding === "invalid") return { kind: "error" };
        if (coding !== "none") chunked = coding === "chunked";
        other = !chunked;
      } else if (name === "connection") {
        if (/close/i.test(value)) close = true;
        if (/keep-alive/i.test(value)) keepAliveToken = true;
      }
    }
    if (status < 200) {
      if (status === 101) return { kind: "error" };
      headBytes = 0;
      continue; // interim response
    }
    const keepAlive = !close && (minor >= 1 || keepAliveToken);
    if (head || status === 204 || status === 304) {
      return { kind: "complete", status, bodyBytes: 0, keepAlive, consumed: pos };
    }
    if (chunked) {
      let body = 0;
      for (;;) {
        const l = readFramingLine();
        if (l === null) return { kind: "incomplete" };
        if (l.truncated) return { kind: "error" };
        const m = CHUNK_SIZE_LINE.exec(l.line);
        if (m === null) return { kind: "error" };
        const size = parseInt(m[1], 16);
        if (size === 0) break;
        body += size;
        if (text.length - pos < size) return { kind: "incomplete" };
        pos += size;
        const end = readFramingLine();
        if (end === null) return { kind: "incomplete" };
        if (end.truncated || end.line !== "") return { kind: "error" };
      }
      headBytes = 0;
      for (;;) {
        const l = readLine(); // trailers: anything, until an empty line
        if (l === null) return { kind: "incomplete" };
        if (l === "error") return { kind: "error" };
        if (l.truncated && /^(content-length|transfer-encoding)/i.test(l.line)) return { kind: "error" };
        if (!l.truncated && l.line === "") {
          return { kind: "complete", status, bodyBytes: body, keepAlive, consumed: pos };
        }
      }
    }
    if (other || contentLength < 0) return { kind: "until-close", status, bodyBytes: text.length - pos };
    if (text.length - pos < contentLength) return { kind: "incomplete" };
    return { kind: "complete", status, bodyBytes: contentLength, keepAlive, consumed: pos + contentLength };
  }
}
