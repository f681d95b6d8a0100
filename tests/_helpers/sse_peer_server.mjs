// A plain Node SSE server for the stream timing tests, run in its own Node process so that
// its timers are not disturbed by the client under test. Usage:
//   node sse_peer_server.mjs h1|h1tls|h2c|h2tls [certPath keyPath]
// It prints {"port":N,"statsPort":M} on stdout when listening (the stats on a plain HTTP/1.1 port). Routes:
//   GET /sse?events=N&interval=MS&first=MS  events "data: {"n":i}", paced by setTimeout; the
//       times it wrote each event (ms after the request arrived) are kept as ground truth.
//   GET /ping    a plain 200 "ok" (the loopback round trip the stream figures include)
//   GET /stats   {"streams": [{"writes":[ms,...]}...], "events": total}
//   GET /edge?case=NAME  fixed bodies with tricky framing (split fields, CR line ends, comments, a cut)
// It exits when its stdin closes (the test ended or died).
import http from "node:http";
import http2 from "node:http2";
import https from "node:https";
import { readFileSync } from "node:fs";

const [mode, certPath, keyPath] = process.argv.slice(2);
const streams = [];
let events = 0;

const EDGE = {
  // Fields split across writes at awkward places, CRLF line ends.
  split: ["da", "ta: one\r", "\n\r\ndata: t", "wo\r\n", "\r", "\n"],
  // CR-only line ends, a comment, event: and id: and retry:, multi-line data.
  cr: [": hello\revent: tick\rid: 7\rretry: 1500\rdata: a\rdata: b\r\r", "data: c\r\r"],
  // A BOM split in two, then an event; a comment-only block and an empty data-less block.
  bom: [
    Buffer.from([0xef, 0xbb]),
    Buffer.from([0xbf]),
    "data: x\n\n: only a comment\n\nevent: e\n\n",
    "data\n\n",
  ],
  // The stream is cut in the middle of an event.
  cut: ["data: whole\n\n", "data: half"],
};

function handle(req, res, write, end) {
  const url = new URL(req.url, "http://x");
  if (url.pathname === "/stats") {
    const body = JSON.stringify({ streams, events });
    res.writeHead(200, { "content-type": "application/json", "content-length": Buffer.byteLength(body) });
    res.end(body);
    return;
  }
  if (url.pathname === "/ping") {
    res.writeHead(200, { "content-type": "text/plain", "content-length": 2 });
    res.end("ok");
    return;
  }
  if (url.pathname === "/edge") {
    const pieces = EDGE[url.searchParams.get("case")] ?? [];
    res.writeHead(200, { "content-type": "text/event-stream" });
    let i = 0;
    const next = () => {
      if (i < pieces.length) {
        write(pieces[i++]);
        setTimeout(next, 5);
      } else end();
    };
    next();
    return;
  }
  const n = Number(url.searchParams.get("events") ?? 5);
  const interval = Number(url.searchParams.get("interval") ?? 20);
  const first = Number(url.searchParams.get("first") ?? 0);
  const start = performance.now();
  const record = { writes: [] };
  streams.push(record);
  res.writeHead(200, { "content-type": "text/event-stream; charset=utf-8", "cache-control": "no-cache" });
  let i = 0;
  const step = () => {
    record.writes.push(performance.now() - start);
    write(`data: {"n":${i}}\n\n`);
    events++;
    i++;
    if (i < n) setTimeout(step, interval);
    else end();
  };
  if (n === 0) end();
  else setTimeout(step, first);
}

// A client that goes away mid-stream must not end the peer.
process.on("uncaughtException", (error) => process.stderr.write(`sse peer: ${error.stack ?? error}\n`));
let server;
if (mode === "h1" || mode === "h1tls") {
  const onRequest = (req, res) => {
    res.socket?.setNoDelay(true);
    handle(req, res, (chunk) => res.write(chunk), () => res.end());
  };
  server = mode === "h1"
    ? http.createServer(onRequest)
    : https.createServer({ cert: readFileSync(certPath), key: readFileSync(keyPath) }, onRequest);
} else {
  const onStream = (req, res) => handle(req, res, (chunk) => res.write(chunk), () => res.end());
  server = mode === "h2c"
    ? http2.createServer({}, onStream)
    : http2.createSecureServer({ cert: readFileSync(certPath), key: readFileSync(keyPath) }, onStream);
}
const statsServer = http.createServer((req, res) => handle(req, res));
server.listen(0, "127.0.0.1", () => {
  statsServer.listen(0, "127.0.0.1", () => {
    const ports = { port: server.address().port, statsPort: statsServer.address().port };
    process.stdout.write(JSON.stringify(ports) + "\n");
  });
});
process.stdin.on("end", () => process.exit(0));
process.stdin.resume();
