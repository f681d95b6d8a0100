import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { NamedLanes, NamedLaneWriter } from "../../src/collector/named_lanes.ts";
import {
  COMPACT_BUCKETS,
  compactBucketIndex,
  compactBucketMidpointNs,
  compactPercentiles,
} from "../../src/shared/compact_histogram.ts";
import { parseTargets, TargetsFileError } from "../../src/request_sets/parse_targets.ts";
import { RequestSetSource } from "../../src/request_sets/request_source.ts";
import { globalSeq } from "../../src/request_sets/_sequence.ts";
import { compileTemplate, fillTemplate } from "../../src/request_sets/_template.ts";
import { parseAnyThreshold } from "../../src/thresholds/named_thresholds.ts";
import type { HttpConnection } from "../../src/http/types.ts";

const files: Record<string, string> = {
  "/d/users.csv": 'name,pass\nann,1\n"b,ob",2\ncyd,3\n',
  "/d/body.json": '{"id": {{seq}}}',
};
const read = (path: string): string | null => files[path] ?? null;

describe("compact histogram", () => {
  it("every bucket midpoint is within 0.8% of the values it stands for, from 10 µs to 200 s", () => {
    for (let ns = 10_000; ns < 200e9; ns *= 1.0137) {
      const mid = compactBucketMidpointNs(compactBucketIndex(ns));
      assert.ok(Math.abs(mid - ns) / ns < 0.008, `${ns} -> ${mid}`);
    }
    assert.equal(compactBucketIndex(1e15), COMPACT_BUCKETS - 1);
    assert.equal(compactBucketIndex(-5), 0);
  });

  it("percentiles by nearest rank", () => {
    const counts = new Float64Array(COMPACT_BUCKETS);
    for (let i = 1; i <= 100; i++) counts[compactBucketIndex(i * 1e6)]++;
    const [p50, p99] = compactPercentiles(counts, [50, 99]);
    assert.ok(Math.abs(p50 - 50e6) / 50e6 < 0.01);
    assert.ok(Math.abs(p99 - 99e6) / 99e6 < 0.01);
  });
});

describe("named lanes", () => {
  it("records per name from several writers, exact counts, errors by status and kind", () => {
    const lanes = NamedLanes.create({ names: ["a", "b"], lanes: 2 });
    const w1 = NamedLaneWriter.attach(lanes.handle());
    const w2 = NamedLaneWriter.attach(lanes.handle());
    for (let i = 0; i < 1000; i++) {
      w1.record(w1.resolve("a"), 200, 1_000_000 + i, 0);
      w2.record(w2.resolve("b"), i % 10 === 0 ? 503 : 200, 2_000_000, 0);
    }
    w2.record(w2.resolve("b"), 0, 5_000_000, 1);
    const [a, b] = lanes.stats();
    assert.equal(a.name, "a");
    assert.equal(a.count, 1000);
    assert.equal(a.errors, 0);
    assert.equal(b.count, 1001);
    assert.deepEqual(b.errorsByStatus, { "503": 100 });
    assert.deepEqual(b.errorsByKind, { timeout: 1 });
    assert.equal(b.errors, 101);
    assert.equal(b.latency.max, 5);
    assert.ok(Math.abs(a.latency.p50 - 1.0005) < 0.01);
  });

  it("registers names on first use, shares them across writers, overflows into other", () => {
    const lanes = NamedLanes.create({ capacity: 2, checks: 1, lanes: 2 });
    const w1 = NamedLaneWriter.attach(lanes.handle());
    const w2 = NamedLaneWriter.attach(lanes.handle());
    assert.equal(w1.resolve("x"), 0);
    assert.equal(w2.resolve("y"), 1);
    assert.equal(w2.resolve("x"), 0);
    const other = w1.resolve("z");
    assert.equal(other, 2);
    w1.record(other, 200, 1000, 0);
    w1.record(w1.resolve("x"), 200, 1000, 0);
    w1.recordCheck(w1.resolveCheck("ok"), true);
    w2.recordCheck(w2.resolveCheck("ok"), false);
    w2.recordCheck(w2.resolveCheck("second"), false);
    assert.deepEqual(lanes.stats().map((s) => [s.name, s.count]), [["x", 1], ["y", 0], ["other", 1]]);
    assert.equal(lanes.overflowed, 1);
    assert.deepEqual(lanes.checks(), [{ name: "ok", passes: 1, fails: 1 }, {
      name: "other",
      passes: 0,
      fails: 1,
    }]);
  });

  it("counts stay exact across 32-bit wrap-around of a lane word (polled)", () => {
    const lanes = NamedLanes.create({ names: ["a"], lanes: 1 });
    const w = NamedLaneWriter.attach(lanes.handle());
    const words = new Uint32Array(lanes.handle().buffer);
    // Find the count word of slot 0 in lane 0 by recording once.
    w.record(0, 200, 1000, 0);
    lanes.poll();
    const index = words.findIndex((v, i) => i > 16 && v === 1);
    words[index] = 2 ** 32 - 1; // as if 2^32 - 2 more had been recorded
    lanes.poll();
    w.record(0, 200, 1000, 0); // wraps to 0
    assert.equal(lanes.stats()[0].count, 2 ** 32);
  });
});

