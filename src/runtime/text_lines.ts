/**
 * Text helpers of the child-process adapters: the tail of a stream and a line splitter.
 *
 * @module
 */

/**
 * Keeps the last `limit` characters of a stream of text.
 *
 * @example
 * ```ts
 * import { TextTail } from "./text_lines.ts";
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
 * import { LineSplitter } from "./text_lines.ts";
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
