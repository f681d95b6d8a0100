/**
 * Messages between {@linkcode startTarget} and the target's worker entry.
 *
 * @module
 */

/** Parent to worker: bind and serve. */
export interface StartMessage {
  type: "start";
  port: number;
  hostname: string;
  maxBytes?: number;
}

/** Parent to worker: a request that gets a reply with the same `id`. */
export interface CommandMessage {
  type: "stats" | "reset" | "stall" | "stop";
  id: number;
  ms?: number;
  /** `stats`: the window to count arrivals in (epoch ms). */
  window?: { fromEpochMs: number; toEpochMs: number };
}

/** Worker (or child process, as a JSON line on stdout) to parent: listening. */
export interface ReadyMessage {
  type: "ready";
  port: number;
  hostname: string;
}

/** Worker to parent: start-up failed. */
export interface FailedMessage {
  type: "failed";
  message: string;
}

/** Worker to parent: the answer to a {@linkcode CommandMessage}. */
export interface ReplyMessage {
  type: "reply";
  id: number;
  value?: unknown;
  error?: string;
}

/** Any message the target worker sends. */
export type TargetWorkerMessage = ReadyMessage | FailedMessage | ReplyMessage;
