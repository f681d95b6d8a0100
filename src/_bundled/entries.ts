/**
 * The three entries lunge starts on its own: the load worker, the target
 * worker and the target child process. Each names its TypeScript source (used
 * from a source checkout on Deno and Bun) and its esbuild bundle (a generated
 * string module next to this file, used from npm, JSR and single-file
 * installs). `scripts/build.ts` regenerates the bundles; a test checks they
 * match the sources.
 *
 * @example
 * ```ts
 * import { loadWorkerEntry } from "./entries.ts";
 * import { workerEntryUrl } from "../runtime/entry_url.ts";
 * console.log((await workerEntryUrl(loadWorkerEntry)).protocol); // "file:" in a checkout
 * ```
 *
 * @module
 */
import type { BundledEntry } from "../runtime/entry_url.ts";

/**
 * The load worker (`src/engine/worker_entry.ts`).
 *
 * @example
 * ```ts
 * import { loadWorkerEntry } from "./entries.ts";
 * console.log((await loadWorkerEntry.bundled()).length > 0); // true
 * ```
 */
export const loadWorkerEntry: BundledEntry = {
  name: "load_worker",
  callerUrl: import.meta.url,
  sourceUrl: new URL("../engine/worker_entry.ts", import.meta.url),
  bundled: () => import("./load_worker_source.ts").then((m) => m.source),
};

/**
 * The built-in target on a worker thread (`src/target/worker_entry.ts`).
 *
 * @example
 * ```ts
 * import { targetWorkerEntry } from "./entries.ts";
 * console.log(targetWorkerEntry.sourceUrl.pathname.endsWith("/target/worker_entry.ts")); // true
 * ```
 */
export const targetWorkerEntry: BundledEntry = {
  name: "target_worker",
  callerUrl: import.meta.url,
  sourceUrl: new URL("../target/worker_entry.ts", import.meta.url),
  bundled: () => import("./target_worker_source.ts").then((m) => m.source),
};

/**
 * The built-in target in a child process (`src/target/process_entry.ts`).
 *
 * @example
 * ```ts
 * import { targetProcessEntry } from "./entries.ts";
 * import { processEntryUrl } from "../runtime/entry_url.ts";
 * console.log((await processEntryUrl(targetProcessEntry)).protocol); // "file:"
 * ```
 */
export const targetProcessEntry: BundledEntry = {
  name: "target_process",
  callerUrl: import.meta.url,
  sourceUrl: new URL("../target/process_entry.ts", import.meta.url),
  bundled: () => import("./target_process_source.ts").then((m) => m.source),
};
