/**
 * Child of the WebSocket bench: opens N WebSockets with lunge's client
 * (`src/http/ws/`) to the `ws` echo server, holds them idle while the server
 * pings them, and prints one JSON line: the sockets open, the pongs sent, and
 * this process's RSS once they have been held (after a forced GC where the runtime allows it: Deno
 * needs `--v8-flags=--expose-gc`).
 *
 *   deno run -A bench/_lib/ws_idle_child.ts ws://127.0.0.1:PORT/ N HOLD_S
 *   bun bench/_lib/ws_idle_child.ts ...
 *
 * @module
 */
import process from "node:process";
import { WsConnection, wsEndpoint, type WsListener } from "../../src/http/ws/ws_connection.ts";
import { system } from "../../src/runtime/mod.ts";

const [url, n, holdS] = process.argv.slice(2);
const count = Number(n);
let open = 0;
let ended = 0;
let retries = 0;
const listener: WsListener = {
  onWsOpen: () => void open++,
  onWsMessage: () => {},
  // A connect that failed while the server's accept queue overflowed: try again (up to 3 times in all).
  onWsEnd: (conn) => {
    if (retries < 3 * count && open < count) {
      retries++;
      conn.open();
    } else ended++;
  },
};
const endpoint = wsEndpoint(url, {}, null);
system.gc();
const baseRss = system.memory().rss;
const conns: WsConnection[] = [];
const t0 = performance.now();
// Open in batches so the server's accept queue keeps up.
for (let i = 0; i < count; i += 500) {
  for (let j = i; j < Math.min(count, i + 500); j++) {
    const c = new WsConnection(endpoint, listener, { maxMessageBytes: 1 << 20, keepPayloads: false });
    conns.push(c);
    c.open();
  }
  await new Promise((resolve) => setTimeout(resolve, 20));
}
while (open + ended < count && performance.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 50));
const openedMs = performance.now() - t0;
await new Promise((resolve) => setTimeout(resolve, Number(holdS) * 1000));
system.gc();
const rss = system.memory().rss;
const pongs = conns.reduce((sum, c) => sum + c.pongsSent, 0);
console.log(
  JSON.stringify({
    open,
    ended,
    retries,
    pongs,
    openedMs: Math.round(openedMs),
    rssMiB: rss / 1048576,
    baseRssMiB: baseRss / 1048576,
    heapMiB: system.memory().heapUsed / 1048576,
  }),
);
for (const c of conns) c.drop();
process.exit(0);
