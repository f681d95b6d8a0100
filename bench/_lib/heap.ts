/** Heap growth of a loop, per operation, measured around forced GCs. */
import { system } from "../../src/runtime/mod.ts";

function growth(ops: number, fn: (i: number) => void): number {
  system.gc();
  const before = system.memory().heapUsed;
  for (let i = 0; i < ops; i++) fn(i);
  return system.memory().heapUsed - before; // no GC: counts garbage as well as retained objects
}

/**
 * Bytes of heap allocated or retained per op by `fn` (NaN if GC cannot be
 * forced). Measured as the slope between `ops` and `2 * ops` calls, so that a
 * constant (a timer firing once, a lazily created object) does not count as a
 * per-op cost.
 */
export function heapBytesPerOp(ops: number, fn: (i: number) => void): number {
  for (let i = 0; i < 1_000_000; i++) fn(i); // warm up until the optimizing JIT has compiled it
  if (!system.gc()) return NaN;
  const once = growth(ops, fn);
  const twice = growth(2 * ops, fn);
  return Math.max(0, twice - once) / ops;
}
