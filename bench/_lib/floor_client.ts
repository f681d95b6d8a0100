/**
 * The least a JavaScript runtime can spend on an open-model load: one timer
 * per wake-up, and on it a request written for each arrival due by then (one
 * keep-alive connection, requests pipelined when a wake-up finds more than
 * one due), through the same runtime socket adapter lunge uses
 * (`src/runtime/connect.ts`), with no parser, collector or worker thread.
 * `runtimeFloorCpu` (runtime_floor.ts) runs it as a child process and
 * measures its CPU: lunge's cost at the same rate, less this, is what lunge
 * itself adds.
 *
 * It sends every arrival of the schedule, as lunge's pacer does: one request
 * per timer would send fewer than asked wherever timers fire late (Deno's
 * 1 ms timers fired about every 2.2 ms here, so it sent 457 req/s when asked
 * for 1000), and its CPU would be that of a lower rate.
 *
 * Usage: `<runtime> bench/_lib/floor_client.ts <http://host:port> <rate> <seconds> [result.json]`;
 * the result file gets `{ "sent": N, "responseBytes": B }`.
 *
 * @module
 */
import { writeFileSync } from "node:fs";
import process from "node:process";
import { tcpConnect, type TcpSocket } from "../../src/runtime/connect.ts";

function main(): void {
  const [urlText, rateText, secondsText, resultFile] = process.argv.slice(2).filter((a) =>
    !a.endsWith(".ts")
  );
  const url = new URL(urlText);
  const rate = Number(rateText);
  const planned = Math.floor(Number(secondsText) * rate);
  const request = new TextEncoder().encode(`GET / HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
  let t0 = 0;
  let sent = 0;
  let responseBytes = 0;
  let socket: TcpSocket | null = null;
  const finish = (): void => {
    socket?.close();
    if (resultFile) writeFileSync(resultFile, JSON.stringify({ sent, responseBytes }));
  };
  const tick = (): void => {
    const now = performance.now();
    // Every arrival due by now, however late the timer fired.
    while (sent < planned && t0 + (sent * 1000) / rate <= now) {
      socket!.write(request);
      sent++;
    }
    if (sent >= planned) {
      // The last responses come back within a few ms on loopback.
      setTimeout(finish, 50);
      return;
    }
    // Never early: a timer that fires before the arrival is due would be a wasted wake-up.
    setTimeout(tick, Math.max(0, Math.ceil(t0 + (sent * 1000) / rate - performance.now())));
  };
  socket = tcpConnect(url.hostname, Number(url.port), {
    onTcpOpen: () => {
      t0 = performance.now();
      tick();
    },
    onTcpData: (_s, _bytes, length) => {
      responseBytes += length;
    },
    onTcpClose: (_s, error) => {
      if (sent < planned) {
        console.error(`floor client: connection closed early: ${String(error)}`);
        process.exit(1);
      }
    },
  });
}

main();
