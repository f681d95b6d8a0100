/**
 * Starts `sse_peer_server.mjs` in a child Node process (its own timers, undisturbed by the
 * client under test) and reads its port; `stop()` ends it.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

/** A running SSE peer. */
export interface SsePeer {
  /** Base URL, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** The server's ground truth: every stream's write times (ms after the request arrived). */
  stats(): Promise<{ streams: Array<{ writes: number[] }>; events: number }>;
  /** Ends the child process. */
  stop(): Promise<void>;
}

/**
 * Starts a peer: `h1` or `h1tls` (node:http/https, chunked), `h2c` or `h2tls` (node:http2); TLS needs
 * cert and key files.
 *
 * @example
 * ```ts
 * import { startSsePeer } from "./sse_peer.ts";
 * const peer = await startSsePeer("h1");
 * await peer.stop();
 * ```
 */
export async function startSsePeer(
  mode: "h1" | "h1tls" | "h2c" | "h2tls",
  tls?: { cert: string; key: string },
): Promise<SsePeer> {
  const script = fileURLToPath(new URL("./sse_peer_server.mjs", import.meta.url));
  const args = [script, mode, ...(tls ? [tls.cert, tls.key] : [])];
  const child = spawn("node", args, { stdio: ["pipe", "pipe", "inherit"] });
  const { port, statsPort } = await new Promise<{ port: number; statsPort: number }>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error("SSE peer did not start in 10 s")), 10_000);
    child.stdout!.on("data", (chunk: Uint8Array) => {
      out += new TextDecoder().decode(chunk);
      const line = out.split("\n")[0];
      if (out.includes("\n")) {
        clearTimeout(timer);
        resolve(JSON.parse(line));
      }
    });
    child.on("exit", (code) => reject(new Error(`SSE peer exited with ${code}`)));
  });
  const scheme = mode === "h2tls" || mode === "h1tls" ? "https" : "http";
  const url = `${scheme}://127.0.0.1:${port}`;
  return {
    url,
    stats: async () => await (await fetch(`http://127.0.0.1:${statsPort}/stats`)).json(),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.on("exit", () => resolve());
        child.stdin!.end();
        setTimeout(() => child.kill("SIGKILL"), 3000).unref?.();
      }),
  };
}
