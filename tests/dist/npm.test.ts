/**
 * lunge as an npm user gets it: build (`scripts/build.ts`), `npm pack`,
 * `npm install <tarball>` into an empty project, then from there, on Node,
 * Bun and Deno: the `lunge` CLI against the built-in target, the library
 * (two workers recording into one atomic collector, then `run()`), and the
 * README's tested examples. Takes about a minute.
 *
 * @test-runner bun-only (it starts Node, Bun and Deno itself, so the other runner would repeat it as is;
 * it sits on Bun's side, the shorter of the two: see scripts/test.mjs).
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  BUN,
  DENO,
  type InstalledPackage,
  NODE,
  packAndInstall,
  ROOT,
  runCommand,
} from "../_helpers/dist_package.ts";
import { inCi } from "../_helpers/tools.ts";
import { ensurePeer, TYPESCRIPT } from "../../bench/_lib/peer_install.ts";

/** How each runtime starts a script (Deno resolves `@lunge/lunge` through the project's node_modules). */
const RUNTIMES: ReadonlyArray<{ name: string; command: string; args: string[] }> = [
  { name: "node", command: NODE, args: [] },
  { name: "bun", command: BUN, args: [] },
  { name: "deno", command: DENO, args: ["run", "-A"] },
];

/**
 * The README code blocks that follow a `<!-- tested: <kind> [file=NAME] [run=rt,rt|none] [expect=TEXT] -->`
 * marker: `file` names the block (a worker module another block loads), `run` the runtimes that run it
 * (default all three), `expect` a text its stdout must contain.
 */
interface ReadmeBlock {
  code: string;
  file?: string;
  run?: string[];
  expect?: string;
}

function readmeBlocks(kind: "library" | "cli"): ReadmeBlock[] {
  const text = readFileSync(join(ROOT, "README.md"), "utf8");
  const pattern = new RegExp(`<!-- tested: ${kind}([^>]*)-->\\s*\`\`\`\\w*\\n([\\s\\S]*?)\`\`\``, "g");
  return [...text.matchAll(pattern)].map((m) => {
    const attrs = Object.fromEntries([...m[1].matchAll(/(\w+)=(\S+)/g)].map((a) => [a[1], a[2]]));
    return {
      code: m[2],
      file: attrs.file,
      run: attrs.run === undefined ? undefined : attrs.run === "none" ? [] : attrs.run.split(","),
      expect: attrs.expect,
    };
  });
}

