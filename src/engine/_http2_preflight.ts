/**
 * Before an `--http2` run: one TLS connection checks that the server offers
 * h2 in ALPN, so that a server without HTTP/2 ends the run at once with one
 * line (exit 1 on the CLI) instead of a run where every request fails.
 *
 * @module
 */
import { probeH2 } from "../http/h2/alpn.ts";
import { prepareRequest } from "../http/request.ts";
import type { PrepareOptions, RequestSpec } from "../http/types.ts";

/**
 * Resolves when the server offers h2 (or could not be reached: the run then
 * reports that failure per request); rejects with an `Error` naming the URL
 * when the TLS handshake chose another protocol.
 *
 * @example
 * ```ts
 * import { requireH2 } from "./_http2_preflight.ts";
 * await requireH2({ url: "https://127.0.0.1:8443/", method: "GET", headers: {} }, {}, 5000);
 * ```
 */
export async function requireH2(
  spec: RequestSpec,
  connect: Omit<PrepareOptions, "transport"> | undefined,
  timeoutMs: number,
): Promise<void> {
  // Only ALPN is checked and nothing is sent: the probe skips verification, so a certificate the
  // run itself would reject still shows whether h2 is offered (the run reports the TLS error).
  const req = prepareRequest(spec, {
    ...connect,
    transport: "raw",
    tls: { ...connect?.tls, insecure: true },
  });
  const problem = await probeH2(req, Math.min(timeoutMs, 10_000));
  if (problem !== null) {
    throw new Error(`${spec.url}: ${problem}; --http2 needs a server that speaks HTTP/2 over TLS`);
  }
}
