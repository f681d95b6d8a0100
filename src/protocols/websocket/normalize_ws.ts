/**
 * The WebSocket part of the run options: a ws:// or wss:// URL (or
 * `builtin:/ws/...`) makes a WebSocket run; its messages are checked here
 * (present, valid templates) and the options that mean nothing for it
 * (request sets, scenarios' URL form, HTTP/2, a body, a unix socket, fetch)
 * are refused by name.
 *
 * @module
 */
import { RunOptionsError } from "../../options/run_options_error.ts";
import { optionDefault } from "../../options/check_option.ts";
import type { Transport } from "../../options/values.ts";
import { compileTemplate, type Template } from "../../request_sets/templates.ts";
import { CsvColumnError, readTemplateColumns } from "../../request_sets/csv_columns.ts";
import { readTextFileOrNull } from "../../runtime/files.ts";

/** The checked WebSocket settings of a run. */
export interface NormalizedWebSocket {
  /** Message templates, sent in turn by each virtual user. */
  messages: string[];
  /** The per-name lane of each message ("" when there are too many to name). */
  names: string[];
  /** Binary frames instead of text. */
  binary: boolean;
  /** Largest message accepted, bytes. */
  maxMessageBytes: number;
  /** The CSV columns the messages name, by `FILE:column`, read once here. */
  csv: Record<string, string[]>;
}

/**
 * The fields of the run options (`RunOptions`) that the WebSocket check
 * reads: its own, and the HTTP ones a WebSocket URL refuses. The run options pass as they are.
 *
 * @example
 * ```ts
 * import type { WebSocketRunOptions } from "./normalize_ws.ts";
 * const options: WebSocketRunOptions = { messages: ["hi"], wsBinary: false };
 * ```
 */
export interface WebSocketRunOptions {
  /** The messages to send in turn. */
  messages?: string[];
  /** Binary frames instead of text. */
  wsBinary?: boolean;
  /** The largest message accepted from the server, bytes. */
  wsMaxMessageBytes?: number;
  /** Refused with a WebSocket URL. */
  body?: string | Uint8Array;
  /** Refused with a WebSocket URL. */
  unixSocket?: string;
  /** "fetch" is refused with a WebSocket URL. */
  transport?: Transport;
  /** Refused with a WebSocket URL. */
  connectTo?: string[];
  /** Must be GET (the upgrade request). */
  method?: string;
}

/** Messages are named per message up to this many; more (a file of messages) share the totals only. */
const MAX_NAMED_MESSAGES = 32;

/**
 * Whether `url` is a WebSocket URL: ws://, wss://, or a built-in route under `/ws/`.
 *
 * @example
 * ```ts
 * import { isWebSocketUrl } from "./normalize_ws.ts";
 * isWebSocketUrl("wss://example.com/feed"); // true
 * ```
 */
export function isWebSocketUrl(url: string): boolean {
  return url.startsWith("ws://") || url.startsWith("wss://") || url.startsWith("builtin:/ws/");
}

/**
 * The name of a message in the per-name table: its text, shortened.
 *
 * @example
 * ```ts
 * import { messageName } from "./normalize_ws.ts";
 * messageName("hello", 0); // "msg 1: hello"
 * ```
 */
export function messageName(text: string, index: number): string {
  const flat = text.replace(/\s+/g, " ");
  return `msg ${index + 1}: ${flat.length > 32 ? flat.slice(0, 31) + "…" : flat}`;
}

/**
 * Checks the WebSocket options; null for an HTTP run (which may not carry messages).
 *
 * @example
 * ```ts
 * import { normalizeWebSocket } from "./normalize_ws.ts";
 * normalizeWebSocket({ url: "ws://127.0.0.1:9000/", messages: ["hi"] }, "ws://127.0.0.1:9000/", null, "off", false)
 *   ?.messages; // ["hi"]
 * ```
 */
export function normalizeWebSocket(
  options: WebSocketRunOptions,
  url: string,
  builtinPath: string | null,
  http2: string,
  requestSet: boolean,
): NormalizedWebSocket | null {
  const fail = (option: string, message: string): never => {
    throw new RunOptionsError(option, `"${option}" ${message}`);
  };
  const ws = builtinPath !== null ? builtinPath.startsWith("/ws/") : isWebSocketUrl(url);
  const messages = options.messages;
  if (!ws) {
    if (messages !== undefined && messages.length > 0) fail("messages", "need a ws:// or wss:// URL");
    if (options.wsBinary === true) fail("wsBinary", "needs a ws:// or wss:// URL");
    return null;
  }
  if (!Array.isArray(messages) || messages.length === 0) {
    fail("messages", "are required for a WebSocket URL: --message TEXT (repeatable) or --message @FILE");
  }
  const csv: Record<string, string[]> = {};
  messages!.forEach((m, i) => {
    if (typeof m !== "string") fail("messages", `must be strings, got ${typeof m} at ${i}`);
    let template: Template;
    try {
      template = compileTemplate(m);
    } catch (error) {
      return fail("messages", `${i + 1}: ${(error as Error).message}`);
    }
    try {
      // A relative FILE reads from the working directory (the CLI resolved --message @FILE's beside it).
      readTemplateColumns([template], (file) => file, readTextFileOrNull, csv);
    } catch (error) {
      if (!(error instanceof CsvColumnError)) throw error;
      throw new RunOptionsError("messages", `--message ${i + 1}: ${error.message}`);
    }
  });
  if (requestSet) fail("targets", "cannot be used with a WebSocket URL");
  if (http2 !== "off") fail("http2", "cannot be used with a WebSocket URL");
  if (options.body !== undefined) fail("body", "cannot be used with a WebSocket URL; use --message");
  if (options.unixSocket !== undefined) fail("unixSocket", "carries http:// URLs only");
  if (options.transport === "fetch") fail("transport", "fetch cannot carry WebSocket; use the raw transport");
  if ((options.connectTo?.length ?? 0) > 0) fail("connectTo", "cannot be used with a WebSocket URL");
  const method = (options.method ?? "GET").toUpperCase();
  if (method !== "GET") {
    fail("method", `must be GET for a WebSocket URL (the upgrade request), got ${method}`);
  }
  const named = messages!.length <= MAX_NAMED_MESSAGES;
  return {
    messages: [...messages!],
    names: messages!.map((m, i) => (named ? messageName(m, i) : "")),
    binary: options.wsBinary === true,
    maxMessageBytes: options.wsMaxMessageBytes ?? (optionDefault("wsMaxMessageBytes") as number),
    csv,
  };
}
