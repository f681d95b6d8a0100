/**
 * Two bench sections against nginx (Debian, 1 worker, access log off,
 * pinned to CPU 0 where taskset exists; every client pinned to CPU 1):
 *
 * - peers: wrk, h2load --h1, autocannon and lunge at c=100, requests per
 *   client CPU-second, and lunge's ratio to each;
 * - overheads: the owner's flush timed directly (3 and 17 lanes), lunge's
 *   whole-process CPU idle (`--rate 1`, once steady) and at 1000 req/s (beside it the
 *   runtime's floor, a C client's floor and wrk's at a similar rate), and the collector's
 *   CPU share at 1000 req/s as an A/B
 *   (the same run with writers that record nothing) plus the flush.
 *
 * @module
 */
import { runtimeName, system } from "../../src/runtime/mod.ts";
import { Figures } from "./figures.ts";
import { timeFlush } from "./flush_timing.ts";
import { hasTaskset, startNginx } from "./nginx.ts";
import { lungeCpuAtRate, type RateCpu, type WrkAtRate, wrkAtRate } from "./overhead.ts";
import { addPeerFigures } from "./peer_figures.ts";
import { STUB_STATUS_CONFIG } from "./peer_window.ts";
import { runPeers } from "./peers.ts";
import { scenarioVariant } from "./speed_gate.ts";
import { nativeFloorCpu } from "./native_floor.ts";
import { runtimeFloorCpu } from "./runtime_floor.ts";

/**
 * Start-up left out of the idle and 1000 req/s figures: the runtime's JIT is done with the code by
 * then. With 3 s, lunge's 1000 req/s window still held its JIT threads' compiling (1.6% of a core on
 * Bun between 4 and 9 s), which the runtime and native floors, a few lines of code, never pay.
 */
const IDLE_SETTLE_MS = 15_000;

/** The lesser reading; a failed one (NaN) is left out. */
function least(best: number, next: number): number {
  if (Number.isNaN(next)) return best;
  return Number.isNaN(best) ? next : Math.min(best, next);
}

/** The wrk run with the least CPU (a busy machine only adds); one that failed counts only if none ran. */
function leastCpu(best: WrkAtRate | null, next: WrkAtRate): WrkAtRate {
  if (best === null || Number.isNaN(best.cpuPct)) return next;
  return next.cpuPct < best.cpuPct ? next : best;
}

/** Options of the two suites. */
export interface NginxSuiteOptions {
  quick: boolean;
  log: (line: string) => void;
}

/**
 * Peers side by side against nginx; figures per client and lunge's ratios.
 *
 * @example
 * ```ts
 * import { peersSuite } from "./overhead_suite.ts";
 * const figures = await peersSuite({ quick: true, log: console.error });
 * console.log(figures.table());
 * ```
 */
export async function peersSuite(options: NginxSuiteOptions): Promise<Figures> {
  const figures = new Figures();
  const nginx = await startNginx({ cpu: 0, serverConfig: STUB_STATUS_CONFIG });
  try {
    const rounds = options.quick ? 3 : 5;
    options.log(
      `peers against nginx ${nginx.url} (${
        hasTaskset() ? "nginx on CPU 0, clients on CPU 1" : "not pinned: no taskset"
      }), ${rounds} interleaved rounds`,
    );
    const rows = await runPeers({
      url: nginx.url,
      serverPid: nginx.pid,
      seconds: options.quick ? 4 : 8,
      warmS: options.quick ? 1 : 2,
      rounds,
      // LUNGE_BENCH_PEERS_COMPARE=<checkout root>: that lunge runs as one more client (an A/B).
      compareWith: system.env("LUNGE_BENCH_PEERS_COMPARE") ?? "",
      // The scenario path beside the plain one (its speed gate reads this row too).
      lungeVariants: [scenarioVariant()],
      log: options.log,
    });
    addPeerFigures(figures, rows, rounds, options.log);
  } finally {
    await nginx.stop();
  }
  return figures;
}

/**
 * Flush time, idle and 1000 req/s CPU, collector share (A/B + flush).
 *
 * @example
 * ```ts
 * import { overheadSuite } from "./overhead_suite.ts";
 * const figures = await overheadSuite({ quick: true, log: console.error });
 * console.log(figures.table());
 * ```
 */
