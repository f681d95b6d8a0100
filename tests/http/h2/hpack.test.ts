import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { HpackDecoder } from "../../../src/http/h2/_hpack_decoder.ts";
import { encodeInteger, encodeRequestHeaders, encodeString } from "../../../src/http/h2/_hpack_encoder.ts";
import {
  HUFFMAN_BITS,
  HUFFMAN_CODES,
  huffmanDecode,
  huffmanEncode,
  huffmanEncodedLength,
  huffmanValid,
} from "../../../src/http/h2/_huffman.ts";

const hex = (s: string): Uint8Array => {
  const clean = s.replace(/\s+/g, "");
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(2 * i, 2 * i + 2), 16);
  return out;
};
const toHex = (b: Uint8Array): string => [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

/** Decodes one block, returning its fields in order. */
function decodeAll(decoder: HpackDecoder, block: Uint8Array): Array<[string, string]> {
  const fields: Array<[string, string]> = [];
  decoder.onField = (n, v) => fields.push([n, v]);
  assert.equal(decoder.decode(block, 0, block.length), true, "block decodes");
  decoder.onField = null;
  return fields;
}

function table(decoder: HpackDecoder): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 1; i <= decoder.tableLength; i++) out.push(decoder.tableEntry(i)!);
  return out;
}

// RFC 7541 Appendix C.3 / C.4 requests, C.5 / C.6 responses (expected lists and tables).
const REQ1: Array<[string, string]> = [[":method", "GET"], [":scheme", "http"], [":path", "/"], [
  ":authority",
  "www.example.com",
]];
const REQ2: Array<[string, string]> = [...REQ1, ["cache-control", "no-cache"]];
const REQ3: Array<[string, string]> = [[":method", "GET"], [":scheme", "https"], [":path", "/index.html"], [
  ":authority",
  "www.example.com",
], ["custom-key", "custom-value"]];
const RES1: Array<[string, string]> = [
  [":status", "302"],
  ["cache-control", "private"],
  ["date", "Mon, 21 Oct 2013 20:13:21 GMT"],
  ["location", "https://www.example.com"],
];
const RES2: Array<[string, string]> = [[":status", "307"], ...RES1.slice(1)];
const RES3: Array<[string, string]> = [
  [":status", "200"],
  ["cache-control", "private"],
  ["date", "Mon, 21 Oct 2013 20:13:22 GMT"],
  ["location", "https://www.example.com"],
  ["content-encoding", "gzip"],
  ["set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"],
];

function checkRequests(blocks: string[]): void {
  const d = new HpackDecoder();
  assert.deepEqual(decodeAll(d, hex(blocks[0])), REQ1);
  assert.deepEqual(table(d), [[":authority", "www.example.com"]]);
  assert.equal(d.tableSize, 57);
  assert.deepEqual(decodeAll(d, hex(blocks[1])), REQ2);
  assert.deepEqual(table(d), [["cache-control", "no-cache"], [":authority", "www.example.com"]]);
  assert.equal(d.tableSize, 110);
  assert.deepEqual(decodeAll(d, hex(blocks[2])), REQ3);
  assert.deepEqual(table(d), [["custom-key", "custom-value"], ["cache-control", "no-cache"], [
    ":authority",
    "www.example.com",
  ]]);
  assert.equal(d.tableSize, 164);
}

function checkResponses(blocks: string[]): void {
  const d = new HpackDecoder(256);
  assert.deepEqual(decodeAll(d, hex(blocks[0])), RES1);
  assert.equal(d.status, 302);
  assert.deepEqual(table(d), [
    ["location", "https://www.example.com"],
    ["date", "Mon, 21 Oct 2013 20:13:21 GMT"],
    ["cache-control", "private"],
    [":status", "302"],
  ]);
  assert.equal(d.tableSize, 222);
  assert.deepEqual(decodeAll(d, hex(blocks[1])), RES2);
  assert.equal(d.status, 307);
  assert.deepEqual(table(d), [
    [":status", "307"],
    ["location", "https://www.example.com"],
    ["date", "Mon, 21 Oct 2013 20:13:21 GMT"],
    ["cache-control", "private"],
  ]);
  assert.equal(d.tableSize, 222);
  assert.deepEqual(decodeAll(d, hex(blocks[2])), RES3);
  assert.equal(d.status, 200);
  assert.deepEqual(table(d), [
    ["set-cookie", "foo=ASDJKHQKBZXOQWEOPIUAXQWEOIU; max-age=3600; version=1"],
    ["content-encoding", "gzip"],
    ["date", "Mon, 21 Oct 2013 20:13:22 GMT"],
  ]);
  assert.equal(d.tableSize, 215);
}

