import { spawn } from "node:child_process";
import process from "node:process";
import { fileURLToPath } from "node:url";
import type { ChildSignal, RuntimeProcess } from "../types.ts";
import { LineSplitter, TextTail } from "../text_lines.ts";

/** Starts `execPath scriptPath ...args` with piped stdio (shared by Node and Bun). */
export function spawnNodeLikeProcess(
  execPath: string,
  scriptUrl: URL | string,
  args: string[],
): RuntimeProcess {
  const scriptPath = fileURLToPath(scriptUrl);
  const child = spawn(execPath, [scriptPath, ...args], { stdio: ["pipe", "pipe", "pipe"] });
  const tail = new TextTail();
  const lineHandlers: ((line: string) => void)[] = [];
  const splitter = new LineSplitter((line) => {
    for (const handler of lineHandlers) handler(line);
  });
  child.stdout.setEncoding("utf8");
  child.stderr.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => splitter.push(chunk));
  child.stderr.on("data", (chunk: string) => tail.push(chunk));
  child.stdin.on("error", () => {}); // the child may be gone before we close its stdin
  const exited = new Promise<number | null>((resolve) => {
    child.once("error", (error: Error) => {
      tail.push(String(error));
      resolve(null);
    });
    child.once("close", (code: number | null) => resolve(code));
  });
  let done = false;
  exited.then(() => (done = true));
  return {
    pid: child.pid ?? -1,
    onStdoutLine: (handler: (line: string) => void): void => {
      lineHandlers.push(handler);
    },
    stderrTail: (): string => tail.toString(),
    kill: (signal: ChildSignal = "SIGTERM"): void => {
      if (done) return;
      child.stdin.end();
      child.kill(signal);
    },
    exited,
  };
}

/**
 * Starts a child Node process running `scriptUrl` with `args`; stdio is piped.
 *
 * @example
 * ```ts
 * import { spawnRuntimeProcess } from "./process.ts";
 * const child = spawnRuntimeProcess(new URL("./entry.ts", import.meta.url), ["--port", "0"]);
 * child.onStdoutLine((line) => console.log(line));
 * child.kill();
 * await child.exited;
 * ```
 */
export function spawnRuntimeProcess(scriptUrl: URL | string, args: string[]): RuntimeProcess {
  return spawnNodeLikeProcess(process.execPath, scriptUrl, args);
}

/**
 * In a child process: calls `handler` once stdin reaches its end, which
 * happens when the parent closes it or dies.
 *
 * @example
 * ```ts
 * import { onStdinClosed } from "./process.ts";
 * onStdinClosed(() => console.error("parent gone"));
 * ```
 */
export function onStdinClosed(handler: () => void): void {
  let called = false;
  const once = (): void => {
    if (called) return;
    called = true;
    handler();
  };
  process.stdin.on("end", once);
  process.stdin.on("close", once);
  process.stdin.on("error", once);
  process.stdin.resume();
}