describe("request-set files", () => {
  it("reads vegeta's http format with headers, @body files and comments", () => {
    const set = parseTargets(
      "/d/t.http",
      "# comment\nGET http://h:1/a?x=1\nAccept: text/plain\n\nPOST /b\nContent-Type: application/json\n@body.json\n",
      read,
    );
    assert.equal(set.targets.length, 2);
    assert.deepEqual(set.targets[0], {
      method: "GET",
      url: "http://h:1/a?x=1",
      headers: { Accept: "text/plain" },
      name: "GET /a",
      weight: 1,
    });
    assert.equal(set.targets[1].body, '{"id": {{seq}}}');
    assert.equal(set.targets[1].name, "POST /b");
  });

  it("reads JSON lines with names, weights, object bodies and CSV columns", () => {
    const set = parseTargets(
      "/d/t.jsonl",
      '{"url": "/u/{{csv:users.csv:name}}", "name": "user", "weight": 3}\n\n{"method": "post", "url": "/p", "body": {"a": 1}}\n',
      read,
    );
    assert.equal(set.weighted, true);
    assert.equal(set.targets[0].name, "user");
    assert.equal(set.targets[1].method, "post"); // as written: methods are case-sensitive
    assert.equal(set.targets[1].body, '{"a":1}');
    assert.deepEqual(set.csv["users.csv:name"], ["ann", "b,ob", "cyd"]);
  });

  const bad: Array<[string, string, RegExp]> = [
    ["/d/t.http", "GET http://h/\nnot a header\n", /^Cannot start run: \/d\/t\.http:2: expected a header/],
    ["/d/t.http", "GET\n", /\/d\/t\.http:1: expected "METHOD URL"/],
    ["/d/t.http", "\n\nGET ftp://h/\n", /\/d\/t\.http:3: invalid URL/],
    ["/d/t.http", "POST http://h/\n@missing.json\n", /\/d\/t\.http:2: cannot read body file "missing.json"/],
    ["/d/t.jsonl", '{"url": "http://h/"}\n{"url": 5}\n', /\/d\/t\.jsonl:2: "url" must be a string/],
    ["/d/t.jsonl", '{"url": "http://h/"\n', /\/d\/t\.jsonl:1: not valid JSON/],
    ["/d/t.jsonl", '{"url": "http://h/{{nope}}"}\n', /\/d\/t\.jsonl:1: unknown placeholder \{\{nope\}\}/],
    ["/d/t.jsonl", '{"url": "http://h/", "weight": 0}\n', /:1: "weight" must be a number > 0/],
    [
      "/d/t.jsonl",
      '{"url": "http://h/{{csv:users.csv:zip}}"}\n',
      /:1: CSV file ".*users.csv" has no column "zip"/,
    ],
    ["/d/t.http", "# only comments\n", /no targets/],
  ];
  for (const [file, text, pattern] of bad) {
    it(`rejects ${JSON.stringify(text.slice(0, 40))} naming file:line`, () => {
      assert.throws(
        () => parseTargets(file, text, read),
        (e: unknown) => e instanceof TargetsFileError && pattern.test(e.message),
      );
    });
  }
});

