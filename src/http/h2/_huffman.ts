/**
 * The static Huffman code of HPACK (RFC 7541 §5.2, Appendix B). The code is
 * canonical, so the table is kept as the 257 code lengths (symbols 0-255 and
 * EOS = 256) and the codes are derived from them at load time; a binary
 * decoding tree is built once from the same codes.
 *
 * @module
 */

// Code length in bits of each symbol 0..255, then EOS (256): RFC 7541 Appendix B.
// deno-fmt-ignore
const LENGTHS = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28,
  28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28,
  6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6,
  5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10,
  13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7,
  7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6,
  15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5,
  6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28,
  20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23,
  24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24,
  22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23,
  21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23,
  26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25,
  19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27,
  20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23,
  26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26,
  30,
];

const EOS = 256;
const SYMBOLS = 257;

/** Code length of each symbol (index 256 is EOS). */
export const HUFFMAN_BITS: Uint8Array = Uint8Array.from(LENGTHS);
/** Right-aligned code of each symbol (index 256 is EOS). */
export const HUFFMAN_CODES: Uint32Array = canonicalCodes(HUFFMAN_BITS);

function canonicalCodes(bits: Uint8Array): Uint32Array {
  const codes = new Uint32Array(SYMBOLS);
  let code = 0;
  let length = 0;
  for (let len = 1; len <= 30; len++) {
    for (let s = 0; s < SYMBOLS; s++) {
      if (bits[s] !== len) continue;
      code <<= len - length;
      length = len;
      codes[s] = code >>> 0;
      code++;
    }
  }
  return codes;
}

// Decoding tree: node n has children TREE[2n] (bit 0) and TREE[2n+1] (bit 1).
// A child >= 0 is another node; a child < 0 is the leaf of symbol (-child - 1).
// NO_CHILD marks a path no code takes.
const NO_CHILD = 0x7fffffff;
const TREE = buildTree();

function buildTree(): Int32Array {
  const tree = new Int32Array(2 * SYMBOLS).fill(NO_CHILD);
  let nodes = 1;
  for (let s = 0; s < SYMBOLS; s++) {
    const len = HUFFMAN_BITS[s];
    const code = HUFFMAN_CODES[s];
    let node = 0;
    for (let i = len - 1; i >= 0; i--) {
      const slot = 2 * node + ((code >>> i) & 1);
      if (i === 0) tree[slot] = -s - 1;
      else {
        if (tree[slot] === NO_CHILD) tree[slot] = nodes++;
        node = tree[slot];
      }
    }
  }
  return tree;
}

// Decoding and checking four bits at a time: NIBBLE_NEXT[node * 16 + nibble] is the node reached
// from `node` (a symbol completed on the way restarts at the root), or -1 when EOS or no code is on
// the way; NIBBLE_SYMBOL at the same index is the symbol completed on the way, or -1 (every code is
// at least 5 bits long, so four bits complete at most one). ACCEPTING[node] is 1 when the bits since
// the last symbol are valid padding: the root, or up to 7 one-bits down from it (the most
// significant bits of EOS).
const NIBBLE_NEXT = new Int16Array(256 * 16);
const NIBBLE_SYMBOL = new Int16Array(256 * 16).fill(-1);
const ACCEPTING = new Uint8Array(256);
for (let node = 0; node < 256; node++) {
  for (let nibble = 0; nibble < 16; nibble++) {
    let at = node;
    for (let b = 3; b >= 0 && at >= 0; b--) {
      const next = TREE[2 * at + ((nibble >>> b) & 1)];
      if (next < 0 && next !== -EOS - 1) NIBBLE_SYMBOL[node * 16 + nibble] = -next - 1;
      at = next === NO_CHILD || next === -EOS - 1 ? -1 : next < 0 ? 0 : next;
    }
    NIBBLE_NEXT[node * 16 + nibble] = at;
  }
}
for (let node = 0, depth = 0; depth <= 7; depth++, node = TREE[2 * node + 1]) ACCEPTING[node] = 1;

