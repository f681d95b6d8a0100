import { WORKER_YOUNG_GENERATION_MB } from "./worker.ts";
import type { ChildSignal, RuntimeProcess } from "../types.ts";
import { LineSplitter, TextTail } from "../text_lines.ts";

async function pump(stream: ReadableStream<Uint8Array>, onText: (text: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  try {
    for await (const chunk of stream) onText(decoder.decode(chunk, { stream: true }));
  } catch {
    // the pipe broke when the child died: nothing more to read
  }
}

/**
 * The child (the built-in target's process) gets the load workers' young-generation cap, as a V8
 * flag since a process cannot be given `resourceLimits`: left to V8, its young generation grows in
 * steps for half an hour of load (the target's RSS rose +0.70 MiB/min in a 30-minute soak). V8's
 * young generation is three semi-spaces; the flags add to any `DENO_V8_FLAGS` the child inherits.
 */
const CHILD_YOUNG_GENERATION = `--v8-flags=--max-semi-space-size=${WORKER_YOUNG_GENERATION_MB / 3}`;

/**
 * Starts a child Deno process (`Deno.execPath() run -A`) running `scriptUrl`
 * with `args`; stdio is piped.
 *
 * @example
 * ```ts
 * import { spawnRuntimeProcess } from "./_process.ts";
 * const child = spawnRuntimeProcess(new URL("./entry.ts", import.meta.url), []);
 * child.kill();
 * await child.exited;
 * ```
 */
export function spawnRuntimeProcess(scriptUrl: URL | string, args: string[]): RuntimeProcess {
  const script = scriptUrl instanceof URL ? scriptUrl.href : scriptUrl;
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "-q", CHILD_YOUNG_GENERATION, script, ...args],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const stdin = child.stdin.getWriter();
  const tail = new TextTail();
  const lineHandlers: ((line: string) => void)[] = [];
  const splitter = new LineSplitter((line) => {
    for (const handler of lineHandlers) handler(line);
  });
  const pipes = Promise.all([
    pump(child.stdout, (text) => splitter.push(text)),
    pump(child.stderr, (text) => tail.push(text)),
  ]);
  let done = false;
  const closeStdin = (): void => {
    stdin.close().catch(() => {});
  };
  const exited = child.status.then(async (status) => {
    done = true;
    closeStdin();
    await pipes;
    return status.signal === null ? status.code : null;
  });
  return {
    pid: child.pid,
    onStdoutLine: (handler: (line: string) => void): void => {
      lineHandlers.push(handler);
    },
    stderrTail: (): string => tail.toString(),
    kill: (signal: ChildSignal = "SIGTERM"): void => {
      if (done) return;
      try {
        child.kill(signal);
      } catch {
        // already exited
      }
    },
    exited,
  };
}

/**
 * In a child process: calls `handler` once stdin reaches its end, which
 * happens when the parent closes it or dies.
 *
 * @example
 * ```ts
 * import { onStdinClosed } from "./_process.ts";
 * onStdinClosed(() => console.error("parent gone"));
 * ```
 */
export function onStdinClosed(handler: () => void): void {
  (async (): Promise<void> => {
    try {
      for await (const _ of Deno.stdin.readable) { /* discard */ }
    } catch {
      // a broken pipe means the parent is gone too
    }
    handler();
  })();
}
