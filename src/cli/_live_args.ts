/**
 * Command-line parts of the live view: `--out prometheus=URL` (remote
 * write) and the dashboard flags `--dashboard`, `--dashboard-host`,
 * `--dashboard-token`, `--dashboard-exit`.
 *
 * @module
 */

/**
 * Whether an `--out` value names a Prometheus remote-write endpoint.
 *
 * @example
 * ```ts
 * import { isPrometheusOutput } from "./_live_args.ts";
 * isPrometheusOutput("prometheus=http://127.0.0.1:9090/api/v1/write"); // true
 * ```
 */
export function isPrometheusOutput(text: string): boolean {
  return text.startsWith("prometheus=");
}

/**
 * The URL of `--out prometheus=URL`, checked (http or https).
 *
 * @example
 * ```ts
 * import { prometheusOutput } from "./_live_args.ts";
 * prometheusOutput("prometheus=http://p:9090/api/v1/write", (m) => { throw new Error(m); });
 * ```
 */
export function prometheusOutput(text: string, fail: (m: string) => never): string {
  const url = text.slice("prometheus=".length);
  let parsed: URL | null = null;
  try {
    parsed = new URL(url);
  } catch {
    // reported below
  }
  if (
    parsed === null || (parsed.protocol !== "http:" && parsed.protocol !== "https:") || parsed.hostname === ""
  ) {
    fail(
      `invalid --out "${text}": expected prometheus=URL, e.g. prometheus=http://127.0.0.1:9090/api/v1/write`,
    );
  }
  return url;
}
