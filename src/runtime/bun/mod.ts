/**
 * lunge's runtime object for Bun: every capability of the `Runtime`
 * interface, from this folder's adapters.
 *
 * @example
 * ```ts
 * import { bunRuntime } from "./mod.ts";
 * bunRuntime.system.cpuCount();
 * ```
 *
 * @module
 */
import type { Runtime } from "../types.ts";
import { bunSystem } from "./_system.ts";
import { tcpConnect, tlsConnect, unixConnect } from "./_connect.ts";
import { parentPort, spawnWorker } from "./_worker.ts";
import { onStdinClosed, spawnRuntimeProcess } from "./_process.ts";
import { writeEntryFile } from "./_entry_file.ts";
import { readTextFileOrNull, writeTextFile } from "./_files.ts";
import { listDirectory, makeDirectory } from "../node/directories.ts"; // Bun shares Node's
import { stdoutIsTerminal, terminalColumns } from "./_terminal.ts";
import { openUdpReceiver, openUdpSender } from "./_udp.ts";
import { nativeCrc32 } from "./_checksum.ts";
import { onStopSignals } from "../node/signals.ts";

/**
 * The `Runtime` of Bun.
 *
 * @example
 * ```ts
 * import { bunRuntime } from "./mod.ts";
 * console.log(bunRuntime.name);
 * ```
 */
export const bunRuntime: Runtime = {
  name: "bun",
  importsTypeScript: true,
  system: bunSystem,
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
