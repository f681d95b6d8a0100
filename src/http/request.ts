/**
 * Validates a `RequestSpec` and serializes it once into the bytes the raw
 * client writes for every request (or the init `fetch` reuses).
 *
 * @module
 */
import type { TlsConnectOptions } from "../runtime/types.ts";
import { parseConnectTo, resolveConnectTo } from "./connect_to.ts";
import type { ConnectToRule } from "./connect_to.ts";
import type { PreparedRequest, PrepareOptions, RequestSpec } from "./types.ts";

// RFC 9110 token characters (method and header names).
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Header values: visible characters, spaces and tabs; no CR, LF or NUL.
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const METHODS_WITH_BODY = new Set(["POST", "PUT", "PATCH"]);

function fail(message: string): never {
  throw new TypeError(`Cannot prepare request: ${message}`);
}

/**
 * Validates `spec` and prepares it for `createConnection`: the request line,
 * headers and body are serialized once (raw client) and reused for every send.
 * `http://` and `https://` URLs go to the raw-socket client unless
 * `options.transport` is `"fetch"`.
 *
 * @throws {TypeError} on a malformed or non-HTTP URL, an invalid method or header.
 * @example
 * ```ts
 * import { prepareRequest } from "./request.ts";
 * const req = prepareRequest({ url: "http://127.0.0.1:8080/", method: "GET", headers: {} });
 * console.log(req.transport, req.bytes.length); // "raw" 43
 * ```
 */
export function prepareRequest(spec: RequestSpec, options: PrepareOptions = {}): PreparedRequest {
  let url: URL;
  try {
    url = new URL(spec.url);
  } catch {
    fail(`"url" is not a valid URL: ${JSON.stringify(spec.url)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    fail(`"url" must be http:// or https://, got ${JSON.stringify(spec.url)}`);
  }
  if (url.username !== "" || url.password !== "") fail(`"url" must not carry credentials`);
  if (typeof spec.method !== "string" || !TOKEN.test(spec.method)) {
    fail(`"method" is not a valid HTTP method: ${JSON.stringify(spec.method)}`);
  }
  const method = spec.method; // as written: methods are case-sensitive (RFC 9110 §9.1)
  if (method === "CONNECT") fail(`"method" CONNECT is not supported`);

  const mode = options.transport ?? "auto";
  if (mode !== "auto" && mode !== "raw" && mode !== "fetch") {
    fail(`"transport" must be "auto", "raw" or "fetch", got ${JSON.stringify(mode)}`);
  }
  const transport = mode === "fetch" ? "fetch" : "raw";
  const rules: ConnectToRule[] = [];
  for (const text of options.connectTo ?? []) {
    const rule = parseConnectTo(text);
    if (rule === null) {
      fail(`"connectTo" must be HOST:PORT:TARGET_HOST:TARGET_PORT, got ${JSON.stringify(text)}`);
    }
    rules.push(rule);
  }
  if (
    transport === "fetch" &&
    (rules.length > 0 || options.unixSocket !== undefined || options.tls !== undefined)
  ) {
    fail(`TLS options, "connectTo" and "unixSocket" need the raw client, not fetch`);
  }
  if (options.unixSocket !== undefined && url.protocol !== "http:") {
    fail(`"unixSocket" carries http:// URLs only`);
  }

  const headers: Record<string, string> = {};
  const seen = new Set<string>();
  for (const [name, value] of Object.entries(spec.headers ?? {})) {
    if (!TOKEN.test(name)) fail(`header name ${JSON.stringify(name)} is not valid`);
    if (typeof value !== "string" || !FIELD_VALUE.test(value)) {
      fail(`header ${JSON.stringify(name)} has an invalid value`);
    }
    headers[name] = value;
    seen.add(name.toLowerCase());
  }
  if (seen.has("transfer-encoding")) fail(`header "Transfer-Encoding" is not supported; send a body`);

  const body = typeof spec.body === "string"
    ? new TextEncoder().encode(spec.body)
    : spec.body instanceof Uint8Array
    ? spec.body
    : spec.body === undefined
    ? undefined
    : fail(`"body" must be a string or a Uint8Array`);
  if (body !== undefined && (method === "GET" || method === "HEAD")) {
    fail(`a ${method} request cannot carry a body`);
  }

  const urlHost = url.hostname.startsWith("[") ? url.hostname.slice(1, -1) : url.hostname;
  const urlPort = url.port !== "" ? Number(url.port) : url.protocol === "https:" ? 443 : 80;
  const { hostname, port } = resolveConnectTo(rules, urlHost, urlPort);

  let head = `${method} ${url.pathname}${url.search} HTTP/1.1\r\n`;
  if (!seen.has("host")) head += `Host: ${url.host}\r\n`;
  for (const name in headers) head += `${name}: ${headers[name]}\r\n`;
  if (!seen.has("content-length") && (body !== undefined || METHODS_WITH_BODY.has(method))) {
    head += `Content-Length: ${body?.length ?? 0}\r\n`;
  }
  head += "\r\n";
  const headBytes = new TextEncoder().encode(head);
  const bytes = new Uint8Array(headBytes.length + (body?.length ?? 0));
  bytes.set(headBytes, 0);
  if (body !== undefined) bytes.set(body, headBytes.length);

  return {
    transport,
    url: url.href,
    method,
    hostname,
    port,
    tls: url.protocol === "https:" && transport === "raw" ? tlsConnectOptions(urlHost, options) : null,
    unixSocket: options.unixSocket ?? null,
    noResponseBody: method === "HEAD",
    bytes: transport === "raw" ? bytes : new Uint8Array(0),
    headers,
    body,
  };
}

/** TLS settings of the raw client: SNI from the URL (not the `--connect-to` address), ALPN http/1.1. */
function tlsConnectOptions(urlHost: string, options: PrepareOptions): TlsConnectOptions {
  const tls = options.tls ?? {};
  const result: TlsConnectOptions = { alpn: ["http/1.1"] };
  if (tls.insecure === true) result.insecure = true;
  if (tls.ca !== undefined && tls.ca.length > 0) result.ca = [...tls.ca];
  if (tls.cert !== undefined) result.cert = tls.cert;
  if (tls.key !== undefined) result.key = tls.key;
  if ((tls.cert === undefined) !== (tls.key === undefined)) {
    fail(`a client certificate needs both "cert" and "key"`);
  }
  // An IP literal is checked against the certificate but never sent as SNI (the adapters see to that).
  result.servername = tls.servername ?? urlHost;
  return result;
}
