/**
 * Worker entry for `http_client.bench.ts`: serves "ok" on an ephemeral
 * loopback port with the runtime's own server and posts the port back, so
 * that the server runs on its own thread, not the one that measures.
 *
 * @module
 */
import { serveApp } from "../src/runtime/serve.ts";
import { parentPort } from "../src/runtime/worker.ts";

const port = parentPort();
const server = await serveApp(() => new Response("ok"), { port: 0, hostname: "127.0.0.1" });
port.onMessage(async (message) => {
  if (message === "stop") {
    await server.close();
    port.postMessage("stopped");
    port.close();
  }
});
port.postMessage({ port: server.port });
