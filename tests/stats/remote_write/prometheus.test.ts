// `lunge run --out prometheus=URL` against a real Prometheus (remote-write receiver on): the request
// count arrives exactly, histogram_quantile's p99 lies in the classic bucket that holds lunge's own,
// three segments written together sum to the merged result, and a Prometheus that is down or never
// answers neither slows the run nor loses count of what was dropped.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { join } from "node:path";
import { runCli } from "../../_helpers/cli_spawn.ts";
import { tempDir } from "../../_helpers/chromium.ts";
import { freePort } from "../../_helpers/free_port.ts";
import {
  prometheusTool,
  type RunningPrometheus,
  runWithRemoteWrite,
  startPrometheus,
} from "../../_helpers/prometheus.ts";
import { LE_SECONDS } from "../../../src/stats/remote_write/classic_buckets.ts";
import type { RunResult } from "../../../src/result/run_result.ts";

function read(path: string): RunResult {
  return JSON.parse(readFileSync(path, "utf8")) as RunResult;
}

/** The classic bucket [lower, upper] (seconds) that holds `seconds`. */
function bucketOf(seconds: number): [number, number] {
  const i = LE_SECONDS.findIndex((le) => seconds <= le);
  return [i <= 0 ? 0 : LE_SECONDS[i - 1], i < 0 ? Infinity : LE_SECONDS[i]];
}

/** Remote-written samples become queryable once Prometheus has appended them: poll briefly. */
async function settled(prom: RunningPrometheus, expr: string, want: number): Promise<number> {
  let value = NaN;
  for (let i = 0; i < 50; i++) {
    const result = await prom.query(expr);
    value = result.length === 0 ? NaN : result[0].value;
    if (value === want) return value;
    await new Promise((r) => setTimeout(r, 100));
  }
  return value;
}

describe("remote write to a real Prometheus", { timeout: 120_000 }, () => {
  let prom: RunningPrometheus | null = null;
  const dir = tempDir("lunge-rw-");
  before(async () => {
    if (prometheusTool.path !== null) prom = await startPrometheus();
  });
  after(async () => {
    await prom?.stop();
    dir.remove();
  });

  it("a run's request count exactly, and p99 within lunge's bucket", prometheusTool.options(), async () => {
    if (prom === null) prometheusTool.require();
    const json = join(dir.path, "one.json");
    const run = await runWithRemoteWrite(prom!.writeUrl, { json, runId: "single" });
    assert.equal(run.code, 0, run.stderr);
    const result = read(json);
    assert.ok(result.snapshot.totalRequests > 800);
    assert.match(
      run.stderr,
      /prometheus http:\/\/127\.0\.0\.1:\d+\/api\/v1\/write: [\d,]+ samples sent in \d+ batches, 0 dropped/,
    );
    const total = await settled(
      prom!,
      'lunge_requests_total{run="single",segment="0/1"}',
      result.snapshot.totalRequests,
    );
    assert.equal(total, result.snapshot.totalRequests);
    // Every send the pacer counted arrives; the run drained, so each one completed.
    assert.equal(result.snapshot.sent, result.snapshot.totalRequests);
    const sent = await settled(
      prom!,
      'lunge_requests_sent_total{run="single",segment="0/1"}',
      result.snapshot.sent!,
    );
    assert.equal(sent, result.snapshot.sent);
    const count = await prom!.query('lunge_latency_seconds_count{run="single"}');
    assert.equal(count[0].value, result.snapshot.latency.count);
    const [p99] = await prom!.query(
      'histogram_quantile(0.99, sum by (le) (lunge_latency_seconds_bucket{run="single"}))',
    );
    const [lower, upper] = bucketOf(p99.value);
    const own = result.snapshot.latency.p99 / 1000;
    assert.ok(
      own >= lower && own <= upper,
      `lunge p99 ${own}s outside Prometheus's bucket [${lower}, ${upper}] (${p99.value})`,
    );
    const [svc] = await prom!.query('lunge_service_time_seconds_count{run="single"}');
    assert.equal(svc.value, result.snapshot.serviceTime?.count);
    const [ok] = await prom!.query('lunge_responses_total{run="single",status="200"}');
    assert.equal(ok.value, result.snapshot.statusCounts["200"]);
  });

  it("a request set: a series per name, summing to the run", prometheusTool.options(), async () => {
    if (prom === null) prometheusTool.require();
    const json = join(dir.path, "names.json");
    const run = await runWithRemoteWrite(prom!.writeUrl, {
      json,
      rate: 200,
      seconds: 2,
      extra: ["--targets", "examples/targets.http", "-q"],
      runId: "names",
    });
    assert.equal(run.code, 0, run.stderr);
    const result = read(json);
    const total = await settled(
      prom!,
      'sum(lunge_name_requests_total{run="names"})',
      result.snapshot.totalRequests,
    );
    assert.equal(total, result.snapshot.totalRequests);
    const byName = await prom!.query('lunge_name_requests_total{run="names"}');
    const want = Object.fromEntries(result.names.map((n) => [n.name, n.count]));
    assert.ok(byName.length >= 2, JSON.stringify(byName));
    for (const s of byName) assert.equal(s.value, want[s.metric.name], s.metric.name);
  });

  it("three segments written together sum to the merged result", prometheusTool.options(), async () => {
    if (prom === null) prometheusTool.require();
    const files = [0, 1, 2].map((i) => join(dir.path, `seg-${i}.json`));
    const runs = await Promise.all(
      [0, 1, 2].map((i) =>
        runWithRemoteWrite(prom!.writeUrl, {
          json: files[i],
          extra: ["--segment", `${i}/3`, "-q"],
          runId: "fleet",
        })
      ),
    );
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    const merged = join(dir.path, "merged.json");
    const merge = await runCli(["merge", ...files, "--json", merged], { timeoutMs: 30_000 });
    assert.equal(merge.code, 0, merge.stderr);
    const want = read(merged).snapshot;
    const total = await settled(prom!, 'sum(lunge_requests_total{run="fleet"})', want.totalRequests);
    assert.equal(total, want.totalRequests);
    assert.equal(want.sent, want.totalRequests, "merge sums the segments' sends");
    assert.equal(await settled(prom!, 'sum(lunge_requests_sent_total{run="fleet"})', want.sent!), want.sent);
    const segments = await prom!.query('count by (segment) (lunge_requests_total{run="fleet"})');
    assert.deepEqual(segments.map((s) => s.metric.segment).sort(), ["0/3", "1/3", "2/3"]);
    const [count] = await prom!.query('sum(lunge_latency_seconds_count{run="fleet"})');
    assert.equal(count.value, want.latency.count);
    const [p99] = await prom!.query(
      'histogram_quantile(0.99, sum by (le) (lunge_latency_seconds_bucket{run="fleet"}))',
    );
    const [lower, upper] = bucketOf(p99.value);
    const own = want.latency.p99 / 1000;
    assert.ok(own >= lower && own <= upper, `merged p99 ${own}s outside [${lower}, ${upper}]`);
  });
});

