/**
 * The gRPC test peer (`grpc_server.mjs`, @grpc/grpc-js on Node) as a child
 * process: start it, read its counts, restart it on the same port, stop it.
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface, type Interface } from "node:readline";
import { fileURLToPath } from "node:url";

const SCRIPT = fileURLToPath(new URL("./grpc_server.mjs", import.meta.url));

/** What the server counted. */
export interface GrpcServerStats {
  /** Calls that reached a handler. */
  calls: number;
  /** Calls by the status code they ended with ("0", "14", ...). */
  statuses: Record<string, number>;
  /** Per method path: calls and statuses. */
  methods: Record<string, { calls: number; statuses: Record<string, number> }>;
  /** Request messages received. */
  messagesIn: number;
  /** Response messages sent. */
  messagesOut: number;
  /** Request messages of Say and Count by their `name` field (the first 10,000 names). */
  names: Record<string, number>;
}

/** Options of `startGrpcPeer`. */
export interface GrpcPeerOptions {
  /** Port to listen on (0: a free one). */
  port?: number;
  /** TLS certificate and key files. */
  tls?: { cert: string; key: string };
  /** Every Nth unary/streaming call ends UNAVAILABLE. */
  unavailableEvery?: number;
  /** A plain HTTP/2 server answering 404 text/html instead. */
  notGrpc?: boolean;
  /** Which server reflection versions it serves (default both v1 and v1alpha). */
  reflection?: "both" | "v1alpha" | "none";
}

/** A running peer. */
export interface GrpcPeer {
  /** Its port. */
  port: number;
  /** `grpc://127.0.0.1:PORT` (or grpcs://). */
  url: string;
  /** The counts so far. */
  stats(): Promise<GrpcServerStats>;
  /** Graceful stop (calls in flight finish); resolves with the final counts. */
  stop(): Promise<GrpcServerStats>;
}

/**
 * Starts the peer and waits until it listens.
 *
 * @example
 * ```ts
 * import { startGrpcPeer } from "./grpc_peer.ts";
 * const peer = await startGrpcPeer();
 * console.log(peer.url, (await peer.stats()).calls);
 * await peer.stop();
 * ```
 */
export function startGrpcPeer(options: GrpcPeerOptions = {}): Promise<GrpcPeer> {
  const args = [SCRIPT, "--port", String(options.port ?? 0)];
  if (options.tls) args.push("--tls", options.tls.cert, options.tls.key);
  if (options.unavailableEvery) args.push("--unavailable-every", String(options.unavailableEvery));
  if (options.notGrpc) args.push("--not-grpc");
  if (options.reflection) args.push("--reflection", options.reflection);
  const child: ChildProcess = spawn(process.env.LUNGE_NODE ?? "node", args, {
    stdio: ["pipe", "pipe", "inherit"],
  });
  const lines: Interface = createInterface({ input: child.stdout! });
  const waiting: Array<(line: string) => void> = [];
  lines.on("line", (line) => waiting.shift()?.(line));
  const nextLine = (ms: number): Promise<string> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the gRPC test server did not answer")), ms);
      waiting.push((line) => {
        clearTimeout(timer);
        resolve(line);
      });
    });
  const scheme = options.tls ? "grpcs" : "grpc";
  return nextLine(20_000).then((first) => {
    const port = JSON.parse(first).port as number;
    let stopped: Promise<GrpcServerStats> | null = null;
    return {
      port,
      url: `${scheme}://127.0.0.1:${port}`,
      stats: async () => {
        const answer = nextLine(10_000);
        child.stdin!.write("stats\n");
        return JSON.parse(await answer);
      },
      stop: () => {
        if (stopped !== null) return stopped;
        const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
        const answer = options.notGrpc ? Promise.resolve("{}") : nextLine(15_000);
        if (options.notGrpc) child.kill("SIGTERM");
        else child.stdin!.write("stop\n");
        stopped = answer.then(async (line) => {
          const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
          await exited;
          clearTimeout(timer);
          child.stdin!.destroy();
          lines.close();
          return JSON.parse(line);
        });
        return stopped;
      },
    };
  });
}
