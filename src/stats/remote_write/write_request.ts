/**
 * A hand-written encoder of the Prometheus remote-write 1.0 `WriteRequest`
 * (prometheus/prompb `remote.proto`): the message is four small types, so a
 * two-pass writer (sizes first, then bytes into one buffer) is shorter and
 * faster than loading a protobuf schema, and allocates one array per request.
 *
 * ```proto
 * message WriteRequest { repeated TimeSeries timeseries = 1; }
 * message TimeSeries   { repeated Label labels = 1; repeated Sample samples = 2; }
 * message Label        { string name = 1; string value = 2; }
 * message Sample       { double value = 1; int64 timestamp = 2; }
 * ```
 *
 * @module
 */

/** One label of a series: its name and value, already UTF-8 encoded. */
export interface EncodedLabel {
  /** The label name's UTF-8 bytes. */
  readonly name: Uint8Array;
  /** The label value's UTF-8 bytes. */
  readonly value: Uint8Array;
}

/** One time series with one sample, labels sorted by name (as Prometheus requires). */
export interface WriteSeries {
  /** Labels, `__name__` first, the others sorted by name. */
  readonly labels: readonly EncodedLabel[];
  /** The sample's value. */
  readonly value: number;
  /** The sample's time, ms since the epoch. */
  readonly timestampMs: number;
}

function varintSize(n: number): number {
  let size = 1;
  while (n >= 128) {
    n = Math.floor(n / 128);
    size++;
  }
  return size;
}

function lengthDelimited(size: number): number {
  return 1 + varintSize(size) + size;
}

function labelSize(l: EncodedLabel): number {
  return lengthDelimited(l.name.length) + lengthDelimited(l.value.length);
}

function sampleSize(s: WriteSeries): number {
  return 9 + 1 + varintSize(s.timestampMs);
}

function seriesSize(s: WriteSeries): number {
  let size = lengthDelimited(sampleSize(s));
  for (const l of s.labels) size += lengthDelimited(labelSize(l));
  return size;
}

class Writer {
  readonly bytes: Uint8Array;
  readonly #view: DataView;
  at = 0;
  constructor(size: number) {
    this.bytes = new Uint8Array(size);
    this.#view = new DataView(this.bytes.buffer);
  }
  varint(n: number): void {
    // Timestamps pass 2^32: division, not bit shifts.
    while (n >= 128) {
      this.bytes[this.at++] = (n % 128) | 128;
      n = Math.floor(n / 128);
    }
    this.bytes[this.at++] = n;
  }
  header(field: number, size: number): void {
    this.bytes[this.at++] = (field << 3) | 2;
    this.varint(size);
  }
  raw(field: number, data: Uint8Array): void {
    this.header(field, data.length);
    this.bytes.set(data, this.at);
    this.at += data.length;
  }
  double(field: number, value: number): void {
    this.bytes[this.at++] = (field << 3) | 1;
    this.#view.setFloat64(this.at, value, true);
    this.at += 8;
  }
}

/**
 * Encodes a remote-write 1.0 `WriteRequest` (uncompressed protobuf).
 *
 * @example
 * ```ts
 * import { encodeWriteRequest } from "./write_request.ts";
 * const t = new TextEncoder();
 * const bytes = encodeWriteRequest([{
 *   labels: [{ name: t.encode("__name__"), value: t.encode("up") }],
 *   value: 1,
 *   timestampMs: Date.now(),
 * }]);
 * console.log(bytes.length > 0); // true
 * ```
 */
export function encodeWriteRequest(series: readonly WriteSeries[]): Uint8Array {
  let total = 0;
  for (const s of series) total += lengthDelimited(seriesSize(s));
  const w = new Writer(total);
  for (const s of series) {
    w.header(1, seriesSize(s));
    for (const l of s.labels) {
      w.header(1, labelSize(l));
      w.raw(1, l.name);
      w.raw(2, l.value);
    }
    w.header(2, sampleSize(s));
    w.double(1, s.value);
    w.bytes[w.at++] = (2 << 3) | 0;
    w.varint(s.timestampMs);
  }
  return w.bytes;
}