describe("templates and selection", () => {
  it("fills seq, worker, rand, uuid and csv placeholders", () => {
    const t = compileTemplate("{{seq}}/{{worker}}/{{rand:5-6}}/{{uuid}}/{{csv:f:c}}");
    const out = fillTemplate(t, { seq: 4, worker: 1, csv: { "f:c": ["a", "b", "c"] } }).split("/");
    assert.equal(out[0], "4");
    assert.equal(out[1], "1");
    assert.ok(out[2] === "5" || out[2] === "6");
    assert.match(out[3], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(out[4], "b"); // rows in order, wrapping: seq 4 of 3 rows
  });

  it("the global sequence is disjoint across workers and segments", () => {
    const seen = new Set<number>();
    for (let segment = 0; segment < 3; segment++) {
      for (let worker = 0; worker < 4; worker++) {
        for (let local = 0; local < 500; local++) {
          seen.add(globalSeq(local, { worker, workers: 4, segment, segments: 3 }));
        }
      }
    }
    assert.equal(seen.size, 3 * 4 * 500);
    assert.equal(Math.max(...seen), 3 * 4 * 500 - 1); // dense
  });

  // Round-robin walks a fixed low-discrepancy sequence: within 1% of each weight. Random draws
  // from Math.random: its share of a target is off by a standard error of sqrt(w(1-w)/n), 0.0013
  // at w = 0.2, so the old bound of 1% + 0.002 was about 3 of them and failed about once in 300
  // runs. 5 standard errors fails once in millions and still catches a wrong weighting: a weight
  // 10% off is 10 or more of them away.
  const bound = (order: string, w: number, n: number): number =>
    order === "random" ? 5 * Math.sqrt((w * (1 - w)) / n) : 0.01 * w + 0.002;
  for (const order of ["round-robin", "random"] as const) {
    it(`weighted ${order} selection matches the weights over 100,000 requests`, () => {
      const set = parseTargets(
        "t.jsonl",
        [
          '{"url":"http://127.0.0.1:9/a","weight":1}',
          '{"url":"http://127.0.0.1:9/b","weight":2}',
          '{"url":"http://127.0.0.1:9/c","weight":7}',
        ]
          .join("\n"),
        read,
      );
      const source = new RequestSetSource(set, {
        order,
        transport: "auto",
        place: { worker: 0, workers: 1 },
      });
      const conn: HttpConnection = source.createConnection(0, () => {});
      const counts = [0, 0, 0];
      const n = 100_000;
      for (let i = 0; i < n; i++) counts[source.next(0, conn)]++;
      conn.close();
      [0.1, 0.2, 0.7].forEach((w, i) =>
        assert.ok(Math.abs(counts[i] / n - w) < bound(order, w, n), `${counts}`)
      );
    });
  }

  it("per-name thresholds parse beside the run-wide ones", () => {
    assert.equal(parseAnyThreshold("login.p99<200ms").metric, "step:login:p99");
    assert.equal(parseAnyThreshold("login.p99<200ms").value, 200);
    assert.equal(parseAnyThreshold("GET /me.errors<1%").metric, "step:GET /me:errors");
    assert.equal(parseAnyThreshold("checks>99%").metric, "checks");
    assert.equal(parseAnyThreshold("iteration_p99<1s").value, 1000);
    assert.equal(parseAnyThreshold("p99<5ms").metric, "p99");
    assert.throws(() => parseAnyThreshold("login.p98<1ms"), /per-name thresholds/);
    assert.throws(() => parseAnyThreshold("checks>99"), /needs %/);
  });
});
