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

let allocationSink: unknown = null;

function medianBatchBytes(fn: (i: number) => void, batch: number, batches: number): number {
  const deltas: number[] = [];
  for (let b = 0; b < batches; b++) {
    const before = system.memory().heapUsed;
    for (let i = 0; i < batch; i++) fn(b * batch + i);
    const delta = system.memory().heapUsed - before;
    if (delta >= 0) deltas.push(delta); // a batch that a scavenge cut short reads negative
  }
  if (deltas.length === 0) return NaN;
  deltas.sort((x, y) => x - y);
  return deltas[Math.floor(deltas.length / 2)] / batch;
}

/**
 * Bytes allocated per op by `fn`, garbage included: the median heap growth
 * of short batches (1000 ops), short enough that a young-generation GC rarely
 * falls inside one. Unlike {@linkcode heapBytesPerOp} this sees short-lived
 * garbage (a boxed number reads 16 bytes on V8). NaN where the runtime's
 * heap figure moves only at GC (Bun's JavaScriptCore): checked by timing a
 * known allocation first, so the figure is never a false 0.
 *
 * @example
 * ```ts
 * import { allocatedBytesPerOp } from "./heap.ts";
 * const f64 = new Float64Array(16);
 * console.log(allocatedBytesPerOp((i) => { f64[i & 15] = i; })); // 0 on Deno, NaN on Bun
 * ```
 */
export function allocatedBytesPerOp(fn: (i: number) => void): number {
  const known = (i: number): void => {
    allocationSink = { i };
  };
  for (let i = 0; i < 200_000; i++) known(i);
  if (!(medianBatchBytes(known, 1000, 50) >= 8)) return NaN; // cannot see a 16+ byte object: not measurable
  for (let i = 0; i < 1_000_000; i++) fn(i); // warm up until the optimizing JIT has compiled it
  return allocationSink === undefined ? NaN : medianBatchBytes(fn, 1000, 400);
}
