/**
 * Client frames (RFC 6455 §5.2): header, a fresh 32-bit masking key per
 * frame, and the payload XOR-ed with it (§5.3). The keys come from a pool
 * filled in bulk by `crypto.getRandomValues`, 4096 at a time, so a frame costs
 * no call into the runtime's crypto.
 *
 * @module
 */

/** Opcodes of RFC 6455 §5.2. */
export const Opcode = {
  Continuation: 0x0,
  Text: 0x1,
  Binary: 0x2,
  Close: 0x8,
  Ping: 0x9,
  Pong: 0xa,
} as const;

const POOL_SIZE = 4096;
const pool = new Uint32Array(POOL_SIZE);
let poolAt = POOL_SIZE;

/**
 * The next masking key, unpredictable to the peer (the point of masking, §10.3).
 *
 * @example
 * ```ts
 * import { nextMaskKey } from "./frame_writer.ts";
 * nextMaskKey() >>> 0 <= 0xffffffff; // true
 * ```
 */
export function nextMaskKey(): number {
  if (poolAt === POOL_SIZE) {
    crypto.getRandomValues(pool);
    poolAt = 0;
  }
  return pool[poolAt++];
}

/**
 * Bytes a client frame with `payloadLength` bytes of payload takes.
 *
 * @example
 * ```ts
 * import { frameLength } from "./frame_writer.ts";
 * frameLength(5); // 11
 * ```
 */
export function frameLength(payloadLength: number): number {
  return payloadLength + (payloadLength < 126 ? 6 : payloadLength < 65536 ? 8 : 14);
}

/**
 * Writes one final (FIN) masked client frame of `opcode` carrying `payload`
 * into `out` from offset 0; returns its length (`frameLength(payload.length)`,
 * which `out` must hold).
 *
 * @example
 * ```ts
 * import { encodeFrame, frameLength, Opcode } from "./frame_writer.ts";
 * const payload = new TextEncoder().encode("hello");
 * const out = new Uint8Array(frameLength(payload.length));
 * encodeFrame(out, Opcode.Text, payload, payload.length);
 * out[0]; // 0x81
 * ```
 */
export function encodeFrame(out: Uint8Array, opcode: number, payload: Uint8Array, length: number): number {
  out[0] = 0x80 | opcode;
  let at: number;
  if (length < 126) {
    out[1] = 0x80 | length;
    at = 2;
  } else if (length < 65536) {
    out[1] = 0x80 | 126;
    out[2] = length >>> 8;
    out[3] = length & 0xff;
    at = 4;
  } else {
    out[1] = 0x80 | 127;
    const high = Math.floor(length / 0x1_0000_0000);
    out[2] = 0;
    out[3] = 0;
    out[4] = (high >>> 8) & 0xff;
    out[5] = high & 0xff;
    out[6] = length >>> 24;
    out[7] = (length >>> 16) & 0xff;
    out[8] = (length >>> 8) & 0xff;
    out[9] = length & 0xff;
    at = 10;
  }
  const key = nextMaskKey();
  const m0 = key >>> 24, m1 = (key >>> 16) & 0xff, m2 = (key >>> 8) & 0xff, m3 = key & 0xff;
  out[at] = m0;
  out[at + 1] = m1;
  out[at + 2] = m2;
  out[at + 3] = m3;
  at += 4;
  const whole = length & ~3;
  let i = 0;
  for (; i < whole; i += 4) {
    out[at + i] = payload[i] ^ m0;
    out[at + i + 1] = payload[i + 1] ^ m1;
    out[at + i + 2] = payload[i + 2] ^ m2;
    out[at + i + 3] = payload[i + 3] ^ m3;
  }
  if (i < length) out[at + i] = payload[i] ^ m0;
  if (i + 1 < length) out[at + i + 1] = payload[i + 1] ^ m1;
  if (i + 2 < length) out[at + i + 2] = payload[i + 2] ^ m2;
  return at + length;
}

/**
 * A close frame's payload: the status code, then the reason in UTF-8 (§5.5.1).
 *
 * @example
 * ```ts
 * import { closePayload } from "./frame_writer.ts";
 * closePayload(1000, "")[1]; // 0xe8
 * ```
 */
export function closePayload(code: number, reason: string): Uint8Array {
  const text = new TextEncoder().encode(reason).subarray(0, 123);
  const out = new Uint8Array(2 + text.length);
  out[0] = code >>> 8;
  out[1] = code & 0xff;
  out.set(text, 2);
  return out;
}
