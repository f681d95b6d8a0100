/**
 * The opening handshake of a WebSocket client (RFC 6455 §4.1): the upgrade
 * request with a fresh `Sec-WebSocket-Key`, and the strict check of the
 * server's answer (status 101, `Upgrade: websocket`, `Connection: Upgrade`,
 * the `Sec-WebSocket-Accept` derived from the key, no extension or
 * subprotocol that was not offered). Runs once per connection.
 *
 * @module
 */
import { sha1 } from "./sha1.ts";

/** The GUID of RFC 6455 §1.3 appended to the key before hashing. */
const WS_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
/**
 * The subprotocols a `Sec-WebSocket-Protocol` request header offers (any case of the name).
 *
 * @example
 * ```ts
 * import { offeredProtocols } from "./handshake.ts";
 * offeredProtocols({ "Sec-WebSocket-Protocol": "chat, superchat" }); // ["chat", "superchat"]
 * ```
 */
export function offeredProtocols(headers: Readonly<Record<string, string>>): string[] {
  const entry = Object.entries(headers).find(([name]) => name.toLowerCase() === "sec-websocket-protocol");
  return entry === undefined ? [] : entry[1].split(",").map((p) => p.trim()).filter((p) => p !== "");
}

/** A response head longer than this is refused (no server needs it for a 101). */
const MAX_HEAD_BYTES = 16 * 1024;

/**
 * A fresh `Sec-WebSocket-Key`: 16 random bytes in base64 (§4.1, item 7).
 *
 * @example
 * ```ts
 * import { newHandshakeKey } from "./handshake.ts";
 * newHandshakeKey().length; // 24
 * ```
 */
export function newHandshakeKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * The `Sec-WebSocket-Accept` a server must answer to `key` (§4.2.2, item 5.4).
 *
 * @example
 * ```ts
 * import { acceptFor } from "./handshake.ts";
 * acceptFor("dGhlIHNhbXBsZSBub25jZQ=="); // "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=" (the RFC's example)
 * ```
 */
export function acceptFor(key: string): string {
  return btoa(String.fromCharCode(...sha1(new TextEncoder().encode(key + WS_GUID))));
}

/**
 * The upgrade request for `path` on `host` (the Host header's value), with `key`
 * and the user's `headers` (which may not replace the handshake's own).
 *
 * @example
 * ```ts
 * import { handshakeRequest } from "./handshake.ts";
 * const bytes = handshakeRequest("127.0.0.1:8080", "/chat", "dGhlIHNhbXBsZSBub25jZQ==", {});
 * new TextDecoder().decode(bytes).startsWith("GET /chat HTTP/1.1\r\n"); // true
 * ```
 */
