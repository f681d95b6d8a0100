import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { main } from "../../src/cli/main.ts";
import { parseCliArgs } from "../../src/cli/_args.ts";
import { normalizeRunOptions } from "../../src/engine/_normalize.ts";
import { closedRunResult } from "../fixtures/run_result.ts";
import { fakeIo } from "../_helpers/cli_io.ts";

async function usage(args: string[]): Promise<{ code: number; stderr: string }> {
  const f = fakeIo({ result: closedRunResult });
  const code = await main(["run", ...args], f.io);
  assert.equal(f.runs.length, 0, "no run starts");
  return { code, stderr: f.stderr() };
}

describe("CLI: HTTP/2 flags", () => {
  it("passes --http2-prior-knowledge and -s/--streams to run()", () => {
    const cmd = parseCliArgs([
      "run",
      "http://127.0.0.1:8080/",
      "--http2-prior-knowledge",
      "-c",
      "4",
      "-s",
      "10",
    ]);
    assert.equal(cmd.kind, "run");
    if (cmd.kind !== "run") return;
    assert.equal(cmd.options.http2PriorKnowledge, true);
    assert.equal(cmd.options.streams, 10);
    assert.equal(cmd.options.concurrency, 4);
    const tls = parseCliArgs(["run", "https://127.0.0.1:8443/", "--http2", "--streams", "5"]);
    assert.ok(tls.kind === "run" && tls.options.http2 === true && tls.options.streams === 5);
  });

  const bad: Array<[string[], RegExp]> = [
    [["http://127.0.0.1:8080/", "--http2-prior-knowledge", "--streams", "0"], /--streams must be >= 1/],
    [["http://127.0.0.1:8080/", "--http2-prior-knowledge", "-s", "1001"], /--streams must be at most 1000/],
    [["http://127.0.0.1:8080/", "--http2-prior-knowledge", "-s", "2.5"], /--streams must be a whole number/],
    [["http://127.0.0.1:8080/", "--http2"], /--http2 .* needs an https:\/\/ URL/],
    [["https://127.0.0.1:8443/", "--http2-prior-knowledge"], /needs an http:\/\/ URL/],
    [["https://127.0.0.1:8443/", "--http2", "--http2-prior-knowledge"], /exclude each other/],
    [["http://127.0.0.1:8080/", "-s", "10"], /--streams needs --http2/],
    [["builtin", "--http2-prior-knowledge"], /built-in target/],
    [["https://127.0.0.1:8443/", "--http2", "--transport", "fetch"], /fetch cannot carry HTTP\/2/],
  ];
  for (const [args, message] of bad) {
    it(`exit 2 with one line: ${args.slice(1).join(" ")}`, async () => {
      const { code, stderr } = await usage(args);
      assert.equal(code, 2);
      assert.match(stderr, message);
      assert.doesNotMatch(stderr, /at .*\.ts:\d+/, "no stack trace");
    });
  }
});

describe("run options: HTTP/2", () => {
  it("virtual users are connections x streams; workers split connections", () => {
    const o = normalizeRunOptions({
      url: "http://127.0.0.1:8080/",
      http2PriorKnowledge: true,
      concurrency: 3,
      streams: 10,
      workers: 8,
    });
    assert.equal(o.http2, "prior-knowledge");
    assert.equal(o.concurrency, 30);
    assert.equal(o.connections, 3);
    assert.equal(o.streams, 10);
    assert.equal(o.workers, 3);
    // Without -c the default 100 requests in flight are spread over the streams.
    const d = normalizeRunOptions({ url: "http://127.0.0.1:8080/", http2PriorKnowledge: true, streams: 10 });
    assert.equal(d.connections, 10);
    assert.equal(d.concurrency, 100);
    const h1 = normalizeRunOptions({ url: "http://127.0.0.1:8080/", concurrency: 7 });
    assert.equal(h1.http2, "off");
    assert.equal(h1.streams, 1);
    assert.equal(h1.connections, 7);
    assert.equal(h1.concurrency, 7);
  });

  it("names the option on bad values", () => {
    const url = "http://127.0.0.1:8080/";
    assert.throws(
      () => normalizeRunOptions({ url, http2PriorKnowledge: true, streams: 0 }),
      /"streams" must be/,
    );
    assert.throws(() => normalizeRunOptions({ url, streams: 4 }), /"streams" needs HTTP\/2/);
    assert.throws(() => normalizeRunOptions({ url, http2: true }), /"http2" .* needs an https:\/\/ URL/);
    assert.throws(
      () => normalizeRunOptions({ url, http2PriorKnowledge: true, concurrency: 1000, streams: 1000 }),
      /at most 100000/,
    );
  });
});
