/**
 * HTTP/2 client bench: lunge (Deno and Bun) beside h2load against nginx with
 * h2c, `-c C` connections and `-m S` / `--streams S` streams each, side by side
 * in one run. nginx (one worker) is pinned to core 0 and every client to core
 * 1 with `taskset`; the figure is requests per client CPU-second (user + sys
 * from `/usr/bin/time`, the whole client process: startup included).
 *
 *   deno run -A bench/h2_compare.ts [--seconds 10] [--rounds 3] [-c 10] [-m 10]
 *   bun bench/h2_compare.ts ...
 *
 * @module
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { spawn } from "node:child_process";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { runCommand } from "./_lib/command.ts";

const args = process.argv.slice(2);
const opt = (name: string, fallback: number): number => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const SECONDS = opt("--seconds", 10);
const ROUNDS = opt("--rounds", 3);
const CONNECTIONS = opt("-c", 10);
const STREAMS = opt("-m", 10);
const ROOT = new URL("../", import.meta.url).pathname;

interface Sample {
  client: string;
  requests: number;
  cpu: number;
  wall: number;
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.listen(0, "127.0.0.1", () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

/** Parses the "CPU <user> <sys>" line `/usr/bin/time -f` printed last on stderr. */
function cpuOf(stderr: string): number {
  const m = /CPU ([\d.]+) ([\d.]+)\s*$/.exec(stderr.trim());
  return m === null ? NaN : Number(m[1]) + Number(m[2]);
}

async function h2load(url: string): Promise<Sample> {
  const started = Date.now();
  const out = await runCommand("taskset", [
    "-c",
    "1",
    "/usr/bin/time",
    "-f",
    "CPU %U %S",
    "h2load",
    "-c",
    String(CONNECTIONS),
    "-m",
    String(STREAMS),
    "-D",
    String(SECONDS),
    url,
  ], (SECONDS + 60) * 1000);
  const m = /requests: (\d+) total, \d+ started, \d+ done, (\d+) succeeded/.exec(out.stdout);
  return {
    client: "h2load",
    requests: m === null ? 0 : Number(m[2]),
    cpu: cpuOf(out.stderr),
    wall: Date.now() - started,
  };
}

/** One lunge run: `seconds` of load, or (0) one request on one connection, which is its start-up and shut-down cost. */
async function lunge(runtime: "deno" | "bun", url: string, dir: string, seconds: number): Promise<Sample> {
  const json = join(dir, `${runtime}.json`);
  const bin = join(ROOT, "node_modules", ".bin", runtime);
  const cli = join(ROOT, "cli.ts");
  const run = runtime === "deno" ? [bin, "run", "-A", cli] : [bin, cli];
  const started = Date.now();
  const out = await runCommand("taskset", [
    "-c",
    "1",
    "/usr/bin/time",
    "-f",
    "CPU %U %S",
    ...run,
    "run",
    url,
    "--http2-prior-knowledge",
    ...(seconds === 0
      ? ["-n", "1", "-c", "1", "-s", "1"]
      : ["-c", String(CONNECTIONS), "-s", String(STREAMS), "-d", `${seconds}s`]),
    "-w",
    "1",
    "--json",
    json,
    "-q",
  ], (seconds + 60) * 1000);
  let requests = 0;
  try {
    requests = JSON.parse(readFileSync(json, "utf8")).snapshot.totalRequests;
  } catch {
    console.error(`lunge on ${runtime} failed: ${out.stderr.trim().split("\n").slice(-3).join(" | ")}`);
  }
  return { client: `lunge ${runtime}`, requests, cpu: cpuOf(out.stderr), wall: Date.now() - started };
}

const dir = mkdtempSync(join(tmpdir(), "lunge-h2-bench-"));
const port = await freePort();
writeFileSync(
  join(dir, "nginx.conf"),
  `worker_processes 1;
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port} http2;
    location / { return 200 "hello h2\\n"; }
  }
}
`,
);
const nginx = spawn("taskset", ["-c", "0", "/usr/sbin/nginx", "-c", join(dir, "nginx.conf"), "-p", dir], {
  stdio: "ignore",
});
await new Promise((r) => setTimeout(r, 1000));
const url = `http://127.0.0.1:${port}/`;
try {
  // Start-up and shut-down cost of each lunge process (one request), reported beside the figures. It was a
  // 1 s run at full load, which took a second of load out of the "without startup" figure.
  const startup = { deno: await lunge("deno", url, dir, 0), bun: await lunge("bun", url, dir, 0) };
  const samples: Sample[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    samples.push(await h2load(url));
    samples.push(await lunge("deno", url, dir, SECONDS));
    samples.push(await lunge("bun", url, dir, SECONDS));
  }
  const best = new Map<string, Sample>();
  for (const s of samples) {
    const prev = best.get(s.client);
    if (prev === undefined || s.requests / s.cpu > prev.requests / prev.cpu) best.set(s.client, s);
  }
  const reference = best.get("h2load")!;
  const perCpu = (s: Sample): number => s.requests / s.cpu;
  console.log(
    `HTTP/2 h2c, ${CONNECTIONS} connections x ${STREAMS} streams, ${SECONDS}s, best of ${ROUNDS}; ` +
      `nginx on core 0, client on core 1`,
  );
  console.log("client        requests   req/s    CPU-s   req per CPU-s   / h2load");
  for (const s of best.values()) {
    console.log(
      `${s.client.padEnd(12)} ${String(s.requests).padStart(9)} ${
        (s.requests / SECONDS).toFixed(0).padStart(7)
      } ${s.cpu.toFixed(2).padStart(7)} ${perCpu(s).toFixed(0).padStart(14)} ${
        (perCpu(s) / perCpu(reference)).toFixed(2).padStart(9)
      }`,
    );
  }
  console.log(
    `lunge startup (one request): deno ${startup.deno.cpu.toFixed(2)} CPU-s, bun ${
      startup.bun.cpu.toFixed(2)
    } CPU-s`,
  );
  for (const rt of ["deno", "bun"] as const) {
    const s = best.get(`lunge ${rt}`)!;
    const steady = s.requests / Math.max(0.01, s.cpu - startup[rt].cpu);
    console.log(
      `lunge ${rt} without startup: ${steady.toFixed(0)} req per CPU-s (${
        (steady / perCpu(reference)).toFixed(2)
      } x h2load)`,
    );
  }
} finally {
  nginx.kill("SIGTERM");
  await new Promise((r) => setTimeout(r, 300));
  rmSync(dir, { recursive: true, force: true });
}
