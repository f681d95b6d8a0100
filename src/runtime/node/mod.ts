/**
 * lunge's runtime object for Node: every capability of the `Runtime`
 * interface, from this folder's adapters.
 *
 * @example
 * ```ts
 * import { nodeRuntime } from "./mod.ts";
 * nodeRuntime.system.cpuCount();
 * ```
 *
 * @module
 */
import type { Runtime } from "../types.ts";
import { nodeSystem } from "./system.ts";
import { tcpConnect, tlsConnect, unixConnect } from "./connect.ts";
import { parentPort, spawnWorker } from "./_worker.ts";
import { onStdinClosed, spawnRuntimeProcess } from "./process.ts";
import { writeEntryFile } from "./entry_file.ts";
import { readTextFileOrNull, writeTextFile } from "./files.ts";
import { listDirectory, makeDirectory } from "./directories.ts";
import { stdoutIsTerminal, terminalColumns } from "./terminal.ts";
import { openUdpReceiver, openUdpSender } from "./udp.ts";
import { nativeCrc32 } from "./checksum.ts";
import { onStopSignals } from "./signals.ts";

/**
 * The `Runtime` of Node.
 *
 * @example
 * ```ts
 * import { nodeRuntime } from "./mod.ts";
 * console.log(nodeRuntime.name);
 * ```
 */
export const nodeRuntime: Runtime = {
  name: "node",
  importsTypeScript: false,
  system: nodeSystem,
  tcpConnect,
  tlsConnect,
  // One socket path only: nothing to choose.
  preferSocketsForPacedLoad: () => {},
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
