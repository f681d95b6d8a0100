/**
 * `--connect-to HOST:PORT:TARGET_HOST:TARGET_PORT` as curl reads it: requests
 * for `HOST:PORT` go to `TARGET_HOST:TARGET_PORT` instead, while the Host
 * header and TLS SNI keep the URL's host. An empty HOST or PORT matches any;
 * an empty TARGET_HOST or TARGET_PORT keeps the original. IPv6 addresses go
 * in brackets.
 *
 * @module
 */

/** One parsed `--connect-to` rule. */
export interface ConnectToRule {
  /** Host to match (lower case, no brackets), or "" for any. */
  host: string;
  /** Port to match, or 0 for any. */
  port: number;
  /** Host to connect to instead (no brackets), or "" to keep the original. */
  targetHost: string;
  /** Port to connect to instead, or 0 to keep the original. */
  targetPort: number;
}

// host (bracketed IPv6 or no colon) : port : host : port, each part possibly empty.
const RULE = /^(\[[0-9a-fA-F:.]+\]|[^:\[\]]*):(\d*):(\[[0-9a-fA-F:.]+\]|[^:\[\]]*):(\d*)$/;

function port(text: string): number | null {
  if (text === "") return 0;
  const n = Number(text);
  return Number.isInteger(n) && n >= 1 && n <= 65535 ? n : null;
}

function host(text: string): string {
  return (text.startsWith("[") ? text.slice(1, -1) : text).toLowerCase();
}

/**
 * Parses one rule; returns null when `text` is not `HOST:PORT:TARGET_HOST:TARGET_PORT`.
 *
 * @example
 * ```ts
 * import { parseConnectTo } from "./connect_to.ts";
 * parseConnectTo("example.com:443:127.0.0.1:8443");
 * // { host: "example.com", port: 443, targetHost: "127.0.0.1", targetPort: 8443 }
 * ```
 */
export function parseConnectTo(text: string): ConnectToRule | null {
  const m = RULE.exec(text);
  if (m === null) return null;
  const p = port(m[2]);
  const tp = port(m[4]);
  if (p === null || tp === null) return null;
  return { host: host(m[1]), port: p, targetHost: host(m[3]), targetPort: tp };
}

/**
 * The address to connect to for `hostname:port` after the first matching rule.
 *
 * @example
 * ```ts
 * import { parseConnectTo, resolveConnectTo } from "./connect_to.ts";
 * const rules = [parseConnectTo("::127.0.0.1:8443")!];
 * resolveConnectTo(rules, "example.com", 443); // { hostname: "127.0.0.1", port: 8443 }
 * ```
 */
export function resolveConnectTo(
  rules: readonly ConnectToRule[],
  hostname: string,
  port: number,
): { hostname: string; port: number } {
  const h = hostname.toLowerCase();
  for (const rule of rules) {
    if ((rule.host === "" || rule.host === h) && (rule.port === 0 || rule.port === port)) {
      return {
        hostname: rule.targetHost === "" ? hostname : rule.targetHost,
        port: rule.targetPort === 0 ? port : rule.targetPort,
      };
    }
  }
  return { hostname, port };
}
