/**
 * `bench/low_rate_side_by_side.ts` end to end on a short window: it starts
 * its own nginx, runs every client it was asked for at once and prints each
 * window and the ratios; bad options are one line and exit 2. No CPU figure
 * is checked (that needs a quiet core), only that each client ran and was read.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { NGINX_PATH } from "../../bench/_lib/nginx.ts";
import { runtimeName } from "../../src/runtime/mod.ts";
import { needTool } from "../_helpers/tools.ts";

const SCRIPT = fileURLToPath(new URL("../../bench/low_rate_side_by_side.ts", import.meta.url));
const nginx = needTool("nginx", existsSync(NGINX_PATH) ? NGINX_PATH : null, "apt-get install nginx");

function sideBySide(args: string[]): { code: number | null; stdout: string; stderr: string } {
  const argv = [...(runtimeName === "deno" ? ["run", "-A"] : []), SCRIPT, ...args];
  const r = spawnSync(process.execPath, argv, { encoding: "utf8", timeout: 60_000 });
  return { code: r.status, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
}

describe("bench: low_rate_side_by_side", () => {
  it(
    "reads lunge, both runtime floors and the C client in one window",
    nginx.options({ timeout: 90_000 }),
    () => {
      nginx.require();
      const r = sideBySide([
        "--rate",
        "200",
        "--reps",
        "1",
        "--seconds",
        "1",
        "--settle",
        "1",
        "--measuring-floor",
      ]);
      assert.equal(r.code, 0, r.stderr);
      const window = r.stdout.split("\n").find((l) => l.startsWith("window 1:")) ?? "";
      // Every figure is a number (a client that failed or sent short reads NaN and says why in parentheses).
      assert.match(
        window,
        /^window 1: % of a core: lunge \d+\.\d\d, runtime floor \d+\.\d\d, native floor \d+\.\d\d, measuring floor \d+\.\d\d \(\/runtime floor \d+\.\d{3}\); lunge\/native \d+\.\d\d, runtime\/native \d+\.\d\d, lunge\/runtime \d+\.\d\d$/,
        r.stdout,
      );
      for (
        const ratio of [
          "measuring floor / runtime floor",
          "measuring floor / native floor",
          "lunge / measuring floor",
        ]
      ) {
        assert.match(r.stdout, new RegExp(`^${ratio}: \\d+\\.\\d\\d \\(`, "m"), r.stdout);
      }
    },
  );

  it("refuses a bad option with one line and exit 2", () => {
    for (
      const [args, message] of [
        [["--with-env", "NOPE"], /--with-env expects NAME=VALUE, got "NOPE"/],
        [["--reps", "0"], /--reps must be a positive number/],
        [["--bogus"], /Unknown option '--bogus'/],
      ] as const
    ) {
      const r = sideBySide([...args]);
      assert.equal(r.code, 2, r.stderr);
      assert.equal(r.stderr.trim().split("\n").length, 1, r.stderr);
      assert.match(r.stderr, message);
    }
  });
});
