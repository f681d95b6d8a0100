import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { CliUsageError, parseCliArgs, type RunCommand } from "../../src/cli/_args.ts";

const noFiles = (): string | null => null;

function parseRun(...args: string[]): RunCommand {
  const command = parseCliArgs(["run", ...args], { readFile: noFiles });
  assert.equal(command.kind, "run");
  return command as RunCommand;
}

function usageError(argv: string[], message: RegExp, readFile: (p: string) => string | null = noFiles): void {
  assert.throws(() => parseCliArgs(argv, { readFile }), (e: unknown) => {
    assert.ok(e instanceof CliUsageError, `expected CliUsageError, got ${e}`);
    assert.match(e.message, message);
    assert.ok(!e.message.includes("\n"), `message must be one line: ${JSON.stringify(e.message)}`);
    return true;
  });
}

describe("parseCliArgs: commands", () => {
  it("help and version, globally and per command", () => {
    assert.deepEqual(parseCliArgs(["--help"]), { kind: "help", topic: "global" });
    assert.deepEqual(parseCliArgs(["-h"]), { kind: "help", topic: "global" });
    assert.deepEqual(parseCliArgs(["help"]), { kind: "help", topic: "global" });
    assert.deepEqual(parseCliArgs(["help", "run"]), { kind: "help", topic: "run" });
    assert.deepEqual(parseCliArgs(["run", "--help"]), { kind: "help", topic: "run" });
    assert.deepEqual(parseCliArgs(["run", "http://x/", "-h", "--bogus"]), { kind: "help", topic: "run" });
    assert.deepEqual(parseCliArgs(["serve", "-h"]), { kind: "help", topic: "serve" });
    assert.deepEqual(parseCliArgs(["--version"]), { kind: "version" });
    assert.deepEqual(parseCliArgs(["-V"]), { kind: "version" });
  });

  it("serve with defaults, a port and a host", () => {
    assert.deepEqual(parseCliArgs(["serve"]), { kind: "serve", port: 8080, hostname: "127.0.0.1" });
    assert.deepEqual(parseCliArgs(["serve", "--port", "0", "--host", "0.0.0.0"]), {
      kind: "serve",
      port: 0,
      hostname: "0.0.0.0",
    });
    assert.deepEqual(parseCliArgs(["serve", "-p", "9000", "--host", "[::1]"]), {
      kind: "serve",
      port: 9000,
      hostname: "::1",
    });
  });
});

