/**
 * Test-only slowdown, the positive control of the bench's speed gate
 * (`bench/_lib/speed_gate.ts`): `LUNGE_TEST_SLOWDOWN=F` (F > 1) makes each
 * response cost the client about F times the CPU it costs now, as an F×
 * slower client would. Every {@linkcode RESPONSES_PER_SPIN} responses the
 * thread spins until the process has spent (F - 1) times the CPU it spent
 * since the previous spin ended: the sends, reads, parsing and recording of
 * those responses, the kernel's share included (about two thirds of a request's CPU on loopback,
 * which a spin sized from the JavaScript work alone would leave out). CPU, not
 * wall time: on a busy machine a wall-clock gap also holds the time other
 * processes ran and the waits for the server, and the spin came out 3× too
 * long that way. The CPU is the process's (`system.cpuTimeMs()`), so the
 * factor holds for one load worker (`-w 1`, the gate's setting); with more,
 * each also spins for the others' work. Reading the process CPU is a system
 * call of 1-2 µs, a good part of a response's ~10 µs: read for every
 * response, it came out 3× instead of 2×; read every 64 it is amortised away.
 *
 * Read once when the module loads; unset (the default) it is 0 and the hot
 * path pays one test of a constant.
 *
 * @module
 */
import { system } from "../runtime/mod.ts";

function parseFactor(raw: string | undefined): number {
  const factor = Number(raw ?? "");
  return Number.isFinite(factor) && factor > 1 ? factor : 0;
}

/**
 * The slowdown factor from `LUNGE_TEST_SLOWDOWN`, or 0 when unset or not above 1.
 *
 * @example
 * ```ts
 * import { TEST_SLOWDOWN } from "./test_slowdown.ts";
 * console.log(TEST_SLOWDOWN === 0 ? "off" : `x${TEST_SLOWDOWN}`);
 * ```
 */
export const TEST_SLOWDOWN: number = parseFactor(system.env("LUNGE_TEST_SLOWDOWN"));

/** Responses between two spins (see the module doc). */
const RESPONSES_PER_SPIN = 64;

/** Process CPU (ms) when the last spin ended; 0 before the first response. */
let lastSpinEndCpuMs = 0;
/** Responses since the last spin. */
let responses = 0;

/**
 * Counts a response; every {@linkcode RESPONSES_PER_SPIN} of them, spins until
 * the process has spent (`TEST_SLOWDOWN` - 1) × the CPU it spent since the
 * previous spin. Call it once per response, only when `TEST_SLOWDOWN !== 0`.
 *
 * @example
 * ```ts
 * import { spinForTestSlowdown, TEST_SLOWDOWN } from "./test_slowdown.ts";
 * if (TEST_SLOWDOWN !== 0) spinForTestSlowdown();
 * ```
 */
export function spinForTestSlowdown(): void {
  if (++responses < RESPONSES_PER_SPIN) return;
  responses = 0;
  const now = system.cpuTimeMs();
  if (lastSpinEndCpuMs !== 0) {
    const until = now + (TEST_SLOWDOWN - 1) * (now - lastSpinEndCpuMs);
    while (system.cpuTimeMs() < until) {
      // Busy on purpose: the CPU a slower client would spend on this response.
    }
  }
  lastSpinEndCpuMs = system.cpuTimeMs();
}
