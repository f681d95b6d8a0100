// gRPC unary and server-streaming runs against @grpc/grpc-js (a child Node process): lunge's counts per
// gRPC status and per message equal what the server counted, over h2c; bad input fails with one clear
// error before the run.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { run } from "../../../src/engine/run.ts";
import { RunOptionsError, type RunProgress } from "../../../src/engine/options.ts";
import { GrpcServerError } from "../../../src/grpc/errors.ts";
import { type GrpcPeer, startGrpcPeer } from "../../_helpers/grpc_peer.ts";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import protobuf from "protobufjs";
import { gunzip } from "../../../src/grpc/compression.ts";
import { TemplatedMessages } from "../../../src/protocols/grpc/templated_messages.ts";
import { tmpdir } from "node:os";
import { join } from "node:path";

const PROTO = "examples/grpc/echo.proto";

describe("gRPC runs against grpc-js (h2c)", () => {
  let peer: GrpcPeer;
  let before_: Awaited<ReturnType<GrpcPeer["stats"]>>;
  before(async () => {
    peer = await startGrpcPeer();
  });
  after(async () => {
    await peer.stop();
  });

  async function delta(): Promise<
    {
      calls: number;
      statuses: Record<string, number>;
      out: number;
      in: number;
      names: Record<string, number>;
    }
  > {
    const now = await peer.stats();
    const statuses: Record<string, number> = {};
    for (const [k, v] of Object.entries(now.statuses)) {
      const d = v - (before_?.statuses[k] ?? 0);
      if (d > 0) statuses[k] = d;
    }
    const names: Record<string, number> = {};
    for (const [k, v] of Object.entries(now.names)) {
      const d = v - (before_?.names[k] ?? 0);
      if (d > 0) names[k] = d;
    }
    const d = {
      names,
      calls: now.calls - (before_?.calls ?? 0),
      statuses,
      out: now.messagesOut - (before_?.messagesOut ?? 0),
      in: now.messagesIn - (before_?.messagesIn ?? 0),
    };
    before_ = now;
    return d;
  }

  it("unary: calls, statuses and messages equal the server's counts", async () => {
    before_ = await peer.stats();
    const result = await run({
      url: peer.url,
      call: "lunge.echo.Echo/Say",
      proto: [PROTO],
      data: '{"name":"ann"}',
      requests: 400,
      concurrency: 4,
      workers: 1,
    });
    const server = await delta();
    const g = result.grpc!;
    assert.equal(g.kind, "unary");
    assert.equal(g.total.calls, 400);
    assert.equal(server.calls, 400);
    assert.deepEqual(g.total.statuses, { OK: 400 });
    assert.deepEqual(server.statuses, { "0": 400 });
    assert.equal(g.total.messagesSent, server.in);
    assert.equal(g.total.messagesReceived, server.out);
    assert.equal(result.snapshot.totalRequests, 400);
    assert.equal(result.snapshot.successfulRequests, 400);
    assert.equal(result.target.method, "lunge.echo.Echo/Say");
  });

  it("errors on request: JSON lines sent in turn, counts per status equal the server's", async () => {
    before_ = await peer.stats();
    const data = [
      '{"name":"a"}',
      '{"name":"b","fail_code":14,"fail_message":"down for 100% of a second"}',
      '{"name":"c","fail_code":5}',
      '{"name":"d"}',
    ].join("\n");
    const result = await run({
      url: peer.url,
      call: "lunge.echo.Echo/Say",
      proto: [PROTO],
      data,
      requests: 400,
      concurrency: 4,
      workers: 1,
      thresholds: [],
    });
    const server = await delta();
    const g = result.grpc!.total;
    assert.equal(g.calls, 400);
    assert.equal(server.calls, 400);
    assert.equal(g.statuses.OK, server.statuses["0"]);
    assert.equal(g.statuses.UNAVAILABLE, server.statuses["14"]);
    assert.equal(g.statuses.NOT_FOUND, server.statuses["5"]);
    assert.equal(g.statuses.OK + g.statuses.UNAVAILABLE + g.statuses.NOT_FOUND, 400);
    assert.equal(g.errors, g.statuses.UNAVAILABLE + g.statuses.NOT_FOUND);
    // Counted under their HTTP equivalents in the HTTP-shaped totals.
    assert.equal(result.snapshot.errorsByStatus["503"], g.statuses.UNAVAILABLE);
    assert.equal(result.snapshot.errorsByStatus["404"], g.statuses.NOT_FOUND);
    // grpc-message percent-decoded into the error messages.
    const messages = (result.errorMessages ?? []).map((m) => m.message);
    assert.ok(messages.includes("UNAVAILABLE: down for 100% of a second"), messages.join(" | "));
  });

  it("thresholds on gRPC statuses", async () => {
    const result = await run({
      url: peer.url,
      call: "lunge.echo.Echo/Say",
      proto: [PROTO],
      data: '{"fail_code":14}\n{"name":"ok"}',
      requests: 40,
      concurrency: 2,
      workers: 1,
      thresholds: [
        { expression: "status_UNAVAILABLE==0", metric: "grpc:status:UNAVAILABLE", op: "==", value: 0 },
        { expression: "grpc_errors<60%", metric: "grpc:errors", op: "<", value: 60 },
      ],
    });
    await delta();
    const [unavailable, errors] = result.thresholds;
    assert.equal(unavailable.actual, 20);
    assert.equal(unavailable.passed, false);
    assert.equal(errors.actual, 50);
    assert.equal(errors.passed, true);
  });

  it("server streaming: messages per call and time to the first message", async () => {
    before_ = await peer.stats();
    const result = await run({
      url: peer.url,
      call: "lunge.echo.Echo/Count",
      proto: [PROTO],
      data: { name: "s", count: 5 },
      requests: 100,
      concurrency: 2,
      workers: 1,
    });
    const server = await delta();
    const g = result.grpc!;
    assert.equal(g.kind, "server-streaming");
    assert.equal(g.total.calls, 100);
    assert.equal(server.calls, 100);
    assert.equal(g.total.messagesReceived, 500);
    assert.equal(server.out, 500);
    assert.equal(g.total.messagesPerCall, 5);
    assert.ok(g.total.firstMessage !== null && g.total.firstMessage.p50 > 0);
    assert.ok(g.total.firstMessage!.p50 <= result.snapshot.latency.p99 + 1);
  });

  it("--compression gzip: messages compressed once, the server decodes every one", async () => {
    before_ = await peer.stats();
    const result = await run({
      url: peer.url,
      call: "lunge.echo.Echo/Say",
      proto: [PROTO],
      data: { name: "z".repeat(500) },
      compression: "gzip",
      requests: 100,
      concurrency: 2,
      workers: 1,
    });
    const server = await delta();
    assert.deepEqual(result.grpc!.total.statuses, { OK: 100 });
    assert.deepEqual(server.statuses, { "0": 100 });
  });

  it("templated --data ({{seq}}, {{rand:A-B}}): filled and encoded per call, counts equal the server's", async () => {
    before_ = await peer.stats();
    const result = await run({
      url: peer.url,
      call: "lunge.echo.Echo/Count",
      proto: [PROTO],
      data: '{"name":"user-{{seq}}","count":{{rand:2-4}}}',
      requests: 60,
      concurrency: 3,
      workers: 1,
    });
    const server = await delta();
    const g = result.grpc!.total;
    assert.deepEqual(g.statuses, { OK: 60 });
    assert.equal(server.calls, 60);
    assert.equal(g.messagesReceived, server.out);
    assert.ok(g.messagesReceived >= 120 && g.messagesReceived <= 240, String(g.messagesReceived));
    assert.ok(g.messagesReceived !== 120 && g.messagesReceived !== 240, "{{rand}} did not vary");
    await assert.rejects(
      run({
        url: peer.url,
        call: "lunge.echo.Echo/Say",
        proto: [PROTO],
        data: '{"name":"{{nope}}"}',
        requests: 1,
      }),
      RunOptionsError,
    );
    await assert.rejects(
      run({
        url: peer.url,
        call: "lunge.echo.Echo/Say",
        proto: [PROTO],
        data: '{"count":"{{uuid}}"}',
        requests: 1,
      }),
      /field "count" must be a number/,
    );
  });

  it("{{csv:FILE:column}} with gzip: rows in turn by {{seq}}, each message filled, encoded and compressed per call", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lunge-grpc-csv-"));
    try {
      writeFileSync(join(dir, "users.csv"), 'name,count\nann,2\n"b,ob",3\ncyd,4\n');
      before_ = await peer.stats();
      const result = await run({
        url: peer.url,
        call: "lunge.echo.Echo/Count",
        proto: [PROTO],
        data: `{"name":"{{csv:${dir}/users.csv:name}}","count":{{csv:${dir}/users.csv:count}}}`,
        compression: "gzip",
        requests: 60,
        concurrency: 4,
        workers: 2, // worker threads: the columns travel in the job, gzip runs there; {{seq}} stays disjoint
      });
      const server = await delta();
      const g = result.grpc!.total;
      assert.deepEqual(g.statuses, { OK: 60 });
      assert.deepEqual(server.statuses, { "0": 60 });
      // The server decompressed and decoded every message: each row 20 times, its count with it.
      assert.deepEqual(server.names, { ann: 20, "b,ob": 20, cyd: 20 });
      assert.equal(server.out, 20 * (2 + 3 + 4));
      assert.equal(g.messagesReceived, server.out);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a templated message with gzip goes out compressed: the flag set, the payload gunzips to the filled message", async () => {
    const root = protobuf.parse('syntax = "proto3"; message M { string s = 1; }').root;
    const data = { texts: ['{"s":"u{{seq}}"}'], root: root.toJSON(), typeName: "M", csv: {}, gzip: true };
    const frame = new TemplatedMessages(data, 0).next(7);
    assert.equal(frame[0], 1, "compressed flag");
    assert.equal(new DataView(frame.buffer, frame.byteOffset).getUint32(1), frame.length - 5);
    const plain = await gunzip(frame.subarray(5));
    assert.deepEqual(root.lookupType("M").toObject(root.lookupType("M").decode(plain)), { s: "u7" });
  });

  it("{{csv:...}} that cannot serve: one RunOptionsError naming --data and the file, nothing sent", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lunge-grpc-csv-"));
    try {
      writeFileSync(join(dir, "u.csv"), "name,count\nann,1\n");
      writeFileSync(join(dir, "empty.csv"), "name,count\n,1\n,2\n");
      writeFileSync(join(dir, "bad.csv"), 'name\n"ann\n');
      writeFileSync(join(dir, "nums.csv"), "count\n1\nlots\n");
      before_ = await peer.stats();
      const base = { url: peer.url, call: "lunge.echo.Echo/Say", proto: [PROTO], requests: 1, workers: 1 };
      const cases: Array<[string, RegExp]> = [
        [`{"name":"{{csv:${dir}/none.csv:name}}"}`, /^--data: cannot read CSV file ".*none\.csv"$/],
        [
          `{"name":"{{csv:${dir}/u.csv:user}}"}`,
          /^--data: CSV file ".*u\.csv" has no column "user" \(columns: name, count\)$/,
        ],
        [
          `{"name":"{{csv:${dir}/empty.csv:name}}"}`,
          /^--data: CSV file ".*empty\.csv" column "name" is empty in every row$/,
        ],
        [
          `{"name":"{{csv:${dir}/bad.csv:name}}"}`,
          /^--data: CSV file ".*bad\.csv" line 2: a quoted field is not closed/,
        ],
        [
          `{"count":{{csv:${dir}/nums.csv:count}}}`,
          /^--data \(CSV row 2\) with its placeholders filled is not JSON/,
        ],
      ];
      for (const [data, pattern] of cases) {
        await assert.rejects(run({ ...base, data }), (e: unknown) => {
          assert.ok(e instanceof RunOptionsError, String(e));
          assert.equal(e.option, "data");
          assert.match(e.reason, pattern);
          return true;
        });
      }
      assert.equal((await delta()).calls, 0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("the progress line's figures: calls, and the calls not OK by status from the gRPC lanes", async () => {
    const seen: RunProgress[] = [];
    const result = await run({
      url: peer.url,
      call: "lunge.echo.Echo/Say",
      proto: [PROTO],
      data: '{"name":"a"}\n{"name":"b","fail_code":14,"fail_message":"later"}',
      rate: 100,
      durationMs: 2200,
      concurrency: 2,
      workers: 1,
      onProgress: (p) => seen.push(p),
    });
    await delta();
    assert.ok(seen.length >= 1, "one progress report a second");
    const p = seen[seen.length - 1];
    assert.equal(p.unit, "calls");
    assert.ok(p.requests > 0 && p.errors > 0, JSON.stringify(p));
    assert.deepEqual(Object.keys(p.grpcNotOk!), ["UNAVAILABLE"]);
    assert.ok(p.grpcNotOk!.UNAVAILABLE <= result.grpc!.total.statuses.UNAVAILABLE);
  });

  it("bad input: one clear error before the run, nothing sent to the server", async () => {
    before_ = await peer.stats();
    const base = { url: peer.url, proto: [PROTO], requests: 5, workers: 1 };
    await assert.rejects(run({ ...base, call: "lunge.echo.Echo/Nope" }), (e: unknown) => {
      assert.ok(e instanceof RunOptionsError);
      assert.match(e.message, /unknown method "Nope" in service "lunge.echo.Echo"; methods: Say, Count/);
      return true;
    });
    await assert.rejects(
      run({ ...base, call: "lunge.echo.Echo/Say", data: '{"nmae":"x"}' }),
      (e: unknown) => {
        assert.ok(e instanceof RunOptionsError);
        assert.match(e.message, /does not fit message lunge.echo.SayRequest: unknown field "nmae"/);
        return true;
      },
    );
    await assert.rejects(
      run({ ...base, call: "lunge.echo.Echo/Say", data: '{"count":"many"}' }),
      RunOptionsError,
    );
    await assert.rejects(
      run({ ...base, call: "lunge.echo.Echo/Say", proto: ["tests/protocols/grpc/not_a.proto"] }),
      /cannot read --proto file/,
    );
    await assert.rejects(
      run({ ...base, call: "lunge.echo.Echo/Say", proto: ["deno.json"] }),
      (e: unknown) => {
        assert.ok(e instanceof RunOptionsError);
        assert.match(e.message, /deno.json does not parse/);
        return true;
      },
    );
    await assert.rejects(
      run({ ...base, call: "lunge.echo.Echo/Collect" }),
      /client streaming method: run it from a scenario/,
    );
    assert.equal((await delta()).calls, 0);
    await assert.rejects(
      run({ ...base, url: "grpc://127.0.0.1:1", call: "lunge.echo.Echo/Say" }),
      (e: unknown) => {
        assert.ok(e instanceof GrpcServerError);
        assert.match(e.message, /^grpc:\/\/127.0.0.1:1 cannot be reached: UNAVAILABLE: .*refused/i);
        return true;
      },
    );
  });

  it("a server that is not gRPC (HTTP/2 404 text/html) is named as such", async () => {
    const plain = await startGrpcPeer({ notGrpc: true });
    try {
      await assert.rejects(
        run({ url: plain.url, call: "lunge.echo.Echo/Say", proto: [PROTO], requests: 5, workers: 1 }),
        (e: unknown) => {
          assert.ok(e instanceof GrpcServerError);
          assert.match(e.message, /is not a gRPC server \(HTTP 404, content-type is not application\/grpc\)/);
          return true;
        },
      );
    } finally {
      await plain.stop();
    }
  });
});
