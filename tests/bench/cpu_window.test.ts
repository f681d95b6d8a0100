import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { childCpuInWindow } from "../../bench/_lib/child_cpu_window.ts";
import { nativeFloorCpu } from "../../bench/_lib/native_floor.ts";
import { startNginx } from "../../bench/_lib/nginx.ts";
import { FLOOR_MEASURE_ENV, runtimeFloorCpu } from "../../bench/_lib/runtime_floor.ts";

describe("bench: a child's CPU over a window after its start-up", () => {
  it("reads the CPU a child spent inside the window, as the child itself counts it, and none for a sleeping one", async () => {
    // The child sleeps through its start-up, spins until its own CPU clock has advanced 300 ms, says how much
    // it spun, and sleeps past the window's end. The spin falls inside the window (0.3 s to 3.3 s) however busy
    // the machine is (on a core it gets a fifth of, it takes 1.5 s), so the reading is CPU time, not a share of
    // a core, and it does not depend on the load.
    const spin = [
      "const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };",
      "setTimeout(() => {",
      "  const from = cpu();",
      "  while (cpu() - from < 300);",
      "  console.error(`spun ${(cpu() - from).toFixed(1)} ms`);",
      "  setTimeout(() => {}, 3400);",
      "}, 600);",
    ].join("\n");
    const seconds = 3;
    const busy = await childCpuInWindow({ argv: ["node", "-e", spin], settleMs: 300, seconds });
    assert.equal(busy.code, 0);
    const spun = Number(/spun ([\d.]+) ms/.exec(busy.stderrTail)?.[1]);
    assert.ok(spun >= 300, busy.stderrTail);
    const readMs = busy.cpuPct * seconds * 10;
    // Above it: the child's timers and, on a slow start, the end of its start-up.
    assert.ok(
      readMs >= spun * 0.95 && readMs < spun + 150,
      `read ${readMs} ms of CPU; the child spun ${spun} ms`,
    );
    const idle = await childCpuInWindow({ argv: ["sleep", "2"], settleMs: 300, seconds: 1 });
    assert.equal(idle.code, 0);
    assert.ok(
      idle.cpuPct >= 0 && idle.cpuPct * 10 < 50,
      `sleeping child: ${idle.cpuPct * 10} ms of CPU in 1 s`,
    );
  });

  it("reports a failing child's exit code and the end of its stderr", async () => {
    const argv = ["sh", "-c", "echo one >&2; echo two >&2; exit 3"];
    const w = await childCpuInWindow({ argv, settleMs: 100, seconds: 0.2 });
    assert.equal(w.code, 3);
    assert.equal(w.stderrTail, "one | two");
  });
});

describe("bench: the native floor (a C client, evenly paced)", () => {
  it("has a C compiler to build it (apt-get install gcc)", () => {
    assert.equal(spawnSync("cc", ["--version"]).status, 0, "cc is missing: apt-get install gcc");
  });

  it("sends one request per arrival, as nginx's access log counts, at a CPU share below a core", async () => {
    const nginx = await startNginx({ accessLog: true });
    try {
      // 200 req/s for settle (0.3 s) + window (1 s) + 1 s, rounded up: 3 s, 600 arrivals.
      const cpu = await nativeFloorCpu({ url: nginx.url, rate: 200, seconds: 1, settleMs: 300 });
      assert.ok(Number.isFinite(cpu) && cpu >= 0 && cpu < 100, `native floor: ${cpu}% of a core`);
      // The last arrival is due 5 ms before the end: a client descheduled past the end skips it.
      const lines = await nginx.waitForAccessLogLines(600, 3000);
      assert.ok(lines >= 594 && lines <= 600, `${lines} requests in nginx's log; ${nginx.errorLog()}`);
    } finally {
      await nginx.stop();
    }
  });

  it("is NaN when the client cannot connect", async () => {
    // Port 9 on loopback (discard) is closed on these machines: the client exits 1 at once.
    const cpu = await nativeFloorCpu({ url: "http://127.0.0.1:9", rate: 10, seconds: 0.2, settleMs: 50 });
    assert.ok(Number.isNaN(cpu));
  });
});

