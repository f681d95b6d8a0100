/**
 * Counts the `Atomics` operations one record performs, by wrapping every
 * function of the global `Atomics` object while a writer records.
 *
 * A lock between threads in JavaScript needs `Atomics` (compareExchange,
 * wait, notify, ...), and so does any read-modify-write on shared memory. The
 * atomic collector's record does none (plain stores into its own lane), so
 * this count is 0 on every CPU, while a mutex costs >= 2 per record and
 * per-counter RMW atomics >= 3. A count, not a timing: it cannot flake.
 *
 * @module
 */
import { attachCollector, type CollectorKind, createCollector } from "../../src/collector/create.ts";

type AtomicsFunctions = Record<string, (...args: unknown[]) => unknown>;

/**
 * `Atomics` calls per `recordNs` of a writer of a `kind` collector, averaged
 * over `records` records after a warm-up (the rare cold paths, such as
 * publishing a new minimum, are amortised away). With `withSent`, each record
 * is a whole unit of the pacer: `recordSent` then `recordNs`.
 *
 * @example
 * ```ts
 * import { atomicsOpsPerRecord } from "./hot_path_probe.ts";
 * console.log(atomicsOpsPerRecord("atomic")); // 0
 * console.log(atomicsOpsPerRecord("legacy") >= 2); // true: the mutex
 * console.log(atomicsOpsPerRecord("atomic", 100_000, true)); // 0: the sent count is a plain store too
 * ```
 */
export function atomicsOpsPerRecord(kind: CollectorKind, records = 100_000, withSent = false): number {
  const collector = createCollector({ kind, lanes: 2, sampleCapacity: 1024 });
  const writer = attachCollector(collector.handle());
  const latencies = new Int32Array(1024).map((_, i) => 200_000 + (i % 97) * 370_000);
  const loop = (n: number): void => {
    for (let i = 0; i < n; i++) {
      if (withSent) writer.recordSent(); // as the pacer counts the unit it starts
      writer.recordNs(200, latencies[i & 1023], 128, 0, latencies[i & 1023] >> 1);
    }
  };
  const table = Atomics as unknown as AtomicsFunctions;
  const originals = new Map<string, (...args: unknown[]) => unknown>();
  let calls = 0;
  try {
    loop(20_000); // the first records publish min/max and the epoch: cold paths, not per record
    for (const name of Object.getOwnPropertyNames(Atomics)) {
      const fn = table[name];
      if (typeof fn !== "function") continue;
      originals.set(name, fn);
      table[name] = (...args: unknown[]): unknown => {
        calls++;
        return fn.apply(Atomics, args);
      };
    }
    loop(records);
  } finally {
    for (const [name, fn] of originals) table[name] = fn;
    collector.close();
  }
  return calls / records;
}