export async function overheadSuite(options: NginxSuiteOptions): Promise<Figures> {
  const figures = new Figures();
  const log = options.log;
  // The owner's flush, timed directly with writers touching what a run at that rate touches.
  let flushUsAt1000With2Lanes = NaN;
  for (const [lanes, target] of [[2, null], [3, "<= 100"], [17, "<= 300"]] as const) {
    for (const rate of [1000, 10_000, 100_000]) {
      const t = timeFlush({ lanes, rate, flushes: options.quick ? 200 : 500 });
      if (lanes === 2 && rate === 1000) flushUsAt1000With2Lanes = t.p50Us;
      if (lanes === 2) continue;
      figures.add(`flush, ${lanes} lanes, ${rate} req/s: p50`, t.p50Us, "µs", rate === 1000 ? target : null);
      if (rate === 1000) figures.add(`flush, ${lanes} lanes, ${rate} req/s: p99`, t.p99Us, "µs");
      log(
        `flush ${lanes} lanes at ${rate} req/s: p50 ${t.p50Us.toFixed(1)} µs, p99 ${t.p99Us.toFixed(1)} µs`,
      );
    }
  }

  const nginx = await startNginx({ cpu: 0 });
  try {
    const seconds = 10;
    // Idle is read once the run is steady. In its first seconds a runtime still compiles the code
    // that runs once a second (Bun's JIT threads took 1.2 ms a second from 3 s to 13 s, 0.03 ms from
    // 18 s on), which is start-up, not what an idle run costs while it lasts.
    const settleMs = IDLE_SETTLE_MS;
    // Two readings with the others between them, and the lesser counts (a busy moment only adds),
    // as for the 1000 req/s figures: one idle reading alone moved from 0.15% to 0.39% with the host.
    const idleFirst = await lungeCpuAtRate({ url: nginx.url, rate: 1, workers: 1, seconds, settleMs });
    const idleDefault = await lungeCpuAtRate({ url: nginx.url, rate: 1, seconds, settleMs });
    // What the runtime alone spends on one timer and one request a second: the floor under the idle figure.
    const idleFloorRun = await runtimeFloorCpu({ url: nginx.url, rate: 1, seconds, settleMs });
    const idleFloor = idleFloorRun.cpuPct;
    if (idleFloorRun.error) log(`idle runtime floor: ${idleFloorRun.error}`);
    const idleSecond = await lungeCpuAtRate({ url: nginx.url, rate: 1, workers: 1, seconds, settleMs });
    const idle = least(idleFirst.cpuPct, idleSecond.cpuPct);
    figures.add("idle (--rate 1, -w 1): lunge whole-process CPU", idle, "% of a core", "<= 0.3");
    figures.add(
      "idle (--rate 1, default workers): lunge whole-process CPU",
      idleDefault.cpuPct,
      "% of a core",
    );
    figures.add(
      "idle (--rate 1): runtime floor (a timer and a request a second, no lunge)",
      idleFloor,
      "% of a core",
    );
    log(
      `idle --rate 1: runtime floor ${idleFloor.toFixed(3)}%; ${idleFirst.cpuPct.toFixed(3)}% and ${
        idleSecond.cpuPct.toFixed(3)
      }% of a core with 1 worker, ${
        idleDefault.cpuPct.toFixed(3)
      }% with the default workers ${idleFirst.error}${idleSecond.error}${idleDefault.error}`,
    );

    // A/B at 1000 req/s, interleaved; the least CPU of each (a busy machine only adds).
    let a = Infinity;
    let b = Infinity;
    let floor = Infinity;
    let native = Infinity;
    // On Deno, a paced load's plain TCP goes over Deno.connect; lunge's own epoll sockets are the other way.
    const epollSockets = runtimeName === "deno" ? { LUNGE_DENO_SOCKETS: "epoll" } : null;
    let aEpollSockets = Infinity;
    let floorEpollSockets = Infinity;
    let wrk: WrkAtRate | null = null;
    let wrkSpread: WrkAtRate | null = null;
    let errors = "";
    // Whole-process CPU for a fixed amount of work only grows with interference from other processes,
    // so the least of a few interleaved rounds is the estimate; one round alone varies by tens of %.
    const abSeconds = options.quick ? 6 : 10;
    for (let round = 0; round < (options.quick ? 3 : 4); round++) {
      // A, B in even rounds and B, A in odd ones: whatever the order itself does cancels out.
      const real = (): Promise<RateCpu> =>
        lungeCpuAtRate({ url: nginx.url, rate: 1000, workers: 1, seconds: abSeconds, settleMs });
      const noop = (): Promise<RateCpu> =>
        lungeCpuAtRate({
          url: nginx.url,
          rate: 1000,
          workers: 1,
          seconds: abSeconds,
          settleMs,
          noopWriter: true,
        });
      let withWriters: RateCpu;
      let withNoop: RateCpu;
      if (round % 2 === 0) {
        withWriters = await real();
        withNoop = await noop();
      } else {
        withNoop = await noop();
        withWriters = await real();
      }
      // The runtime's own floor at this rate (a timer and a request per arrival, nothing else), interleaved.
      const floorRun = await runtimeFloorCpu({ url: nginx.url, rate: 1000, seconds: abSeconds, settleMs });
      floor = least(floor, floorRun.cpuPct);
      errors += floorRun.error;
      if (epollSockets !== null) {
        const viaEpoll = await runtimeFloorCpu({
          url: nginx.url,
          rate: 1000,
          seconds: abSeconds,
          settleMs,
          env: epollSockets,
        });
        floorEpollSockets = least(floorEpollSockets, viaEpoll.cpuPct);
        const lungeViaEpoll = await lungeCpuAtRate({
          url: nginx.url,
          rate: 1000,
          workers: 1,
          seconds: abSeconds,
          settleMs,
          env: epollSockets,
        });
        aEpollSockets = least(aEpollSockets, lungeViaEpoll.cpuPct);
        errors += viaEpoll.error + lungeViaEpoll.error;
      }
      // What a C client pays for the same evenly spaced arrivals: the wake-ups and socket calls alone.
      native = least(
        native,
        await nativeFloorCpu({ url: nginx.url, rate: 1000, seconds: abSeconds, settleMs }),
      );
      wrk = leastCpu(wrk, await wrkAtRate(nginx.url, 1000, abSeconds));
      wrkSpread = leastCpu(wrkSpread, await wrkAtRate(nginx.url, 1000, abSeconds, { spread: true }));
      a = least(a, withWriters.cpuPct);
      b = least(b, withNoop.cpuPct);
      errors += withWriters.error + withNoop.error;
    }
    errors += (wrk?.error ?? "") + (wrkSpread?.error ?? "");
    // A figure no round produced is NaN, not Infinity.
    [a, b, floor, native, aEpollSockets, floorEpollSockets] = [
      a,
      b,
      floor,
      native,
      aEpollSockets,
      floorEpollSockets,
    ]
      .map((x) => (x === Infinity ? NaN : x));
    if (errors) log(`1000 req/s runs: ${errors}`);
    const wrkCpu = wrk?.cpuPct ?? NaN;
    const wrkRps = wrk?.rps ?? NaN;
    const spreadCpu = wrkSpread?.cpuPct ?? NaN;
    const spreadRps = wrkSpread?.rps ?? NaN;
    figures.add("1000 req/s (-w 1): lunge whole-process CPU", a, "% of a core", "<= 4");
    figures.add(
      "1000 req/s: runtime floor (a timer and a request per arrival, no lunge)",
      floor,
      "% of a core",
    );
    figures.add("1000 req/s (-w 1): lunge above the runtime floor", a - floor, "% of a core");
    figures.add(
      "1000 req/s: native floor (C client, evenly paced, a request per arrival)",
      native,
      "% of a core",
    );
    figures.add("1000 req/s (-w 1): lunge / native floor", a / native, "x", "<= 1.3");
    // What the runtime alone adds to the C client, and what lunge adds to the runtime: the two factors.
    figures.add("1000 req/s: runtime floor / native floor", floor / native, "x");
    figures.add("1000 req/s (-w 1): lunge / runtime floor", a / floor, "x");
    if (epollSockets !== null) {
      figures.add(
        "1000 req/s (-w 1), epoll sockets: lunge whole-process CPU",
        aEpollSockets,
        "% of a core",
      );
      figures.add("1000 req/s, epoll sockets: runtime floor", floorEpollSockets, "% of a core");
      figures.add(
        "1000 req/s (-w 1), epoll sockets: lunge / native floor",
        aEpollSockets / native,
        "x",
      );
    }
    // wrk's connections start together and stay in phase: 50 requests per wake-up, not one.
    figures.add("~1000 req/s: wrk whole-process CPU, bursts of 50 (reference)", wrkCpu, "% of a core");
    figures.add("~1000 req/s: wrk achieved rate (50 connections, 50 ms delay)", wrkRps, "req/s");
    figures.add(
      "~1000 req/s: wrk CPU scaled to 1000 req/s, bursts of 50 (reference)",
      (wrkCpu * 1000) / wrkRps,
      "% of a core",
    );
    figures.add(
      "~1000 req/s: wrk whole-process CPU, arrivals spread (random 0-100 ms delay)",
      spreadCpu,
      "% of a core",
    );
    figures.add("~1000 req/s: wrk achieved rate, arrivals spread", spreadRps, "req/s");
    figures.add("1000 req/s (-w 1): lunge CPU with no-op writers (B)", b, "% of a core");
    // The writers' part is what the A/B difference shows; the owner's flush runs in both, so it is added
    // from its direct timing: one background flush a second (reads flush too; a quiet run reads none),
    // 2 lanes (1 worker + owner).
    // The A/B's resolution is the run-to-run noise of whole-process CPU (a few % of A even on a quiet
    // machine), far above what the writers cost (about 1000 x 50 ns per second): a negative share is noise.
    const writerShare = ((a - b) / a) * 100;
    const flushShare = (flushUsAt1000With2Lanes / ((a / 100) * 1e6)) * 100;
    figures.add("collector CPU share at 1000 req/s: writers (A/B)", writerShare, "%");
    figures.add("collector CPU share at 1000 req/s: owner's flush (timed)", flushShare, "%");
    figures.add("collector CPU share at 1000 req/s (atomic)", writerShare + flushShare, "%", "< 5");
    log(
      `1000 req/s: lunge ${a.toFixed(2)}% of a core (runtime floor ${floor.toFixed(2)}%, native floor ${
        native.toFixed(2)
      }%, no-op writers ${b.toFixed(2)}%), wrk ${wrkCpu.toFixed(2)}% at ${
        Math.round(wrkRps)
      } req/s in bursts, ${spreadCpu.toFixed(2)}% at ${Math.round(spreadRps)} req/s spread; collector share ${
        writerShare.toFixed(2)
      }% (A/B) + ${flushShare.toFixed(3)}% (flush)`,
    );
  } finally {
    await nginx.stop();
  }
  return figures;
}
