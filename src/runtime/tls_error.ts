/**
 * One error shape for failed TLS handshakes on every runtime: OpenSSL codes
 * (Bun, Node) and rustls messages (Deno) become a `TlsError` whose message
 * reads like curl's, e.g. "certificate verify failed: self-signed certificate".
 *
 * @module
 */

/** A TLS handshake or verification failure; `message` is the reason, `cause` the runtime's error. */
export class TlsError extends Error {
  /** Stable code for classification: `ERR_LUNGE_TLS`. */
  readonly code = "ERR_LUNGE_TLS";

  /**
   * @example
   * ```ts
   * import { TlsError } from "./tls_error.ts";
   * const error = new TlsError("certificate verify failed: self-signed certificate");
   * console.log(error.name, error.message);
   * ```
   */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "TlsError";
  }
}

// OpenSSL verification codes (Bun and Node) → curl-like reasons.
const OPENSSL_REASONS: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: "certificate verify failed: self-signed certificate",
  SELF_SIGNED_CERT_IN_CHAIN: "certificate verify failed: self-signed certificate in certificate chain",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "certificate verify failed: unable to verify the first certificate",
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: "certificate verify failed: unable to get local issuer certificate",
  UNABLE_TO_GET_ISSUER_CERT: "certificate verify failed: unable to get issuer certificate",
  CERT_HAS_EXPIRED: "certificate verify failed: certificate has expired",
  CERT_NOT_YET_VALID: "certificate verify failed: certificate is not yet valid",
  CERT_REVOKED: "certificate verify failed: certificate revoked",
  ERR_TLS_CERT_ALTNAME_INVALID: "certificate verify failed: hostname mismatch",
  HOSTNAME_MISMATCH: "certificate verify failed: hostname mismatch",
};

/**
 * The reason given when the server presents a CA certificate (CA:TRUE) as its own (Deno only). Short
 * enough that the run's closing line ("every request failed: TLS failed with host:port: …") keeps all of
 * it within the 200 characters an error message is kept to.
 */
export const CA_AS_SERVER_CERTIFICATE =
  "certificate verify failed: server certificate is a CA (CA:TRUE), which Deno's TLS refuses; " +
  "use a leaf signed by that CA (docs/tls.md), or Bun, or -k";

// rustls certificate errors (Deno) → the same reasons where they match.
const RUSTLS_REASONS: Array<[RegExp, string]> = [
  [/UnknownIssuer/, "certificate verify failed: unknown issuer (self-signed or untrusted CA)"],
  // webpki refuses a CA certificate (CA:TRUE, what `openssl req -x509` makes by default) as the server's own
  // even when it is the trusted one, and Deno has no option that keeps verification and lifts that check.
  [/CaUsedAsEndEntity/, CA_AS_SERVER_CERTIFICATE],
  [/NotValidForName|not valid for name/i, "certificate verify failed: hostname mismatch"],
  [/Expired/, "certificate verify failed: certificate has expired"],
  [/NotValidYet/, "certificate verify failed: certificate is not yet valid"],
  [/Revoked/, "certificate verify failed: certificate revoked"],
  [/BadSignature/, "certificate verify failed: bad signature"],
];

/**
 * Whether `error` is a failure of the TCP connect itself (refused, DNS, no
 * route, fd limit) rather than of TLS: such errors keep their own kind.
 *
 * @example
 * ```ts
 * import { isConnectError } from "./tls_error.ts";
 * isConnectError(Object.assign(new Error("refused"), { code: "ECONNREFUSED" })); // true
 * ```
 */
export function isConnectError(error: unknown): boolean {
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  if (typeof code === "string" && /^E[A-Z]+$/.test(code) && code !== "ECONNRESET") return true;
  return name === "ConnectionRefused" || name === "NotFound" || name === "AddrNotAvailable";
}

/**
 * Turns a runtime's TLS failure into a `TlsError` with a readable reason.
 *
 * @example
 * ```ts
 * import { toTlsError } from "./tls_error.ts";
 * const raw = Object.assign(new Error("self signed certificate"), { code: "DEPTH_ZERO_SELF_SIGNED_CERT" });
 * console.log(toTlsError(raw).message); // "certificate verify failed: self-signed certificate"
 * ```
 */
export function toTlsError(error: unknown): TlsError {
  if (error instanceof TlsError) return error;
  const code = typeof (error as { code?: unknown })?.code === "string"
    ? (error as { code: string }).code
    : "";
  const message = String((error as { message?: unknown })?.message ?? error ?? "TLS handshake failed");
  const known = OPENSSL_REASONS[code];
  if (known !== undefined) return new TlsError(known, { cause: error });
  if (/invalid peer certificate/i.test(message)) {
    for (const [pattern, reason] of RUSTLS_REASONS) {
      if (pattern.test(message)) return new TlsError(reason, { cause: error });
    }
    return new TlsError(
      `certificate verify failed: ${message.replace(/^.*invalid peer certificate:\s*/i, "")}`,
      {
        cause: error,
      },
    );
  }
  const text = message.split("\n")[0];
  return new TlsError(/^tls|handshake|ssl/i.test(text) ? text : `TLS handshake failed: ${text}`, {
    cause: error,
  });
}
