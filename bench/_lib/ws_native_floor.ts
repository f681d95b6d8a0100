/**
 * The native floor for a closed WebSocket echo loop: ws_echo_client.c, a
 * small C client (epoll, one thread, one masked frame written and its echo
 * read per round trip, nothing else), built with the system's `cc`. Its round
 * trips per CPU-second are what any client can reach on this machine and
 * kernel; bench/websocket.ts measures it beside lunge, the `ws` package and
 * artillery. Without a C compiler there is no figure (null / NaN).
 *
 * @module
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const SOURCE = new URL("./ws_echo_client.c", import.meta.url).pathname;

/**
 * Compiles ws_echo_client.c into `dir`; the binary's path, or null if there
 * is no working `cc`. Its arguments: `<ipv4 host> <port> <connections> <seconds> [message]`.
 *
 * @example
 * ```ts
 * import { mkdtempSync } from "node:fs";
 * import { buildWsEchoClient } from "./ws_native_floor.ts";
 * console.log(buildWsEchoClient(mkdtempSync("/tmp/ws-floor-")));
 * ```
 */
export function buildWsEchoClient(dir: string): string | null {
  const out = join(dir, "ws_echo_client");
  const cc = spawnSync("cc", ["-O2", "-o", out, SOURCE], { stdio: ["ignore", "ignore", "pipe"] });
  return cc.status === 0 && existsSync(out) ? out : null;
}

/** What one run of the C client did. */
export interface WsEchoClientRun {
  /** Echoes read (NaN if the client failed or could not be built). */
  roundTrips: number;
  /** Frames sent (NaN likewise); equal to `roundTrips` when every echo came back. */
  sent: number;
  /** Its exit code (null if it could not be built or started). */
  code: number | null;
  /** The last lines of its stderr. */
  stderrTail: string;
}

/**
 * Builds the C client into a temporary folder (removed after), runs it with
 * `connections` against `url` (a `ws://<ipv4>:<port>/` echo server) for
 * `seconds`, and reads its counts.
 *
 * @example
 * ```ts
 * import { runWsEchoClient } from "./ws_native_floor.ts";
 * const run = await runWsEchoClient({ url: "ws://127.0.0.1:8080/", connections: 10, seconds: 1 });
 * console.log(run.roundTrips, run.sent, run.code);
 * ```
 */
export async function runWsEchoClient(
  options: { url: string; connections: number; seconds: number; message?: string },
): Promise<WsEchoClientRun> {
  // Built for each call and removed after it, as native_floor.ts does: an exit hook would not run on every runtime.
  const dir = mkdtempSync(join(tmpdir(), "lunge-ws-floor-"));
  try {
    const client = buildWsEchoClient(dir);
    if (client === null) return { roundTrips: NaN, sent: NaN, code: null, stderrTail: "no working cc" };
    const url = new URL(options.url);
    const argv = [url.hostname, url.port, String(options.connections), String(options.seconds)];
    if (options.message !== undefined) argv.push(options.message);
    const child = spawn(client, argv, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "";
    child.stdout?.on("data", (d: Uint8Array) => (stdout += new TextDecoder().decode(d)));
    child.stderr?.on("data", (d: Uint8Array) => (stderr += new TextDecoder().decode(d)));
    const killer = setTimeout(() => child.kill("SIGKILL"), (options.seconds + 30) * 1000);
    const code = await new Promise<number | null>((resolve) => {
      child.once("close", (c: number | null) => resolve(c));
      child.once("error", () => resolve(null));
    });
    clearTimeout(killer);
    const stderrTail = stderr.trim().split("\n").slice(-2).join(" | ");
    if (code !== 0) return { roundTrips: NaN, sent: NaN, code, stderrTail };
    const counts = JSON.parse(stdout.trim().split("\n").pop() || "{}");
    return { roundTrips: Number(counts.roundTrips), sent: Number(counts.sent), code, stderrTail };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