describe("parseCliArgs: run", () => {
  it("a bare URL sets nothing the engine defaults", () => {
    const c = parseRun("http://127.0.0.1:8080/");
    assert.deepEqual(c.options, { url: "http://127.0.0.1:8080/" });
    assert.deepEqual(c.outputs, { json: null, html: null, quiet: false, statsd: [], metricsPort: null });
  });

  it("every flag, long and short", () => {
    const c = parseRun(
      "https://example.test/api?q=1",
      ...["--rate", "9900", "-c", "200", "-w", "2", "-d", "1m30s", "-n", "5000", "--warmup", "5s"],
      ...["--ramp-up", "10s", "--ramp-down", "5", "-m", "post", "-H", "Content-Type: application/json"],
      ...["-H", "X-A:1", "-H", "x-a: 2", "--body", '{"a":1}', "--timeout", "2s", "--collector", "legacy"],
      ...["--json", "out.json", "--html", "out.html", "--threshold", "p99<50ms", "--threshold", "errors<1%"],
      ...["--transport", "fetch", "--out", "statsd=127.0.0.1:8125", "-o", "statsd=[::1]:9125"],
      ...["--metrics-port", "9464", "--quiet"],
    );
    assert.deepEqual(c.options, {
      url: "https://example.test/api?q=1",
      rate: 9900,
      concurrency: 200,
      workers: 2,
      durationMs: 90_000,
      requests: 5000,
      warmupMs: 5000,
      rampUpMs: 10_000,
      rampDownMs: 5000,
      method: "POST",
      headers: { "Content-Type": "application/json", "X-A": "1, 2" },
      body: '{"a":1}',
      timeoutMs: 2000,
      collector: "legacy",
      transport: "fetch",
      thresholds: [
        { expression: "p99<50ms", metric: "p99", op: "<", value: 50 },
        { expression: "errors<1%", metric: "errors", op: "<", value: 1 },
      ],
    });
    assert.deepEqual(c.outputs, {
      json: "out.json",
      html: "out.html",
      quiet: true,
      statsd: ["127.0.0.1:8125", "[::1]:9125"],
      metricsPort: 9464,
    });
  });

  it("transport flags: -k, --cacert, --cert/--key, --servername, --connect-to, --unix-socket", () => {
    const pem = (): string => "-----BEGIN CERTIFICATE-----\n";
    const command = parseCliArgs([
      "run",
      "https://example.com/",
      "-k",
      "--cacert",
      "ca.pem",
      "--cert",
      "c.pem",
      "--key",
      "k.pem",
      "--servername",
      "api.example.com",
      "--connect-to",
      "example.com:443:127.0.0.1:8443",
      "--connect-to",
      "::[::1]:",
    ], { readFile: pem }) as RunCommand; // deno-fmt-ignore
    assert.deepEqual(
      {
        insecure: command.options.insecure,
        cacert: command.options.cacert,
        cert: command.options.cert,
        key: command.options.key,
        servername: command.options.servername,
        connectTo: command.options.connectTo,
      },
      {
        insecure: true,
        cacert: "ca.pem",
        cert: "c.pem",
        key: "k.pem",
        servername: "api.example.com",
        connectTo: ["example.com:443:127.0.0.1:8443", "::[::1]:"],
      },
    );
    assert.equal(
      parseRun("http://localhost/", "--unix-socket", "/tmp/s.sock").options.unixSocket,
      "/tmp/s.sock",
    );
  });

  it("--no-progress is --quiet; -c5 and --rate=5 forms work", () => {
    assert.equal(parseRun("http://x/", "--no-progress").outputs.quiet, true);
    assert.equal(parseRun("http://x/", "-c5").options.concurrency, 5);
    assert.equal(parseRun("http://x/", "--rate=5").options.rate, 5);
    assert.equal(parseRun("http://x/", "--rate", "0.5").options.rate, 0.5);
  });

  it("builtin and builtin:/path", () => {
    assert.equal(parseRun("builtin").options.url, "builtin");
    assert.equal(parseRun("builtin:/delay/5").options.url, "builtin:/delay/5");
    assert.equal(parseRun("builtin:/flaky?error_rate=0.2").options.url, "builtin:/flaky?error_rate=0.2");
  });

  it("--body @file reads the file through the reader; @@ escapes a literal @", () => {
    const read: string[] = [];
    const readFile = (path: string): string | null => {
      read.push(path);
      return path === "payload.json" ? '{"from":"file"}' : null;
    };
    const c = parseCliArgs(["run", "http://x/", "--body", "@payload.json"], { readFile }) as RunCommand;
    assert.equal(c.options.body, '{"from":"file"}');
    assert.deepEqual(read, ["payload.json"]);
    const literal = parseCliArgs(["run", "http://x/", "--body", "@@handle"], { readFile }) as RunCommand;
    assert.equal(literal.options.body, "@handle");
    usageError(
      ["run", "http://x/", "--body", "@missing.json"],
      /^--body: cannot read file "missing.json"$/,
      readFile,
    );
  });
});