/**
 * Whether `src[start, end)` is a valid Huffman string (RFC 7541 §5.2: no EOS
 * inside, padding of at most 7 bits, all ones), checked without decoding it
 * and without allocating.
 *
 * @example
 * ```ts
 * import { huffmanValid } from "./_huffman.ts";
 * huffmanValid(Uint8Array.of(0x1f), 0, 1); // true: "a" (00011) and 3 bits of padding
 * huffmanValid(Uint8Array.of(0x1f, 0xff), 0, 2); // false: 11 bits of padding
 * ```
 */
export function huffmanValid(src: Uint8Array, start: number, end: number): boolean {
  let node = 0;
  for (let i = start; i < end; i++) {
    const byte = src[i];
    node = NIBBLE_NEXT[(node << 4) | (byte >>> 4)];
    if (node < 0) return false;
    node = NIBBLE_NEXT[(node << 4) | (byte & 15)];
    if (node < 0) return false;
  }
  return ACCEPTING[node] === 1;
}

/**
 * Length in bytes of `src[start, end)` once Huffman-encoded (padding included).
 *
 * @example
 * ```ts
 * import { huffmanEncodedLength } from "./_huffman.ts";
 * huffmanEncodedLength(new TextEncoder().encode("www.example.com"), 0, 15); // 12
 * ```
 */
export function huffmanEncodedLength(src: Uint8Array, start: number, end: number): number {
  let bits = 0;
  for (let i = start; i < end; i++) bits += HUFFMAN_BITS[src[i]];
  return (bits + 7) >>> 3;
}

/**
 * Huffman-encodes `src[start, end)` into `out` at `at`, padded with the most
 * significant bits of EOS (all ones); returns the offset after the last byte.
 * `out` must have room for `huffmanEncodedLength(src, start, end)` bytes.
 *
 * @example
 * ```ts
 * import { huffmanEncode } from "./_huffman.ts";
 * const out = new Uint8Array(12);
 * huffmanEncode(new TextEncoder().encode("www.example.com"), 0, 15, out, 0); // 12
 * ```
 */
export function huffmanEncode(
  src: Uint8Array,
  start: number,
  end: number,
  out: Uint8Array,
  at: number,
): number {
  // Bits accumulate in `acc` (at most 7 pending + a 30-bit code: kept below 2^53 as a number).
  let acc = 0;
  let pending = 0;
  for (let i = start; i < end; i++) {
    const sym = src[i];
    const len = HUFFMAN_BITS[sym];
    acc = acc * (1 << len) + HUFFMAN_CODES[sym];
    pending += len;
    while (pending >= 8) {
      pending -= 8;
      const shift = 2 ** pending;
      const byte = Math.floor(acc / shift);
      out[at++] = byte;
      acc -= byte * shift;
    }
  }
  if (pending > 0) out[at++] = (acc << (8 - pending)) | (0xff >>> pending);
  return at;
}

/**
 * Decodes the Huffman string `src[start, end)` into `out` from offset 0 and
 * returns the decoded length, or -1 when the string is invalid (EOS inside,
 * padding longer than 7 bits or not all ones) or `out` is too small.
 *
 * @example
 * ```ts
 * import { huffmanDecode } from "./_huffman.ts";
 * const out = new Uint8Array(64);
 * const bytes = Uint8Array.of(0xf1, 0xe3, 0xc2, 0xe5, 0xf2, 0x3a, 0x6b, 0xa0, 0xab, 0x90, 0xf4, 0xff);
 * const n = huffmanDecode(bytes, 0, bytes.length, out);
 * new TextDecoder().decode(out.subarray(0, n)); // "www.example.com"
 * ```
 */
export function huffmanDecode(src: Uint8Array, start: number, end: number, out: Uint8Array): number {
  let node = 0;
  let n = 0;
  for (let i = start; i < end; i++) {
    const byte = src[i];
    let k = (node << 4) | (byte >>> 4);
    let symbol = NIBBLE_SYMBOL[k];
    node = NIBBLE_NEXT[k];
    if (node < 0) return -1;
    if (symbol >= 0) {
      if (n >= out.length) return -1;
      out[n++] = symbol;
    }
    k = (node << 4) | (byte & 15);
    symbol = NIBBLE_SYMBOL[k];
    node = NIBBLE_NEXT[k];
    if (node < 0) return -1;
    if (symbol >= 0) {
      if (n >= out.length) return -1;
      out[n++] = symbol;
    }
  }
  return ACCEPTING[node] === 1 ? n : -1;
}
