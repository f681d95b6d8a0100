/**
 * Test helper: Debian's nginx (`/usr/sbin/nginx`) as a real peer, over plain
 * TCP, TLS (optionally asking for client certificates) or a unix socket, with
 * its own access log, in a throwaway prefix directory; plus certificates made
 * by `openssl` for it. One worker, a free loopback port, a stop that waits for
 * the process and removes the directory. Tests may use `node:*` directly.
 *
 * (A plain-HTTP nginx helper may exist beside this one; this one also covers
 * TLS, client certificates and unix sockets.)
 *
 * @module
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free_port.ts";
import process from "node:process";

/** Where nginx is looked for: `$LUNGE_NGINX`, else Debian's path. */
export const NGINX_PATH: string = process.env.LUNGE_NGINX ?? "/usr/sbin/nginx";

/** PEM files made by {@linkcode makeCertificates}. */
export interface TestCertificates {
  /** Directory holding the files (removed with `remove()`). */
  dir: string;
  /** Self-signed server certificate for `localhost` and `127.0.0.1` (also its own CA for `--cacert`). */
  serverCert: string;
  serverKey: string;
  /** CA that signs client certificates (nginx's `ssl_client_certificate`). */
  clientCa: string;
  /** Client certificate signed by `clientCa`, and its key. */
  clientCert: string;
  clientKey: string;
  /** Removes the directory. */
  remove(): void;
}

function openssl(args: string[], cwd: string): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "ignore", "pipe"], timeout: 30_000 });
}

/**
 * Makes a self-signed server certificate (not a CA, so every TLS stack accepts
 * it as a trust anchor for itself) and a client CA with one client certificate.
 *
 * @example
 * ```ts
 * import { makeCertificates } from "./nginx_tls.ts";
 * const certs = makeCertificates();
 * console.log(certs.serverCert); // /tmp/lunge-certs-xxxx/server.pem
 * certs.remove();
 * ```
 */
