/**
 * Test helper: runs Debian's nginx (one worker, no daemon) from a temporary
 * directory with a generated configuration on an ephemeral loopback port, and
 * reads its access log. Tests may use `node:*` directly; this stays out of `src/`.
 *
 * @module
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free_port.ts";
import process from "node:process";

const NGINX = process.env.LUNGE_NGINX ?? "/usr/sbin/nginx";

/**
 * The nginx binary, or null when it is missing. With `CI=true` a missing
 * nginx throws instead (CI installs it; a skipped check there would hide a gap).
 *
 * @example
 * ```ts
 * import { findNginx } from "./nginx.ts";
 * console.log(findNginx() ?? "no nginx");
 * ```
 */
export function findNginx(): string | null {
  if (existsSync(NGINX)) return NGINX;
  if (process.env.CI === "true") {
    throw new Error(`nginx not found at ${NGINX} (CI installs the nginx package)`);
  }
  console.warn(`SKIP: no nginx at ${NGINX} (Debian: apt-get install -y nginx; or set LUNGE_NGINX)`);
  return null;
}

/** A running nginx. */
export interface Nginx {
  /** The port it listens on (127.0.0.1). */
  port: number;
  /** Its temporary directory (configuration, logs, certificate). */
  dir: string;
  /** Lines of the access log so far (format `$server_protocol $status $request_method`). */
  accessLog(): string[];
  /** Stops nginx and removes its directory. */
  stop(): Promise<void>;
}

/** Options of `startNginx`. */
export interface StartNginxOptions {
  /** Parameters of the `listen` directive after the address, e.g. "http2" or "ssl http2". */
  listen: string;
  /** Extra directives inside `server { }`. */
  server?: string;
  /** Make a self-signed certificate (for `listen ... ssl`) and configure it. */
  tls?: boolean;
}

function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      if (child.exitCode !== null) return reject(new Error(`nginx exited with ${child.exitCode}`));
      const socket = net.connect({ host: "127.0.0.1", port });
      socket.on("connect", () => {
        socket.destroy();
        resolve();
      });
      socket.on("error", () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`nginx did not listen on ${port}`));
        else setTimeout(attempt, 50);
      });
    };
    attempt();
  });
}

/**
 * Starts nginx serving `GET /` ("hello h2\n", 9 bytes) and `/big` (64 KiB),
 * logging `$server_protocol $status $request_method` per request.
 *
 * @example
 * ```ts
 * import { startNginx } from "./nginx.ts";
 * const nginx = await startNginx({ listen: "http2" });
 * await nginx.stop();
 * ```
 */
export async function startNginx(options: StartNginxOptions): Promise<Nginx> {
  const dir = mkdtempSync(join(tmpdir(), "lunge-nginx-"));
  // Started as root, nginx's worker runs as nobody: it must be able to read the files.
  chmodSync(dir, 0o755);
  let tls = "";
  if (options.tls) {
    // Self-signed and not a CA: every TLS stack then accepts it as its own trust anchor (--cacert).
    execFileSync("openssl", [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-days",
      "2",
      "-subj",
      "/CN=127.0.0.1",
      "-addext",
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
      "-addext",
      "basicConstraints=critical,CA:FALSE",
      "-addext",
      "keyUsage=critical,digitalSignature,keyEncipherment",
      "-addext",
      "extendedKeyUsage=serverAuth",
      "-keyout",
      join(dir, "key.pem"),
      "-out",
      join(dir, "cert.pem"),
    ], { stdio: "ignore" }); // deno-fmt-ignore
    tls = `ssl_certificate ${dir}/cert.pem;\n    ssl_certificate_key ${dir}/key.pem;`;
  }
  writeFileSync(join(dir, "big"), "x".repeat(64 * 1024));
  let lastError: unknown = null;
  // The port is free when asked but another process may take it first: try a few.
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const conf = `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  log_format proto '$server_protocol $status $request_method';
  access_log ${dir}/access.log proto;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port} ${options.listen};
    ${tls}
    ${options.server ?? ""}
    location = /big { root ${dir}; }
    location / { return 200 "hello h2\\n"; }
  }
}
`;
    writeFileSync(join(dir, "nginx.conf"), conf);
    writeFileSync(join(dir, "access.log"), "");
    const child = spawn(findNginx() ?? NGINX, [
      "-c",
      join(dir, "nginx.conf"),
      "-p",
      dir,
      "-e",
      join(dir, "error.log"),
    ], {
      stdio: "ignore",
    });
    try {
      await waitForPort(port, child, 10_000);
    } catch (error) {
      lastError = error;
      child.kill("SIGKILL");
      continue;
    }
    return {
      port,
      dir,
      accessLog: () => readFileSync(join(dir, "access.log"), "utf8").split("\n").filter((l) => l !== ""),
      stop: () =>
        new Promise<void>((resolve) => {
          const done = (): void => {
            rmSync(dir, { recursive: true, force: true });
            resolve();
          };
          if (child.exitCode !== null) return done();
          child.on("exit", done);
          child.kill("SIGTERM");
          setTimeout(() => child.kill("SIGKILL"), 5000).unref?.();
        }),
    };
  }
  rmSync(dir, { recursive: true, force: true });
  throw lastError;
}
