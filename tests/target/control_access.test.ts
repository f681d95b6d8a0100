/**
 * The target's control routes and caps: loopback-only without a token, bearer
 * token when set, `/gc` at most once a second, `/stall` bounded, `/echo`
 * capped at 1 MiB, and `lunge serve` warning off loopback.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { createTargetApp } from "../../src/target/app.ts";
import { isLoopbackHost } from "../../src/target/control_access.ts";
import { MAX_STALL_MS, Stall } from "../../src/target/_stall.ts";
import { main } from "../../src/cli/main.ts";
import { fakeIo } from "../_helpers/cli_io.ts";

const get = (path: string, headers: Record<string, string> = {}): Request =>
  new Request(`http://t${path}`, { headers });
const post = (
  path: string,
  body?: Uint8Array<ArrayBuffer> | string,
  headers: Record<string, string> = {},
): Request => new Request(`http://t${path}`, { method: "POST", body, headers });

describe("target control routes", () => {
  it("loopback binds (and no bind given) serve them without a token", async () => {
    for (const bindHostname of [undefined, "127.0.0.1", "localhost", "::1"]) {
      const app = createTargetApp({ bindHostname });
      assert.equal((await app.fetch(get("/__lunge/stats"))).status, 200, String(bindHostname));
    }
    assert.ok(isLoopbackHost("127.3.2.1") && isLoopbackHost("[::1]"));
    assert.ok(!isLoopbackHost("0.0.0.0") && !isLoopbackHost("::") && !isLoopbackHost("10.0.0.1"));
  });

  it("a non-loopback bind refuses them (403) unless a token is set; the token is checked (401)", async () => {
    const open = createTargetApp({ bindHostname: "0.0.0.0" });
    for (
      const req of [
        get("/__lunge/stats"),
        post("/__lunge/reset"),
        post("/__lunge/stall?ms=10"),
        post("/__lunge/gc"),
      ]
    ) {
      const res = await open.fetch(req);
      assert.equal(res.status, 403, req.url);
      assert.match(await res.text(), /loopback binds only.*--control-token/);
    }
    assert.equal((await open.fetch(get("/"))).status, 200, "load routes still answer");

    const guarded = createTargetApp({ bindHostname: "0.0.0.0", controlToken: "s3cret-token" });
    assert.equal((await guarded.fetch(get("/__lunge/stats"))).status, 401);
    assert.equal(
      (await guarded.fetch(get("/__lunge/stats", { authorization: "Bearer wrong-token!" }))).status,
      401,
    );
    assert.equal(
      (await guarded.fetch(get("/__lunge/stats", { authorization: "Bearer s3cret-token" }))).status,
      200,
    );
    // With a token, loopback binds need it too.
    const local = createTargetApp({ bindHostname: "127.0.0.1", controlToken: "s3cret-token" });
    assert.equal((await local.fetch(get("/__lunge/stats"))).status, 401);
  });

  it("/__lunge/gc runs at most once a second (429 otherwise)", async () => {
    const app = createTargetApp();
    assert.equal((await app.fetch(post("/__lunge/gc"))).status, 200);
    const again = await app.fetch(post("/__lunge/gc"));
    assert.equal(again.status, 429);
    assert.equal(again.headers.get("retry-after"), "1");
  });

  it("/__lunge/stall refuses more than 60 s, and extensions never pass 60 s from the stall's start", async () => {
    const app = createTargetApp();
    assert.equal((await app.fetch(post(`/__lunge/stall?ms=${MAX_STALL_MS + 1}`))).status, 400);
    assert.throws(() => app.stall(MAX_STALL_MS + 1), RangeError);
    const stall = new Stall();
    stall.start(MAX_STALL_MS);
    for (let i = 0; i < 5; i++) stall.start(MAX_STALL_MS); // each would extend by up to 60 s
    assert.ok(stall.remainingMs <= MAX_STALL_MS, `${stall.remainingMs}`);
    stall.end();
    assert.equal(stall.remainingMs, 0);
  });

  it("POST /echo caps the body at 1 MiB (413 beyond), declared or streamed", async () => {
    const app = createTargetApp();
    const mib = new Uint8Array(1024 * 1024).fill(7);
    const ok = await app.fetch(post("/echo", mib));
    assert.equal(ok.status, 200);
    assert.equal((await ok.arrayBuffer()).byteLength, mib.length);
    const big = await app.fetch(post("/echo", new Uint8Array(mib.length + 1)));
    assert.equal(big.status, 413);
    // A streamed body without Content-Length is cut off at the cap too.
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent > 4 * mib.length) return controller.close();
        sent += 64 * 1024;
        controller.enqueue(new Uint8Array(64 * 1024));
      },
    });
    const streamed = await app.fetch(
      new Request("http://t/echo", { method: "POST", body: stream, duplex: "half" } as RequestInit),
    );
    assert.equal(streamed.status, 413);
    assert.ok(sent <= 2 * mib.length, `read ${sent} bytes before refusing`);
    assert.equal(app.groundTruth().byStatus["413"], 2);
  });
});

describe("lunge serve off loopback", () => {
  it("prints a warning and refuses control routes without a token", async () => {
    const f = fakeIo();
    const done = main(["serve", "--port", "0", "--host", "0.0.0.0"], f.io);
    const deadline = Date.now() + 5000;
    while (f.stdout() === "" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const port = f.stdout().trim().split(":").pop();
    try {
      assert.match(f.stderr(), /warning: listening on 0\.0\.0\.0, reachable from other machines/);
      const res = await fetch(`http://127.0.0.1:${port}/__lunge/stats`);
      assert.equal(res.status, 403);
      await res.text();
    } finally {
      f.interrupt();
      assert.equal(await done, 0);
    }
  });

  it("--control-token: control routes need the bearer token; no warning about them being off", async () => {
    const f = fakeIo();
    const done = main(["serve", "--port", "0", "--host", "0.0.0.0", "--control-token", "tok-12345678"], f.io);
    const deadline = Date.now() + 5000;
    while (f.stdout() === "" && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const port = f.stdout().trim().split(":").pop();
    try {
      assert.match(f.stderr(), /control routes \(\/__lunge\/\*\) need the bearer token/);
      const denied = await fetch(`http://127.0.0.1:${port}/__lunge/stats`);
      assert.equal(denied.status, 401);
      await denied.text();
      const ok = await fetch(`http://127.0.0.1:${port}/__lunge/stats`, {
        headers: { authorization: "Bearer tok-12345678" },
      });
      assert.equal(ok.status, 200);
      await ok.json();
    } finally {
      f.interrupt();
      assert.equal(await done, 0);
    }
  });
});
