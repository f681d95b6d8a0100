/**
 * Test helper: runs Debian's nginx (`/usr/sbin/nginx`) as a third-party peer
 * with its own access log: a throwaway prefix directory holding the config,
 * logs and temp dirs, one worker, a free loopback port, and a stop that waits
 * for the process to exit and removes the directory. Tests may use `node:*`
 * directly; this stays out of `src/`.
 *
 * @module
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";

/** Where nginx is looked for: `$LUNGE_NGINX`, else Debian's path. */
export const NGINX_PATH: string = process.env.LUNGE_NGINX ?? "/usr/sbin/nginx";

/** A running nginx. */
export interface NginxHandle {
  /** Base URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  /** The access log's path (one line per request nginx answered). */
  readonly accessLog: string;
  /** Lines in the access log now. */
  accessLogLines(): number;
  /** Stops nginx (graceful quit, then kill after `timeoutMs`) and removes its directory. */
  stop(timeoutMs?: number): Promise<void>;
}

/** Options of {@linkcode startNginx}. */
export interface StartNginxOptions {
  /** Extra `location` blocks inside the server (default: `location / { return 200 "ok"; }`). */
  locations?: string;
  /** Milliseconds to wait for nginx to accept connections (default 10,000). */
  startTimeoutMs?: number;
}

/** Whether nginx is installed (tests fail instead of skipping when it is not and `CI=true`). */
export function nginxAvailable(): boolean {
  return existsSync(NGINX_PATH);
}

/** A port the OS just handed out on 127.0.0.1 (free unless someone takes it first). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function config(dir: string, port: number, locations: string): string {
  return `daemon off;
master_process on;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 8192; }
http {
  access_log ${dir}/access.log;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  keepalive_requests 10000000;
  keepalive_timeout 60s;
  server {
    listen 127.0.0.1:${port};
    ${locations}
  }
}
`;
}

function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/**
 * Starts nginx on a free 127.0.0.1 port; retries with another port when the
 * one picked was taken meanwhile. Throws when nginx is missing or does not start.
 *
 * @example
 * ```ts
 * import { startNginx } from "./nginx.ts";
 * const nginx = await startNginx();
 * await fetch(nginx.url + "/").then((r) => r.text()); // "ok"
 * await nginx.stop();
 * ```
 */
export async function startNginx(options: StartNginxOptions = {}): Promise<NginxHandle> {
  if (!nginxAvailable()) throw new Error(`nginx not found at ${NGINX_PATH} (apt-get install nginx)`);
  const locations = options.locations ?? `location / { return 200 "ok"; }`;
  let lastError = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), "lunge-nginx-"));
    mkdirSync(join(dir, "tmp"));
    const port = await freePort();
    writeFileSync(join(dir, "nginx.conf"), config(dir, port, locations));
    const child = spawn(NGINX_PATH, ["-p", dir, "-c", join(dir, "nginx.conf")], {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk) => (stderr += chunk));
    const deadline = Date.now() + (options.startTimeoutMs ?? 10_000);
    let up = false;
    while (Date.now() < deadline && child.exitCode === null) {
      if (await canConnect(port)) {
        up = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    if (up) return handle(child, dir, port);
    child.kill("SIGKILL");
    await exited(child, 2000);
    lastError = stderr.trim() || readText(join(dir, "error.log")).trim() || "did not start in time";
    rmSync(dir, { recursive: true, force: true });
  }
  throw new Error(`nginx did not start: ${lastError}`);
}

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

function handle(child: ChildProcess, dir: string, port: number): NginxHandle {
  const accessLog = join(dir, "access.log");
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    accessLog,
    accessLogLines(): number {
      const text = readText(accessLog);
      let n = 0;
      for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
      return n;
    },
    async stop(timeoutMs = 5000): Promise<void> {
      // SIGQUIT: graceful; the access log is written per request, so nothing is lost.
      if (child.exitCode === null) child.kill("SIGQUIT");
      if (!(await exited(child, timeoutMs))) {
        child.kill("SIGKILL");
        await exited(child, 2000);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
