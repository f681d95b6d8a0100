/**
 * Test-only leaks, the positive controls of the stress memory verdicts: a
 * thread that retains memory at a steady rate, as a real leak would. Each is
 * switched on by an environment variable holding bytes per second
 * (`LUNGE_TEST_LEAK_WORKER_HEAP`, `LUNGE_TEST_LEAK_WORKER_BUFFERS`,
 * `LUNGE_TEST_LEAK_TARGET_HEAP`), read once when a thread starts; unset,
 * nothing runs and nothing is allocated. The load path never looks at them:
 * the leak runs on its own timer. Here, beside the environment access,
 * because both the load workers and the target use it.
 *
 * @module
 */
import { system } from "./mod.ts";

/** What a test leak retains: JS objects (the heap) or filled `ArrayBuffer`s (outside the JS heap on V8). */
export type TestLeakKind = "heap" | "buffers";

/** Retentions per second: small steps, so that the growth reads as a line, not as a staircase. */
const STEPS_PER_SECOND = 10;

/**
 * The rate in bytes per second that environment variable `name` asks for,
 * or 0 when it is unset, empty or not a positive number.
 *
 * @example
 * ```ts
 * import { testLeakRate } from "./test_leak.ts";
 * testLeakRate("LUNGE_TEST_LEAK_WORKER_HEAP"); // 0 unless a test set it
 * ```
 */
export function testLeakRate(name: string): number {
  const rate = Number(system.env(name) ?? "");
  return Number.isFinite(rate) && rate > 0 ? rate : 0;
}

/**
 * Retains about `bytesPerSecond` of `kind` memory on this thread until the
 * returned function is called (the timer does not keep the process alive).
 *
 * @example
 * ```ts
 * import { startTestLeak } from "./test_leak.ts";
 * const stop = startTestLeak("heap", 1024 * 1024); // 1 MiB/s of JS objects
 * stop();
 * ```
 */
export function startTestLeak(kind: TestLeakKind, bytesPerSecond: number): () => void {
  const kept: unknown[] = [];
  const bytes = Math.max(8, Math.round(bytesPerSecond / STEPS_PER_SECOND));
  const timer = setInterval(() => {
    if (kind === "buffers") {
      kept.push(new Uint8Array(bytes).fill(1)); // written, so that its pages are resident
    } else {
      // Doubles: 8 bytes each in the heap (an unboxed double array), not a backing store outside it.
      const chunk = new Array<number>(Math.ceil(bytes / 8));
      for (let i = 0; i < chunk.length; i++) chunk[i] = i + 0.5;
      kept.push(chunk);
    }
  }, 1000 / STEPS_PER_SECOND);
  system.unrefTimer(timer);
  return () => {
    clearInterval(timer);
    kept.length = 0;
  };
}
