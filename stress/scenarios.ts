/**
 * The stress scenarios: a steady baseline, a high steady rate, a burst
 * (rapid scaling) and a soak, scaled to a 2-core machine.
 *
 * @module
 */

/** Names of the scenarios. */
export type ScenarioName = "baseline" | "high" | "burst" | "soak";

/** What a scenario runs. */
export interface Scenario {
  name: ScenarioName;
  /** One line for `--help` and the summary. */
  description: string;
  /** Peak arrival rate, requests/s (open model). */
  rate: number;
  /** Measured duration in ms (ramps included); null when the user must give it (`soak`). */
  durationMs: number | null;
  /** Linear ramp from 0 at the start, ms. */
  rampUpMs: number;
  /** Linear ramp down to 0 at the end, ms. */
  rampDownMs: number;
  /** Idle time after the load, still sampled (memory must come back down), ms. */
  idleAfterMs: number;
  /** Whether the achieved rate must be within the throughput tolerance of `rate`. */
  checkThroughput: boolean;
}

/** The default rate: the 10,000 req/s the collector was built to hold for minutes. */
export const BASELINE_RATE = 10_000;

/**
 * The highest open-model rate this kind of machine (2 cores, load generator
 * and target on the same box) sustains with the built-in target, found by
 * measurement: see docs/stress.md ("How `high` was found").
 */
export const HIGH_RATE = 80_000;

/** A moderate rate for long soaks: a fifth of the baseline. */
export const SOAK_RATE = 2_000;

/** Every scenario by name. */
export const SCENARIOS: Readonly<Record<ScenarioName, Scenario>> = Object.freeze({
  baseline: {
    name: "baseline",
    description: `${BASELINE_RATE.toLocaleString("en-US")} req/s for 5 min`,
    rate: BASELINE_RATE,
    durationMs: 5 * 60_000,
    rampUpMs: 0,
    rampDownMs: 0,
    idleAfterMs: 0,
    checkThroughput: true,
  },
  high: {
    name: "high",
    description: `${HIGH_RATE.toLocaleString("en-US")} req/s (the measured maximum) for 60 s`,
    rate: HIGH_RATE,
    durationMs: 60_000,
    rampUpMs: 0,
    rampDownMs: 0,
    idleAfterMs: 0,
    checkThroughput: false,
  },
  burst: {
    name: "burst",
    description: `0 to ${HIGH_RATE.toLocaleString("en-US")} req/s in 1 s, 10 s there, back to idle`,
    rate: HIGH_RATE,
    durationMs: 12_000,
    rampUpMs: 1_000,
    rampDownMs: 1_000,
    idleAfterMs: 10_000,
    checkThroughput: false,
  },
  soak: {
    name: "soak",
    description: `${SOAK_RATE.toLocaleString("en-US")} req/s for as long as --duration says`,
    rate: SOAK_RATE,
    durationMs: null,
    rampUpMs: 0,
    rampDownMs: 0,
    idleAfterMs: 0,
    checkThroughput: false,
  },
});

/**
 * Whether `name` is a scenario name.
 *
 * @example
 * ```ts
 * import { isScenarioName } from "./scenarios.ts";
 * isScenarioName("burst"); // true
 * isScenarioName("spike"); // false
 * ```
 */
export function isScenarioName(name: string): name is ScenarioName {
  return Object.hasOwn(SCENARIOS, name);
}
