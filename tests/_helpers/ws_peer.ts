/**
 * Starts the `ws`-package echo server (`ws_echo_server.mjs`) as a Node child
 * process and reads its counts: the real peer of the WebSocket tests and bench.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";

/** What the server counted. */
export interface WsPeerStats {
  connections: number;
  received: number;
  sent: number;
  bytesReceived: number;
  bytesSent: number;
  pongs: number;
  closeCodes: Record<string, number>;
  /** With `--record-texts`: each text message received and how often. */
  texts?: Record<string, number>;
}

/** A running `ws` server. */
export interface WsPeer {
  readonly port: number;
  readonly pid: number;
  stats(): Promise<WsPeerStats>;
  stop(): Promise<void>;
}

/** A self-signed certificate for 127.0.0.1 and localhost, made with openssl in a temporary folder. */
export function selfSignedCert(): { cert: string; key: string; dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), "lunge-ws-tls-"));
  const cert = join(dir, "cert.pem"), key = join(dir, "key.pem");
  execFileSync("openssl", [
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    key,
    "-out",
    cert,
    "-days",
    "1",
    "-subj",
    "/CN=localhost",
    "-addext",
    "subjectAltName=DNS:localhost,IP:127.0.0.1",
    // Not a CA: rustls (Deno) refuses a CA certificate used as the server's own.
    "-addext",
    "basicConstraints=critical,CA:FALSE",
    "-addext",
    "keyUsage=critical,digitalSignature,keyEncipherment",
    "-addext",
    "extendedKeyUsage=serverAuth",
  ], { stdio: "ignore" }); // deno-fmt-ignore
  return { cert, key, dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Starts the server (`node`, from PATH); `args` as `ws_echo_server.mjs` takes them.
 * `taskset` pins it to a CPU list when given (bench).
 */
export async function startWsPeer(args: string[] = [], taskset: string | null = null): Promise<WsPeer> {
  const script = new URL("./ws_echo_server.mjs", import.meta.url).pathname;
  const command = taskset === null ? "node" : "taskset";
  const argv = taskset === null ? [script, ...args] : ["-c", taskset, "node", script, ...args];
  const child = spawn(command, argv, { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: child.stdout! });
  const waiting: Array<(line: string) => void> = [];
  lines.on("line", (line) => waiting.shift()?.(line));
  const nextLine = (): Promise<string> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("ws peer did not answer within 10 s")), 10_000);
      waiting.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
    });
  const { port } = JSON.parse(await nextLine());
  const exited = new Promise<void>((resolve) => child.on("exit", () => resolve()));
  return {
    port,
    pid: child.pid!,
    async stats() {
      const line = nextLine();
      child.stdin!.write("stats\n");
      return JSON.parse(await line);
    },
    async stop() {
      child.stdin!.end();
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    },
  };
}
