// `lunge run grpc://...` end to end against @grpc/grpc-js: the flags in ghz's habits, the summary's gRPC
// section, and bad input as one line with a defined exit code (2: usage, 1: the server), never a stack.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { tmpdir } from "node:os";
import { main } from "../../src/cli/main.ts";
import { type GrpcPeer, startGrpcPeer } from "../_helpers/grpc_peer.ts";

async function lunge(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const code = await main(argv, {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    stdoutIsTerminal: false,
    stderrIsTerminal: false,
    onInterrupt: () => () => {},
  });
  return { code, out, err };
}

describe("lunge run grpc://", () => {
  let peer: GrpcPeer;
  let dir: string;
  before(async () => {
    peer = await startGrpcPeer();
    dir = mkdtempSync(join(tmpdir(), "lunge-grpc-cli-"));
  });
  after(async () => {
    await peer.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("--call --proto --data @FILE (JSON lines) --metadata: counts per status in the summary and JSON", async () => {
    const before_ = await peer.stats();
    writeFileSync(join(dir, "m.jsonl"), '{"name":"a"}\n{"name":"b","fail_code":14,"fail_message":"later"}\n');
    const json = join(dir, "r.json");
    const r = await lunge([
      "run",
      peer.url,
      "--call",
      "lunge.echo.Echo/Say",
      "--proto",
      "examples/grpc/echo.proto",
      "--data",
      `@${join(dir, "m.jsonl")}`,
      "--metadata",
      "x-user: ann",
      "-n",
      "60",
      "-c",
      "2",
      "--json",
      json,
      "--html",
      join(dir, "r.html"),
      "--threshold",
      "status_UNAVAILABLE<=30",
      "--quiet",
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /gRPC \(unary, grpc:\/\/127\.0\.0\.1:\d+\)/);
    assert.match(r.out, /lunge\.echo\.Echo\/Say: 60 calls, 30 not OK \(50\.00%\)/);
    assert.match(r.out, /UNAVAILABLE\s+30\s+50\.00%/);
    const after_ = await peer.stats();
    assert.equal(after_.calls - before_.calls, 60);
    const result = JSON.parse((await import("node:fs")).readFileSync(json, "utf8"));
    assert.deepEqual(result.grpc.total.statuses, { OK: 30, UNAVAILABLE: 30 });
    const html = (await import("node:fs")).readFileSync(join(dir, "r.html"), "utf8");
    assert.match(html, /<table class="grpc">/);
    assert.match(html, /OK 30, UNAVAILABLE 30/);
  });

  it("-b/--body is --data's alias; a threshold on a status fails with exit 99; all failed: exit 1", async () => {
    const r = await lunge([
      "run",
      peer.url,
      "--call",
      "lunge.echo.Echo/Say",
      "--proto",
      "examples/grpc/echo.proto",
      "-b",
      '[{"fail_code":14},{"name":"ok"}]',
      "-n",
      "10",
      "--threshold",
      "status_UNAVAILABLE==0",
      "--quiet",
    ]);
    assert.equal(r.code, 99, r.err);
    assert.match(r.err, /threshold failed: status_UNAVAILABLE==0/);
    const all = await lunge([
      "run",
      peer.url,
      "--call",
      "lunge.echo.Echo/Say",
      "--proto",
      "examples/grpc/echo.proto",
      "--data",
      '{"fail_code":14,"fail_message":"maintenance"}',
      "-n",
      "10",
      "--quiet",
    ]);
    assert.equal(all.code, 1);
    assert.match(
      all.err,
      /every call failed \(UNAVAILABLE 10\) calling lunge\.echo\.Echo\/Say at grpc:.*: UNAVAILABLE: maintenance/,
    );
  });

  const oneLine = (err: string): void => {
    assert.equal(err.trim().split("\n").length, 1, err);
    assert.doesNotMatch(err, /^\s+at /m);
  };

  it("bad input: one line each, exit 2 for a usage mistake, 1 for a server that cannot serve", async () => {
    const base = ["run", peer.url, "--proto", "examples/grpc/echo.proto", "-n", "5", "--quiet"];
    const cases: Array<[string[], number, RegExp]> = [
      [[...base, "--call", "lunge.echo.Echo/Nope"], 2, /unknown method "Nope"/],
      [[...base, "--call", "lunge.echo.Echo/Say", "--data", "{nope"], 2, /--data is not JSON/],
      [
        [...base, "--call", "lunge.echo.Echo/Say", "--data", '{"name":5}'],
        2,
        /field "name" must be a string/,
      ],
      [["run", peer.url, "--proto", "deno.json", "--call", "a.B/C", "-q"], 2, /deno\.json does not parse/],
      [["run", peer.url, "-n", "5"], 2, /missing --call/],
      [["run", "http://127.0.0.1:1/", "--call", "a.B/C"], 2, /--call needs a grpc:\/\/ or grpcs:\/\/ URL/],
      [
        [
          "run",
          "grpc://127.0.0.1:1",
          "--proto",
          "examples/grpc/echo.proto",
          "--call",
          "lunge.echo.Echo/Say",
          "-q",
        ],
        1,
        /cannot be reached/,
      ],
    ];
    for (const [argv, code, pattern] of cases) {
      const r = await lunge(argv);
      assert.equal(r.code, code, `${argv.join(" ")}: ${r.err}`);
      assert.match(r.err, pattern);
      oneLine(r.err);
    }
  });

  it("--data @FILE with {{csv:FILE:column}} reads FILE beside it, --compression gzip; a bad column: one line, exit 2", async () => {
    const sub = join(dir, "csv");
    mkdirSync(sub);
    writeFileSync(join(sub, "names.csv"), "name\nann\nbob\n");
    writeFileSync(join(sub, "m.json"), '{"name":"{{csv:names.csv:name}}"}\n');
    writeFileSync(join(sub, "bad.json"), '{"name":"{{csv:names.csv:user}}"}\n');
    const before_ = await peer.stats();
    const base = ["run", peer.url, "--call", "lunge.echo.Echo/Say", "--proto", "examples/grpc/echo.proto"];
    const r = await lunge([
      ...base,
      "--data",
      `@${join(sub, "m.json")}`,
      "--compression",
      "gzip",
      "-n",
      "40",
      "-c",
      "2",
      "-q",
    ]);
    assert.equal(r.code, 0, r.err);
    const after_ = await peer.stats();
    assert.equal(after_.names.ann - (before_.names.ann ?? 0), 20);
    assert.equal(after_.names.bob - (before_.names.bob ?? 0), 20);
    const bad = await lunge([...base, "--data", `@${join(sub, "bad.json")}`, "-n", "1", "-q"]);
    assert.equal(bad.code, 2, bad.err);
    assert.match(
      bad.err,
      /^lunge: --data: CSV file ".*\/csv\/names\.csv" has no column "user" \(columns: name\)/,
    );
    oneLine(bad.err);
    // Inline --data reads FILE from the working directory.
    const inline = await lunge([...base, "--data", '{"name":"{{csv:names.csv:name}}"}', "-n", "1", "-q"]);
    assert.equal(inline.code, 2, inline.err);
    assert.match(inline.err, /^lunge: --data: cannot read CSV file "names\.csv"/);
    oneLine(inline.err);
  });

  it("a server that is not gRPC: one line, exit 1", async () => {
    const plain = await startGrpcPeer({ notGrpc: true });
    try {
      const r = await lunge([
        "run",
        plain.url,
        "--proto",
        "examples/grpc/echo.proto",
        "--call",
        "lunge.echo.Echo/Say",
        "--quiet",
      ]);
      assert.equal(r.code, 1);
      assert.match(r.err, /is not a gRPC server \(HTTP 404/);
      oneLine(r.err);
    } finally {
      await plain.stop();
    }
  });
});
