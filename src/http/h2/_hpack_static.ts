/**
 * The HPACK static table (RFC 7541 Appendix A), as bytes for the decoder's
 * comparisons and as strings for the encoder and tests.
 *
 * @module
 */

/** Entries 1..61 of the static table as `[name, value]` (index 0 is unused). */
export const STATIC_TABLE: ReadonlyArray<readonly [string, string]> = [
  ["", ""],
  [":authority", ""],
  [":method", "GET"],
  [":method", "POST"],
  [":path", "/"],
  [":path", "/index.html"],
  [":scheme", "http"],
  [":scheme", "https"],
  [":status", "200"],
  [":status", "204"],
  [":status", "206"],
  [":status", "304"],
  [":status", "400"],
  [":status", "404"],
  [":status", "500"],
  ["accept-charset", ""],
  ["accept-encoding", "gzip, deflate"],
  ["accept-language", ""],
  ["accept-ranges", ""],
  ["accept", ""],
  ["access-control-allow-origin", ""],
  ["age", ""],
  ["allow", ""],
  ["authorization", ""],
  ["cache-control", ""],
  ["content-disposition", ""],
  ["content-encoding", ""],
  ["content-language", ""],
  ["content-length", ""],
  ["content-location", ""],
  ["content-range", ""],
  ["content-type", ""],
  ["cookie", ""],
  ["date", ""],
  ["etag", ""],
  ["expect", ""],
  ["expires", ""],
  ["from", ""],
  ["host", ""],
  ["if-match", ""],
  ["if-modified-since", ""],
  ["if-none-match", ""],
  ["if-range", ""],
  ["if-unmodified-since", ""],
  ["last-modified", ""],
  ["link", ""],
  ["location", ""],
  ["max-forwards", ""],
  ["proxy-authenticate", ""],
  ["proxy-authorization", ""],
  ["range", ""],
  ["referer", ""],
  ["refresh", ""],
  ["retry-after", ""],
  ["server", ""],
  ["set-cookie", ""],
  ["strict-transport-security", ""],
  ["transfer-encoding", ""],
  ["user-agent", ""],
  ["vary", ""],
  ["via", ""],
  ["www-authenticate", ""],
];

/** Number of entries of the static table (dynamic indexes start after it). */
export const STATIC_COUNT = 61;

/** Static index of the `content-length` name. */
export const STATIC_CONTENT_LENGTH = 28;

const encoder = new TextEncoder();
/** Static entries' names as bytes (index 0 unused). */
export const STATIC_NAME_BYTES: readonly Uint8Array[] = STATIC_TABLE.map(([name]) => encoder.encode(name));
/** Static entries' values as bytes (index 0 unused). */
export const STATIC_VALUE_BYTES: readonly Uint8Array[] = STATIC_TABLE.map(([, value]) =>
  encoder.encode(value)
);
