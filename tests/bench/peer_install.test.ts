/**
 * Bench peers installed on demand (`bench/_lib/peer_install.ts`): a pinned
 * package lands in the cache folder once and is found there afterwards; a
 * cache folder that cannot be made gives one line saying why, and the
 * figures table prints "not measured: <why>" for such a row.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import process from "node:process";
import { ensurePeer, peersDirectory } from "../../bench/_lib/peer_install.ts";
import { Figures } from "../../bench/_lib/figures.ts";

describe("bench peers on demand", () => {
  const base = mkdtempSync(join(tmpdir(), "lunge-peers-"));
  const saved = process.env.LUNGE_PEERS_DIR;
  after(() => {
    if (saved === undefined) delete process.env.LUNGE_PEERS_DIR;
    else process.env.LUNGE_PEERS_DIR = saved;
    rmSync(base, { recursive: true, force: true });
  });

  it("installs a pinned package into the cache once, then finds it there", { timeout: 120_000 }, async () => {
    process.env.LUNGE_PEERS_DIR = join(base, "cache");
    assert.equal(peersDirectory(), join(base, "cache"));
    // hono is small and already in npm's cache (a project dependency), so this works offline too.
    const peer = { name: "hono", version: "4.13.19", bin: "package.json" };
    const first = await ensurePeer(peer, 100_000);
    assert.equal(first.reason, undefined, first.reason);
    assert.equal(first.path, join(base, "cache", "hono@4.13.19", "node_modules", "hono", "package.json"));
    assert.equal(JSON.parse(readFileSync(first.path!, "utf8")).version, "4.13.19");
    const started = performance.now();
    const again = await ensurePeer(peer, 100_000);
    assert.equal(again.path, first.path);
    assert.ok(performance.now() - started < 1000, "the second call found the cached copy without npm");
  });

  it("says in one line why a peer cannot be had, and the row says not measured", async () => {
    const blocker = join(base, "a-file");
    writeFileSync(blocker, "");
    process.env.LUNGE_PEERS_DIR = join(blocker, "peers"); // a folder inside a file cannot be made
    const peer = await ensurePeer({ name: "artillery", version: "2.0.34", bin: "bin/run" }, 10_000);
    assert.equal(peer.path, undefined);
    assert.match(peer.reason!, /^cannot create .*artillery@2\.0\.34: /);
    assert.ok(!peer.reason!.includes("\n"), peer.reason);
    assert.ok(!existsSync(join(blocker, "peers")));
    const figures = new Figures();
    figures.notMeasured("artillery, same flow", "req/CPU-s", peer.reason!);
    assert.match(figures.table(), /artillery, same flow\s+not measured: cannot create /);
  });
});
