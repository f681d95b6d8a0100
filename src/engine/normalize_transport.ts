/**
 * Validation of the transport options of a run (`insecure`, `cacert`,
 * `cert`, `key`, `servername`, `connectTo`, `unixSocket`): certificate files
 * are read here, once, so a missing or unreadable file stops the run before
 * anything starts.
 *
 * @module
 */
import { RunOptionsError } from "./options.ts";
import { readTextFileOrNull } from "../runtime/files.ts";
import { parseConnectTo } from "../http/connect_to.ts";
import type { ConnectOptions } from "../http/types.ts";
import type { RunOptions } from "./options.ts";

export type { ConnectOptions };

// Messages start with the option's name in quotes; the error carries it.
function fail(message: string): never {
  throw new RunOptionsError(/^"([^"]+)"/.exec(message)?.[1] ?? "connect", message);
}

function pemFile(name: string, path: unknown, readFile: (path: string) => string | null): string {
  if (typeof path !== "string" || path === "") fail(`"${name}" must be a file path`);
  const text = readFile(path);
  if (text === null) fail(`"${name}": cannot read file "${path}"`);
  if (!text.includes("-----BEGIN ")) fail(`"${name}": "${path}" is not a PEM file`);
  return text;
}

/**
 * Checks the transport options of `options` and reads the certificate files.
 *
 * @throws {RunOptionsError} `Cannot start run: "cacert": cannot read file "ca.pem"` and the like.
 * @example
 * ```ts
 * import { normalizeConnectOptions } from "./normalize_transport.ts";
 * normalizeConnectOptions({ url: "https://127.0.0.1:8443/", insecure: true });
 * // { tls: { insecure: true }, connectTo: [] }
 * ```
 */
export function normalizeConnectOptions(
  options: RunOptions,
  readFile: (path: string) => string | null = readTextFileOrNull,
): ConnectOptions {
  const result: ConnectOptions = {};
  const tls: NonNullable<ConnectOptions["tls"]> = {};
  if (options.insecure !== undefined) {
    if (typeof options.insecure !== "boolean") fail(`"insecure" must be a boolean`);
    if (options.insecure) tls.insecure = true;
  }
  if (options.cacert !== undefined) tls.ca = [pemFile("cacert", options.cacert, readFile)];
  if (options.cert !== undefined) tls.cert = pemFile("cert", options.cert, readFile);
  if (options.key !== undefined) tls.key = pemFile("key", options.key, readFile);
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    fail(tls.cert === undefined ? `"key" needs "cert"` : `"cert" needs "key"`);
  }
  if (options.servername !== undefined) {
    if (typeof options.servername !== "string" || !/^[A-Za-z0-9.:_-]+$/.test(options.servername)) {
      fail(`"servername" must be a host name, got ${JSON.stringify(options.servername)}`);
    }
    tls.servername = options.servername;
  }
  if (Object.keys(tls).length > 0) result.tls = tls;
  if (options.connectTo !== undefined) {
    if (!Array.isArray(options.connectTo)) {
      fail(`"connectTo" must be an array of HOST:PORT:TARGET_HOST:TARGET_PORT`);
    }
    for (const rule of options.connectTo) {
      if (typeof rule !== "string" || parseConnectTo(rule) === null) {
        fail(`"connectTo" must be HOST:PORT:TARGET_HOST:TARGET_PORT, got ${JSON.stringify(rule)}`);
      }
    }
    if (options.connectTo.length > 0) result.connectTo = [...options.connectTo];
  }
  if (options.unixSocket !== undefined) {
    if (typeof options.unixSocket !== "string" || options.unixSocket === "") {
      fail(`"unixSocket" must be a socket path`);
    }
    result.unixSocket = options.unixSocket;
  }
  const url = options.url;
  const https = typeof url === "string" && url.startsWith("https:");
  if (options.transport === "fetch" && Object.keys(result).length > 0) {
    fail(`"transport" fetch cannot use TLS options, "connectTo" or "unixSocket"; use the raw transport`);
  }
  if (result.unixSocket !== undefined && https) fail(`"unixSocket" carries http:// URLs only`);
  return result;
}
