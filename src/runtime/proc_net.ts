/**
 * Open TCP connections of a listening port, read from Linux `/proc/net/tcp`
 * and `/proc/net/tcp6`. Runtime-agnostic: Deno.serve and Bun.serve give no
 * per-connection events, but the kernel's socket table is exact.
 *
 * @example
 * ```ts
 * import { countEstablishedConnections } from "./proc_net.ts";
 * console.log(countEstablishedConnections(8080)); // number, or null off Linux
 * ```
 *
 * @module
 */
import { readTextFileOrNull } from "./files.ts";

const ESTABLISHED_ONLY: ReadonlySet<string> = new Set(["01"]);

/**
 * Counts sockets in state ESTABLISHED whose local port is `port` in the text of
 * a `/proc/net/tcp`-format table (pure; exported for tests).
 *
 * @example
 * ```ts
 * import { countEstablishedInTable } from "./proc_net.ts";
 * const table = "  sl  local_address rem_address   st\n" +
 *   "   0: 0100007F:1F90 0100007F:C350 01 ...\n";
 * console.log(countEstablishedInTable(table, 8080)); // 1
 * ```
 */
export function countEstablishedInTable(table: string, port: number): number {
  return countSocketsInTable(table, port, "local", ESTABLISHED_ONLY);
}

/** Which end of a socket the port is matched against. */
export type SocketSide = "local" | "remote";

/**
 * Counts rows of a `/proc/net/tcp{,6}` table whose `side` address has port
 * `port` and whose state (hex, e.g. "01" ESTABLISHED) is in `states`.
 *
 * @example
 * ```ts
 * import { countSocketsInTable } from "./proc_net.ts";
 * const table = "  sl  local_address rem_address   st\n" +
 *   "   0: 0100007F:C350 0100007F:1F90 01 ...\n";
 * countSocketsInTable(table, 8080, "remote", new Set(["01"])); // 1
 * ```
 */
export function countSocketsInTable(
  table: string,
  port: number,
  side: SocketSide,
  states: ReadonlySet<string>,
): number {
  const portHex = port.toString(16).toUpperCase().padStart(4, "0");
  const column = side === "local" ? 1 : 2;
  let count = 0;
  const lines = table.split("\n");
  for (let i = 1; i < lines.length; i++) {
    const fields = lines[i].trim().split(/\s+/);
    if (fields.length < 4) continue;
    const address = fields[column];
    if (states.has(fields[3]) && address.slice(address.lastIndexOf(":") + 1) === portHex) count++;
  }
  return count;
}

/**
 * Counts sockets (IPv4 and IPv6) as `countSocketsInTable` does, over this
 * network namespace's `/proc/net/tcp` and `/proc/net/tcp6`; `null` where
 * they cannot be read.
 *
 * @example
 * ```ts
 * import { countSockets } from "./proc_net.ts";
 * console.log(countSockets(8080, "remote", new Set(["01"])));
 * ```
 */
export function countSockets(port: number, side: SocketSide, states: ReadonlySet<string>): number | null {
  const v4 = readTextFileOrNull("/proc/net/tcp");
  const v6 = readTextFileOrNull("/proc/net/tcp6");
  if (v4 === null && v6 === null) return null;
  return (v4 === null ? 0 : countSocketsInTable(v4, port, side, states)) +
    (v6 === null ? 0 : countSocketsInTable(v6, port, side, states));
}

/**
 * Counts ESTABLISHED TCP connections (IPv4 and IPv6) whose local port is `port`,
 * i.e. the server side of each connection accepted on that port, in this
 * network namespace. Returns `null` where `/proc/net` cannot be read.
 *
 * @example
 * ```ts
 * import { countEstablishedConnections } from "./proc_net.ts";
 * const open = countEstablishedConnections(3000);
 * if (open !== null) console.log(`${open} connections`);
 * ```
 */
export function countEstablishedConnections(port: number): number | null {
  return countSockets(port, "local", ESTABLISHED_ONLY);
}
