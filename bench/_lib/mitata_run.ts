/** Runs the registered mitata benchmarks and returns average ns per op by name. */
import { run } from "mitata";

/** Runs mitata (printing its table unless `quiet`) and maps bench name to avg ns. */
export async function runMitata(quiet = false): Promise<Map<string, number>> {
  const result = await run({ format: quiet ? "quiet" : "mitata", colors: !quiet && !noColor() });
  const avg = new Map<string, number>();
  for (const trial of result.benchmarks) {
    for (const r of trial.runs) if (r.stats) avg.set(r.name, r.stats.avg);
  }
  return avg;
}

function noColor(): boolean {
  const g = globalThis as {
    Deno?: { env: { get(k: string): string | undefined } };
    process?: { env: Record<string, string> };
  };
  try {
    return (g.Deno?.env.get("NO_COLOR") ?? g.process?.env.NO_COLOR) !== undefined;
  } catch {
    return true;
  }
}
