/**
 * Every `deno task`, `bun run`, `npm run`, `npm start` and `npm test` command
 * of the README's shell blocks works right after the README's set-up, on a
 * fresh clone of the committed tree, in the order the README gives them.
 * Bounded in time: a command that takes a duration runs for 2 s; the test
 * suite and the benchmark are checked by their first lines, then stopped;
 * the stress run may judge a verdict failed on a busy machine (exit 1), but it
 * must run and print its verdicts.
 */
import { after, describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { type FreshClone, freshClone, ROOT, runShell } from "../_helpers/fresh_clone.ts";

/** How one README command is run here and what shows that it works. */
interface CommandPlan {
  /** The command as the README gives it. */
  readme: string;
  /** The command as run (a shorter duration, or the same). */
  run: string;
  /** Stop as soon as the output matches (a long command checked by its first lines). */
  until?: RegExp;
  /** The output must match. */
  expect: RegExp;
  /** Exit codes that pass when the command runs to its end. */
  exitCodes: number[];
}

const RUNNERS = /^(deno task|bun run|npm run|npm start|npm test)\b/;

/** The commands of the README's `sh` blocks that start with a project runner, in order. */
function readmeCommands(readme: string): string[] {
  const blocks = [...readme.matchAll(/```(?:sh|bash|shell)\n([\s\S]*?)```/g)].map((m) => m[1]);
  return blocks.flatMap((block) =>
    block.split("\n")
      .map((line) => line.replace(/\s+#.*$/, "").trim())
      .flatMap((line) => line.split("&&").map((part) => part.trim()))
      .filter((command) => RUNNERS.test(command) && !command.includes("…"))
  );
}

/** How to run `command` bounded in time. */
function planFor(command: string): CommandPlan {
  const short = (c: string): string =>
    /--duration \S+/.test(c) ? c.replace(/--duration \S+/, "--duration 2s") : `${c} --duration 2s`;
  if (/^npm test\b|^(deno task|npm run|bun run) test\b/.test(command)) {
    return { readme: command, run: command, until: /^=== deno: /m, expect: /=== deno: /, exitCodes: [] };
  }
  if (/^(deno task|bun run|npm run) bench(:quick)?\b/.test(command)) {
    return {
      readme: command,
      run: command,
      until: /^lunge \S+ bench/m,
      expect: /lunge \S+ bench/,
      exitCodes: [],
    };
  }
  if (/^(deno task|bun run|npm run) stress\b/.test(command)) {
    return {
      readme: command,
      run: `${short(command)} --no-files`,
      expect: /lunge stress: baseline[\s\S]*(PASS|FAIL) +counts +collector/,
      exitCodes: [0, 1], // 1: a verdict such as the ±1 % throughput failed on a busy machine
    };
  }
  if (/^npm start$/.test(command)) {
    return {
      readme: command,
      run: "npm start -- --duration 2s -q",
      expect: /Requests\s+[\d,]+/,
      exitCodes: [0],
    };
  }
  if (/ run builtin\b/.test(command)) {
    return { readme: command, run: `${short(command)} -q`, expect: /Requests\s+[\d,]+/, exitCodes: [0] };
  }
  return { readme: command, run: command, expect: /[\s\S]*/, exitCodes: [0] };
}

describe("README commands on a fresh clone", { timeout: 300_000 }, () => {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  let clone: FreshClone | undefined;
  after(() => clone?.cleanup());

  it("the README shows deno task bench and bun run stress before the CLI reference", () => {
    const top = readme.slice(0, readme.indexOf("\n## CLI"));
    assert.match(top, /^deno task bench\b/m);
    assert.match(top, /^bun run stress\b/m);
    const commands = readmeCommands(readme);
    for (const needed of ["npm start", "npm test", "deno task bench", "bun run stress"]) {
      assert.ok(commands.some((c) => c.startsWith(needed)), `no "${needed}" in the README's commands`);
    }
  });

  it("each command works in the README's order", { timeout: 300_000 }, async () => {
    clone = freshClone();
    for (const plan of readmeCommands(readme).map(planFor)) {
      const r = await runShell(plan.run, {
        cwd: clone.dir,
        env: clone.env,
        timeoutMs: 90_000,
        until: plan.until,
      });
      const where = `README: ${plan.readme} (ran: ${plan.run}, ${Math.round(r.ms)} ms)\n${
        r.output.slice(-3000)
      }`;
      assert.ok(!r.timedOut, `timed out: ${where}`);
      if (plan.until !== undefined) assert.ok(r.matched, `no first line matching ${plan.until}: ${where}`);
      else assert.ok(plan.exitCodes.includes(r.code ?? -1), `exit ${r.code}: ${where}`);
      assert.match(r.output, plan.expect, where);
    }
    const status = await runShell("git status --porcelain -- . ':!node_modules'", {
      cwd: clone.dir,
      env: clone.env,
    });
    assert.equal(status.output.trim(), "", "the commands left the clone's tree dirty");
  });
});
