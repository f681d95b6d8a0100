/**
 * The shapes every runtime adapter implements. Only `src/runtime/` touches
 * `Deno`, `Bun` or `node:*`; the rest of lunge talks to these interfaces.
 *
 * @module
 */

/** The JavaScript runtimes lunge runs on. */
export type RuntimeName = "bun" | "deno" | "node";

/** Memory figures of the current process, in bytes. */
export interface MemoryFigures {
  /** V8/JSC heap in use. */
  heapUsed: number;
  /** Heap reserved. */
  heapTotal: number;
  /** Resident set size of the process. */
  rss: number;
  /** Memory held outside the JS heap (buffers, SharedArrayBuffers). */
  external: number;
}

/** Process-level facilities: identity, environment, memory, timers, signals. */
export interface SystemAdapter {
  /** Which runtime this is. */
  readonly name: RuntimeName;
  /** The runtime's version string, e.g. `"1.4.4"`. */
  readonly version: string;
  /** Reads an environment variable; `undefined` when unset or not permitted. */
  env(name: string): string | undefined;
  /** Memory usage of this process. */
  memory(): MemoryFigures;
  /** Number of logical CPUs. */
  cpuCount(): number;
  /** CPU model name, best effort. */
  cpuModel(): string;
  /** Lets the process exit even though this timer is pending. */
  unrefTimer(id: ReturnType<typeof setInterval>): void;
  /** Forces a full garbage collection when the runtime allows it; returns whether it ran. */
  gc(): boolean;
  /** Process CPU time used so far (user + system), in milliseconds. */
  cpuTimeMs(): number;
  /** Calls `handler` on SIGINT; returns a function that removes it. */
  onInterrupt(handler: () => void): () => void;
  /** Ends the process with `code`. */
  exit(code: number): never;
  /** Command-line arguments after the script name. */
  args(): string[];
  /** Whether stderr is attached to a terminal. */
  stderrIsTerminal(): boolean;
  /** Writes text to stderr without a newline being added. */
  writeStderr(text: string): void;
  /** Writes text to stdout without a newline being added. */
  writeStdout(text: string): void;
}

/**
 * Everything lunge needs from a runtime, as one object. Each runtime has one
 * value implementing it (`src/runtime/{deno,bun,node}/mod.ts`), chosen once in
 * `src/runtime/mod.ts`. Adding a capability means one member here and three
 * implementations; the type checker names any runtime that lacks it.
 *
 * @example
 * ```ts
 * import { runtime } from "./mod.ts";
 * console.log(runtime.name, runtime.system.cpuCount());
 * ```
 */
export interface Runtime {
  /** Which runtime this is. */
  readonly name: RuntimeName;
  /** Whether this runtime imports `.ts` modules directly (worker entries can start from their sources). */
  readonly importsTypeScript: boolean;
  /** Process facilities: identity, environment, memory, timers, signals, stdio. */
  readonly system: SystemAdapter;
  /** Opens a client TCP connection that reports to one long-lived listener. */
  readonly tcpConnect: import("./connect_types.ts").TcpConnectFn;
  /** Opens a client TLS connection (ALPN, CA, client certificate, insecure); `onTcpOpen` after the handshake. */
  readonly tlsConnect: import("./connect_types.ts").TlsConnectFn;
  /** Calls `handler` on SIGINT and SIGTERM; returns a function that removes it. */
  readonly onStopSignals: (handler: (signal: import("./signals_types.ts").StopSignal) => void) => () => void;
  /** Opens a unix domain stream socket. */
  readonly unixConnect: import("./connect_types.ts").UnixConnectFn;
  /** Starts a module worker thread from a `file:` or `data:` URL. */
  readonly spawnWorker: import("./worker_types.ts").SpawnWorkerFn;
  /** The parent port of the current worker thread. */
  readonly parentPort: () => import("./worker_types.ts").ParentPort;
  /** Starts a module as a child process of the same runtime. */
  readonly spawnRuntimeProcess: (
    scriptUrl: URL | string,
    args: string[],
  ) => import("./process_types.ts").RuntimeProcess;
  /** Calls `handler` once the parent closes this process's stdin. */
  readonly onStdinClosed: (handler: () => void) => void;
  /** Serves a fetch handler over HTTP/1.1 (the adapter loads lazily, on first use). */
  readonly serveApp: (
    fetch: import("./serve_types.ts").FetchHandler,
    options: import("./serve_types.ts").ServeOptions,
  ) => Promise<import("./serve_types.ts").ServedApp>;
  /** Writes bundled entry code to a file that a child process can start; returns its URL. */
  readonly writeEntryFile: (fileName: string, code: string) => URL;
  /** Reads a UTF-8 file; `null` when it is missing or unreadable. */
  readonly readTextFileOrNull: (path: string) => string | null;
  /** Writes a UTF-8 file, replacing it. */
  readonly writeTextFile: (path: string, text: string) => void;
  /** Creates a directory and its parents. */
  readonly makeDirectory: (path: string) => void;
  /** Names in a directory; `null` when it is missing or unreadable. */
  readonly listDirectory: (path: string) => string[] | null;
  /** Whether stdout is a terminal. */
  readonly stdoutIsTerminal: () => boolean;
  /** Columns of the terminal on stdout, or `null`. */
  readonly terminalColumns: () => number | null;
  /** Opens a UDP socket for sending. */
  readonly openUdpSender: (
    options: import("./node/udp.ts").UdpSenderOptions,
  ) => Promise<import("./node/udp.ts").UdpSender>;
  /** Opens a UDP socket for receiving. */
  readonly openUdpReceiver: (
    options: import("./node/udp.ts").UdpReceiverOptions,
  ) => Promise<import("./node/udp.ts").UdpReceiver>;
  /** The runtime's native CRC-32, or `null` where there is none. */
  readonly nativeCrc32: import("./node/checksum.ts").NativeCrc32 | null;
}