export function handshakeRequest(
  host: string,
  path: string,
  key: string,
  headers: Readonly<Record<string, string>>,
): Uint8Array {
  let head = `GET ${path} HTTP/1.1\r\nHost: ${host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
    `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n`;
  for (const [name, value] of Object.entries(headers)) {
    if (/^(host|upgrade|connection|sec-websocket-(key|version|extensions))$/i.test(name)) continue;
    head += `${name}: ${value}\r\n`;
  }
  return new TextEncoder().encode(head + "\r\n");
}

/** Why a handshake answer was refused: the HTTP status when it was not 101, and the cause. */
export interface HandshakeRefusal {
  /** The response's status code (0 when the status line was unreadable). */
  status: number;
  /** What was wrong, e.g. `"handshake refused: HTTP 200 instead of 101"`. */
  cause: string;
}

/**
 * Reads the server's answer to the upgrade request, as bytes arrive.
 *
 * @example
 * ```ts
 * import { acceptFor, HandshakeReader } from "./handshake.ts";
 * const key = "dGhlIHNhbXBsZSBub25jZQ==";
 * const r = new HandshakeReader(key);
 * const head = `HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
 *   `Sec-WebSocket-Accept: ${acceptFor(key)}\r\n\r\n`;
 * const bytes = new TextEncoder().encode(head);
 * r.feed(bytes, 0, bytes.length); // bytes.length: the frames start there
 * r.refusal; // null
 * ```
 */
export class HandshakeReader {
  readonly #accept: string;
  readonly #protocols: readonly string[];
  /** The head gathered over several reads (made only when it does not come in one). */
  #head: Uint8Array | null = null;
  #have = 0;
  /** Set when the answer was refused. */
  refusal: HandshakeRefusal | null = null;

  /** `protocols`: the subprotocols offered (a `Sec-WebSocket-Protocol` header the user gave), if any. */
  constructor(key: string, protocols: readonly string[] = []) {
    this.#accept = acceptFor(key);
    this.#protocols = protocols;
  }

  /**
   * Reads `bytes[start, end)`. Returns -1 while the head is incomplete, -2 when
   * it is refused (`refusal`), else the offset in `bytes` where the frames begin.
   */
  feed(bytes: Uint8Array, start: number, end: number): number {
    if (this.#have === 0) {
      // The usual case: the whole head in the first read, checked where it lies (no copy).
      for (let i = start + 3; i < end; i++) {
        if (bytes[i] === 0x0a && bytes[i - 1] === 0x0d && bytes[i - 2] === 0x0a && bytes[i - 3] === 0x0d) {
          if (i + 1 - start > MAX_HEAD_BYTES) break;
          const refusal = this.#check(new TextDecoder().decode(bytes.subarray(start, i - 3)));
          if (refusal !== null) {
            this.refusal = refusal;
            return -2;
          }
          return i + 1;
        }
      }
    }
    const before = this.#have;
    const add = end - start;
    if (this.#head === null || before + add > this.#head.length) {
      const grown = new Uint8Array(
        Math.min(MAX_HEAD_BYTES + 4, Math.max(before + add, (this.#head?.length ?? 256) * 2)),
      );
      if (this.#head !== null) grown.set(this.#head.subarray(0, before));
      this.#head = grown;
    }
    const take = Math.min(add, this.#head.length - before);
    this.#head.set(bytes.subarray(start, start + take), before);
    this.#have = before + take;
    const h = this.#head;
    for (let i = Math.max(3, before); i < this.#have; i++) {
      if (h[i] === 0x0a && h[i - 1] === 0x0d && h[i - 2] === 0x0a && h[i - 3] === 0x0d) {
        const refusal = this.#check(new TextDecoder().decode(h.subarray(0, i - 3)));
        if (refusal !== null) {
          this.refusal = refusal;
          return -2;
        }
        return start + (i + 1 - before);
      }
    }
    if (this.#have > MAX_HEAD_BYTES) {
      this.refusal = { status: 0, cause: `handshake refused: response head over ${MAX_HEAD_BYTES} bytes` };
      return -2;
    }
    return -1;
  }

  #check(head: string): HandshakeRefusal | null {
    const lines = head.split("\r\n");
    const status = /^HTTP\/1\.[01] (\d{3})(?: |$)/.exec(lines[0]);
    if (status === null) {
      return {
        status: 0,
        cause: `handshake refused: unreadable status line ${JSON.stringify(lines[0].slice(0, 60))}`,
      };
    }
    const code = Number(status[1]);
    if (code !== 101) return { status: code, cause: `handshake refused: HTTP ${code} instead of 101` };
    const headers = new Map<string, string>();
    for (let i = 1; i < lines.length; i++) {
      const colon = lines[i].indexOf(":");
      if (colon <= 0) return { status: code, cause: `handshake refused: malformed header line` };
      const name = lines[i].slice(0, colon).trim().toLowerCase();
      const value = lines[i].slice(colon + 1).trim();
      headers.set(name, headers.has(name) ? `${headers.get(name)}, ${value}` : value);
    }
    const refuse = (cause: string): HandshakeRefusal => ({
      status: code,
      cause: `handshake refused: ${cause}`,
    });
    if (headers.get("upgrade")?.toLowerCase() !== "websocket") return refuse("no Upgrade: websocket header");
    const connection = (headers.get("connection") ?? "").toLowerCase().split(",").map((t) => t.trim());
    if (!connection.includes("upgrade")) return refuse("no Connection: Upgrade header");
    const accept = headers.get("sec-websocket-accept");
    if (accept === undefined) return refuse("no Sec-WebSocket-Accept header");
    if (accept !== this.#accept) return refuse(`wrong Sec-WebSocket-Accept ${JSON.stringify(accept)}`);
    if (headers.has("sec-websocket-extensions")) {
      return refuse(
        `extension ${JSON.stringify(headers.get("sec-websocket-extensions"))} that was not offered`,
      );
    }
    const protocol = headers.get("sec-websocket-protocol");
    if (protocol !== undefined && !this.#protocols.includes(protocol)) {
      return refuse(`subprotocol ${JSON.stringify(protocol)} that was not offered`);
    }
    return null;
  }
}
