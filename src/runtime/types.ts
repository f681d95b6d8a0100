/**
 * The shapes every runtime adapter implements, in one place. Only `src/runtime/` touches
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
  readonly tcpConnect: TcpConnectFn;
  /** Opens a client TLS connection (ALPN, CA, client certificate, insecure); `onTcpOpen` after the handshake. */
  readonly tlsConnect: TlsConnectFn;
  /**
   * Tells the socket layer of this thread whether its load is paced (open model): on Deno, plain TCP then
   * opens over `Deno.connect`, which costs less than lunge's epoll loop when each wake-up finds one or two
   * events; elsewhere it changes nothing.
   */
  readonly preferSocketsForPacedLoad: (paced: boolean) => void;
  /** Calls `handler` on SIGINT and SIGTERM; returns a function that removes it. */
  readonly onStopSignals: (handler: (signal: StopSignal) => void) => () => void;
  /** Opens a unix domain stream socket. */
  readonly unixConnect: UnixConnectFn;
  /** Starts a module worker thread from a `file:` or `data:` URL. */
  readonly spawnWorker: SpawnWorkerFn;
  /** The parent port of the current worker thread. */
  readonly parentPort: () => ParentPort;
  /** Starts a module as a child process of the same runtime. */
  readonly spawnRuntimeProcess: (
    scriptUrl: URL | string,
    args: string[],
  ) => RuntimeProcess;
  /** Calls `handler` once the parent closes this process's stdin. */
  readonly onStdinClosed: (handler: () => void) => void;
  /** Serves a fetch handler over HTTP/1.1 (the adapter loads lazily, on first use). */
  readonly serveApp: (
    fetch: FetchHandler,
    options: ServeOptions,
  ) => Promise<ServedApp>;
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
    options: UdpSenderOptions,
  ) => Promise<UdpSender>;
  /** Opens a UDP socket for receiving. */
  readonly openUdpReceiver: (
    options: UdpReceiverOptions,
  ) => Promise<UdpReceiver>;
  /** The runtime's native CRC-32, or `null` where there is none. */
  readonly nativeCrc32: import("./node/checksum.ts").NativeCrc32 | null;
}

// ---- Sockets (plain TCP, TLS, unix domain): the client adapters deliver events to one long-lived listener object, so that a keep-alive client runs without allocating per request.

/** Receives the events of the sockets it opened. */
export interface TcpListener {
  /**
   * The connection is established (for TLS: the handshake is complete and
   * `socket.alpnProtocol` is known); writes may start.
   */
  onTcpOpen(socket: TcpSocket): void;
  /**
   * Bytes arrived: `bytes[0, length)`. The bytes are only valid during the
   * call (the adapter may reuse the buffer).
   */
  onTcpData(socket: TcpSocket, bytes: Uint8Array, length: number): void;
  /**
   * The socket closed by itself: the peer closed it (`error` undefined), it
   * failed, or it could not connect (`error` set). Called at most once, and
   * never after the owner called `close()`. A failed TLS handshake arrives
   * here as a `TlsError` (see `tls_error.ts`) whose message gives the reason,
   * e.g. "certificate verify failed: self-signed certificate".
   */
  onTcpClose(socket: TcpSocket, error: unknown): void;
}

/** A client socket (TCP, TLS or unix), as the HTTP client sees it. */
export interface TcpSocket {
  /**
   * Queues `bytes` for sending (only after `onTcpOpen`); the adapter finishes
   * partial writes and may keep `bytes` until then: the caller must not change them.
   */
  write(bytes: Uint8Array): void;
  /**
   * Sends `buffer[0, length)` as `write` does, but the caller may change
   * `buffer` as soon as this returns: the adapter copies what it does not hand
   * to the kernel during the call (a reused output buffer needs no copy per write).
   */
  writeTransient(buffer: Uint8Array, length: number): void;
  /** Closes the socket; no event is delivered afterwards. */
  close(): void;
  /**
   * The protocol the server chose by ALPN (e.g. `"h2"`, `"http/1.1"`), set
   * before `onTcpOpen`; `null` for plain TCP and unix sockets, or when the
   * server chose none.
   */
  readonly alpnProtocol: string | null;
}

/** How to run TLS over a connection (`tlsConnect`). Certificates and keys are PEM text, not paths. */
export interface TlsConnectOptions {
  /**
   * Server name sent in SNI (never an IP address) and checked against the certificate.
   * @default {the hostname connected to}
   */
  servername?: string;
  /**
   * Trusted CA certificates (PEM), like curl's `--cacert`: instead of the
   * system roots on Bun and Node, in addition to them on Deno.
   */
  ca?: string[];
  /** Client certificate chain (PEM), sent when the server asks; needs `key`. */
  cert?: string;
  /** Private key (PEM) of `cert`. */
  key?: string;
  /** Skip certificate verification (curl's `-k`). @default {false} */
  insecure?: boolean;
  /** ALPN protocols to offer, most preferred first, e.g. `["h2", "http/1.1"]`. @default {none} */
  alpn?: string[];
}

/** Opens a TCP connection to `hostname:port`, reporting to `listener`. */
export type TcpConnectFn = (hostname: string, port: number, listener: TcpListener) => TcpSocket;

/** Opens a TLS connection to `hostname:port` (handshake included), reporting to `listener`. */
export type TlsConnectFn = (
  hostname: string,
  port: number,
  listener: TcpListener,
  tls: TlsConnectOptions,
) => TcpSocket;

