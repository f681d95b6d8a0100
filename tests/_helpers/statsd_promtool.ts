/** Runs `promtool check metrics` on exposition text (tests that use it need `promtool`). */
import { spawnSync } from "node:child_process";
import { type NeededTool, needTool } from "./tools.ts";

function findPromtool(): string | null {
  const probe = spawnSync("promtool", ["--version"], { encoding: "utf8" });
  return probe.error ? null : "promtool";
}

/** promtool, found or not: skip outside CI, fail under CI=true when missing. */
export const promtool: NeededTool = needTool("promtool", findPromtool(), "apt-get install -y prometheus");

/** `promtool check metrics` on `text`; throws when promtool is missing. */
export function promtoolCheckMetrics(text: string): { ok: boolean; output: string } {
  const run = spawnSync(promtool.require(), ["check", "metrics"], {
    input: text,
    encoding: "utf8",
    timeout: 10_000,
  });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}
