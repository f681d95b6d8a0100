// A WebSocket echo server on the `ws` npm package (run by Node as a child process of the tests
// and the bench): it answers every message with the same message and counts what it received
// and sent. Prints {"port": N} once listening; on the stdin line "stats" prints its counts as
// one JSON line. Arguments: [--tls CERT KEY] [--ping-ms N] [--close-after N CODE] [--record-texts]
// (--record-texts: the counts also hold each text message received, under "texts", up to 10,000 kinds)
import { readFileSync } from "node:fs";
import { createServer as createHttp } from "node:http";
import { createServer as createHttps } from "node:https";
import { createInterface } from "node:readline";
import { WebSocketServer } from "ws";

const args = process.argv.slice(2);
const at = (flag) => args.indexOf(flag);
const tls = at("--tls") >= 0
  ? { cert: readFileSync(args[at("--tls") + 1]), key: readFileSync(args[at("--tls") + 2]) }
  : null;
const pingMs = at("--ping-ms") >= 0 ? Number(args[at("--ping-ms") + 1]) : 0;
const closeAfter = at("--close-after") >= 0 ? Number(args[at("--close-after") + 1]) : 0;
const closeCode = at("--close-after") >= 0 ? Number(args[at("--close-after") + 2]) : 1000;
const recordTexts = at("--record-texts") >= 0;

const stats = {
  connections: 0,
  received: 0,
  sent: 0,
  bytesReceived: 0,
  bytesSent: 0,
  pongs: 0,
  closeCodes: {},
};
if (recordTexts) stats.texts = {};
let textKinds = 0;
const server = tls === null ? createHttp() : createHttps(tls);
const wss = new WebSocketServer({ server, perMessageDeflate: false, maxPayload: 64 * 1024 * 1024 });
wss.on("connection", (ws) => {
  stats.connections++;
  let onThis = 0;
  ws.on("message", (data, isBinary) => {
    stats.received++;
    stats.bytesReceived += data.length;
    onThis++;
    if (recordTexts && !isBinary) {
      const text = data.toString("utf8");
      if (stats.texts[text] !== undefined) stats.texts[text]++;
      else if (textKinds++ < 10_000) stats.texts[text] = 1;
    }
    if (closeAfter > 0 && onThis > closeAfter) return; // past the limit: no answer, the close follows
    ws.send(data, { binary: isBinary });
    stats.sent++;
    stats.bytesSent += data.length;
    if (closeAfter > 0 && onThis === closeAfter) ws.close(closeCode, "enough");
  });
  ws.on("pong", () => stats.pongs++);
  ws.on("close", (code) => (stats.closeCodes[code] = (stats.closeCodes[code] ?? 0) + 1));
  ws.on("error", () => {});
  if (pingMs > 0) {
    const timer = setInterval(() => ws.readyState === 1 && ws.ping("p"), pingMs);
    ws.on("close", () => clearInterval(timer));
  }
});
server.listen(0, "127.0.0.1", () => console.log(JSON.stringify({ port: server.address().port })));
const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  if (line.trim() === "stats") console.log(JSON.stringify(stats));
});
lines.on("close", () => process.exit(0));