describe("remote write to a Prometheus that is down or slow", { timeout: 60_000 }, () => {
  let slow: Server | null = null;
  let slowUrl = "";
  before(async () => {
    // Reads the request and never answers: every send times out.
    slow = createServer(() => {});
    await new Promise<void>((resolve) => slow!.listen(0, "127.0.0.1", resolve));
    slowUrl = `http://127.0.0.1:${(slow.address() as { port: number }).port}/api/v1/write`;
  });
  after(() => {
    slow?.closeAllConnections();
    slow?.close();
  });

  for (const which of ["down", "slow"] as const) {
    it(`${which}: the run keeps its rate and ends on time, and reports what it dropped`, async () => {
      const url = which === "down" ? `http://127.0.0.1:${await freePort()}/api/v1/write` : slowUrl;
      const dir = tempDir("lunge-rw-down-");
      try {
        const json = join(dir.path, "r.json");
        const started = Date.now();
        const run = await runWithRemoteWrite(url, { json, timeoutMs: 40_000 });
        const tookMs = Date.now() - started;
        assert.equal(run.code, 0, run.stderr);
        const result = read(json);
        assert.equal(result.snapshot.missedSends, 0);
        assert.ok(result.snapshot.totalRequests >= 891, `${result.snapshot.totalRequests} of 900 planned`);
        // The run's own time (3 s) + start-up + at most the 2 s final flush: never the 5 s send timeout per batch.
        assert.ok(tookMs < 25_000, `took ${tookMs} ms`);
        const line =
          /prometheus \S+: ([\d,]+) samples sent in (\d+) batches, ([\d,]+) dropped in (\d+) batches, (\d+) failed sends/
            .exec(run.stderr);
        assert.ok(line !== null, run.stderr);
        assert.equal(line[1], "0");
        assert.ok(Number(line[3].replaceAll(",", "")) > 0);
        assert.ok(Number(line[4]) >= 3, `dropped batches ${line[4]}`);
      } finally {
        dir.remove();
      }
    });
  }
});
