/**
 * nginx from Debian as a third-party target for benches and tests: a temp
 * directory with its own nginx.conf, pid, logs and temp paths, a free port on
 * 127.0.0.1, started in the foreground and stopped by the caller. Dev
 * tooling, not library code: like `command.ts` it uses `node:*` modules,
 * which Deno, Bun and Node all provide.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";

/** Where Debian installs nginx. */
export const NGINX_PATH = "/usr/sbin/nginx";
/** Where Debian installs taskset (util-linux). */
export const TASKSET_PATH = "/usr/bin/taskset";

/** Options of {@linkcode startNginx}. */
export interface NginxOptions {
  /** Worker processes (default 1). */
  workers?: number;
  /**
   * Access log: a file path, `true` for `access.log` in nginx's own temp
   * directory, or omit (or null/false) for `access_log off` (speed benches).
   */
  accessLog?: string | boolean | null;
  /** Body of `GET /` and every other path (default "ok\n", status 200). */
  body?: string;
  /** Extra directives inside `server { }`, e.g. more `location` blocks. */
  serverConfig?: string;
  /** Extra directives inside `http { }`. */
  httpConfig?: string;
  /** Speak h2c (HTTP/2 with prior knowledge) on the port instead of HTTP/1.1. */
  http2?: boolean;
  /** Pin nginx to this CPU with taskset when taskset exists (default: not pinned). */
  cpu?: number;
  /** How long to wait for the port to accept (default 10 s). */
  startTimeoutMs?: number;
}

/** A running nginx. */
export interface NginxHandle {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  /** The master process id. */
  readonly pid: number;
  /** The temp directory holding nginx.conf, the logs and the pid file (removed by `stop`). */
  readonly dir: string;
  /** Whether nginx was pinned with taskset. */
  readonly pinned: boolean;
  /** The access log's path, or null when the log is off. */
  readonly accessLog: string | null;
  /** Lines in the access log so far (0 when the log is off or not written yet). */
  accessLogLines(): number;
  /**
   * Lines in the access log once it holds `want` (or `timeoutMs` passed): nginx writes a
   * request's line just after it responds, so a client can finish before the last line lands.
   */
  waitForAccessLogLines(want: number, timeoutMs?: number): Promise<number>;
  /** The error log so far (for failure messages). */
  errorLog(): string;
  /** Stops nginx (SIGQUIT, then SIGKILL after 5 s) and removes its temp directory. */
  stop(): Promise<void>;
}

/**
 * Whether nginx is installed.
 *
 * @example
 * ```ts
 * import { hasNginx } from "./nginx.ts";
 * if (!hasNginx()) console.error("apt-get install nginx");
 * ```
 */
export function hasNginx(): boolean {
  return existsSync(NGINX_PATH);
}

/**
 * Whether taskset is installed (CPU pinning).
 *
 * @example
 * ```ts
 * import { hasTaskset } from "./nginx.ts";
 * console.log(hasTaskset());
 * ```
 */
export function hasTaskset(): boolean {
  return existsSync(TASKSET_PATH);
}

/**
 * A TCP port that was free on 127.0.0.1 a moment ago (the OS picks it).
 *
 * @example
 * ```ts
 * import { freePort } from "./nginx.ts";
 * console.log(await freePort());
 * ```
 */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * The nginx.conf for `options` with its files under `dir`.
 *
 * @example
 * ```ts
 * import { nginxConfig } from "./nginx.ts";
 * console.log(nginxConfig("/tmp/x", 8080, {}));
 * ```
 */
export function nginxConfig(dir: string, port: number, options: NginxOptions): string {
  const body = JSON.stringify(options.body ?? "ok\n"); // nginx string syntax accepts JSON escapes
  const path = accessLogPath(dir, options);
  const log = path !== null ? `access_log ${path};` : "access_log off;";
  // As root, nginx would run its workers as "nobody", who cannot write the 0700 temp directory.
  const user = process.getuid?.() === 0 ? "user root;" : "";
  return `${user}
worker_processes ${options.workers ?? 1};
daemon off;
pid ${join(dir, "nginx.pid")};
error_log ${join(dir, "error.log")} warn;
worker_rlimit_nofile 20000;
events { worker_connections 16384; }
http {
  ${log}
  client_body_temp_path ${join(dir, "client_body")};
  proxy_temp_path ${join(dir, "proxy")};
  fastcgi_temp_path ${join(dir, "fastcgi")};
  uwsgi_temp_path ${join(dir, "uwsgi")};
  scgi_temp_path ${join(dir, "scgi")};
  keepalive_requests 100000000;
  keepalive_timeout 75s;
  ${options.httpConfig ?? ""}
  server {
    listen 127.0.0.1:${port} reuseport backlog=4096${options.http2 ? " http2" : ""};
    default_type text/plain;
    ${options.serverConfig ?? ""}
    location / { return 200 ${body}; }
  }
}
`;
}

