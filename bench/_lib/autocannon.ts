/**
 * autocannon (Node) against a URL as a child process: the peer that issue 3's
 * end-to-end case compares lunge with.
 *
 * @module
 */
import { runCommand } from "./command.ts";

/** What autocannon measured. */
export interface AutocannonOutcome {
  /** Requests per second (total responses / duration). */
  rps: number;
  requests: number;
  errors: number;
  p50Ms: number;
  p99Ms: number;
}

const AUTOCANNON = new URL("../../node_modules/autocannon/autocannon.js", import.meta.url);

/**
 * Runs `node autocannon.js -c C -d S --json URL`; null (with the reason on
 * stderr) when Node or autocannon is missing or it fails.
 *
 * @example
 * ```ts
 * import { runAutocannon } from "./autocannon.ts";
 * const out = await runAutocannon("http://127.0.0.1:8080/", 100, 3);
 * console.log(out?.rps);
 * ```
 */
export async function runAutocannon(
  url: string,
  connections: number,
  seconds: number,
): Promise<AutocannonOutcome | null> {
  const script = decodeURIComponent(AUTOCANNON.pathname);
  const out = await runCommand("node", [
    script,
    "-c",
    String(connections),
    "-d",
    String(seconds),
    "--json",
    url,
  ], (seconds + 30) * 1000);
  if (out.code !== 0) {
    console.error(
      `autocannon failed (exit ${out.code}): ${out.stderr.trim().split("\n").slice(-3).join(" | ")}`,
    );
    return null;
  }
  try {
    const json = JSON.parse(out.stdout.trim().split("\n").filter((l) => l.startsWith("{")).pop() ?? "");
    const requests = Number(json.requests.total);
    const duration = Number(json.duration) || seconds;
    return {
      rps: requests / duration,
      requests,
      errors: Number(json.errors ?? 0) + Number(json.timeouts ?? 0) + Number(json.non2xx ?? 0),
      p50Ms: Number(json.latency.p50),
      p99Ms: Number(json.latency.p99),
    };
  } catch (error) {
    console.error(`autocannon output not understood: ${String(error)}`);
    return null;
  }
}
