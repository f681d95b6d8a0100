/** Runs `promtool check metrics` on exposition text; `null` when promtool is not installed. */
import { spawnSync } from "node:child_process";

export function promtoolCheckMetrics(text: string): { ok: boolean; output: string } | null {
  const probe = spawnSync("promtool", ["--version"], { encoding: "utf8" });
  if (probe.error) return null;
  const run = spawnSync("promtool", ["check", "metrics"], { input: text, encoding: "utf8", timeout: 10_000 });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}
