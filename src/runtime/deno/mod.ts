/**
 * lunge's runtime object for Deno: every capability of the `Runtime`
 * interface, from this folder's adapters.
 *
 * @example
 * ```ts
 * import { denoRuntime } from "./mod.ts";
 * denoRuntime.system.cpuCount();
 * ```
 *
 * @module
 */
import type { Runtime } from "../types.ts";
import { denoSystem } from "./_system.ts";
import {
  preferSocketsForPacedLoad,
  tcpConnect,
  tlsConnect as denoOwnTlsConnect,
  unixConnect,
} from "./_connect.ts";
import { tlsConnect as nodeTlsConnect } from "../node/connect.ts";
import type { TlsConnectFn } from "../types.ts";
import { parentPort, spawnWorker } from "./worker.ts";
import { onStdinClosed, spawnRuntimeProcess } from "./_process.ts";
import { writeEntryFile } from "./_entry_file.ts";
import { readTextFileOrNull, writeTextFile } from "./_files.ts";
import { listDirectory, makeDirectory } from "./_directories.ts";
import { stdoutIsTerminal, terminalColumns } from "./_terminal.ts";
import { openUdpReceiver, openUdpSender } from "./_udp.ts";
import { nativeCrc32 } from "./_checksum.ts";
import { onStopSignals } from "./_signals.ts";

const tlsConnect: TlsConnectFn = (hostname, port, listener, tls) =>
  // Deno's own TLS always verifies certificates, and cannot send a client certificate under a server
  // name other than the address connected to; its node:tls can do both.
  tls.insecure === true ||
    (tls.cert !== undefined && tls.servername !== undefined && tls.servername !== hostname)
    ? nodeTlsConnect(hostname, port, listener, tls)
    : denoOwnTlsConnect(hostname, port, listener, tls);

/**
 * The `Runtime` of Deno.
 *
 * @example
 * ```ts
 * import { denoRuntime } from "./mod.ts";
 * console.log(denoRuntime.name);
 * ```
 */
export const denoRuntime: Runtime = {
  name: "deno",
  importsTypeScript: true,
  system: denoSystem,
  tcpConnect,
  tlsConnect,
  preferSocketsForPacedLoad,
  unixConnect,
  spawnWorker,
  parentPort,
  spawnRuntimeProcess,
  onStdinClosed,
  onStopSignals,
  // Loaded on first use, so that a run that never serves never loads the server adapter.
  serveApp: (fetch, options) => import("./_serve.ts").then((m) => m.serveApp(fetch, options)),
  writeEntryFile,
  readTextFileOrNull,
  writeTextFile,
  makeDirectory,
  listDirectory,
  stdoutIsTerminal,
  terminalColumns,
  openUdpSender,
  openUdpReceiver,
  nativeCrc32,
};