export function makeCertificates(): TestCertificates {
  const dir = mkdtempSync(join(tmpdir(), "lunge-certs-"));
  openssl([
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-days",
    "2",
    "-keyout",
    "server.key",
    "-out",
    "server.pem",
    "-subj",
    "/CN=localhost",
    "-addext",
    "subjectAltName=DNS:localhost,IP:127.0.0.1",
    "-addext",
    "basicConstraints=critical,CA:FALSE",
    "-addext",
    "keyUsage=critical,digitalSignature,keyEncipherment",
    "-addext",
    "extendedKeyUsage=serverAuth",
  ], dir); // deno-fmt-ignore
  openssl([
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
    "-keyout", "client-ca.key", "-out", "client-ca.pem", "-subj", "/CN=lunge test client CA",
  ], dir); // deno-fmt-ignore
  openssl([
    "req", "-newkey", "rsa:2048", "-nodes", "-keyout", "client.key", "-out", "client.csr",
    "-subj", "/CN=lunge test client",
  ], dir); // deno-fmt-ignore
  writeFileSync(join(dir, "client.ext"), "extendedKeyUsage=clientAuth\n");
  openssl([
    "x509",
    "-req",
    "-in",
    "client.csr",
    "-CA",
    "client-ca.pem",
    "-CAkey",
    "client-ca.key",
    "-CAcreateserial",
    "-days",
    "2",
    "-out",
    "client.pem",
    "-extfile",
    "client.ext",
  ], dir); // deno-fmt-ignore
  return {
    dir,
    serverCert: join(dir, "server.pem"),
    serverKey: join(dir, "server.key"),
    clientCa: join(dir, "client-ca.pem"),
    clientCert: join(dir, "client.pem"),
    clientKey: join(dir, "client.key"),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** A running nginx. */
export interface NginxHandle {
  /** Base URL without a trailing slash, e.g. `https://127.0.0.1:41234` (`http://localhost` for a unix socket). */
  readonly url: string;
  /** TCP port, or 0 on a unix socket. */
  readonly port: number;
  /** The unix socket path, or null. */
  readonly socketPath: string | null;
  /** The access log's path (one line per request: `$status $server_protocol $request`). */
  readonly accessLog: string;
  /** Lines in the access log now. */
  accessLogLines(): string[];
  /** Stops nginx (graceful quit, then kill) and removes its directory. */
  stop(): Promise<void>;
}

/** Options of {@linkcode startNginx}. */
export interface StartNginxOptions {
  /** Serve TLS with this certificate and key (PEM files). */
  tls?: { cert: string; key: string; verifyClientCa?: string };
  /** Listen on a unix socket in the prefix directory instead of TCP. */
  unixSocket?: boolean;
  /** `location` blocks (default: `location / { return 200 "ok\n"; }`). */
  locations?: string;
  /** `worker_connections` (default 4096). */
  workerConnections?: number;
  /** Command prefix, e.g. `["taskset", "-c", "0"]` to pin nginx to a core (benchmarks). */
  prefix?: string[];
}

function canConnect(target: { port: number } | { path: string }): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = "path" in target ? net.connect(target.path) : net.connect(target.port, "127.0.0.1");
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

function config(dir: string, listen: string, options: StartNginxOptions): string {
  const tls = options.tls;
  const tlsLines = tls === undefined ? "" : `
    ssl_certificate ${tls.cert};
    ssl_certificate_key ${tls.key};
    ssl_protocols TLSv1.2 TLSv1.3;
    ssl_session_cache off;
    ${
    tls.verifyClientCa === undefined ? "" : `ssl_client_certificate ${tls.verifyClientCa};
    ssl_verify_client on;`
  }`;
  return `daemon off;
master_process on;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
worker_rlimit_nofile 20000;
events { worker_connections ${options.workerConnections ?? 4096}; }
http {
  log_format lunge '$status $server_protocol "$request"';
  access_log ${dir}/access.log lunge;
  client_body_temp_path ${dir}/tmp/body;
  proxy_temp_path ${dir}/tmp/proxy;
  fastcgi_temp_path ${dir}/tmp/fastcgi;
  uwsgi_temp_path ${dir}/tmp/uwsgi;
  scgi_temp_path ${dir}/tmp/scgi;
  keepalive_requests 10000000;
  keepalive_timeout 120s;
  server {
    listen ${listen}${tls === undefined ? "" : " ssl"};${tlsLines}
    ${options.locations ?? `location / { return 200 "ok\\n"; }`}
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

function readText(path: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch {
    return "";
  }
}

/**
 * Starts nginx on a free 127.0.0.1 port (or a unix socket); retries with
 * another port when the one picked was taken meanwhile. Throws when nginx is
 * missing (so tests fail rather than skip) or does not start.
 *
 * @example
 * ```ts
 * import { makeCertificates, startNginx } from "./nginx_tls.ts";
 * const certs = makeCertificates();
 * const nginx = await startNginx({ tls: { cert: certs.serverCert, key: certs.serverKey } });
 * console.log(nginx.url); // https://127.0.0.1:NNNNN
 * await nginx.stop();
 * certs.remove();
 * ```
 */
export async function startNginx(options: StartNginxOptions = {}): Promise<NginxHandle> {
  if (!existsSync(NGINX_PATH)) throw new Error(`nginx not found at ${NGINX_PATH} (apt-get install nginx)`);
  let lastError = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    const dir = mkdtempSync(join(tmpdir(), "lunge-nginx-"));
    mkdirSync(join(dir, "tmp"));
    const socketPath = options.unixSocket ? join(dir, "nginx.sock") : null;
    const port = socketPath === null ? await freePort() : 0;
    const listen = socketPath === null ? `127.0.0.1:${port}` : `unix:${socketPath}`;
    writeFileSync(join(dir, "nginx.conf"), config(dir, listen, options));
    const prefix = options.prefix ?? [];
    const argv = [...prefix, NGINX_PATH, "-p", dir, "-c", join(dir, "nginx.conf")];
    const child = spawn(argv[0], argv.slice(1), {
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr?.on("data", (chunk) => (stderr += chunk));
    const deadline = Date.now() + 10_000;
    let up = false;
    while (Date.now() < deadline && child.exitCode === null) {
      if (await canConnect(socketPath === null ? { port } : { path: socketPath })) {
        up = true;
        break;
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    if (up) {
      const scheme = options.tls === undefined ? "http" : "https";
      const accessLog = join(dir, "access.log");
      return {
        url: socketPath === null ? `${scheme}://127.0.0.1:${port}` : "http://localhost",
        port,
        socketPath,
        accessLog,
        accessLogLines: () => readText(accessLog).split("\n").filter((l) => l !== ""),
        stop: async () => {
          child.kill("SIGQUIT");
          if (!(await exited(child, 5000))) {
            child.kill("SIGKILL");
            await exited(child, 2000);
          }
          rmSync(dir, { recursive: true, force: true });
        },
      };
    }
    child.kill("SIGKILL");
    await exited(child, 2000);
    lastError = stderr.trim() || readText(join(dir, "error.log")).trim() || "did not start in time";
    rmSync(dir, { recursive: true, force: true });
  }
  throw new Error(`nginx did not start: ${lastError}`);
}
