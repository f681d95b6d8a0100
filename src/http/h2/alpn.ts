/**
 * ALPN for `--http2`: what the client offers, the check on an open socket,
 * and a one-connection probe run before a load run so that a server without
 * h2 ends the run with one clear line instead of a run full of errors.
 *
 * @module
 */
import type { TcpListener, TcpSocket } from "../../runtime/types.ts";
import { openSocket } from "../socket_opener.ts";
import type { PreparedRequest } from "../types.ts";

/** ALPN protocols offered with `--http2` (h2 first; http/1.1 so the handshake itself still succeeds). */
export const H2_ALPN: string[] = ["h2", "http/1.1"];

/**
 * The one-line reason when ALPN did not select h2, or null when it did.
 *
 * @example
 * ```ts
 * import { notH2 } from "./alpn.ts";
 * notH2({ alpnProtocol: "http/1.1" }); // "the server did not offer h2 in ALPN (it chose http/1.1)"
 * ```
 */
export function notH2(socket: { readonly alpnProtocol: string | null }): string | null {
  return socket.alpnProtocol === "h2"
    ? null
    : `the server did not offer h2 in ALPN (it chose ${socket.alpnProtocol ?? "no protocol"})`;
}

/**
 * Opens one TLS connection to `req`'s server offering h2 and resolves to
 * `notH2`'s reason, or null when h2 was chosen, or when the connection failed
 * (or took longer than `timeoutMs`): the run then reports that failure itself.
 *
 * @example
 * ```ts
 * import { prepareRequest } from "../request.ts";
 * import { probeH2 } from "./alpn.ts";
 * const req = prepareRequest({ url: "https://127.0.0.1:8443/", method: "GET", headers: {} }, { tls: { insecure: true } });
 * const problem = await probeH2(req, 5000);
 * if (problem !== null) console.error(problem);
 * ```
 */
export function probeH2(req: PreparedRequest, timeoutMs: number): Promise<string | null> {
  if (req.tls === null) return Promise.resolve(null);
  return new Promise((resolve) => {
    let socket: TcpSocket | null = null;
    const done = (answer: string | null): void => {
      clearTimeout(timer);
      socket?.close();
      resolve(answer);
    };
    const timer = setTimeout(() => done(null), timeoutMs);
    const listener: TcpListener = {
      onTcpOpen: (s) => {
        const answer = notH2(s);
        s.close();
        done(answer);
      },
      onTcpData: () => {},
      onTcpClose: () => done(null),
    };
    socket = openSocket(req, listener, { ...req.tls!, alpn: H2_ALPN });
  });
}
