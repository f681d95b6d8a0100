// Child of tests/runtime/tcp_connect.test.ts: opens one plain TCP socket to
// 127.0.0.1:<port> as a paced load would, prints the class that carries it
// (which socket path the runtime chose, with this process's environment) and ends.
import process from "node:process";
import { preferSocketsForPacedLoad, tcpConnect } from "../../src/runtime/connect.ts";

const port = Number(process.argv[process.argv.length - 1]);
preferSocketsForPacedLoad(true);
const socket = tcpConnect("127.0.0.1", port, {
  onTcpOpen: () => {
    console.log(`socket ${socket.constructor.name}`);
    socket.close();
  },
  onTcpData: () => {},
  onTcpClose: () => {},
});
