/**
 * lunge as a JSR user gets it, on Deno: `deno publish --dry-run` must pass
 * (no slow types) and its file list is copied to a temp directory; a local
 * import map points `@lunge/lunge` at that copy, once as `file:` and once
 * served over loopback HTTP (so that `import.meta.url` is remote, as it is
 * under `https://jsr.io`), and the library smoke test (two workers recording
 * into one atomic collector, then `run()` against the built-in target) runs
 * through it. Deno is spawned as a child, whatever runs the test.
 *
 * @test-runner deno-only (under Bun's runner it would repeat the same Deno commands; see scripts/test.mjs).
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { DENO, ROOT, runCommand } from "../_helpers/dist_package.ts";

/** Serves `dir` read-only on 127.0.0.1 (TypeScript as `application/typescript`). */
function serveDirectory(dir: string): Promise<Server> {
  const server = createServer((req, res) => {
    const path = join(dir, decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname));
    if (!path.startsWith(dir)) return void res.writeHead(403).end();
    try {
      const body = readFileSync(path);
      const type = path.endsWith(".ts")
        ? "application/typescript"
        : path.endsWith(".json")
        ? "application/json"
        : "text/plain";
      res.writeHead(200, { "content-type": type }).end(body);
    } catch {
      res.writeHead(404).end();
    }
  });
  return new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(server)));
}

describe("JSR package (deno publish file list)", { timeout: 180_000 }, () => {
  let base = "";
  let pkgDir = "";
  let published: string[] = [];
  let server: Server | undefined;

  // Set up lazily by the first test, not in a hook: Bun gives hooks 5 s, and this takes 5-20 s.
  let ready: Promise<void> | undefined;
  const ensure = (): Promise<void> => (ready ??= setUp());
  async function setUp(): Promise<void> {
    const r = await runCommand(DENO, ["publish", "--dry-run", "--allow-dirty"], {
      cwd: ROOT,
      timeoutMs: 120_000,
    });
    assert.equal(r.code, 0, `deno publish --dry-run failed:\n${r.stdout}\n${r.stderr}`);
    const text = r.stdout + r.stderr;
    assert.match(text, /Dry run complete/);
    assert.doesNotMatch(text, /error\[|missing-explicit|slow types? (were )?found/i);
    published = [...text.matchAll(/^\s+(file:\/\/\S+)/gm)].map((m) => relative(ROOT, fileURLToPath(m[1])));
    base = mkdtempSync(join(tmpdir(), "lunge-jsr-"));
    pkgDir = join(base, "pkg");
    for (const file of published) {
      mkdirSync(dirname(join(pkgDir, file)), { recursive: true });
      cpSync(join(ROOT, file), join(pkgDir, file));
    }
    // A consumer's Deno ignores a dependency's `nodeModulesDir` (it is a workspace-root setting); so must the
    // copy, or the target child process, which finds this deno.json, would look for a node_modules here.
    const denoJson = JSON.parse(readFileSync(join(pkgDir, "deno.json"), "utf8"));
    delete denoJson.nodeModulesDir;
    writeFileSync(join(pkgDir, "deno.json"), JSON.stringify(denoJson, null, 2));
    cpSync(join(ROOT, "tests", "fixtures", "packaged"), base, { recursive: true });
    server = await serveDirectory(pkgDir);
  }

  after(async () => {
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (base) rmSync(base, { recursive: true, force: true });
  });

  it(
    "publishes the sources and the bundled entries, not tests or scripts",
    { timeout: 120_000 },
    async () => {
      await ensure();
      for (
        const needed of [
          "mod.ts",
          "deno.json",
          "src/_bundled/load_worker_source.ts",
          "src/engine/worker_entry.ts",
        ]
      ) {
        assert.ok(published.includes(needed), `${needed} is not published`);
      }
      assert.deepEqual(
        published.filter((f) => /^(tests|scripts|bench|stress|node_modules|dist)\//.test(f)),
        [],
      );
    },
  );

  /** Writes an import map resolving `@lunge/lunge` to `moduleUrl` plus the package's own imports. */
  function importMap(name: string, packageRoot: string): string {
    const own = JSON.parse(readFileSync(join(pkgDir, "deno.json"), "utf8")).imports as Record<string, string>;
    const map = {
      imports: {
        ...own,
        "@hono/node-server": "npm:@hono/node-server@2.1.8",
        "@lunge/lunge": `${packageRoot}mod.ts`,
      },
    };
    const path = join(base, name);
    writeFileSync(path, JSON.stringify(map, null, 2));
    return path;
  }

  for (const via of ["file", "http"] as const) {
    it(`library smoke test through an import map (${via}:)`, { timeout: 120_000 }, async () => {
      await ensure();
      const packageRoot = via === "file"
        ? `${new URL(`file://${pkgDir}/`).href}`
        : `http://127.0.0.1:${(server?.address() as AddressInfo).port}/`;
      const map = importMap(`import_map_${via}.json`, packageRoot);
      const r = await runCommand(DENO, ["run", "-A", "-q", "--import-map", map, "library_smoke.mjs"], {
        cwd: base,
        timeoutMs: 90_000,
      });
      assert.equal(r.code, 0, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
      const line = JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}");
      assert.deepEqual(line, {
        kind: "atomic",
        recorded: 40_000,
        bytes: 4_000_000,
        runtime: "deno",
        workers: 2,
        runRequests: 2000,
        runFailed: 0,
      });
    });
  }
});