describe("parseCliArgs: bad input is one clear line", () => {
  const cases: Array<[string[], RegExp]> = [
    [[], /^missing command/],
    [["bogus"], /^unknown command "bogus"/],
    [["--bogus"], /^unknown option --bogus$/],
    [["help", "bogus"], /^no help for "bogus"/],
    [["run"], /^missing URL/],
    [["run", "nope"], /^invalid URL "nope": expected http:\/\/host/],
    [["run", "http://"], /^invalid URL "http:\/\/"/],
    [["run", "ftp://x/"], /^unsupported URL scheme "ftp:"/],
    [["run", "file:///etc/passwd"], /^unsupported URL scheme "file:"/],
    [["run", "builtin:delay"], /^invalid built-in route "builtin:delay"/],
    [["run", "http://a/", "http://b/"], /^unexpected argument "http:\/\/b\/" after the URL/],
    [["run", "http://x/", "--bogus"], /^unknown option --bogus$/],
    [
      ["run", "http://x/", "--concurency", "5"],
      /^unknown option --concurency \(did you mean --concurrency\?\)$/,
    ],
    [["run", "http://x/", "-x"], /^unknown option -x$/],
    [["run", "http://x/", "--rate"], /^option --rate needs a value$/],
    [["run", "http://x/", "--rate", "-5"], /^option --rate needs a value \(for a value starting with "-"/],
    [["run", "http://x/", "--quiet=yes"], /^option --quiet does not take a value$/],
    [["run", "http://x/", "--rate", "0"], /^--rate must be > 0, got 0$/],
    [["run", "http://x/", "--rate=-5"], /^--rate must be > 0, got -5$/],
    [["run", "http://x/", "--rate", "abc"], /^--rate must be a number, got "abc"$/],
    [["run", "http://x/", "--rate", "1e400"], /^--rate must be a number/],
    [["run", "http://x/", "--rate", "Infinity"], /^--rate must be a number/],
    [["run", "http://x/", "--rate", "0x10"], /^--rate must be a number/],
    [["run", "http://x/", "--rate", "1e9"], /^--rate must be at most 10000000/],
    [["run", "http://x/", "-c", "0"], /^--concurrency must be >= 1, got 0$/],
    [["run", "http://x/", "-c", "1.5"], /^--concurrency must be a whole number/],
    [["run", "http://x/", "-c", "1000001"], /^--concurrency must be at most 100000/],
    [["run", "http://x/", "-w", "0"], /^--workers must be >= 1/],
    [["run", "http://x/", "-n", "0"], /^--requests must be >= 1/],
    [["run", "http://x/", "-d", "abc"], /^invalid --duration "abc": expected a number with a unit/],
    [["run", "http://x/", "-d", "0s"], /^--duration must be > 0/],
    [["run", "http://x/", "--duration=-5s"], /^invalid --duration "-5s": must not be negative/],
    [["run", "http://x/", "-d", "10000h"], /^--duration must be at most 30 days/],
    [["run", "http://x/", "--warmup", "5x"], /^invalid --warmup "5x"/],
    [["run", "http://x/", "--timeout", "0"], /^--timeout must be > 0/],
    [["run", "http://x/", "-d", "10s", "--ramp-up", "8s", "--ramp-down", "5s"], /must not exceed --duration/],
    [["run", "http://x/", "-H", "NoColon"], /^invalid --header "NoColon": expected "Name: value"/],
    [["run", "http://x/", "-H", ": v"], /^invalid --header/],
    [["run", "http://x/", "-H", "Bad Name: v"], /^invalid --header "Bad Name: v"/],
    [["run", "http://x/", "-H", "X: a\r\nInjected: 1"], /must not contain CR, LF or NUL/],
    [["run", "http://x/", "-m", "GE T"], /^invalid --method "GE T"/],
    [["run", "http://x/", "--collector", "fast"], /^--collector must be one of atomic, legacy, got "fast"$/],
    [["run", "http://x/", "--transport", "h2"], /^--transport must be one of auto, raw, fetch/],
    [["run", "https://x/", "--transport", "fetch", "-k"], /^--transport fetch cannot use the TLS flags/],
    [["run", "https://x/", "--unix-socket", "/s"], /^--unix-socket carries http:\/\/ URLs only/],
    [["run", "https://x/", "--connect-to", "x:1"], /^invalid --connect-to "x:1"/],
    [["run", "https://x/", "--cacert", "/nonexistent/ca.pem"], /^--cacert: cannot read file/],
    [["run", "https://x/", "--key", "/nonexistent/k.pem"], /^--key: cannot read file/],
    [["run", "https://x/", "--servername", "a b"], /^invalid --servername/],
    [
      ["run", "http://x/", "--threshold", "p98<5ms"],
      /^unknown metric "p98" in threshold "p98<5ms"; valid metrics: p50/,
    ],
    [["run", "http://x/", "--threshold", "p99<<5"], /^invalid threshold "p99<<5"/],
    [["run", "http://x/", "--threshold", "errors<1"], /is a percentage/],
    [
      ["run", "http://x/", "--out", "influxdb=x:1"],
      /^unsupported --out "influxdb=x:1": only statsd=HOST:PORT/,
    ],
    [
      ["run", "http://x/", "--out", "statsd=localhost"],
      /^invalid --out "statsd=localhost": expected statsd=HOST:PORT/,
    ],
    [["run", "http://x/", "--out", "statsd=h:0"], /^invalid --out/],
    [["run", "http://x/", "--out", "statsd=h:70000"], /^invalid --out/],
    [["run", "http://x/", "--metrics-port", "65536"], /^--metrics-port must be at most 65535/],
    [["run", "http://x/", "--json", "a", "--html", "a"], /must name different files/],
    [["run", "http://x/", "--json", ""], /^--json needs a file name/],
    [["serve", "--port", "x"], /^--port must be a number/],
    [["serve", "--port", "-1"], /^option --port needs a value/],
    [["serve", "--port", "70000"], /^--port must be at most 65535/],
    [["serve", "--host", "bad host"], /^invalid --host "bad host"/],
    [["serve", "extra"], /^unexpected argument "extra"/],
  ];
  for (const [argv, message] of cases) {
    it(`${JSON.stringify(argv)} → ${message.source.slice(0, 50)}`, () => usageError(argv, message));
  }
});
