/**
 * Child-process entry of the built-in target: serves the target app and
 * prints one JSON line `{"type":"ready","port":N,"hostname":"..."}` on stdout.
 * Arguments: `--port N` (default 0), `--hostname H` (default 127.0.0.1),
 * `--max-bytes B`. Exits when stdin closes (the parent stopped or died).
 * Started by {@linkcode startTarget} in `"process"` mode.
 *
 * @module
 */
import { system } from "../runtime/mod.ts";
import { onStdinClosed } from "../runtime/process.ts";
import { countEstablishedConnections } from "../runtime/proc_net.ts";
import { serveApp } from "../runtime/serve.ts";
import { startTestLeak, testLeakRate } from "../runtime/test_leak.ts";
import { createTargetApp } from "./app.ts";
import type { ReadyMessage } from "./_protocol.ts";

function flag(args: string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
}

const args = system.args();
const port = Number(flag(args, "--port") ?? 0);
const hostname = flag(args, "--hostname") ?? "127.0.0.1";
const maxBytesRaw = flag(args, "--max-bytes");
let boundPort = 0;

try {
  const target = createTargetApp({
    maxBytes: maxBytesRaw === undefined ? undefined : Number(maxBytesRaw),
    openConnections: () => (boundPort === 0 ? null : countEstablishedConnections(boundPort)),
    bindHostname: hostname,
    controlToken: flag(args, "--control-token") ?? system.env("LUNGE_CONTROL_TOKEN"),
  });
  const server = await serveApp(target.fetch, { port, hostname, webSocket: target.webSocket });
  boundPort = server.port;
  // Test-only: the stress verdicts' positive control (bytes per second; unset is off).
  const leak = testLeakRate("LUNGE_TEST_LEAK_TARGET_HEAP");
  if (leak > 0) startTestLeak("heap", leak);
  onStdinClosed(() => {
    target.endStall();
    server.close().finally(() => system.exit(0));
    setTimeout(() => system.exit(0), 1000); // do not wait long for in-flight requests
  });
  const ready: ReadyMessage = { type: "ready", port: server.port, hostname: server.hostname };
  system.writeStdout(JSON.stringify(ready) + "\n");
} catch (error) {
  system.writeStderr(`lunge target: ${error instanceof Error ? error.message : String(error)}\n`);
  system.exit(1);
}
