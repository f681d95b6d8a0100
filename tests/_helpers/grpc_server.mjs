// A gRPC test peer on @grpc/grpc-js (the reference JavaScript implementation), run by Node as a child
// process: serves examples/grpc/echo.proto with reflection, counts every call by method and by the status
// it ended with, and every message in and out, and answers errors on request (fail_code, delay_ms).
// Usage: node grpc_server.mjs [--port N] [--tls CERT KEY] [--unavailable-every N] [--not-grpc]
//   [--reflection both|v1alpha|none]
// Prints {"port":N} once listening; reads "stats" lines on stdin and answers one JSON line each. SIGTERM
// shuts down gracefully (GOAWAY, calls in flight finish), prints the final stats line and exits.
// The stats also count the request messages of Say and Count by their "name" field (up to 10,000 names).
// --not-grpc: a plain HTTP/2 (h2c) server answering every request 404 text/html instead.
import grpc from "@grpc/grpc-js";
import protoLoader from "@grpc/proto-loader";
import { ReflectionService } from "@grpc/reflection";
import { readFileSync } from "node:fs";
import { createInterface } from "node:readline";
import http2 from "node:http2";
import { fileURLToPath } from "node:url";

const args = process.argv.slice(2);
const opt = (name) => {
  const i = args.indexOf(name);
  return i < 0 ? undefined : args[i + 1];
};
const port = Number(opt("--port") ?? 0);
const tlsAt = args.indexOf("--tls");
const unavailableEvery = Number(opt("--unavailable-every") ?? 0);
const protoPath = fileURLToPath(new URL("../../examples/grpc/echo.proto", import.meta.url));
const definition = protoLoader.loadSync(protoPath, { keepCase: true, defaults: true });
const pkg = grpc.loadPackageDefinition(definition);

const stats = { calls: 0, statuses: {}, methods: {}, messagesIn: 0, messagesOut: 0, names: {} };
let nameKinds = 0;
function countName(name) {
  if (stats.names[name] !== undefined) stats.names[name]++;
  else if (nameKinds++ < 10_000) stats.names[name] = 1;
}
function count(method, code) {
  stats.calls++;
  stats.statuses[code] = (stats.statuses[code] ?? 0) + 1;
  const m = (stats.methods[method] ??= { calls: 0, statuses: {} });
  m.calls++;
  m.statuses[code] = (m.statuses[code] ?? 0) + 1;
}
let unaryCalls = 0;

function failureOf(req) {
  if (unavailableEvery > 0 && ++unaryCalls % unavailableEvery === 0) {
    return { code: grpc.status.UNAVAILABLE, details: "planned outage" };
  }
  if (req.fail_code > 0) return { code: req.fail_code, details: req.fail_message || "failed on request" };
  return null;
}

function later(call, ms, fn) {
  if (!(ms > 0)) return fn();
  let answered = false;
  const timer = setTimeout(() => {
    if (call.cancelled) return;
    answered = true;
    fn();
  }, ms);
  call.on("cancelled", () => {
    // grpc-js also says "cancelled" when an answered call's stream closes: only unanswered ones count.
    if (answered) return;
    clearTimeout(timer);
    // The deadline passed (grpc-js answers DEADLINE_EXCEEDED itself) or the client cancelled.
    const deadline = call.getDeadline();
    const expired = deadline instanceof Date ? deadline.getTime() <= Date.now() + 5 : deadline !== Infinity;
    count(call.getPath(), expired ? grpc.status.DEADLINE_EXCEEDED : grpc.status.CANCELLED);
  });
}

const handlers = {
  Say(call, callback) {
    stats.messagesIn++;
    countName(call.request.name);
    later(call, call.request.delay_ms, () => {
      const failure = failureOf(call.request);
      count(call.getPath(), failure?.code ?? 0);
      if (failure) return callback(failure);
      stats.messagesOut++;
      callback(null, { message: `hello ${call.request.name}`, index: 0 });
    });
  },
  Count(call) {
    stats.messagesIn++;
    countName(call.request.name);
    later(call, call.request.delay_ms, () => {
      const failure = failureOf(call.request);
      const n = call.request.count || 1;
      for (let i = 0; i < n && !failure; i++) {
        stats.messagesOut++;
        call.write({ message: `hello ${call.request.name}`, index: i });
      }
      count(call.getPath(), failure?.code ?? 0);
      if (failure) call.emit("error", failure);
      else call.end();
    });
  },
  Collect(call, callback) {
    let received = 0;
    call.on("data", () => {
      received++;
      stats.messagesIn++;
    });
    call.on("end", () => {
      count(call.getPath(), 0);
      stats.messagesOut++;
      callback(null, { received });
    });
  },
  Chat(call) {
    call.on("data", (req) => {
      stats.messagesIn++;
      stats.messagesOut++;
      call.write({ message: `hello ${req.name}`, index: 0 });
    });
    call.on("end", () => {
      count(call.getPath(), 0);
      call.end();
    });
  },
};

if (args.includes("--not-grpc")) {
  const plain = http2.createServer((_req, res) => {
    res.writeHead(404, { "content-type": "text/html" });
    res.end("<html><body>not found</body></html>");
  });
  plain.listen(
    port,
    "127.0.0.1",
    () => process.stdout.write(JSON.stringify({ port: plain.address().port }) + "\n"),
  );
  process.on("SIGTERM", () => process.exit(0));
  process.stdin.resume();
  process.stdin.on("end", () => process.exit(0));
} else startGrpc();

function startGrpc() {
  const server = new grpc.Server();
  server.addService(pkg.lunge.echo.Echo.service, handlers);
  const reflection = new ReflectionService(definition);
  const versions = opt("--reflection") ?? "both";
  if (versions === "both") reflection.addToServer(server);
  else if (versions === "v1alpha") reflection.v1Alpha.addToServer(server);
  const credentials = tlsAt < 0
    ? grpc.ServerCredentials.createInsecure()
    : grpc.ServerCredentials.createSsl(null, [{
      cert_chain: readFileSync(args[tlsAt + 1]),
      private_key: readFileSync(args[tlsAt + 2]),
    }], false);
  server.bindAsync(`127.0.0.1:${port}`, credentials, (error, bound) => {
    if (error) {
      process.stderr.write(`grpc_server: ${error.message}\n`);
      process.exit(1);
    }
    process.stdout.write(JSON.stringify({ port: bound }) + "\n");
  });

  let stopping = false;
  function stop() {
    if (stopping) return;
    stopping = true;
    const done = () => process.stdout.write(JSON.stringify(stats) + "\n", () => process.exit(0));
    // Graceful (GOAWAY, calls in flight finish); connections the client keeps open are cut after 2 s.
    const force = setTimeout(() => {
      server.forceShutdown();
      done();
    }, 2000);
    server.tryShutdown(() => {
      clearTimeout(force);
      done();
    });
  }
  createInterface({ input: process.stdin }).on("line", (line) => {
    if (line.trim() === "stats") process.stdout.write(JSON.stringify(stats) + "\n");
    if (line.trim() === "stop") stop();
  });
  process.stdin.on("end", () => {
    server.forceShutdown();
    process.exit(0);
  });
  process.on("SIGTERM", stop);
}
