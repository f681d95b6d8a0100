/** Heap growth of a loop, per operation, measured around forced GCs. */
import { system } from "../../src/runtime/mod.ts";

/** Bytes of heap retained or allocated per op by `fn` over `ops` calls (NaN if GC cannot be forced). */
export function heapBytesPerOp(ops: number, fn: (i: number) => void): number {
  for (let i = 0; i < 1_000_000; i++) fn(i); // warm up until the optimizing JIT has compiled it
  if (!system.gc()) return NaN;
  const before = system.memory().heapUsed;
  for (let i = 0; i < ops; i++) fn(i);
  const after = system.memory().heapUsed; // no GC: counts garbage as well as retained objects
  return Math.max(0, after - before) / ops;
}
