import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createTargetApp } from "../../src/target/app.ts";
import { parseJitter, sampleJitter } from "../../src/target/_jitter.ts";

const BASE = "http://target.test";

async function call(
  target: ReturnType<typeof createTargetApp>,
  path: string,
  init?: RequestInit,
): Promise<{ status: number; body: Uint8Array; headers: Headers }> {
  const res = await target.fetch(new Request(BASE + path, init));
  return { status: res.status, body: new Uint8Array(await res.arrayBuffer()), headers: res.headers };
}

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe("target app routes", () => {
  it("GET / answers ok and /health answers JSON", async () => {
    const target = createTargetApp();
    const root = await call(target, "/");
    assert.equal(root.status, 200);
    assert.equal(text(root.body), "ok");
    const health = await call(target, "/health");
    assert.equal(health.status, 200);
    assert.deepEqual(JSON.parse(text(health.body)), { status: "ok" });
    assert.match(health.headers.get("content-type") ?? "", /application\/json/);
  });

  it("/status/:code answers that status, and rejects codes outside 200-599", async () => {
    const target = createTargetApp();
    for (const code of [200, 201, 302, 404, 418, 500, 503, 599]) {
      const res = await call(target, `/status/${code}`);
      assert.equal(res.status, code);
      assert.equal(text(res.body), String(code));
    }
    const noContent = await call(target, "/status/204");
    assert.equal(noContent.status, 204);
    assert.equal(noContent.body.length, 0);
    for (const bad of ["100", "199", "600", "abc", "2000", "20"]) {
      const res = await call(target, `/status/${bad}`);
      assert.equal(res.status, 400, bad);
      assert.match(text(res.body), /"code" must be an integer from 200 to 599/);
    }
  });

  it("/bytes/:n answers exactly n bytes, up to the cap", async () => {
    const target = createTargetApp({ maxBytes: 200_000 });
    for (const n of [0, 1, 26, 1000, 65537, 200_000]) {
      const res = await call(target, `/bytes/${n}`);
      assert.equal(res.status, 200);
      assert.equal(res.body.length, n);
      if (n > 27) assert.equal(res.body[26], "a".charCodeAt(0));
    }
    assert.equal((await call(target, "/bytes/200001")).status, 400);
    assert.equal((await call(target, "/bytes/-1")).status, 400);
    assert.equal((await call(target, "/bytes/1.5")).status, 400);
  });

  it("POST /echo returns the request body and its content type", async () => {
    const target = createTargetApp();
    const payload = new Uint8Array([1, 2, 3, 250, 0, 7]);
    const res = await call(target, "/echo", {
      method: "POST",
      body: payload,
      headers: { "content-type": "application/x-test" },
    });
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, payload);
    assert.equal(res.headers.get("content-type"), "application/x-test");
    assert.equal((await call(target, "/echo")).status, 404); // GET is not routed
  });

  it("/delay/:ms waits at least ms and validates ms", async () => {
    const target = createTargetApp();
    const start = performance.now();
    const res = await call(target, "/delay/60");
    assert.equal(res.status, 200);
    assert.ok(performance.now() - start >= 55, "waited");
    assert.equal((await call(target, "/delay/-5")).status, 400);
    assert.equal((await call(target, "/delay/nope")).status, 400);
    assert.equal((await call(target, "/delay/60001")).status, 400);
  });

  it("/flaky fails with the given probability and status", async () => {
    const target = createTargetApp();
    assert.equal((await call(target, "/flaky?error_rate=0")).status, 200);
    assert.equal((await call(target, "/flaky?error_rate=1")).status, 503);
    assert.equal((await call(target, "/flaky?error_rate=1&status=502")).status, 502);
    assert.equal((await call(target, "/flaky?error_rate=2")).status, 400);
    assert.equal((await call(target, "/flaky?error_rate=1&status=404")).status, 400);
    let failures = 0;
    for (let i = 0; i < 2000; i++) {
      if ((await call(target, "/flaky?error_rate=0.25")).status === 503) failures++;
    }
    assert.ok(failures > 400 && failures < 600, `failures ${failures} of 2000 at 25%`);
    let defaults = 0;
    for (let i = 0; i < 2000; i++) if ((await call(target, "/flaky")).status === 503) defaults++;
    assert.ok(defaults > 120 && defaults < 290, `default 10%: ${defaults} of 2000`);
  });

  it("/jitter waits the drawn delay and returns it; bad parameters give 400", async () => {
    const target = createTargetApp();
    const start = performance.now();
    const res = await call(target, "/jitter?dist=uniform&min=20&max=30");
    const elapsed = performance.now() - start;
    assert.equal(res.status, 200);
    const drawn = Number(text(res.body));
    assert.ok(drawn >= 20 && drawn <= 30, `drawn ${drawn}`);
    assert.ok(elapsed >= drawn - 5, `elapsed ${elapsed} for ${drawn}`);
    assert.equal((await call(target, "/jitter?dist=weird")).status, 400);
    assert.equal((await call(target, "/jitter?mean=-1")).status, 400);
    assert.equal((await call(target, "/jitter?min=10&max=5")).status, 400);
  });

  it("unknown paths are 404 and counted as (not found)", async () => {
    const target = createTargetApp();
    assert.equal((await call(target, "/nowhere")).status, 404);
    assert.equal(target.groundTruth().byRoute["(not found)"], 1);
  });
});