describe("HPACK Huffman code (RFC 7541 Appendix B)", () => {
  it("derives the published codes from the code lengths", () => {
    assert.equal(HUFFMAN_CODES[0], 0x1ff8);
    assert.equal(HUFFMAN_CODES[48], 0x0); // '0'
    assert.equal(HUFFMAN_CODES[32], 0x14); // ' '
    assert.equal(HUFFMAN_CODES[97], 0x3); // 'a'
    assert.equal(HUFFMAN_CODES[255], 0x3ffffee);
    assert.equal(HUFFMAN_CODES[256], 0x3fffffff); // EOS
    assert.equal(HUFFMAN_BITS[256], 30);
  });

  it("round-trips every byte value", () => {
    const all = Uint8Array.from({ length: 256 }, (_, i) => i);
    const out = new Uint8Array(huffmanEncodedLength(all, 0, 256));
    assert.equal(huffmanEncode(all, 0, 256, out, 0), out.length);
    const back = new Uint8Array(512);
    assert.equal(huffmanDecode(out, 0, out.length, back), 256);
    assert.deepEqual(back.subarray(0, 256), all);
  });

  it("encodes the appendix C strings", () => {
    const check = (s: string, want: string): void => {
      const bytes = enc(s);
      const out = new Uint8Array(huffmanEncodedLength(bytes, 0, bytes.length));
      huffmanEncode(bytes, 0, bytes.length, out, 0);
      assert.equal(toHex(out), want.replace(/\s+/g, ""));
    };
    check("www.example.com", "f1e3 c2e5 f23a 6ba0 ab90 f4ff");
    check("no-cache", "a8eb 1064 9cbf");
    check("custom-key", "25a8 49e9 5ba9 7d7f");
    check("custom-value", "25a8 49e9 5bb8 e8b4 bf");
    check("302", "6402");
    check("Mon, 21 Oct 2013 20:13:21 GMT", "d07a be94 1054 d444 a820 0595 040b 8166 e082 a62d 1bff");
  });

  it("rejects EOS, padding over 7 bits and padding that is not all ones", () => {
    const out = new Uint8Array(16);
    assert.equal(huffmanDecode(hex("ffffffff"), 0, 4, out), -1); // contains EOS (30 ones)
    assert.equal(huffmanDecode(hex("f1e3 c2e5 f23a 6ba0 ab90 f4ff ff"), 0, 13, out), -1); // 8+ bits padding
    assert.equal(huffmanDecode(hex("00"), 0, 1, out), -1); // "0" then 3 zero bits: padding must be ones
  });

  it("huffmanValid agrees with huffmanDecode on valid, corrupted and random strings", () => {
    const out = new Uint8Array(64);
    let seed = 1;
    const next = (n: number): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) % n;
    for (let k = 0; k < 20_000; k++) {
      let bytes = Uint8Array.from({ length: next(12) }, () => next(4) === 0 ? 0xff : next(256));
      if (k % 2 === 0) {
        const text = bytes;
        bytes = new Uint8Array(huffmanEncodedLength(text, 0, text.length));
        huffmanEncode(text, 0, text.length, bytes, 0);
        if (k % 6 === 0 && bytes.length > 0) bytes[next(bytes.length)] ^= 1 << next(8);
      }
      const decoded = huffmanDecode(bytes, 0, bytes.length, out) >= 0;
      assert.equal(huffmanValid(bytes, 0, bytes.length), decoded, toHex(bytes));
    }
  });
});

describe("HPACK integers and strings (RFC 7541 C.1)", () => {
  it("encodes 10 and 1337 with a 5-bit prefix and 42 on 8 bits", () => {
    const out = new Uint8Array(8);
    assert.equal(toHex(out.subarray(0, encodeInteger(10, 5, 0, out, 0))), "0a");
    assert.equal(toHex(out.subarray(0, encodeInteger(1337, 5, 0, out, 0))), "1f9a0a");
    assert.equal(toHex(out.subarray(0, encodeInteger(42, 8, 0, out, 0))), "2a");
  });

  it("encodes a string raw or Huffman-coded", () => {
    const out = new Uint8Array(32);
    assert.equal(
      toHex(out.subarray(0, encodeString(enc("www.example.com"), true, out, 0))),
      "8cf1e3c2e5f23a6ba0ab90f4ff",
    );
    assert.equal(toHex(out.subarray(0, encodeString(enc("no-cache"), false, out, 0))), "086e6f2d6361636865");
  });
});

