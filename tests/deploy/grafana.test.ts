// deploy/grafana/lunge-fleet.json against a real Prometheus fed by three lunge segments (remote
// write): every query of every panel, and the run variable's, passes `promtool check rules`, runs
// with `promtool query instant` and through the HTTP API without error, and returns data; the
// fleet's request count is the sum of the segments' results.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { tempDir } from "../_helpers/chromium.ts";
import { promtool } from "../_helpers/statsd_promtool.ts";
import {
  prometheusTool,
  type RunningPrometheus,
  runWithRemoteWrite,
  startPrometheus,
} from "../_helpers/prometheus.ts";
import type { RunResult } from "../../src/result/run_result.ts";

const DASHBOARD = fileURLToPath(new URL("../../deploy/grafana/lunge-fleet.json", import.meta.url));
const RUN = "grafana-check";

interface Panel {
  title: string;
  targets: Array<{ expr: string }>;
}

/** The panel queries with Grafana's variables filled in as Grafana would for this run. */
function queries(): Array<{ panel: string; expr: string }> {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, "utf8")) as { panels: Panel[] };
  return dashboard.panels.flatMap((p) =>
    p.targets.map((t) => ({
      panel: p.title,
      expr: t.expr.replaceAll("$run", RUN).replaceAll("$__rate_interval", "10s"),
    }))
  );
}

describe("deploy/grafana against Prometheus", { timeout: 120_000 }, () => {
  let prom: RunningPrometheus | null = null;
  const dir = tempDir("lunge-grafana-");
  // Both tools are needed: the options of whichever is missing (promtool first), else Prometheus's.
  const both = promtool.path === null ? promtool.options() : prometheusTool.options();
  before(async () => {
    if (prometheusTool.path !== null) prom = await startPrometheus();
  });
  after(async () => {
    await prom?.stop();
    dir.remove();
  });

  it("every query is valid PromQL (promtool check rules)", both, () => {
    const rules = join(dir.path, "rules.yml");
    const lines = ["groups:", "  - name: lunge-fleet", "    rules:"];
    queries().forEach((q, i) =>
      lines.push(`      - record: lunge:dashboard_query_${i}`, `        expr: ${JSON.stringify(q.expr)}`)
    );
    writeFileSync(rules, lines.join("\n") + "\n");
    const check = spawnSync(promtool.require(), ["check", "rules", rules], { encoding: "utf8" });
    assert.equal(check.status, 0, `${check.stdout}${check.stderr}`);
    assert.match(check.stdout, new RegExp(`SUCCESS: ${queries().length} rules found`));
  });

  it("after three segments wrote together, every panel query returns data", both, async () => {
    if (prom === null) prometheusTool.require();
    const files = [0, 1, 2].map((i) => join(dir.path, `seg-${i}.json`));
    const runs = await Promise.all([0, 1, 2].map((i) =>
      runWithRemoteWrite(prom!.writeUrl, {
        target: "builtin:/flaky?error_rate=0.2&status=503",
        rate: 150,
        seconds: 4,
        json: files[i],
        extra: ["--segment", `${i}/3`, "-q"],
        runId: RUN,
      })
    ));
    for (const r of runs) assert.equal(r.code, 0, r.stderr);
    const results = files.map((f) => JSON.parse(readFileSync(f, "utf8")) as RunResult);
    const want = results.reduce((n, r) => n + r.snapshot.totalRequests, 0);
    // Evaluate at the last sample, as a dashboard looking at the run's end would.
    let at = 0;
    for (let i = 0; i < 50; i++) {
      const [last] = await prom!.query(`timestamp(max(lunge_requests_total{run="${RUN}"}))`);
      const [sum] = await prom!.query(`sum(lunge_requests_total{run="${RUN}"})`);
      if (last !== undefined && sum?.value === want) {
        at = last.value;
        break;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(at > 0, "the segments' samples arrived");

    const variable = await (await fetch(`${prom!.base}/api/v1/label/run/values?match[]=lunge_requests_total`))
      .json();
    assert.ok(variable.data.includes(RUN), "the run variable lists the run");
    for (const { panel, expr } of queries()) {
      const answer = await prom!.queryRaw(expr, at);
      assert.equal(answer.status, "success", `${panel}: ${expr}: ${answer.error}`);
      assert.ok((answer.data?.result.length ?? 0) > 0, `${panel}: ${expr} returned no data`);
      const cli = spawnSync(promtool.require(), ["query", "instant", `--time=${at}`, prom!.base, expr], {
        encoding: "utf8",
        timeout: 10_000,
      });
      assert.equal(cli.status, 0, `${panel}: promtool: ${cli.stderr}`);
      assert.ok(cli.stdout.trim().length > 0, `${panel}: promtool printed nothing for ${expr}`);
    }
    const [fleet] = await prom!.query(queries().find((q) => q.panel === "Requests (fleet)")!.expr, at);
    assert.equal(fleet.value, want);
    const [segments] = await prom!.query(queries().find((q) => q.panel === "Segments reporting")!.expr, at);
    assert.equal(segments.value, 3);
  });
});