/** Opens a unix domain stream socket at `path`, reporting to `listener`. */
export type UnixConnectFn = (path: string, listener: TcpListener) => TcpSocket;

// ---- Serving an app.

/** A web-standard request handler, as Hono's `app.fetch`. */
export type FetchHandler = (request: Request) => Response | Promise<Response>;

/** Where to listen. */
export interface ServeOptions {
  /** TCP port; `0` picks a free ephemeral port (the bound one is reported). */
  port: number;
  /** Interface to bind, e.g. `"127.0.0.1"` or `"0.0.0.0"`. */
  hostname: string;
  /** WebSocket routes: requests it `matches` are upgraded and their messages handed to it. */
  webSocket?: ServerWebSocketHandler;
}

/** What a served app does with WebSocket upgrades (`ServeOptions.webSocket`). */
export interface ServerWebSocketHandler {
  /** Whether a request for `pathname` asking for an upgrade becomes a WebSocket. */
  matches(pathname: string): boolean;
  /** A socket was upgraded. */
  onOpen(): void;
  /** A whole message arrived (text as a string); `reply` sends one back on the same socket. */
  onMessage(data: string | Uint8Array, reply: (data: string | Uint8Array) => void): void;
  /** A socket closed. */
  onClose(): void;
}

/** A listening server. */
export interface ServedApp {
  /** The port actually bound. */
  readonly port: number;
  /** The interface bound. */
  readonly hostname: string;
  /** Stops listening and closes every connection; resolves once closed. */
  close(): Promise<void>;
}

// ---- Stop signals.

/** The signals that ask lunge to stop: Ctrl-C and a polite kill. */
export type StopSignal = "SIGINT" | "SIGTERM";

// ---- Worker threads.

/** A started worker thread, as the parent sees it. */
export interface WorkerHandle {
  /** Sends structured-cloneable data (SharedArrayBuffers are shared, not copied). */
  postMessage(message: unknown): void;
  /** Registers the handler for messages from the worker. */
  onMessage(handler: (message: unknown) => void): void;
  /** Registers the handler for an uncaught error in the worker. */
  onError(handler: (error: Error) => void): void;
  /** Stops the worker at once. */
  terminate(): void;
}

/** The parent, as a worker sees it. */
export interface ParentPort {
  /** Sends structured-cloneable data to the parent. */
  postMessage(message: unknown): void;
  /** Registers the handler for messages from the parent. */
  onMessage(handler: (message: unknown) => void): void;
  /** Closes this worker from inside. */
  close(): void;
}

/** Starts a module worker from a `file:`, `data:` or `blob:` URL. */
export type SpawnWorkerFn = (url: URL | string, name: string) => WorkerHandle;

// ---- Child processes.

/** Signals lunge sends to its child processes. */
export type ChildSignal = "SIGTERM" | "SIGKILL" | "SIGINT";

/** A child process running a script on the same runtime as this one. */
export interface RuntimeProcess {
  /** Operating-system process id. */
  readonly pid: number;
  /** Calls `handler` with each line the child writes to stdout (without the newline). */
  onStdoutLine(handler: (line: string) => void): void;
  /** The last few kilobytes the child wrote to stderr (for error messages). */
  stderrTail(): string;
  /** Sends `signal` (default `"SIGTERM"`); a no-op once the child has exited. */
  kill(signal?: ChildSignal): void;
  /** Resolves with the exit code (or `null` when ended by a signal) once the child exited and its pipes closed. */
  readonly exited: Promise<number | null>;
}

// ---- UDP (the stats library).

/** Options of `openUdpSender`. */
export interface UdpSenderOptions {
  /** Destination host name or IP literal. */
  host: string;
  /** Destination port. */
  port: number;
  /** 4 or 6. */
  family: 4 | 6;
  /** SO_SNDBUF to request (4 MB, so bursts of batches do not overflow the kernel buffer); ignored where the runtime refuses. */
  sendBufferBytes?: number;
}

/** A connected UDP socket that sends datagrams without blocking. */
export interface UdpSender {
  /**
   * Sends `bytes[0, length)` as one datagram. `done` runs once the socket no
   * longer needs the bytes, with the error if the send failed. Never throws.
   */
  send(bytes: Uint8Array, length: number, done: (error: Error | null) => void): void;
  /** Errors reported by the socket outside a send (ICMP port unreachable, ...). */
  onError(listener: (error: Error) => void): void;
  /** The SO_SNDBUF granted, or 0 when unknown. */
  readonly sendBufferBytes: number;
  /** Closes the socket. */
  close(): Promise<void>;
}

/** Options of `openUdpReceiver`. */
export interface UdpReceiverOptions {
  /** Address to bind (default 127.0.0.1). */
  host?: string;
  /** Port to bind (default 0: any free port). */
  port?: number;
  /** 4 or 6 (default 4). */
  family?: 4 | 6;
  /** SO_RCVBUF to request (4 MB, so a receiver under test does not drop bursts). */
  recvBufferBytes?: number;
  /** Largest datagram expected (default 65,535); Deno sizes its per-read buffer to it. */
  maxDatagramBytes?: number;
  /** Called for each datagram received. */
  onMessage(bytes: Uint8Array): void;
}

/** A bound UDP socket receiving datagrams. */
export interface UdpReceiver {
  /** The bound port. */
  readonly port: number;
  /** Closes the socket. */
  close(): Promise<void>;
}
