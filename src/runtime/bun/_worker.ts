/**
 * Bun runs the web `Worker` the same way Deno does (module workers from
 * `file:`, `data:` and `blob:` URLs), so it shares Deno's adapter.
 *
 * @module
 */
export { parentPort, spawnWorker } from "../deno/worker.ts";
