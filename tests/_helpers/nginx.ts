/**
 * Test helper: Debian's nginx as a third-party peer whose own access log is
 * the ground truth of how many requests arrived. The one nginx launcher is
 * `bench/_lib/nginx.ts` (temp prefix, free loopback port, optional CPU pin);
 * this adds what tests need: a logged server by default, and the missing-tool
 * rule (a skip outside CI, a failure under `CI=true`, where `.ci/run`
 * installs nginx).
 *
 * @module
 */
import {
  hasNginx,
  NGINX_PATH,
  type NginxHandle,
  type NginxOptions,
  startNginx as startBenchNginx,
} from "../../bench/_lib/nginx.ts";
import { needTool } from "./tools.ts";

export { hasNginx, NGINX_PATH, type NginxHandle, type NginxOptions };

/** nginx as a needed tool: `it(name, nginxTool.options(), fn)` skips outside CI when it is missing. */
export const nginxTool: ReturnType<typeof needTool> = needTool(
  "nginx",
  hasNginx() ? NGINX_PATH : null,
  "apt-get install -y nginx",
);

/** Whether nginx is installed. */
export function nginxAvailable(): boolean {
  return hasNginx();
}

/**
 * Starts nginx with its access log on (one line per request answered) unless
 * `accessLog` says otherwise; throws when nginx is missing.
 *
 * @example
 * ```ts
 * import { startNginx } from "./nginx.ts";
 * const nginx = await startNginx();
 * // ... load nginx.url, then compare with nginx.accessLogLines() ...
 * await nginx.stop();
 * ```
 */
export function startNginx(options: NginxOptions = {}): Promise<NginxHandle> {
  nginxTool.require();
  return startBenchNginx({ accessLog: true, ...options });
}
