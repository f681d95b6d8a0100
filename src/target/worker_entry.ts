/**
 * Worker entry of the built-in target: waits for a `start` message, serves the
 * target app on its own thread, answers `stats`/`reset`/`stall`/`stop`.
 * Started by {@linkcode startTarget} in `"worker"` mode.
 *
 * @module
 */
import { parentPort } from "../runtime/worker.ts";
import { serveApp } from "../runtime/serve.ts";
import type { ServedApp } from "../runtime/types.ts";
import { countEstablishedConnections } from "../runtime/proc_net.ts";
import { startTestLeak, testLeakRate } from "../runtime/test_leak.ts";
import { createTargetApp, type TargetApp } from "./app.ts";
import type { CommandMessage, StartMessage, TargetWorkerMessage } from "./_protocol.ts";

const port = parentPort();
const send = (message: TargetWorkerMessage): void => port.postMessage(message);
let target: TargetApp | undefined;
let server: ServedApp | undefined;
let boundPort = 0;
/** Test-only: the stress verdicts' positive control, read once (bytes per second; 0 is off). */
const LEAK_HEAP = testLeakRate("LUNGE_TEST_LEAK_TARGET_HEAP");
let stopLeak = (): void => {};

async function start(message: StartMessage): Promise<void> {
  try {
    target = createTargetApp({
      maxBytes: message.maxBytes,
      openConnections: () => (boundPort === 0 ? null : countEstablishedConnections(boundPort)),
      bindHostname: message.hostname,
    });
    server = await serveApp(target.fetch, {
      port: message.port,
      hostname: message.hostname,
      webSocket: target.webSocket,
    });
    boundPort = server.port;
    if (LEAK_HEAP > 0) stopLeak = startTestLeak("heap", LEAK_HEAP);
    send({ type: "ready", port: server.port, hostname: server.hostname });
  } catch (error) {
    send({ type: "failed", message: error instanceof Error ? error.message : String(error) });
  }
}

async function command(message: CommandMessage): Promise<void> {
  try {
    if (target === undefined) throw new Error("target not started");
    let value: unknown;
    if (message.type === "stats") value = target.groundTruth(message.window);
    else if (message.type === "reset") target.reset();
    else if (message.type === "stall") target.stall(message.ms ?? 0);
    else if (message.type === "stop") {
      target.endStall();
      stopLeak();
      await server?.close();
      server = undefined;
    }
    send({ type: "reply", id: message.id, value });
  } catch (error) {
    send({ type: "reply", id: message.id, error: error instanceof Error ? error.message : String(error) });
  }
}

port.onMessage((data: unknown) => {
  const message = data as StartMessage | CommandMessage;
  if (message.type === "start") void start(message);
  else void command(message);
});
