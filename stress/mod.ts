/**
 * `bun run stress` / `deno task stress`: 10,000 req/s for five minutes
 * against the built-in target (in its own process) with heap and leak
 * monitoring, or another scenario (`--scenario high|burst|soak`). See
 * docs/stress.md and `--help`.
 *
 * After a passing run this process must exit on its own: a pending timer,
 * socket or worker would keep it alive, and then an unref'd watchdog reports
 * that on one line and exits 1.
 *
 * @example
 * ```ts
 * // bun stress/mod.ts --duration 20s
 * // deno run -A --v8-flags=--expose-gc stress/mod.ts --scenario burst
 * import { main } from "./mod.ts";
 * const code = await main(["--duration", "20s"]);
 * ```
 *
 * @module
 */
import { system } from "../src/runtime/mod.ts";
import { EXIT, main } from "./main.ts";

export { EXIT, main } from "./main.ts";

/** How long a finished run may take to exit on its own, ms. */
export const EXIT_GRACE_MS = 5_000;

if (import.meta.main) {
  const code = await main(system.args());
  if (code !== EXIT.ok) system.exit(code);
  const watchdog = setTimeout(() => {
    system.writeStderr(
      `stress: FAIL exit: the process did not exit within ${EXIT_GRACE_MS / 1000} s of the end ` +
        "(a timer, socket or worker keeps it alive)\n",
    );
    system.exit(EXIT.failed);
  }, EXIT_GRACE_MS);
  system.unrefTimer(watchdog); // the watchdog itself must not keep the process alive
}