describe("target ground truth", () => {
  it("counts exactly per route, per status and body bytes; control routes do not count", async () => {
    const target = createTargetApp();
    for (let i = 0; i < 37; i++) await call(target, "/");
    for (let i = 0; i < 5; i++) await call(target, "/status/503");
    for (let i = 0; i < 3; i++) await call(target, "/status/204");
    for (let i = 0; i < 4; i++) await call(target, "/bytes/1000");
    await call(target, "/echo", { method: "POST", body: "hello" });
    await call(target, "/health");
    await call(target, "/status/abc"); // 400
    await call(target, "/__lunge/stats");
    await call(target, "/__lunge/stall?ms=0", { method: "POST" });
    await call(target, "/__lunge/unknown");
    const stats = JSON.parse(text((await call(target, "/__lunge/stats")).body));
    assert.equal(stats.totalRequests, 37 + 5 + 3 + 4 + 1 + 1 + 1);
    assert.equal(stats.byRoute["/"], 37);
    assert.equal(stats.byRoute["/status/:code"], 9);
    assert.equal(stats.byRoute["/bytes/:n"], 4);
    assert.equal(stats.byRoute["/echo"], 1);
    assert.equal(stats.byRoute["/health"], 1);
    assert.equal(stats.byRoute["(not found)"], 0);
    assert.deepEqual(stats.byStatus, { "200": 37 + 4 + 1 + 1, "204": 3, "400": 1, "503": 5 });
    const badMessage = '"code" must be an integer from 200 to 599, got "abc"';
    const expectedBytes = 37 * 2 + 5 * 3 + 4 * 1000 + 5 + 15 + badMessage.length;
    assert.equal(stats.bodyBytesSent, expectedBytes);
    assert.equal(stats.openConnections, null); // no provider
    assert.ok(stats.memory.heapUsed > 0 && stats.memory.rss > 0);
  });

  it("HEAD requests count with zero body bytes", async () => {
    const target = createTargetApp();
    const res = await call(target, "/bytes/500", { method: "HEAD" });
    assert.equal(res.status, 200);
    assert.equal(res.body.length, 0);
    assert.equal(target.groundTruth().totalRequests, 1);
    assert.equal(target.groundTruth().bodyBytesSent, 0);
  });

  it("reset zeroes every counter", async () => {
    const target = createTargetApp();
    await call(target, "/");
    await call(target, "/status/500");
    const res = await call(target, "/__lunge/reset", { method: "POST" });
    assert.equal(res.status, 200);
    const truth = target.groundTruth();
    assert.equal(truth.totalRequests, 0);
    assert.equal(truth.bodyBytesSent, 0);
    assert.deepEqual(truth.byStatus, {});
    assert.ok(Object.values(truth.byRoute).every((n) => n === 0));
  });

  it("the stats route leaves out its own connection", async () => {
    let open = 3;
    const target = createTargetApp({ openConnections: () => open });
    assert.equal(JSON.parse(text((await call(target, "/__lunge/stats")).body)).openConnections, 2);
    assert.equal(target.groundTruth().openConnections, 3);
    open = 0;
    assert.equal(JSON.parse(text((await call(target, "/__lunge/stats")).body)).openConnections, 0);
  });

  it("rejects bad options with a RangeError", () => {
    assert.throws(() => createTargetApp({ maxBytes: -1 }), RangeError);
    assert.throws(() => createTargetApp({ maxBytes: Number.NaN }), /"maxBytes"/);
  });
});