describe("bench: the runtime floor (a JavaScript client with nothing but timers and a socket)", () => {
  it("sends every arrival of its schedule, however late its timers fire, as nginx's access log counts", async () => {
    const nginx = await startNginx({ accessLog: true });
    try {
      // 1000 req/s for settle (0.3 s) + window (1 s) + 1 s, rounded up: 3 s, 3000 arrivals. Deno's 1 ms
      // timers fire about every 2 ms: a client sending one request per timer sent about half of them.
      const floor = await runtimeFloorCpu({ url: nginx.url, rate: 1000, seconds: 1, settleMs: 300 });
      assert.equal(floor.error, "");
      assert.equal(floor.planned, 3000);
      assert.equal(floor.sent, 3000);
      assert.ok(
        Number.isFinite(floor.cpuPct) && floor.cpuPct >= 0,
        `runtime floor: ${floor.cpuPct}% of a core`,
      );
      // One more before the schedule: the request that tells the client the response's length.
      const lines = await nginx.waitForAccessLogLines(3001, 3000);
      assert.equal(lines, 3001, nginx.errorLog());
    } finally {
      await nginx.stop();
    }
  });

  it("keeps sending when the server closes its idle connections, every arrival counted by nginx", async () => {
    // nginx closes a connection that has not sent a request within client_header_timeout: the client's
    // spare connections (it opens four; one request a second uses one) close 1 s in. A run measured
    // past 60 s met this with nginx's default, and the client exited.
    const nginx = await startNginx({ accessLog: true, serverConfig: "client_header_timeout 1s;" });
    try {
      // 2 req/s for settle (0.3 s) + window (2 s) + 1 s, rounded up: 4 s, 8 arrivals.
      const floor = await runtimeFloorCpu({ url: nginx.url, rate: 2, seconds: 2, settleMs: 300 });
      assert.equal(floor.error, "");
      assert.equal(floor.sent, 8);
      const lines = await nginx.waitForAccessLogLines(9, 3000);
      assert.equal(lines, 9, nginx.errorLog());
    } finally {
      await nginx.stop();
    }
  });

  it("parses, times and records every response with LUNGE_FLOOR_MEASURE=1, as nginx's access log counts", async () => {
    const nginx = await startNginx({ accessLog: true });
    try {
      // 200 req/s for settle (0.3 s) + window (1 s) + 1 s, rounded up: 3 s, 600 arrivals.
      const floor = await runtimeFloorCpu({
        url: nginx.url,
        rate: 200,
        seconds: 1,
        settleMs: 300,
        env: { [FLOOR_MEASURE_ENV]: "1" },
      });
      assert.equal(floor.error, "");
      assert.equal(floor.sent, 600);
      assert.equal(floor.recorded, 600);
      const lines = await nginx.waitForAccessLogLines(601, 3000);
      assert.equal(lines, 601, nginx.errorLog());
    } finally {
      await nginx.stop();
    }
  });

  it("records nothing without LUNGE_FLOOR_MEASURE", async () => {
    const nginx = await startNginx();
    try {
      const floor = await runtimeFloorCpu({ url: nginx.url, rate: 50, seconds: 0.2, settleMs: 50 });
      assert.equal(floor.error, "");
      assert.equal(floor.recorded, null);
    } finally {
      await nginx.stop();
    }
  });

  it("is NaN with the reason when the client cannot connect", async () => {
    const floor = await runtimeFloorCpu({ url: "http://127.0.0.1:9", rate: 10, seconds: 0.2, settleMs: 50 });
    assert.ok(Number.isNaN(floor.cpuPct));
    assert.match(floor.error, /floor client/);
  });
});
