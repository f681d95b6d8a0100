/**
 * Writes `fixtures/parser_corpus.json`: hand-picked responses at the edges of
 * the grammar (and cases the fuzzer once found), each with the outcome the
 * reference parser gives. Run after reviewing a change to the grammar:
 * `deno run -A tests/faults/_make_parser_corpus.ts`.
 *
 * @module
 */
import { writeFileSync } from "node:fs";
import { referenceParse } from "./_reference_parser.ts";

const L = "L".repeat(9000);
const CASES: Array<[string, string, boolean?]> = [
  ["200 with Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello"],
  ["204 has no body", "HTTP/1.1 204 No Content\r\nContent-Length: 10\r\n\r\n"],
  ["304 has no body", "HTTP/1.1 304 Not Modified\r\nContent-Length: 10\r\n\r\n"],
  ["HEAD response has no body", "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n", true],
  [
    "chunked with extensions and trailers",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;a=b\r\nhello\r\n6\r\n world\r\n0\r\nX-T: 1\r\n\r\n",
  ],
  [
    "chunked, upper-case hex, leading zeros",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n000A\r\n0123456789\r\n0000\r\n\r\n",
  ],
  ["chunked, bad size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"],
  ["chunked, 13 hex digits", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1234567890abc\r\n"],
  ["chunked, negative size", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n-1\r\n"],
  [
    "chunked, missing CRLF after data",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhelloXX\r\n0\r\n\r\n",
  ],
  [
    "chunked wins over Content-Length",
    "HTTP/1.1 200 OK\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
  ],
  ["conflicting Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"],
  ["equal duplicate Content-Length", "HTTP/1.1 200 OK\r\nContent-Length: 5\r\ncontent-length:5\r\n\r\nhello"],
  ["Content-Length +5", "HTTP/1.1 200 OK\r\nContent-Length: +5\r\n\r\nhello"],
  ["Content-Length -1", "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n"],
  ["Content-Length 1e3", "HTTP/1.1 200 OK\r\nContent-Length: 1e3\r\n\r\n"],
  ["Content-Length of 16 digits", "HTTP/1.1 200 OK\r\nContent-Length: 1234567890123456\r\n\r\n"],
  ["Content-Length empty", "HTTP/1.1 200 OK\r\nContent-Length: \r\n\r\n"],
  ["Content-Length with tabs and spaces", "HTTP/1.1 200 OK\r\nContent-Length:\t 2 \t\r\n\r\nok"],
  [
    "other coding: delimited by the close",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nContent-Length: 2\r\n\r\nabcdef",
  ],
  ["gzip, chunked", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n"],
  ["HTTP/1.0 without length: until close", "HTTP/1.0 200 OK\r\n\r\nbody until close"],
  [
    "HTTP/1.0 keep-alive with length",
    "HTTP/1.0 200 OK\r\nConnection: keep-alive\r\nContent-Length: 2\r\n\r\nok",
  ],
  ["HTTP/1.0 with length closes", "HTTP/1.0 200 OK\r\nContent-Length: 2\r\n\r\nok"],
  ["Connection: close", "HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\nok"],
  ["100 Continue, then 200", "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"],
  [
    "103 Early Hints, then 200",
    "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n",
  ],
  ["101 Switching Protocols", "HTTP/1.1 101 Switching Protocols\r\nUpgrade: x\r\n\r\n"],
  ["status 099", "HTTP/1.1 099 Weird\r\nContent-Length: 0\r\n\r\n"],
  ["status 600", "HTTP/1.1 600 Weird\r\nContent-Length: 0\r\n\r\n"],
  ["HTTP/2 status line", "HTTP/2 200 OK\r\nContent-Length: 0\r\n\r\n"],
  ["no space before the reason", "HTTP/1.1 200OK\r\nContent-Length: 0\r\n\r\n"],
  ["lower-case http", "http/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"],
  ["ICY status line", "ICY 200 OK\r\n\r\n"],
  ["status line without a reason", "HTTP/1.1 200\r\nContent-Length: 0\r\n\r\n"],
  ["bare LF line endings", "HTTP/1.1 200 OK\nContent-Length: 2\n\nok"],
  ["empty line before the status line", "\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"],
  ["header without a colon", "HTTP/1.1 200 OK\r\nBroken header\r\nContent-Length: 0\r\n\r\n"],
  ["9,000-byte header line we do not read", `HTTP/1.1 200 OK\r\nX-Long: ${L}\r\nContent-Length: 2\r\n\r\nok`],
  ["9,000-byte Content-Length line", `HTTP/1.1 200 OK\r\nContent-Length: 1${L}\r\n\r\nok`],
  [
    "9,000-byte status reason (fuzzer: parsed whole, refused split)",
    `HTTP/1.1 200 ${L}\r\nContent-Length: 0\r\n\r\n`,
  ],
  [
    "9,000-byte chunk extension",
    `HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;${L}\r\nok\r\n0\r\n\r\n`,
  ],
  ["cut in the body", "HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello"],
  ["cut in the head", "HTTP/1.1 200 OK\r\nContent-Len"],
  ["cut in a chunk", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel"],
  [
    "two pipelined responses",
    "HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\naHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n",
  ],
  ["nothing", ""],
  ["Content-Length 0", "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"],
  ["last chunk only", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"],
  ["binary garbage", "\u0000\u00ff\u0010HTTP/1.1 200 OK\r\n\r\n"],
  // Transfer-Encoding as a list of codings (RFC 9112 §6.1, §6.3).
  [
    "chunkedchunked is another coding: until close",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunkedchunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
  ],
  ["xchunked is another coding: until close", "HTTP/1.1 200 OK\r\nTransfer-Encoding: xchunked\r\n\r\nabc"],
  [
    "chunked not last: until close",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked, gzip\r\nContent-Length: 2\r\n\r\nabcdef",
  ],
  [
    "CHUNKED in capitals, with empty list elements",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: , gzip,,CHUNKED ,\r\n\r\n2\r\nok\r\n0\r\n\r\n",
  ],
  [
    "a coding with parameters before chunked",
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip ; q="a,\\"b" ;x=y, chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n',
  ],
  [
    "two Transfer-Encoding lines: the last coding decides",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n\r\n",
  ],
  [
    "chunked, then a line of gzip: until close",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: gzip\r\n\r\n2\r\nok\r\n",
  ],
  ["codings without a comma", "HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip chunked\r\n\r\n0\r\n\r\n"],
  ["a parameter without a value", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked;a\r\n\r\n0\r\n\r\n"],
  ["an unterminated quoted parameter", 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip;a="b, chunked\r\n\r\n'],
  // Chunk-size lines (RFC 9112 §7.1).
  [
    "junk after the chunk size",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2 abc\r\nok\r\n0\r\n\r\n",
  ],
  [
    "a bare ; after the chunk size",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;\r\nok\r\n0\r\n\r\n",
  ],
  [
    "a space after the chunk size",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2 \r\nok\r\n0\r\n\r\n",
  ],
  [
    "an extension with = and no value",
    "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2;a=\r\nok\r\n0\r\n\r\n",
  ],
  [
    "valid chunk extensions, spaced and quoted",
    'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2 ; a ; b = "x;\\"y" ;c=d\r\nok\r\n0;last\r\n\r\n',
  ],
];

const corpus = CASES.map(([name, text, head]) => ({
  name,
  text,
  head: head === true,
  expect: referenceParse(text, head === true),
}));
writeFileSync(
  new URL("./fixtures/parser_corpus.json", import.meta.url),
  JSON.stringify(corpus, null, 1) + "\n",
);
console.log(`wrote ${corpus.length} cases`);