describe("npm package", { timeout: 240_000 }, () => {
  // Set up lazily by the first test, not in a hook: Bun gives hooks 5 s, and this takes 10-40 s.
  let pkg: InstalledPackage;
  let installed: InstalledPackage | undefined;
  const ensure = (): void => {
    if (installed === undefined) {
      installed = packAndInstall();
      cpSync(join(ROOT, "tests", "fixtures", "packaged"), installed.project, { recursive: true });
    }
    pkg = installed;
  };

  after(() => installed?.cleanup());

  it("packs only what the package needs", { timeout: 120_000 }, () => {
    ensure();
    const files = spawnSync("tar", ["tzf", pkg.tarball], { encoding: "utf8" }).stdout.trim().split("\n");
    const allowed =
      /^package\/(package\.json|README\.md|LICENSE|CHANGELOG\.md|dist\/(mod|collector|shared|stats|target|report)\.js|dist\/chunks\/[\w-]+\.js|dist\/lunge\.mjs|dist\/types\/.+\.d\.ts)$/;
    assert.deepEqual(files.filter((f) => !allowed.test(f)), []);
    for (const needed of ["package/package.json", "package/dist/mod.js", "package/dist/lunge.mjs"]) {
      assert.ok(files.includes(needed), `${needed} missing from the tarball`);
    }
    if (pkg.hasTypes) {
      assert.ok(files.includes("package/dist/types/mod.d.ts"));
      const dts = readFileSync(join(pkg.installed, "dist", "types", "mod.d.ts"), "utf8");
      assert.doesNotMatch(dts, /from "\.[^"]*\.ts"/, "declarations must import .js specifiers");
    } else {
      // typescript comes on demand (scripts/build.ts); without a network the build skips the types.
      assert.ok(
        !inCi(),
        "under CI the package must carry its .d.ts files (typescript could not be installed?)",
      );
      console.warn("dist_npm: typescript could not be had, so the package was built without .d.ts files");
    }
  });

  for (const rt of RUNTIMES) {
    it(`${rt.name}: lunge run builtin --duration 2s (installed bin)`, { timeout: 120_000 }, async () => {
      ensure();
      const out = join(pkg.base, `cli-${rt.name}.json`);
      const bin = join(pkg.project, "node_modules", "@lunge", "lunge", "dist", "lunge.mjs");
      const args = rt.name === "deno"
        ? [...rt.args, "npm:@lunge/lunge"] // Deno runs the package's bin through the npm: specifier
        : [...rt.args, bin];
      const r = await runCommand(rt.command, [
        ...args,
        "run",
        "builtin",
        "--duration",
        "2s",
        "-w",
        "2",
        "-q",
        "--json",
        out,
      ], {
        cwd: pkg.project,
        timeoutMs: 60_000,
      });
      assert.equal(r.code, 0, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
      assert.match(r.stdout, /Requests\s+[\d,]+/);
      const result = JSON.parse(readFileSync(out, "utf8"));
      assert.equal(result.runtime.name, rt.name);
      assert.equal(result.options.workers, 2);
      assert.ok(result.snapshot.totalRequests > 100, `only ${result.snapshot.totalRequests} requests`);
      assert.equal(result.snapshot.failedRequests, 0);
      assert.equal(result.snapshot.successfulRequests, result.snapshot.totalRequests);
      assert.ok(Math.abs(result.durationMs - 2000) < 500, `measured for ${result.durationMs} ms`);
    });

    it(
      `${rt.name}: lunge run builtin -n 3000 sends exactly 3000 requests`,
      { timeout: 120_000 },
      async () => {
        ensure();
        const out = join(pkg.base, `cli-n-${rt.name}.json`);
        const r = await runCommand(
          rt.command,
          [
            ...rt.args,
            join(pkg.installed, "dist", "lunge.mjs"),
            "run",
            "builtin",
            "-n",
            "3000",
            "-c",
            "10",
            "-w",
            "2",
            "-q",
            "--json",
            out,
          ],
          { cwd: pkg.project, timeoutMs: 60_000 },
        );
        assert.equal(r.code, 0, `exit ${r.code}\n${r.stderr}`);
        const result = JSON.parse(readFileSync(out, "utf8"));
        assert.equal(result.snapshot.totalRequests, 3000);
        assert.equal(result.snapshot.statusCounts["200"], 3000);
      },
    );

    it(
      `${rt.name}: the library records from two workers and runs the harness`,
      { timeout: 120_000 },
      async () => {
        ensure();
        const r = await runCommand(rt.command, [...rt.args, "library_smoke.mjs"], {
          cwd: pkg.project,
          timeoutMs: 60_000,
        });
        assert.equal(r.code, 0, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
        const line = JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}");
        assert.deepEqual(line, {
          kind: "atomic",
          recorded: 40_000,
          bytes: 4_000_000,
          runtime: rt.name,
          workers: 2,
          runRequests: 2000,
          runFailed: 0,
        });
      },
    );
  }

  it("every export path loads on Node, Bun and Deno, shares one copy of each class, and its types resolve", {
    timeout: 180_000,
  }, async () => {
    ensure();
    // One value from each path, and a class reached through two paths must be the same class.
    writeFileSync(
      join(pkg.project, "export_paths.mjs"),
      [
        'import { run, createCollector as rootCreate, VERSION } from "@lunge/lunge";',
        'import { createCollector, AtomicMetricsCollector, ClientStatsTable } from "@lunge/lunge/collector";',
        'import { LogLinearHistogram, LockFreeRingBuffer } from "@lunge/lunge/shared";',
        'import { createStatsClient } from "@lunge/lunge/stats";',
        'import { createTargetApp } from "@lunge/lunge/target";',
        'import { formatSummary, toJson } from "@lunge/lunge/report";',
        "const c = rootCreate();",
        "const same = c instanceof AtomicMetricsCollector && rootCreate === createCollector;",
        "c.close();",
        "const all = [run, createCollector, ClientStatsTable, LogLinearHistogram, LockFreeRingBuffer,",
        "  createStatsClient, createTargetApp, formatSummary, toJson].every((f) => typeof f === 'function');",
        "console.log(JSON.stringify({ same, all, version: typeof VERSION }));",
      ].join("\n"),
    );
    for (const rt of RUNTIMES) {
      const r = await runCommand(rt.command, [...rt.args, "export_paths.mjs"], {
        cwd: pkg.project,
        timeoutMs: 60_000,
      });
      assert.equal(r.code, 0, `${rt.name}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
      assert.deepEqual(JSON.parse(r.stdout.trim().split("\n").pop() ?? "{}"), {
        same: true,
        all: true,
        version: "string",
      }, rt.name);
    }
    if (!pkg.hasTypes) return;
    // Types: a TypeScript file using every path type-checks with tsc (Node's and Bun's resolution,
    // package "exports" with "types" conditions) and with deno check (Deno's npm resolution).
    writeFileSync(
      join(pkg.project, "export_paths_types.ts"),
      [
        'import { run, type RunResult } from "@lunge/lunge";',
        'import { createCollector, type MetricsSnapshot } from "@lunge/lunge/collector";',
        'import { LogLinearHistogram } from "@lunge/lunge/shared";',
        'import { createStatsClient } from "@lunge/lunge/stats";',
        'import { createTargetApp } from "@lunge/lunge/target";',
        'import { formatSummary } from "@lunge/lunge/report";',
        "const h: LogLinearHistogram = LogLinearHistogram.create();",
        "const snapshot: MetricsSnapshot = createCollector().getSnapshot();",
        "const total: number = snapshot.totalRequests;",
        "const render: (r: RunResult) => string = (r) => formatSummary(r, { color: false });",
        "// @ts-expect-error: a wrong option type must be caught, or the types did not resolve",
        "void run({ url: 42 });",
        "export { createStatsClient, createTargetApp, h, render, total };",
      ].join("\n"),
    );
    writeFileSync(
      join(pkg.project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          lib: ["ES2022", "DOM"],
          types: [],
        },
        files: ["export_paths_types.ts"],
      }),
    );
    const tscPath = (await ensurePeer(TYPESCRIPT)).path;
    assert.ok(tscPath !== undefined, "typescript was installed on demand by the build");
    const tsc = await runCommand(NODE, [tscPath, "-p", "."], {
      cwd: pkg.project,
      timeoutMs: 120_000,
    });
    assert.equal(tsc.code, 0, `tsc: ${tsc.stdout}\n${tsc.stderr}`);
    const check = await runCommand(DENO, ["check", "export_paths_types.ts"], {
      cwd: pkg.project,
      timeoutMs: 120_000,
    });
    assert.equal(check.code, 0, `deno check: ${check.stdout}\n${check.stderr}`);
  });

  it("node: a TypeScript scenario runs from the installed package (bundled with esbuild at start)", {
    timeout: 120_000,
  }, async () => {
    ensure();
    writeFileSync(
      join(pkg.project, "login_flow.ts"),
      [
        'import type { ScenarioContext } from "@lunge/lunge";',
        "export default async function (ctx: ScenarioContext): Promise<void> {",
        '  const login = await ctx.http.post("/login", { json: { username: "u", password: "p" }, name: "login" });',
        "  const token: string = login.json<{ token: string }>().token;",
        '  const me = await ctx.http.get("/me", { headers: { Authorization: `Bearer ${token}` }, name: "me" });',
        '  ctx.check(me, { "me is 200": (r) => r.status === 200 });',
        "}",
      ].join("\n"),
    );
    const out = join(pkg.base, "scenario-node.json");
    const r = await runCommand(
      NODE,
      [
        join(pkg.project, "node_modules", ".bin", "lunge"),
        "run",
        "login_flow.ts",
        "builtin",
        "-d",
        "1s",
        "-c",
        "4",
        "-w",
        "1",
        "-q",
        "--json",
        out,
      ],
      { cwd: pkg.project, timeoutMs: 60_000 },
    );
    assert.equal(r.code, 0, `exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    const result = JSON.parse(readFileSync(out, "utf8"));
    const names = Object.fromEntries(
      result.names.map((n: { name: string; count: number }) => [n.name, n.count]),
    );
    assert.ok(names.login > 0 && names.me === names.login, JSON.stringify(names));
    assert.equal(result.scenario.checks[0].fails, 0);
  });

  it("README library examples run from the installed package", { timeout: 120_000 }, async () => {
    ensure();
    const blocks = readmeBlocks("library");
    assert.ok(blocks.filter((b) => b.run?.length !== 0).length >= 3, "README has tested library examples");
    for (const [i, block] of blocks.entries()) {
      writeFileSync(join(pkg.project, block.file ?? `readme_${i}.mjs`), block.code);
    }
    for (const [i, block] of blocks.entries()) {
      for (const rt of RUNTIMES.filter((r) => block.run === undefined || block.run.includes(r.name))) {
        const file = join(pkg.project, block.file ?? `readme_${i}.mjs`);
        const r = await runCommand(rt.command, [...rt.args, file], { cwd: pkg.project, timeoutMs: 60_000 });
        const where = `README example ${block.file ?? i} on ${rt.name}`;
        assert.equal(r.code, 0, `${where}: exit ${r.code}\n${block.code}\n${r.stdout}\n${r.stderr}`);
        if (block.expect !== undefined) {
          assert.ok(r.stdout.includes(block.expect), `${where}: no "${block.expect}" in\n${r.stdout}`);
        }
      }
    }
  });

  it("README CLI examples run with the installed bin", { timeout: 120_000 }, async () => {
    ensure();
    const lines = readmeBlocks("cli").flatMap((b) => b.code.split("\n")).map((l) =>
      l.replace(/\s+#.*$/, "").trim()
    )
      .filter((l) => l.startsWith("lunge "));
    assert.ok(lines.length >= 2, "README has tested CLI examples");
    for (const line of lines) {
      const args = line.slice("lunge ".length).split(/\s+/).map((a) => a.replace(/^'(.*)'$/, "$1"));
      const r = await runCommand(NODE, [join(pkg.project, "node_modules", ".bin", "lunge"), ...args], {
        cwd: pkg.project,
        timeoutMs: 60_000,
      });
      assert.equal(r.code, 0, `${line}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
    }
  });
});
