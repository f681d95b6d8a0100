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
