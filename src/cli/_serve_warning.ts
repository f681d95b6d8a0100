/**
 * The warning `lunge serve` prints when it listens beyond loopback.
 *
 * @module
 */
import { isLoopbackHost } from "../target/control_access.ts";

/**
 * `null` on a loopback bind; otherwise a one-line warning that the target is
 * reachable from other machines, and what that means for its control routes.
 *
 * @example
 * ```ts
 * import { serveExposureWarning } from "./_serve_warning.ts";
 * console.log(serveExposureWarning("127.0.0.1", false)); // null
 * console.log(serveExposureWarning("0.0.0.0", false)?.startsWith("listening on 0.0.0.0")); // true
 * ```
 */
export function serveExposureWarning(hostname: string, hasToken: boolean): string | null {
  if (isLoopbackHost(hostname)) return null;
  return `listening on ${hostname}, reachable from other machines: anyone who can reach it can load it; ` +
    (hasToken
      ? "control routes (/__lunge/*) need the bearer token"
      : "control routes (/__lunge/*) are off (set --control-token or LUNGE_CONTROL_TOKEN to use them)");
}
