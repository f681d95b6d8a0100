/**
 * Command-line parts of the live view: `--out prometheus=URL` (remote
 * write) and the dashboard flags `--dashboard`, `--dashboard-host`,
 * `--dashboard-token`, `--dashboard-exit`.
 *
 * @module
 */
import { integer } from "./_flag_values.ts";

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

/** `--dashboard PORT` and its companions, as parsed. */
export interface DashboardOutput {
  /** Port (0: any free port). */
  port: number;
  /** `--dashboard-host` (default 127.0.0.1). */
  hostname: string;
  /** `--dashboard-token`, or null (then `$LUNGE_DASHBOARD_TOKEN`). */
  token: string | null;
  /** `--dashboard-exit`: stop serving when the run ends instead of waiting for Ctrl-C. */
  exitAtEnd: boolean;
}

/**
 * The dashboard flags from the parsed values `v` (the port already read by
 * the option table), or null without `--dashboard`.
 *
 * @example
 * ```ts
 * import { dashboardOutput } from "./_live_args.ts";
 * dashboardOutput({ dashboard: "0" }, (m) => { throw new Error(m); });
 * // { port: 0, hostname: "127.0.0.1", token: null, exitAtEnd: false }
 * ```
 */
export function dashboardOutput(
  v: Record<string, unknown>,
  fail: (m: string) => never,
): DashboardOutput | null {
  const port = v["dashboard"];
  const companions = ["dashboard-host", "dashboard-token", "dashboard-exit"].filter((f) =>
    v[f] !== undefined
  );
  if (port === undefined) {
    if (companions.length > 0) fail(`--${companions[0]} needs --dashboard <PORT>`);
    return null;
  }
  const number = integer("--dashboard", String(port), 0, 65535);
  const host = v["dashboard-host"] === undefined ? "127.0.0.1" : String(v["dashboard-host"]);
  if (!/^(\[?[0-9A-Fa-f:.]+\]?|[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?)$/.test(host)) {
    fail(`invalid --dashboard-host "${host}": expected a host name or IP address`);
  }
  const token = v["dashboard-token"] === undefined ? null : String(v["dashboard-token"]);
  if (token !== null && !/^[\x21-\x7e]{8,}$/.test(token)) {
    fail("invalid --dashboard-token: expected at least 8 printable characters, no spaces");
  }
  return {
    port: number,
    hostname: host.startsWith("[") ? host.slice(1, -1) : host,
    token,
    exitAtEnd: v["dashboard-exit"] === true,
  };
}
