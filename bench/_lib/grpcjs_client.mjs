// The @grpc/grpc-js client loop the gRPC bench compares lunge with (how many teams load-test today):
// `connections` channels, `streams` unary calls in flight on each, for `seconds`; prints the OK count.
// Usage: node grpcjs_client.mjs PORT CONNECTIONS STREAMS SECONDS PROTO
import grpc from "@grpc/grpc-js";
import protoLoader from "@grpc/proto-loader";

const [port, connections, streams, seconds, proto] = process.argv.slice(2);
const pkg = grpc.loadPackageDefinition(protoLoader.loadSync(proto, { keepCase: true }));
const Echo = pkg.lunge.echo.Echo;
let ok = 0;
let failed = 0;
let running = true;
const done = [];
for (let c = 0; c < Number(connections); c++) {
  // A channel option that differs per client keeps grpc-js from sharing one connection among them.
  const client = new Echo(`127.0.0.1:${port}`, grpc.credentials.createInsecure(), { "lunge.channel": c });
  for (let s = 0; s < Number(streams); s++) {
    done.push(
      new Promise((resolve) => {
        const next = () => {
          if (!running) return resolve();
          client.Say({ name: "bench" }, (error) => {
            if (error) failed++;
            else ok++;
            next();
          });
        };
        next();
      }),
    );
  }
}
setTimeout(() => (running = false), Number(seconds) * 1000);
await Promise.all(done);
process.stdout.write(`ok ${ok} failed ${failed}\n`);
process.exit(0);
