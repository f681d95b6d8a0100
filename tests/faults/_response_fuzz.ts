/**
 * Seeded generator of HTTP/1.1 responses for the parser fuzz test: valid
 * responses of every framing, then mutations of them (truncations, flipped
 * and inserted bytes, bad chunk sizes, conflicting Content-Length, garbage
 * status lines, over-long lines), and pure garbage. Same seed, same cases.
 *
 * @module
 */

/** A small, fast, seedable PRNG (mulberry32). */
export class Rng {
  #s: number;
  constructor(seed: number) {
    this.#s = seed >>> 0;
  }
  /** A float in [0, 1). */
  next(): number {
    let t = (this.#s = (this.#s + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  /** An integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  /** True with probability p. */
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)];
  }
}

const STATUSES = [100, 101, 103, 199, 200, 201, 204, 206, 299, 301, 304, 400, 404, 500, 503, 599];
const REASONS = ["", " OK", " Not Found", " x", " a reason with  spaces", " \u00ff\u00fe", " OK\r"];

function cl(rng: Rng, n: number): string {
  const name = rng.pick(["Content-Length", "content-length", "CONTENT-LENGTH", "Content-length"]);
  const pad = rng.pick(["", " ", "  ", "\t"]);
  return `${name}:${pad}${n}${rng.pick(["", " ", "\t"])}`;
}

function chunkedBody(rng: Rng, total: { bytes: number }): string {
  let out = "";
  const chunks = rng.int(5);
  for (let i = 0; i < chunks; i++) {
    const size = rng.chance(0.2) ? 0x100 + rng.int(3000) : 1 + rng.int(40);
    const hex = size.toString(16);
    const sizeText = rng.chance(0.3) ? hex.toUpperCase() : rng.chance(0.1) ? `000${hex}` : hex;
    const ext = rng.pick(["", "", ";name=value", " ;a", "\t;x", ';q="a;b\\"c" ; z = 1']);
    out += `${sizeText}${ext}\r\n${"b".repeat(size)}\r\n`;
    total.bytes += size;
  }
  out += rng.pick(["0\r\n", "0000\r\n", "0;ext\r\n"]);
  if (rng.chance(0.3)) out += "X-Trailer: t\r\n";
  out += "\r\n";
  return out;
}

/** A well-formed response (possibly with interim 1xx responses first), as text (latin1). */
export function validResponse(rng: Rng): string {
  let out = "";
  if (rng.chance(0.1)) out += "\r\n"; // stray empty line before the status line
  if (rng.chance(0.1)) {
    out += `HTTP/1.1 ${rng.pick([100, 103])} Continue\r\n${rng.chance(0.5) ? "Link: x\r\n" : ""}\r\n`;
  }
  let status = rng.pick(STATUSES);
  if (status < 200 && rng.chance(0.7)) status = 200;
  const minor = rng.pick([1, 1, 1, 0]);
  out += `HTTP/1.${minor} ${status}${rng.pick(REASONS)}\r\n`;
  const headers: string[] = [];
  for (let i = rng.int(4); i > 0; i--) headers.push(`X-H${i}: ${"v".repeat(rng.int(30))}`);
  if (rng.chance(0.2)) {
    headers.push(
      rng.pick(["Connection: close", "Connection: keep-alive", "connection: Keep-Alive, Upgrade"]),
    );
  }
  const framing = rng.int(4);
  let body = "";
  if (framing === 0) {
    const n = rng.chance(0.1) ? 0 : rng.int(rng.chance(0.1) ? 20_000 : 200);
    headers.push(cl(rng, n));
    if (rng.chance(0.1)) headers.push(cl(rng, n)); // an equal duplicate is fine
    body = "a".repeat(n);
  } else if (framing === 1) {
    headers.push(
      rng.pick([
        "Transfer-Encoding: chunked",
        "transfer-encoding: gzip, chunked",
        "Transfer-Encoding:chunked ",
        'Transfer-Encoding: gzip;q="a,b" , CHUNKED,',
        "Transfer-Encoding: chunked, chunked",
      ]),
    );
    if (rng.chance(0.2)) headers.push(cl(rng, 5)); // chunked wins
    body = chunkedBody(rng, { bytes: 0 });
  } else if (framing === 2) {
    if (rng.chance(0.5)) {
      headers.push(rng.pick([
        "Transfer-Encoding: gzip",
        "Transfer-Encoding: chunkedchunked",
        "Transfer-Encoding: chunked, gzip",
        "Transfer-Encoding: xchunked",
      ]));
    }
    body = "c".repeat(rng.int(100)); // delimited by the close
  } else {
    headers.push(cl(rng, 0));
  }
  for (let i = headers.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [headers[i], headers[j]] = [headers[j], headers[i]];
  }
  out += headers.map((h) => `${h}\r\n`).join("") + "\r\n" + body;
  if (rng.chance(0.05)) out += "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"; // a pipelined next response
  return out;
}

