/**
 * Checks the HTTP/2 flags of `lunge run` against each other and the URL,
 * with messages naming the flags (the library's own checks name options).
 *
 * @module
 */
import type { CliRunOptions } from "./_cli_run_options.ts";

/**
 * Fails (through `fail`) on HTTP/2 flag combinations that cannot work.
 *
 * @example
 * ```ts
 * import { checkHttp2Flags } from "./_args_http2.ts";
 * checkHttp2Flags({ url: "http://127.0.0.1/", http2PriorKnowledge: true, streams: 10 }, (m) => {
 *   throw new Error(m);
 * });
 * ```
 */
export function checkHttp2Flags(options: CliRunOptions, fail: (message: string) => never): void {
  const https = options.url.startsWith("https:");
  if (options.http2 && options.http2PriorKnowledge) {
    fail("--http2 and --http2-prior-knowledge exclude each other");
  }
  if (options.http2 && !https) {
    fail("--http2 negotiates h2 over TLS and needs an https:// URL; use --http2-prior-knowledge for h2c");
  }
  if (options.http2PriorKnowledge && https) {
    fail("--http2-prior-knowledge is h2c over plain TCP and needs an http:// URL; use --http2 for https://");
  }
  // gRPC is always HTTP/2 (h2c for grpc://, TLS for grpcs://).
  const grpc = /^grpcs?:/i.test(options.url);
  if (grpc && (options.http2 || options.http2PriorKnowledge)) {
    fail("a grpc:// URL is HTTP/2 already (grpcs:// over TLS): drop --http2 / --http2-prior-knowledge");
  }
  const h2 = options.http2 === true || options.http2PriorKnowledge === true || grpc;
  if (h2 && options.url.startsWith("builtin")) fail("HTTP/2 is not available against the built-in target");
  if (h2 && options.transport === "fetch") fail("--transport fetch cannot carry HTTP/2");
  if (options.streams !== undefined && options.streams !== 1 && !h2) {
    fail("--streams needs --http2 or --http2-prior-knowledge");
  }
}
