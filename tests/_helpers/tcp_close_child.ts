// Child of tests/runtime/tcp_connect.test.ts: one exchange with 127.0.0.1:<port>, then the
// socket closes from a timer and the script ends. The process must exit at
// once: on Deno a close outside the poll loop's own dispatch leaves the loop
// waiting on its helper thread, and the close must wake that wait.
import process from "node:process";
import { tcpConnect } from "../../src/runtime/connect.ts";

const port = Number(process.argv[process.argv.length - 1]);
const socket = tcpConnect("127.0.0.1", port, {
  onTcpOpen: (s) => s.write(new Uint8Array([1])),
  onTcpData: () => {
    setTimeout(() => {
      socket.close();
      console.log(`closed ${performance.timeOrigin + performance.now()}`);
    }, 20);
  },
  onTcpClose: () => {},
});