describe("target stall", () => {
  it("requests arriving during a stall wait until it ends; control routes do not", async () => {
    const target = createTargetApp();
    const res = await call(target, "/__lunge/stall?ms=150", { method: "POST" });
    assert.equal(res.status, 200);
    const start = performance.now();
    const stats = await call(target, "/__lunge/stats");
    assert.equal(stats.status, 200);
    assert.ok(performance.now() - start < 100, "stats answered during the stall");
    const [a, b] = await Promise.all([call(target, "/"), call(target, "/status/201")]);
    const waited = performance.now() - start;
    assert.equal(a.status, 200);
    assert.equal(b.status, 201);
    assert.ok(waited >= 140, `waited ${waited}`);
    const after = performance.now();
    await call(target, "/");
    assert.ok(performance.now() - after < 50, "no stall after it ended");
    assert.equal(target.groundTruth().totalRequests, 3);
  });

  it("validates the stall length", async () => {
    const target = createTargetApp();
    assert.equal((await call(target, "/__lunge/stall", { method: "POST" })).status, 400);
    assert.equal((await call(target, "/__lunge/stall?ms=-1", { method: "POST" })).status, 400);
    assert.throws(() => target.stall(-1), RangeError);
  });
});

describe("jitter distributions", () => {
  const get = (query: string) => {
    const params = new URLSearchParams(query);
    return (name: string): string | undefined => params.get(name) ?? undefined;
  };
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  const std = (xs: number[]): number => {
    const m = mean(xs);
    return Math.sqrt(mean(xs.map((x) => (x - m) ** 2)));
  };
  const draw = (query: string, n = 20000): number[] => {
    const spec = parseJitter(get(query), 60_000);
    assert.ok(typeof spec !== "string", String(spec));
    return Array.from({ length: n }, () => sampleJitter(spec));
  };

  it("normal has the requested mean and standard deviation", () => {
    const xs = draw("dist=normal&mean=50&stddev=5");
    assert.ok(Math.abs(mean(xs) - 50) < 0.5, `mean ${mean(xs)}`);
    assert.ok(Math.abs(std(xs) - 5) < 0.3, `std ${std(xs)}`);
  });

  it("lognormal has the requested mean and standard deviation of the delay", () => {
    const xs = draw("dist=lognormal&mean=20&stddev=10", 50000);
    assert.ok(Math.abs(mean(xs) - 20) < 0.5, `mean ${mean(xs)}`);
    assert.ok(Math.abs(std(xs) - 10) < 1, `std ${std(xs)}`);
    assert.ok(xs.every((x) => x > 0));
  });

  it("exponential has the requested mean", () => {
    const xs = draw("dist=exponential&mean=8");
    assert.ok(Math.abs(mean(xs) - 8) < 0.4, `mean ${mean(xs)}`);
  });

  it("uniform stays in [min, max] and clamps apply to every distribution", () => {
    const xs = draw("dist=uniform&min=3&max=7");
    assert.ok(xs.every((x) => x >= 3 && x <= 7));
    assert.ok(Math.abs(mean(xs) - 5) < 0.1);
    const clamped = draw("dist=normal&mean=10&stddev=50&min=5&max=15");
    assert.ok(clamped.every((x) => x >= 5 && x <= 15));
  });

  it("defaults to a normal distribution around 10 ms", () => {
    const spec = parseJitter(get(""), 60_000);
    assert.deepEqual(spec, { dist: "normal", mean: 10, stddev: 2.5, min: 0, max: 60_000 });
  });
});
