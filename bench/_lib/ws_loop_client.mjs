// The `ws` package's client doing lunge's closed WebSocket loop (a bench peer, run by Node):
// C connections, each sends a message and waits for the next message back, again and again,
// for S seconds. Prints {"roundTrips": N} at the end.
//   node ws_loop_client.mjs ws://127.0.0.1:PORT/ C S [MESSAGE]
import WebSocket from "ws";

const [url, c, s, message = "hello"] = process.argv.slice(2);
let roundTrips = 0;
let running = true;
const sockets = [];
for (let i = 0; i < Number(c); i++) {
  const ws = new WebSocket(url, { perMessageDeflate: false });
  ws.on("open", () => ws.send(message));
  ws.on("message", () => {
    roundTrips++;
    if (running) ws.send(message);
  });
  ws.on("error", () => {});
  sockets.push(ws);
}
setTimeout(() => {
  running = false;
  for (const ws of sockets) ws.close(1000);
  console.log(JSON.stringify({ roundTrips }));
  setTimeout(() => process.exit(0), 200);
}, Number(s) * 1000);
