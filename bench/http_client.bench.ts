/**
 * Throughput of the load engine's HTTP client: C connections in a closed loop
 * for a few seconds against an "ok" server (Bun.serve / Deno.serve) running in
 * a worker thread; the raw-socket client and the `fetch` client side by side.
 * Script-style on purpose: a per-op bench cannot show a closed loop's rate.
 *
 * Run: `deno run -A bench/http_client.bench.ts` or `bun bench/http_client.bench.ts`
 * (env: LUNGE_BENCH_CONNECTIONS=100, LUNGE_BENCH_SECONDS=3).
 *
 * @module
 */
import { createConnection, prepareRequest } from "../src/http/mod.ts";
import type { HttpConnection, HttpTransport } from "../src/http/mod.ts";
import { runtimeName, system } from "../src/runtime/mod.ts";
import { spawnWorker } from "../src/runtime/worker.ts";

const CONNECTIONS = Number(system.env("LUNGE_BENCH_CONNECTIONS") ?? 100);
const SECONDS = Number(system.env("LUNGE_BENCH_SECONDS") ?? 3);

interface LoopResult {
  requests: number;
  errors: number;
  seconds: number;
}

/** Runs `CONNECTIONS` closed loops for `seconds` and counts completed requests. */
function closedLoop(url: string, transport: HttpTransport, seconds: number): Promise<LoopResult> {
  const req = prepareRequest({ url, method: "GET", headers: {} }, { transport });
  let requests = 0;
  let errors = 0;
  let running = true;
  let open = CONNECTIONS;
  const connections: HttpConnection[] = [];
  return new Promise((resolve) => {
    const started = performance.now();
    let ended = 0;
    const finishOne = (): void => {
      if (--open === 0) resolve({ requests, errors, seconds: (ended - started) / 1000 });
    };
    for (let i = 0; i < CONNECTIONS; i++) {
      const conn: HttpConnection = createConnection(req, (status, _bytes, errorKind) => {
        if (!running) {
          finishOne(); // responses after the deadline are not counted
          return;
        }
        if (errorKind === 0 && status === 200) requests++;
        else errors++;
        conn.send();
      });
      connections.push(conn);
      conn.send();
    }
    setTimeout(() => {
      running = false;
      ended = performance.now();
    }, seconds * 1000);
  }).then((result) => {
    for (const conn of connections) conn.close();
    return result as LoopResult;
  });
}

const worker = spawnWorker(new URL("./_ok_server_worker.ts", import.meta.url), "lunge-bench-ok-server");
const port = await new Promise<number>((resolve, reject) => {
  worker.onError(reject);
  worker.onMessage((m) => resolve((m as { port: number }).port));
});
const url = `http://127.0.0.1:${port}/`;

console.log(
  `${runtimeName} ${system.version}: ${CONNECTIONS} connections, ${SECONDS} s each, server in a worker`,
);
await closedLoop(url, "raw", 0.5); // warm-up
const best: Record<string, number> = { raw: 0, fetch: 0 };
for (const transport of ["raw", "fetch", "raw", "fetch"] as HttpTransport[]) {
  const r = await closedLoop(url, transport, SECONDS);
  const rate = Math.round(r.requests / r.seconds);
  best[transport] = Math.max(best[transport], rate);
  console.log(
    `${transport.padEnd(5)} ${String(rate).padStart(8)} req/s  (${r.requests} ok, ${r.errors} errors)`,
  );
}
console.log(
  `best: raw ${best.raw} req/s, fetch ${best.fetch} req/s, raw/fetch ${(best.raw / best.fetch).toFixed(1)}x`,
);

await new Promise<void>((resolve) => {
  worker.onMessage((m) => {
    if (m === "stopped") resolve();
  });
  worker.postMessage("stop");
});
worker.terminate();
