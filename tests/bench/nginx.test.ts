import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { hasNginx, nginxConfig, startNginx } from "../../bench/_lib/nginx.ts";
import { processCpuNs, runMeasured, statFields } from "../../bench/_lib/process_cpu.ts";
import {
  measureSteadyWindow,
  nginxServed,
  processTree,
  STUB_STATUS_CONFIG,
} from "../../bench/_lib/peer_window.ts";
import { bottleneck, median } from "../../bench/_lib/peers.ts";
import { spawn } from "node:child_process";

describe("nginx for benches and tests", () => {
  it("is installed (apt-get install nginx)", () => {
    assert.ok(hasNginx(), "nginx is missing: apt-get install nginx");
  });

  it("serves on a free loopback port, logs every request, and stop removes its directory", async () => {
    const dir = mkdtempSync(join(tmpdir(), "lunge-nginx-test-"));
    const log = join(dir, "access.log");
    const nginx = await startNginx({
      accessLog: log,
      body: "hello\n",
      serverConfig: 'location = /teapot { return 418 "short and stout"; }',
    });
    try {
      assert.match(nginx.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      for (let i = 0; i < 20; i++) {
        const res = await fetch(`${nginx.url}/any/${i}`);
        assert.equal(res.status, 200);
        assert.equal(await res.text(), "hello\n");
      }
      const teapot = await fetch(`${nginx.url}/teapot`);
      assert.equal(teapot.status, 418);
      await teapot.text();
      assert.equal(await nginx.waitForAccessLogLines(21), 21);
    } finally {
      await nginx.stop();
      rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(existsSync(nginx.dir), false);
  });

  it("two at once get different ports", async () => {
    const [a, b] = await Promise.all([startNginx(), startNginx()]);
    try {
      assert.notEqual(a.port, b.port);
      assert.equal(await (await fetch(`${b.url}/`)).text(), "ok\n");
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it("writes access_log off unless a log is asked for", () => {
    assert.match(nginxConfig("/tmp/x", 8080, {}), /access_log off;/);
    assert.match(nginxConfig("/tmp/x", 8080, { accessLog: "/tmp/x/a.log" }), /access_log \/tmp\/x\/a\.log;/);
  });
});

describe("process CPU from /proc", () => {
  it("runMeasured reports the CPU a command tree used, and its exit code", async () => {
    const out = await runMeasured("/bin/sh", [
      "-c",
      "i=0; while [ $i -lt 100000 ]; do i=$((i+1)); done; echo done",
    ]);
    assert.equal(out.code, 0);
    assert.equal(out.stdout.trim(), "done");
    assert.ok(out.cpuS > 0 && out.cpuS <= out.wallS * 2 + 0.05, `cpu ${out.cpuS} s, wall ${out.wallS} s`);
    const failed = await runMeasured("/bin/sh", ["-c", "exit 3"]);
    assert.equal(failed.code, 3);
  });

  it("processCpuNs of this process grows with work; NaN for a process that is gone", () => {
    const before = processCpuNs(process.pid);
    let x = 0;
    for (let i = 0; i < 5e7; i++) x += i & 1;
    assert.ok(x > 0);
    assert.ok(processCpuNs(process.pid) > before, "CPU time grows");
    assert.ok(Number.isNaN(processCpuNs(2 ** 22 + 12345)));
  });

  it("reads stat fields after a command name with spaces", () => {
    assert.deepEqual(statFields("12 (a (b) c) S 1 2").slice(0, 3), ["S", "1", "2"]);
  });
});

describe("the peers' steady window", () => {
  it("median ignores NaN and averages the middle pair", () => {
    assert.equal(median([3, 1, NaN, 2]), 2);
    assert.equal(median([4, 1, 3, 2]), 2.5);
    assert.ok(Number.isNaN(median([NaN])));
  });

  it("names the bottleneck of a window from the client's and nginx's share of a core", () => {
    assert.equal(bottleneck({ clientCorePct: 99, serverCorePct: 99 }), "client-bound");
    assert.equal(bottleneck({ clientCorePct: 70, serverCorePct: 98 }), "nginx-bound");
    assert.match(bottleneck({ clientCorePct: 40, serverCorePct: 30 }), /machine busy/);
  });

  it("processTree lists a spawned child below this process", async () => {
    const child = spawn("sleep", ["5"]);
    try {
      await new Promise((resolve) => child.once("spawn", resolve));
      assert.ok(processTree(process.pid).includes(child.pid!), "the child is in the tree");
      assert.equal(processTree(process.pid)[0], process.pid);
    } finally {
      child.kill("SIGKILL");
    }
  });

  it("counts nginx's requests and a client's CPU between warm-up and end", async () => {
    assert.ok(existsSync("/usr/bin/wrk"), "wrk is missing: apt-get install wrk");
    const nginx = await startNginx({ serverConfig: STUB_STATUS_CONFIG });
    try {
      const before = await nginxServed(nginx.url);
      for (let i = 0; i < 5; i++) await (await fetch(`${nginx.url}/`)).text();
      // Each stub_status read is a request too.
      assert.equal(await nginxServed(nginx.url), before + 6);
      let root = 0;
      let exited = false;
      const run = runMeasured("wrk", ["-t1", "-c10", "-d3s", `${nginx.url}/`], {
        onSpawn: (pid) => (root = pid),
      }).finally(() => (exited = true));
      const window = await measureSteadyWindow({
        url: nginx.url,
        serverPid: nginx.pid,
        clientRoot: root,
        seconds: 3,
        warmS: 0.5,
        tailS: 0.5,
        exited: () => exited,
      });
      const out = await run;
      assert.equal(out.code, 0, out.stderr);
      assert.ok(typeof window !== "string", String(window));
      const total = Number(/(\d+) requests in/.exec(out.stdout)?.[1]);
      assert.ok(window.requests > 0 && window.requests < total, `${window.requests} of ${total}`);
      assert.ok(window.cpuS > 0 && window.cpuS < out.cpuS, `${window.cpuS} of ${out.cpuS} CPU-s`);
      assert.ok(window.wallS > 1 && window.wallS < 3, `window ${window.wallS} s`);
    } finally {
      await nginx.stop();
    }
  });
});
