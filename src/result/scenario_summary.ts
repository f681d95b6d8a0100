/**
 * The scenario part of a run result.
 *
 * @module
 */
import type { NamedStats } from "../collector/named_lanes.ts";

/** Iterations, checks and iteration errors of a scenario run. */
export interface ScenarioSummary {
  /** The scenario module as given. */
  file: string;
  /** Iterations: count, failures (`errors`), duration percentiles (from the intended start in the open model). */
  iterations: NamedStats;
  /** Pass and fail counts per check name. */
  checks: Array<{ name: string; passes: number; fails: number }>;
  /** Up to 10 distinct iteration error messages with their counts, most frequent first. */
  errors: Array<{ message: string; count: number }>;
  /** Iterations that did not settle within the iteration timeout. */
  timedOut: number;
  /** Iterations still running when the run ended (abandoned, not counted as failures). */
  abandoned: number;
  /** Step names that did not fit the name table (counted under "other"). */
  overflowedNames: number;
}
