/**
 * The transport flags of `lunge run`, named as curl and oha users expect:
 * `-k/--insecure`, `--cacert`, `--cert`, `--key`, `--servername`,
 * `--connect-to` and `--unix-socket`. Files are checked here so that a
 * missing or unreadable one is a usage error (exit 2) with one line.
 *
 * @module
 */
import { parseConnectTo } from "../http/connect_to.ts";
import type { RunOptions } from "../engine/options.ts";

/** Parsed values of the transport flags (declared in the option table) as `parseArgs` returns them. */
export interface TransportFlagValues {
  insecure?: boolean;
  cacert?: string;
  cert?: string;
  key?: string;
  servername?: string;
  "connect-to"?: string[];
  "unix-socket"?: string;
}

type TransportOptions = Pick<
  RunOptions,
  "insecure" | "cacert" | "cert" | "key" | "servername" | "connectTo" | "unixSocket"
>;

/**
 * Validates the transport flags and returns the run options they set.
 *
 * @example
 * ```ts
 * import { transportOptions } from "./_args_transport.ts";
 * const fail = (m: string): never => {
 *   throw new Error(m);
 * };
 * transportOptions({ insecure: true }, "https://127.0.0.1:8443/", () => null, fail); // { insecure: true }
 * ```
 */
export function transportOptions(
  v: TransportFlagValues,
  url: string,
  readFile: (path: string) => string | null,
  fail: (message: string) => never,
): TransportOptions {
  const options: TransportOptions = {};
  const pem = (flag: string, path: string): string => {
    if (path === "") fail(`${flag} needs a file name`);
    const text = readFile(path);
    if (text === null) fail(`${flag}: cannot read file "${path}"`);
    if (!text.includes("-----BEGIN ")) fail(`${flag}: "${path}" is not a PEM file`);
    return path;
  };
  if (v.insecure === true) options.insecure = true;
  if (v.cacert !== undefined) options.cacert = pem("--cacert", v.cacert);
  if (v.cert !== undefined) options.cert = pem("--cert", v.cert);
  if (v.key !== undefined) options.key = pem("--key", v.key);
  if ((v.cert === undefined) !== (v.key === undefined)) {
    fail(
      v.cert === undefined
        ? "--key needs --cert"
        : "--cert needs --key (the client certificate's private key)",
    );
  }
  if (v.servername !== undefined) {
    if (!/^[A-Za-z0-9.:_-]+$/.test(v.servername)) {
      fail(`invalid --servername "${v.servername}": expected a host name`);
    }
    options.servername = v.servername;
  }
  if (v["connect-to"] !== undefined) {
    for (const rule of v["connect-to"]) {
      if (parseConnectTo(rule) === null) {
        fail(
          `invalid --connect-to "${rule}": expected HOST:PORT:TARGET_HOST:TARGET_PORT, e.g. example.com:443:127.0.0.1:8443`,
        );
      }
    }
    options.connectTo = v["connect-to"];
  }
  if (v["unix-socket"] !== undefined) {
    if (v["unix-socket"] === "") fail("--unix-socket needs a socket path");
    if (url.startsWith("https:")) fail("--unix-socket carries http:// URLs only");
    options.unixSocket = v["unix-socket"];
  }
  return options;
}
