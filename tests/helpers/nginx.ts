/**
 * A throw-away nginx (Debian's /usr/sbin/nginx) on a loopback port, with its
 * own temp directory, config and access log: a real peer whose access log
 * is the ground truth of how many requests arrived. Missing nginx is a test
 * failure under CI=true (CI installs it) and `null` otherwise.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";

const NGINX = "/usr/sbin/nginx";

/** A running nginx. */
export interface Nginx {
  /** http://127.0.0.1:PORT */
  url: string;
  port: number;
  /** Lines in the access log now (one per request). */
  accessLogLines: () => number;
  stop: () => Promise<void>;
}

function freePort(): Promise<number> {
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

async function waitUntilUp(url: string, deadline: number): Promise<boolean> {
  while (Date.now() < deadline) {
    try {
      const response = await fetch(url + "/__ready");
      await response.arrayBuffer();
      return true;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return false;
}

/**
 * Starts nginx (1 worker, access log on, `return 200 "ok"` for every path
 * but `/__ready`, which is not logged). Returns null when nginx is not
 * installed and CI is not set; throws under CI=true.
 *
 * @example
 * ```ts
 * import { startNginx } from "./nginx.ts";
 * const nginx = await startNginx();
 * // ... load nginx.url ...
 * await nginx?.stop();
 * ```
 */
export async function startNginx(): Promise<Nginx | null> {
  if (!existsSync(NGINX)) {
    if (process.env.CI === "true") {
      throw new Error(`${NGINX} is missing: CI must install nginx (apt-get install nginx)`);
    }
    return null;
  }
  const dir = mkdtempSync(join(tmpdir(), "lunge-nginx-"));
  const log = join(dir, "access.log");
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const conf = join(dir, "nginx.conf");
    writeFileSync(
      conf,
      `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_requests 1000000;
  keepalive_timeout 60s;
  log_format plain '$request_time $status';
  server {
    listen 127.0.0.1:${port};
    access_log ${log} plain;
    location = /__ready { access_log off; return 200 "ready"; }
    location / { return 200 "ok"; }
  }
}
`,
    );
    const child = spawn(NGINX, ["-c", conf, "-p", dir, "-e", join(dir, "error.log")], { stdio: "ignore" });
    let exited = false;
    child.on("exit", () => (exited = true));
    const url = `http://127.0.0.1:${port}`;
    if (await waitUntilUp(url, Date.now() + 5000)) {
      return {
        url,
        port,
        accessLogLines: () => {
          if (!existsSync(log)) return 0;
          return readFileSync(log, "utf8").split("\n").filter((l) => l.trim() !== "").length;
        },
        stop: () =>
          new Promise<void>((resolve) => {
            const done = (): void => {
              rmSync(dir, { recursive: true, force: true });
              resolve();
            };
            if (exited) return done();
            child.once("exit", done);
            child.kill("SIGQUIT"); // graceful: the log is complete when it exits
            setTimeout(() => child.kill("SIGKILL"), 5000).unref?.();
          }),
      };
    }
    child.kill("SIGKILL"); // the port was taken in between: try another
  }
  rmSync(dir, { recursive: true, force: true });
  throw new Error("nginx did not start on a free loopback port");
}
