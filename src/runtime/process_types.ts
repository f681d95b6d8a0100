/**
 * Shapes shared by the child-process adapters in `src/runtime/<rt>/process.ts`.
 *
 * @module
 */

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

/**
 * Keeps the last `limit` characters of a stream of text.
 *
 * @example
 * ```ts
 * import { TextTail } from "./process_types.ts";
 * const tail = new TextTail(4);
 * tail.push("abcdef");
 * console.log(tail.toString()); // "cdef"
 * ```
 */
export class TextTail {
  #text = "";
  constructor(private readonly limit: number = 4096) {}
  /** Appends text, dropping the oldest characters past the limit. */
  push(chunk: string): void {
    this.#text = (this.#text + chunk).slice(-this.limit);
  }
  /** The text kept. */
  toString(): string {
    return this.#text;
  }
}

/**
 * Splits a stream of text chunks into lines.
 *
 * @example
 * ```ts
 * import { LineSplitter } from "./process_types.ts";
 * const lines: string[] = [];
 * const splitter = new LineSplitter((line) => lines.push(line));
 * splitter.push("a\nb");
 * splitter.push("c\n");
 * console.log(lines); // ["a", "bc"]
 * ```
 */
export class LineSplitter {
  #pending = "";
  constructor(private readonly onLine: (line: string) => void) {}
  /** Feeds a chunk; calls `onLine` for each complete line. */
  push(chunk: string): void {
    const parts = (this.#pending + chunk).split("\n");
    this.#pending = parts.pop() ?? "";
    for (const part of parts) this.onLine(part.endsWith("\r") ? part.slice(0, -1) : part);
  }
}
