/**
 * The peers and overheads sections alone, against nginx:
 * `bun bench/overhead.ts [--quick]` or `deno run -A bench/overhead.ts [--quick]`.
 * The full bench (`bench/mod.ts`) runs them too and writes them to its results file.
 *
 * @module
 */
import { system } from "../src/runtime/mod.ts";
import { overheadSuite, peersSuite } from "./_lib/overhead_suite.ts";

if (import.meta.main) {
  const quick = system.args().includes("--quick");
  const log = (line: string): void => system.writeStderr(`# ${line}\n`);
  const only = system.args().find((a) => a === "peers" || a === "overheads");
  if (only !== "overheads") {
    console.log(`\n== peers (nginx, c=100)\n${(await peersSuite({ quick, log })).table()}`);
  }
  if (only !== "peers") console.log(`\n== overheads\n${(await overheadSuite({ quick, log })).table()}`);
}
