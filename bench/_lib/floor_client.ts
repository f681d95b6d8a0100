/**
 * The least a JavaScript runtime can spend on an open-model load: one timer
 * per arrival and one request written and its response read on one
 * keep-alive connection, through the same runtime socket adapter lunge uses
 * (`src/runtime/connect.ts`), with no parser, collector or worker thread.
 * `runtimeFloorCpu` (runtime_floor.ts) runs it as a child process and
 * measures its CPU: lunge's cost at the same rate, less this, is what lunge
 * itself adds.
 *
 * Usage: `<runtime> bench/_lib/floor_client.ts <http://host:port> <rate> <seconds>`
 *
 * @module
 */
import process from "node:process";
import { tcpConnect, type TcpSocket } from "../../src/runtime/connect.ts";

function main(): void {
  const [urlText, rateText, secondsText] = process.argv.slice(2).filter((a) => !a.endsWith(".ts"));
  const url = new URL(urlText);
  const rate = Number(rateText);
  const endMs = performance.now() + Number(secondsText) * 1000;
  const request = new TextEncoder().encode(`GET / HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`);
  const t0 = performance.now();
  let k = 0;
  let socket: TcpSocket | null = null;
  const tick = (): void => {
    if (performance.now() >= endMs) {
      socket?.close();
      return;
    }
    k++;
    socket!.write(request); // one request in flight at a time: nginx answers in well under 1/rate s
    // Never early: a timer that fires before the arrival is due would be a wasted wake-up.
    setTimeout(tick, Math.max(0, Math.ceil(t0 + (k * 1000) / rate - performance.now())));
  };
  socket = tcpConnect(url.hostname, Number(url.port), {
    onTcpOpen: () => tick(),
    onTcpData: () => {},
    onTcpClose: (_s, error) => {
      if (performance.now() < endMs) {
        console.error(`floor client: connection closed early: ${String(error)}`);
        process.exit(1);
      }
    },
  });
}

main();
