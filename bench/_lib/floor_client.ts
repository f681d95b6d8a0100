/**
 * The least a JavaScript runtime can spend on an open-model load: one timer
 * per wake-up (one repeating timer from 1000 req/s, as lunge's pacer), and on
 * it a request written for each arrival due by then, each
 * on a connection with nothing in flight (as a load tester sends: no
 * pipelining), through the same runtime socket adapter lunge uses
 * (`src/runtime/connect.ts`), with no parser, collector or worker thread.
 * `runtimeFloorCpu` (runtime_floor.ts) runs it as a child process and
 * measures its CPU: lunge's cost at the same rate, less this, is what lunge
 * itself adds.
 *
 * It sends every arrival of the schedule, as lunge's pacer does: one request
 * per timer would send fewer than asked wherever timers fire late (Deno's
 * 1 ms timers fired about every 2.2 ms here, so it sent 457 req/s when asked
 * for 1000), and its CPU would be that of a lower rate. A wake-up that finds
 * two arrivals due sends them on two connections, as lunge does; pipelined on
 * one they would cost one read, not two. A response is known complete by its
 * length: the first one's, read before the schedule starts (the server sends
 * the same response to every request).
 *
 * With `LUNGE_FLOOR_MEASURE=1` it also does what any client that measures
 * must do for each response, and nothing more: it reads it with lunge's
 * response parser (which then says when it is complete), reads the clock at
 * each send and completion, and records the latency and service time into
 * lunge's collector. Beside the plain floor and lunge it splits lunge's cost
 * over the bare loop into that part and the rest (the pacer, the connection
 * pool, the load worker).
 *
 * Usage: `<runtime> bench/_lib/floor_client.ts <http://host:port> <rate> <seconds> [result.json]`;
 * the result file gets `{ "sent": N, "connections": C }` (and `"recorded": N` when measuring).
 *
 * @module
 */
import { writeFileSync } from "node:fs";
import process from "node:process";
import { preferSocketsForPacedLoad, tcpConnect, type TcpSocket } from "../../src/runtime/connect.ts";
import { attachCollector, createCollector } from "../../src/collector/create.ts";
import type { CollectorWriter } from "../../src/collector/writer.ts";
import { ResponseParser } from "../../src/http/_response_parser.ts";

/**
 * Set to `1` in the floor client's environment, it also parses, times and
 * records each response, as any client that measures must.
 *
 * @example
 * ```ts
 * import { FLOOR_MEASURE_ENV, runtimeFloorCpu } from "./runtime_floor.ts";
 * const floor = await runtimeFloorCpu({ url: "http://127.0.0.1:8080", rate: 1000, seconds: 10, env: { [FLOOR_MEASURE_ENV]: "1" } });
 * console.log(floor.cpuPct, floor.recorded);
 * ```
 */
export const FLOOR_MEASURE_ENV = "LUNGE_FLOOR_MEASURE";

/** Connections opened at start; more only if every one is busy when an arrival is due. */
const FIRST_CONNECTIONS = 4;

interface FloorConnection {
  socket: TcpSocket;
  received: number;
  /** Bytes received when its request in flight is answered; -1 when idle. */
  doneAt: number;
  /** Measuring only: the parser of its responses, and its request's intended and actual send times. */
  parser: ResponseParser | null;
  intendedAt: number;
  sentAt: number;
}