describe("HPACK decoder: RFC 7541 Appendix C", () => {
  it("C.2.1 literal with indexing", () => {
    const d = new HpackDecoder();
    assert.deepEqual(
      decodeAll(d, hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572")),
      [["custom-key", "custom-header"]],
    );
    assert.deepEqual(table(d), [["custom-key", "custom-header"]]);
    assert.equal(d.tableSize, 55);
  });

  it("C.2.2 literal without indexing", () => {
    const d = new HpackDecoder();
    assert.deepEqual(decodeAll(d, hex("040c 2f73 616d 706c 652f 7061 7468")), [[":path", "/sample/path"]]);
    assert.equal(d.tableLength, 0);
  });

  it("C.2.3 literal never indexed", () => {
    const d = new HpackDecoder();
    assert.deepEqual(decodeAll(d, hex("1008 7061 7373 776f 7264 0673 6563 7265 74")), [[
      "password",
      "secret",
    ]]);
    assert.equal(d.tableLength, 0);
  });

  it("C.2.4 indexed field", () => {
    const d = new HpackDecoder();
    assert.deepEqual(decodeAll(d, hex("82")), [[":method", "GET"]]);
    assert.equal(d.tableLength, 0);
  });

  it("C.3 requests without Huffman", () => {
    checkRequests([
      "8286 8441 0f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
      "8286 84be 5808 6e6f 2d63 6163 6865",
      "8287 85bf 400a 6375 7374 6f6d 2d6b 6579 0c63 7573 746f 6d2d 7661 6c75 65",
    ]);
  });

  it("C.4 requests with Huffman", () => {
    checkRequests([
      "8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff",
      "8286 84be 5886 a8eb 1064 9cbf",
      "8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf",
    ]);
  });

  it("C.5 responses without Huffman (table size 256, evictions)", () => {
    checkResponses([
      "4803 3330 3258 0770 7269 7661 7465 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 " +
      "2032 303a 3133 3a32 3120 474d 546e 1768 7474 7073 3a2f 2f77 7777 2e65 7861 6d70 6c65 2e63 6f6d",
      "4803 3330 37c1 c0bf",
      "88c1 611d 4d6f 6e2c 2032 3120 4f63 7420 3230 3133 2032 303a 3133 3a32 3220 474d " +
      "54c0 5a04 677a 6970 7738 666f 6f3d 4153 444a 4b48 514b 425a 584f 5157 454f 5049 " +
      "5541 5851 5745 4f49 553b 206d 6178 2d61 6765 3d33 3630 303b 2076 6572 7369 6f6e 3d31",
    ]);
  });

  it("C.6 responses with Huffman (table size 256, evictions)", () => {
    checkResponses([
      "4882 6402 5885 aec3 771a 4b61 96d0 7abe 9410 54d4 44a8 2005 9504 0b81 66e0 82a6 " +
      "2d1b ff6e 919d 29ad 1718 63c7 8f0b 97c8 e9ae 82ae 43d3",
      "4883 640e ffc1 c0bf",
      "88c1 6196 d07a be94 1054 d444 a820 0595 040b 8166 e084 a62d 1bff c05a 839b d9ab " +
      "77ad 94e7 821d d7f2 e6c7 b335 dfdf cd5b 3960 d5af 2708 7f36 72c1 ab27 0fb5 291f " +
      "9587 3160 65c0 03ed 4ee5 b106 3d50 07",
    ]);
  });
});

describe("HPACK decoder: size updates, limits and errors", () => {
  it("applies a dynamic table size update at the start of a block and evicts", () => {
    const d = new HpackDecoder();
    decodeAll(d, hex("400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"));
    assert.equal(d.tableLength, 1);
    assert.deepEqual(decodeAll(d, hex("20 82")), [[":method", "GET"]]); // size 0, then an indexed field
    assert.equal(d.tableLength, 0);
    assert.equal(d.tableSize, 0);
    // Back up to 4096 (3f e1 1f) and insert again.
    decodeAll(d, hex("3fe11f 400a 6375 7374 6f6d 2d6b 6579 0d63 7573 746f 6d2d 6865 6164 6572"));
    assert.equal(d.tableLength, 1);
  });

  it("rejects a size update above the announced limit, or after a field", () => {
    const d = new HpackDecoder(256);
    assert.equal(d.decode(hex("3fe11f"), 0, 3), false); // 4096 > 256
    assert.equal(new HpackDecoder().decode(hex("82 20"), 0, 2), false);
  });

  it("rejects index 0, an index past the tables, and truncated blocks", () => {
    assert.equal(new HpackDecoder().decode(hex("80"), 0, 1), false);
    assert.equal(new HpackDecoder().decode(hex("be"), 0, 1), false); // 62: empty dynamic table
    assert.equal(new HpackDecoder().decode(hex("400a 6375"), 0, 4), false);
    assert.equal(new HpackDecoder().decode(hex("3f"), 0, 1), false); // integer continues past the end
    assert.equal(new HpackDecoder().decode(hex("3fffffffffff7f"), 0, 7), false); // integer overflow
  });

  it("an entry larger than the table empties it", () => {
    const d = new HpackDecoder(64);
    decodeAll(d, hex("4003 6162 6303 7879 7a")); // abc: xyz (38 bytes)
    assert.equal(d.tableLength, 1);
    const big = "x".repeat(40);
    decodeAll(d, Uint8Array.of(0x40, 3, 0x61, 0x62, 0x63, 40, ...enc(big)));
    assert.equal(d.tableLength, 0);
  });

  it("keeps names of evicted entries that a new entry refers to", () => {
    const d = new HpackDecoder(64);
    decodeAll(d, hex("4003 6162 6303 7879 7a")); // [62] abc: xyz, size 38
    // Literal with indexing, name = index 62 (evicted by this very insertion), value of 20 bytes.
    const value = "v".repeat(20);
    assert.deepEqual(decodeAll(d, Uint8Array.of(0x7e, 20, ...enc(value))), [["abc", value]]);
    assert.deepEqual(table(d), [["abc", value]]);
  });

  it("reads :status and content-length, and flags misplaced pseudo-headers", () => {
    const d = new HpackDecoder();
    // :status 200 (indexed), content-length: 1234 (literal, name index 28)
    assert.equal(d.decode(hex("88 0f0d 04 31323334"), 0, 8), true);
    assert.equal(d.status, 200);
    assert.equal(d.contentLength, 1234);
    assert.equal(d.malformed, false);
    // content-length first, then :status: a pseudo-header after a regular field.
    assert.equal(d.decode(hex("0f0d 04 31323334 88"), 0, 8), true);
    assert.equal(d.malformed, true);
    // :path in a response is not a response pseudo-header.
    assert.equal(d.decode(hex("88 84"), 0, 2), true);
    assert.equal(d.malformed, true);
  });

  it("flags an invalid content-length and two different ones, keeps the same one repeated", () => {
    const d = new HpackDecoder();
    assert.equal(d.decode(hex("88 0f0d 0131 0f0d 0132"), 0, 9), true);
    assert.deepEqual([d.malformed, d.malformedReason], [true, "two different content-length values"]);
    assert.equal(d.decode(hex("88 0f0d 0131 0f0d 0131"), 0, 9), true);
    assert.deepEqual([d.malformed, d.contentLength], [false, 1]);
    assert.equal(d.decode(hex("88 0f0d 022d31"), 0, 6), true);
    assert.deepEqual([d.malformed, d.malformedReason], [true, "an invalid content-length"]);
  });

  it("rejects invalid Huffman in a value it skips (RFC 7541 §5.2)", () => {
    const d = new HpackDecoder();
    // :status 200, then server (static name 54, not indexed): "a" with 3 one-bits of padding.
    assert.equal(d.decode(hex("88 0f27 81 1f"), 0, 5), true);
    assert.equal(d.decode(hex("88 0f27 82 1fff"), 0, 6), false); // 11 bits of padding
    assert.equal(d.decode(hex("88 0f27 81 18"), 0, 5), false); // padding of zeros
    assert.equal(d.decode(hex("88 0f27 84 ffffffff"), 0, 8), false); // EOS
  });

  it("decodes many blocks through the byte buffer's compaction", () => {
    const d = new HpackDecoder(256);
    for (let i = 0; i < 500; i++) {
      const value = `value-${i}-${"z".repeat(i % 50)}`;
      const fields = decodeAll(d, Uint8Array.of(0x40, 4, ...enc("name"), value.length, ...enc(value), 0xbe));
      assert.deepEqual(fields, [["name", value], ["name", value]]);
    }
  });
});

describe("HPACK request encoder", () => {
  it("uses static indexes and literals without indexing", () => {
    const block = encodeRequestHeaders({
      method: "GET",
      scheme: "http",
      authority: "www.example.com",
      path: "/",
      headers: [["user-agent", "lunge"], ["x-custom", "yes"]],
    }, false);
    const d = new HpackDecoder();
    assert.deepEqual(decodeAll(d, block), [
      [":method", "GET"],
      [":scheme", "http"],
      [":authority", "www.example.com"],
      [":path", "/"],
      ["user-agent", "lunge"],
      ["x-custom", "yes"],
    ]);
    assert.equal(d.tableLength, 0, "never touches the dynamic table");
    assert.equal(toHex(block.subarray(0, 3)), "828601");
  });

  it("produces the same fields with Huffman", () => {
    const block = encodeRequestHeaders({
      method: "DELETE",
      scheme: "https",
      authority: "example.org:8443",
      path: "/a/b?c=d",
      headers: [["accept", "*/*"]],
    });
    assert.deepEqual(decodeAll(new HpackDecoder(), block), [
      [":method", "DELETE"],
      [":scheme", "https"],
      [":authority", "example.org:8443"],
      [":path", "/a/b?c=d"],
      ["accept", "*/*"],
    ]);
  });
});
