/**
 * nginx as a separate-process target for fault tests (one worker, no master,
 * `return 200 "ok"`), with a buffered access log as its own count of
 * answered requests. Falls back to `lunge serve` in a child process when
 * nginx is not installed, except under `CI=true`, where the test must fail.
 *
 * @module
 */
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { runtimeName } from "../../src/runtime/mod.ts";

const NGINX = "/usr/sbin/nginx";

/** A target in its own process. */
export interface ProcessTarget {
  readonly url: string;
  readonly pid: number;
  readonly name: "nginx" | "lunge serve";
  /** Requests the target answered (read after `stop`). */
  answered(): Promise<number>;
  /** Ends the process (resuming it first if stopped). */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function exited(child: ReturnType<typeof spawn>): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect(port, "127.0.0.1", () => {
        s.destroy();
        resolve(true);
      });
      s.on("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on 127.0.0.1:${port} after ${timeoutMs} ms`);
}

/** Starts nginx (or, without it and outside CI, `lunge serve`) on a free loopback port. */
export async function startProcessTarget(): Promise<ProcessTarget> {
  if (existsSync(NGINX)) return await startNginx();
  if (process.env.CI === "true") throw new Error(`${NGINX} is missing (apt-get install nginx)`);
  return await startLungeServe();
}

async function startNginx(): Promise<ProcessTarget> {
  const dir = mkdtempSync(join(tmpdir(), "lunge-nginx-"));
  const port = await freePort();
  const log = join(dir, "access.log");
  writeFileSync(
    join(dir, "nginx.conf"),
    `worker_processes 1;\nmaster_process off;\ndaemon off;\nerror_log ${dir}/error.log;\npid ${dir}/nginx.pid;\n` +
      `events { worker_connections 8192; }\nhttp {\n  access_log ${log} combined buffer=256k flush=1s;\n` +
      `  keepalive_requests 10000000;\n` +
      ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"].map((t) => `  ${t}_temp_path ${dir};\n`).join("") +
      `  server { listen 127.0.0.1:${port}; location / { return 200 "ok"; } }\n}\n`,
  );
  const child = spawn(NGINX, ["-p", dir, "-c", join(dir, "nginx.conf")], { stdio: "ignore" });
  const done = exited(child);
  await waitForPort(port, 5000);
  const pid = child.pid!;
  return {
    url: `http://127.0.0.1:${port}`,
    pid,
    name: "nginx",
    answered: (): Promise<number> =>
      Promise.resolve(
        existsSync(log) ? readFileSync(log, "utf8").split("\n").filter((l) => l !== "").length : 0,
      ),
    stop: async (): Promise<void> => {
      try {
        process.kill(pid, "SIGCONT");
        process.kill(pid, "SIGQUIT"); // graceful: flushes the access log
      } catch {
        // already gone
      }
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await done;
      clearTimeout(timer);
      setTimeout(() => rmSync(dir, { recursive: true, force: true }), 0);
    },
  };
}

async function startLungeServe(): Promise<ProcessTarget> {
  const cli = fileURLToPath(new URL("../../cli.ts", import.meta.url));
  const args = runtimeName === "deno"
    ? ["run", "-A", cli, "serve", "--port", "0"]
    : [cli, "serve", "--port", "0"];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "ignore"] });
  const done = exited(child);
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.setEncoding("utf8");
    child.stdout!.on("data", (d: string) => {
      out += d;
      const m = /^(http:\/\/\S+)\n/.exec(out);
      if (m) resolve(m[1]);
    });
    setTimeout(() => reject(new Error("lunge serve did not start")), 10_000);
  });
  let count = 0;
  return {
    url,
    pid: child.pid!,
    name: "lunge serve",
    answered: (): Promise<number> => Promise.resolve(count),
    stop: async (): Promise<void> => {
      try {
        process.kill(child.pid!, "SIGCONT");
        const stats = await (await fetch(`${url}/__lunge/stats`)).json() as { totalRequests: number };
        count = stats.totalRequests;
      } catch {
        // leave the count at 0: the comparison then fails loudly
      }
      child.kill("SIGTERM");
      await done;
    },
  };
}