function accessLogPath(dir: string, options: NginxOptions): string | null {
  if (options.accessLog === true) return join(dir, "access.log");
  return typeof options.accessLog === "string" && options.accessLog !== "" ? options.accessLog : null;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * Starts nginx on a free port of 127.0.0.1 in its own temp directory and
 * waits until the port accepts. Throws (with nginx's error log) when nginx is
 * missing or does not come up; retries a port taken in between.
 *
 * @example
 * ```ts
 * import { startNginx } from "./nginx.ts";
 * const nginx = await startNginx({ accessLog: "/tmp/access.log" });
 * // ... load nginx.url + "/" ...
 * console.log(nginx.accessLogLines());
 * await nginx.stop();
 * ```
 */
export async function startNginx(options: NginxOptions = {}): Promise<NginxHandle> {
  if (!hasNginx()) throw new Error(`nginx is not installed (${NGINX_PATH}): apt-get install nginx`);
  let lastError = "";
  for (let attempt = 0; attempt < 5; attempt++) {
    const handle = await tryStart(options);
    if (typeof handle !== "string") return handle;
    lastError = handle;
    if (!/in use/i.test(handle)) break;
  }
  throw new Error(`nginx did not start: ${lastError}`);
}

async function tryStart(options: NginxOptions): Promise<NginxHandle | string> {
  const dir = mkdtempSync(join(tmpdir(), "lunge-nginx-"));
  const port = await freePort();
  const conf = join(dir, "nginx.conf");
  writeFileSync(conf, nginxConfig(dir, port, options));
  const pinned = options.cpu !== undefined && hasTaskset();
  const args = ["-p", dir, "-c", conf, "-e", join(dir, "error.log")];
  const child = pinned
    ? spawn(TASKSET_PATH, ["-c", String(options.cpu), NGINX_PATH, ...args], { stdio: "ignore" })
    : spawn(NGINX_PATH, args, { stdio: "ignore" });
  let exited = false;
  const exit = new Promise<void>((resolve) => {
    child.once("exit", () => {
      exited = true;
      resolve();
    });
    child.once("error", () => {
      exited = true;
      resolve();
    });
  });
  const errorLog = (): string => {
    try {
      return readFileSync(join(dir, "error.log"), "utf8");
    } catch {
      return "";
    }
  };
  const deadline = performance.now() + (options.startTimeoutMs ?? 10_000);
  while (!exited && performance.now() < deadline && !(await accepts(port))) {
    await new Promise((r) => setTimeout(r, 20));
  }
  const stop = async (): Promise<void> => {
    if (!exited) {
      child.kill("SIGQUIT");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exit;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  if (exited || performance.now() >= deadline) {
    const log = errorLog().trim().split("\n").slice(-3).join(" | ");
    await stop();
    return log || "no error log (nginx exited or did not accept in time)";
  }
  const accessLogLines = (): number => {
    const path = accessLogPath(dir, options);
    if (path === null) return 0;
    try {
      const text = readFileSync(path, "utf8");
      let n = 0;
      for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) n++;
      return n;
    } catch {
      return 0;
    }
  };
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid ?? 0,
    dir,
    pinned,
    accessLog: accessLogPath(dir, options),
    accessLogLines,
    waitForAccessLogLines: async (want: number, timeoutMs = 3000): Promise<number> => {
      const deadline = Date.now() + timeoutMs;
      let got = accessLogLines();
      while (got < want && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 20));
        got = accessLogLines();
      }
      return got;
    },
    errorLog,
    stop,
  };
}