/** A valid response broken in one or more ways. */
export function mutatedResponse(rng: Rng): string {
  let s = validResponse(rng);
  for (let k = 1 + rng.int(3); k > 0; k--) {
    const at = rng.int(s.length + 1);
    switch (rng.int(13)) {
      case 0: // truncate
        s = s.slice(0, at);
        break;
      case 1: // flip a byte
        if (s.length > 0) s = s.slice(0, at) + String.fromCharCode(rng.int(256)) + s.slice(at + 1);
        break;
      case 2: // insert random bytes
        s = s.slice(0, at) + randomBytes(rng, 1 + rng.int(8)) + s.slice(at);
        break;
      case 3: // delete a range
        s = s.slice(0, at) + s.slice(at + 1 + rng.int(10));
        break;
      case 4: // conflicting Content-Length
        s = s.replace(
          "\r\n",
          `\r\nContent-Length: ${rng.int(50)}\r\nContent-Length: ${50 + rng.int(50)}\r\n`,
        );
        break;
      case 5: // a bad chunk size, or junk after it
        if (rng.chance(0.5)) {
          s = s.replace(
            /\r\n\r\n([0-9a-fA-F]+)/,
            `\r\n\r\n${rng.pick(["zz", "-1", "0x10", "1234567890abc", "", " 5", "g"])}`,
          );
        } else {
          s = s.replace(
            /\r\n\r\n([0-9a-fA-F]+)\r\n/,
            `\r\n\r\n$1${rng.pick([" abc", ";", " ", ";a=", ';a="x', ";=1", "; a b", ";a=b c"])}\r\n`,
          );
        }
        break;
      case 6: // a garbage status line
        s = rng.pick([
          "HTTP/2 200 OK",
          "HTTP/1.1 20 OK",
          "HTTP/1.1 600 X",
          "HTTP/1.1 200OK",
          "http/1.1 200 OK",
          "HTTP/1.1  200",
          "ICY 200 OK",
          "HTTP/1.x 200 OK",
          "HTTP/1.1 099 x",
        ]) + s.slice(s.indexOf("\r\n") < 0 ? 0 : s.indexOf("\r\n"));
        break;
      case 7: // an over-long line somewhere
        s = s.slice(0, at) + "L".repeat(8100 + rng.int(200)) + s.slice(at);
        break;
      case 8: // bad Content-Length values
        s = s.replace(
          /(content-length:)\s*\d+/i,
          `$1 ${rng.pick(["-1", "1e3", "0x10", "9999999999999999", "", "1 2", "+5"])}`,
        );
        break;
      case 9: // bare LF line endings
        s = s.replaceAll("\r\n", "\n");
        break;
      case 10: // 101 or an unusual interim status
        s = `HTTP/1.1 ${rng.pick([101, 102, 150])} X\r\n\r\n` + s;
        break;
      case 11: // an odd Transfer-Encoding value
        s = s.replace(
          "\r\n",
          `\r\nTransfer-Encoding: ${
            rng.pick([
              "chunked chunked",
              "chunked;",
              "chunked;a",
              '"chunked"',
              ", ,",
              "gzip,,chunked",
              'chunked;a="b',
            ])
          }\r\n`,
        );
        break;
      default: // duplicate a slice
        s = s.slice(0, at) + s.slice(at, at + rng.int(40)) + s.slice(at);
    }
  }
  return s;
}

/** Random bytes, sometimes shaped like a response. */
export function garbage(rng: Rng): string {
  const prefix = rng.chance(0.5)
    ? rng.pick(["HTTP/1.1 ", "HTTP/1.0 200 ", "HTTP/1.1 200 OK\r\n", "\r\n"])
    : "";
  return prefix + randomBytes(rng, rng.int(300));
}

function randomBytes(rng: Rng, n: number): string {
  let s = "";
  const alphabet = "\r\n:; \t0123456789abcdefHTP/.";
  for (let i = 0; i < n; i++) {
    s += rng.chance(0.5) ? alphabet[rng.int(alphabet.length)] : String.fromCharCode(rng.int(256));
  }
  return s;
}

/** Latin1 text to bytes. */
export function bytesOf(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) out[i] = text.charCodeAt(i) & 0xff;
  return out;
}
