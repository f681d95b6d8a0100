/**
 * The package builds itself, the way a maintainer publishes it: on a fresh
 * clone of the committed tree (nothing pre-built), `npm pack` runs `prepack`
 * (the build) and gives a tarball with `dist/` and the `lunge` bin;
 * `npm publish --dry-run` lists the same; the clone stays clean. The tarball,
 * installed into an empty folder, runs `lunge --help` and a 1-second run
 * against the built-in target on Node, Bun and Deno. `deno publish --dry-run`
 * passes on the clone without `--allow-dirty`.
 *
 * None of this depends on the runtime that runs this file (npm, Deno and the
 * bins are child processes), and each build takes 10-35 s, so the suite's two
 * runs share the work: under Bun, `npm pack` and the installed bin on all
 * three runtimes; under Deno, `npm publish --dry-run` on a clone of its own
 * (so that it must build dist/ itself) and `deno publish --dry-run`. About a
 * minute each.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type FreshClone, freshClone, runShell } from "../_helpers/fresh_clone.ts";
import { BUN, DENO, runCommand } from "../_helpers/dist_package.ts";
import { runtimeName } from "../../src/runtime/mod.ts";

const PACK_SIDE = runtimeName === "bun";
/** `it` on the run that does this part; on the other run the test is not declared at all (not skipped). */
const on = (side: boolean): typeof it => side ? it : ((() => {}) as unknown as typeof it);

describe(`${PACK_SIDE ? "npm pack" : "npm publish --dry-run and deno publish --dry-run"} on a fresh clone`, {
  timeout: 300_000,
}, () => {
  let clone: FreshClone | undefined;
  let tarball = "";
  let project = "";
  after(() => clone?.cleanup());

  const version = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")).version;
  const clean = async (what: string): Promise<void> => {
    const status = await runShell("git status --porcelain", { cwd: clone!.dir, env: clone!.env });
    assert.equal(status.output.trim(), "", `${what} left the clone's tree dirty`);
  };

  on(PACK_SIDE)("npm pack builds dist/ itself (prepack) and leaves the tree clean", {
    timeout: 180_000,
  }, async () => {
    clone = freshClone();
    const packed = await runShell(`npm pack --pack-destination ${JSON.stringify(clone.base)}`, {
      cwd: clone.dir,
      env: clone.env,
      timeoutMs: 170_000,
    });
    assert.equal(packed.code, 0, packed.output);
    tarball = join(clone.base, readdirSync(clone.base).find((f) => f.endsWith(".tgz")) ?? "missing.tgz");
    assert.ok(tarball.endsWith(`lunge-lunge-${version}.tgz`), tarball);
    const files = spawnSync("tar", ["tzf", tarball], { encoding: "utf8" }).stdout.trim().split("\n");
    for (const needed of ["package/dist/lunge.mjs", "package/dist/mod.js", "package/dist/types/mod.d.ts"]) {
      assert.ok(files.includes(needed), `${needed} missing from the tarball`);
    }
    await clean("npm pack");
  });

  on(!PACK_SIDE)("npm publish --dry-run builds dist/ itself and lists it", {
    timeout: 180_000,
  }, async () => {
    clone = freshClone();
    const r = await runShell("npm publish --dry-run", { cwd: clone.dir, env: clone.env, timeoutMs: 170_000 });
    assert.equal(r.code, 0, r.output);
    assert.match(r.output, /dist\/lunge\.mjs/);
    assert.match(r.output, /dist\/mod\.js/);
    assert.match(r.output, new RegExp(`\\+ @lunge/lunge@${version.replaceAll(".", "\\.")}`));
    await clean("npm publish --dry-run");
  });

  on(!PACK_SIDE)("deno publish --dry-run passes on the clean clone (no --allow-dirty)", {
    timeout: 120_000,
  }, async () => {
    assert.ok(clone, "the clone exists");
    const r = await runCommand(DENO, ["publish", "--dry-run"], { cwd: clone.dir, timeoutMs: 110_000 });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, /Dry run complete/);
  });

  const RUNTIMES = [
    { name: "node", command: (bin: string) => [bin] },
    { name: "bun", command: (bin: string) => [BUN, bin] },
    { name: "deno", command: () => [DENO, "run", "-A", "npm:@lunge/lunge"] },
  ];
  for (const rt of RUNTIMES) {
    on(PACK_SIDE)(`${rt.name}: the installed bin runs --help and 1 s against the built-in target`, {
      timeout: 120_000,
    }, async () => {
      assert.ok(tarball !== "", "the tarball was packed");
      if (project === "") {
        project = join(clone!.base, "project");
        mkdirSync(project);
        writeFileSync(
          join(project, "package.json"),
          JSON.stringify({ name: "user", private: true, type: "module" }),
        );
        const installed = await runShell(
          `npm install --no-audit --no-fund --prefer-offline ${JSON.stringify(tarball)}`,
          { cwd: project, env: clone!.env, timeoutMs: 110_000 },
        );
        assert.equal(installed.code, 0, installed.output);
      }
      const [command, ...args] = rt.command(join(project, "node_modules", ".bin", "lunge"));
      const help = await runCommand(command, [...args, "--help"], { cwd: project, timeoutMs: 60_000 });
      assert.equal(help.code, 0, help.stdout + help.stderr);
      assert.match(help.stdout, /lunge run <url>/);
      const out = join(project, `run-${rt.name}.json`);
      const run = await runCommand(command, [
        ...args,
        "run",
        "builtin",
        "-d",
        "1s",
        "-w",
        "1",
        "-q",
        "--json",
        out,
      ], {
        cwd: project,
        timeoutMs: 60_000,
      });
      assert.equal(run.code, 0, run.stdout + run.stderr);
      const result = JSON.parse(readFileSync(out, "utf8"));
      assert.equal(result.runtime.name, rt.name);
      assert.ok(result.snapshot.totalRequests > 0);
      assert.equal(result.snapshot.failedRequests, 0);
    });
  }
});
