/**
 * Small runtime-neutral helpers for the TLS adapters: the ALPN wire format
 * and the default SNI name.
 *
 * @module
 */

/**
 * ALPN protocol names in the TLS wire format: each name preceded by its length.
 *
 * @example
 * ```ts
 * import { alpnWireFormat } from "./tls_options.ts";
 * alpnWireFormat(["h2"]); // Uint8Array [2, 104, 50]
 * ```
 */
export function alpnWireFormat(protocols: readonly string[]): Uint8Array {
  const encoded = protocols.map((p) => new TextEncoder().encode(p));
  const out = new Uint8Array(encoded.reduce((n, e) => n + 1 + e.length, 0));
  let at = 0;
  for (const e of encoded) {
    out[at++] = e.length;
    out.set(e, at);
    at += e.length;
  }
  return out;
}

/**
 * Whether `hostname` is a literal IPv4 or IPv6 address (SNI must not carry one).
 *
 * @example
 * ```ts
 * import { isIpAddress } from "./tls_options.ts";
 * isIpAddress("127.0.0.1"); // true
 * isIpAddress("localhost"); // false
 * ```
 */
export function isIpAddress(hostname: string): boolean {
  return /^\d{1,3}(\.\d{1,3}){3}$/.test(hostname) || hostname.includes(":");
}

/**
 * The SNI name to send for `name`: the name itself, or "" (no SNI) for an IP address.
 *
 * @example
 * ```ts
 * import { defaultServername } from "./tls_options.ts";
 * defaultServername("example.com"); // "example.com"
 * defaultServername("127.0.0.1"); // ""
 * ```
 */
export function defaultServername(hostname: string): string {
  return isIpAddress(hostname) ? "" : hostname;
}