function main(): void {
  // A paced load, told so as lunge's HTTP load worker tells it: both then use the same sockets (on Deno).
  preferSocketsForPacedLoad(true);
  const [urlText, rateText, secondsText, resultFile] = process.argv.slice(2).filter((a) =>
    !a.endsWith(".ts")
  );
  const url = new URL(urlText);
  const rate = Number(rateText);
  const planned = Math.floor(Number(secondsText) * rate);
  const request = new TextEncoder().encode(`GET / HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
  const idle: FloorConnection[] = [];
  const all: FloorConnection[] = [];
  let responseLength = 0;
  let t0 = 0;
  let sent = 0;
  let ended = false;
  const measure = process.env[FLOOR_MEASURE_ENV] === "1";
  const collector = measure ? createCollector({ kind: "atomic", lanes: 1 }) : null;
  const writer: CollectorWriter | null = collector === null ? null : attachCollector(collector.handle());
  const measured = (c: FloorConnection, bytes: Uint8Array, length: number): void => {
    const parser = c.parser!;
    if (parser.feed(bytes, 0, length) < 0) {
      console.error(`floor client: malformed response: ${parser.error}`);
      process.exit(1);
    }
    if (!parser.complete || c.doneAt < 0) return;
    const end = performance.now();
    writer!.recordNs(
      parser.status,
      Math.round((end - c.intendedAt) * 1e6),
      parser.bodyBytes,
      0,
      Math.round((end - c.sentAt) * 1e6),
    );
    c.doneAt = -1;
    idle.push(c);
  };

  const open = (onOpen: (c: FloorConnection) => void): void => {
    const c: FloorConnection = {
      socket: null as unknown as TcpSocket,
      received: 0,
      doneAt: -1,
      parser: measure ? new ResponseParser() : null,
      intendedAt: 0,
      sentAt: 0,
    };
    all.push(c);
    c.socket = tcpConnect(url.hostname, Number(url.port), {
      onTcpOpen: () => onOpen(c),
      onTcpData: (_s, bytes, length) => {
        c.received += length;
        if (measure && responseLength > 0) return measured(c, bytes, length);
        if (c.doneAt >= 0 && c.received >= c.doneAt) {
          c.doneAt = -1;
          idle.push(c);
        }
      },
      onTcpClose: (_s, error) => {
        if (ended) return;
        if (c.doneAt < 0 && error === undefined) {
          // The server closed a connection with nothing in flight (nginx closes one that never carried a
          // request after 60 s): it leaves the pool, and an arrival that finds no free one opens another.
          const i = idle.indexOf(c);
          if (i >= 0) idle.splice(i, 1);
          return;
        }
        console.error(`floor client: connection closed early: ${String(error)}`);
        process.exit(1);
      },
    });
  };
  /** Sends arrival `k` on `c`. */
  const send = (c: FloorConnection, k: number): void => {
    c.doneAt = c.received + responseLength;
    if (measure) {
      c.intendedAt = t0 + (k * 1000) / rate;
      c.sentAt = performance.now();
    }
    c.socket.write(request);
  };
  const finish = (): void => {
    ended = true;
    for (const c of all) c.socket.close();
    const recorded = collector === null ? undefined : collector.getSnapshot().totalRequests;
    collector?.close();
    if (resultFile) writeFileSync(resultFile, JSON.stringify({ sent, connections: all.length, recorded }));
  };
  const tick = (): void => {
    const now = performance.now();
    // Every arrival due by now, however late the timer fired, each on a free connection.
    while (sent < planned && t0 + (sent * 1000) / rate <= now) {
      const c = idle.pop();
      const k = sent;
      if (c === undefined) {
        open((opened) => send(opened, k));
      } else {
        send(c, k);
      }
      sent++;
    }
    if (sent >= planned) {
      if (ticker !== undefined) clearInterval(ticker);
      // The last responses come back within a few ms on loopback.
      setTimeout(finish, 50);
      return;
    }
    if (ticker !== undefined) return;
    // Never early: a timer that fires before the arrival is due would be a wasted wake-up.
    setTimeout(tick, Math.max(0, Math.ceil(t0 + (sent * 1000) / rate - performance.now())));
  };
  // At an arrival a millisecond or more, one repeating timer, as lunge's pacer has: on Deno it costs less
  // than a one-shot timer armed per arrival, and a floor must not cost more than lunge's way.
  let ticker: ReturnType<typeof setInterval> | undefined;
  const begin = (): void => {
    t0 = performance.now();
    if (rate >= 1000) ticker = setInterval(tick, 1);
    tick();
  };
  // One request alone first, to learn the response's length; then the other connections, then the schedule.
  open((first) => {
    first.socket.write(request);
    const learn = setInterval(() => {
      if (first.received === 0) return;
      clearInterval(learn);
      responseLength = first.received;
      idle.push(first);
      let opened = 1;
      for (let i = 1; i < FIRST_CONNECTIONS; i++) {
        open((c) => {
          idle.push(c);
          if (++opened === FIRST_CONNECTIONS) begin();
        });
      }
    }, 20);
  });
}

// Run as a script; imported (for FLOOR_MEASURE_ENV), it does nothing.
if (import.meta.main) main();
