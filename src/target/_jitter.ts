/**
 * Latency distributions of the target's `/jitter` route.
 *
 * @module
 */

/** Distributions `/jitter?dist=` accepts. */
export type JitterDistribution = "uniform" | "normal" | "lognormal" | "exponential";

/** A parsed `/jitter` query: draw from `dist`, then clamp to `[min, max]` (milliseconds). */
export interface JitterSpec {
  /** Distribution to draw from (`normal` by default in `parseJitter`). */
  dist: JitterDistribution;
  /** Mean delay in ms (default 10); for `uniform` it only sets the default `max` (2 * mean). */
  mean: number;
  /** Standard deviation in ms for `normal` and `lognormal` (default mean / 4); unused by the others. */
  stddev: number;
  /** Lower clamp in ms, and the low end of the `uniform` range (default 0). */
  min: number;
  /** Upper clamp in ms, and the high end of the `uniform` range (default the route's max delay). */
  max: number;
}

const DISTRIBUTIONS: readonly string[] = ["uniform", "normal", "lognormal", "exponential"];

/** Defaults: a normal distribution around 10 ms with a 2.5 ms standard deviation. */
export const DEFAULT_JITTER_MEAN_MS = 10;

function numberParam(
  get: (name: string) => string | undefined,
  name: string,
  fallback: number,
): number | string {
  const raw = get(name);
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) return `"${name}" must be a number >= 0, got "${raw}"`;
  return value;
}

/**
 * Parses `/jitter` query parameters: `dist` (`uniform|normal|lognormal|exponential`,
 * default `normal`), `mean` (default 10), `stddev` (default mean/4), `min`
 * (default 0) and `max` (default `maxDelayMs`; for `uniform` the default range
 * is `[min, 2*mean]`). Returns an error message for bad input.
 *
 * @example
 * ```ts
 * import { parseJitter } from "./_jitter.ts";
 * const q = new URLSearchParams("dist=exponential&mean=5");
 * const spec = parseJitter((k) => q.get(k) ?? undefined, 60_000);
 * console.log(typeof spec === "string" ? spec : spec.dist); // "exponential"
 * ```
 */
export function parseJitter(
  get: (name: string) => string | undefined,
  maxDelayMs: number,
): JitterSpec | string {
  const dist = get("dist") ?? "normal";
  if (!DISTRIBUTIONS.includes(dist)) {
    return `"dist" must be one of ${DISTRIBUTIONS.join(", ")}, got "${dist}"`;
  }
  const mean = numberParam(get, "mean", DEFAULT_JITTER_MEAN_MS);
  if (typeof mean === "string") return mean;
  const stddev = numberParam(get, "stddev", mean / 4);
  if (typeof stddev === "string") return stddev;
  const min = numberParam(get, "min", 0);
  if (typeof min === "string") return min;
  const max = numberParam(get, "max", dist === "uniform" ? Math.min(2 * mean, maxDelayMs) : maxDelayMs);
  if (typeof max === "string") return max;
  if (min > max) return `"min" (${min}) must be <= "max" (${max})`;
  if (max > maxDelayMs) return `"max" must be <= ${maxDelayMs}, got ${max}`;
  return { dist: dist as JitterDistribution, mean, stddev, min, max };
}

function standardNormal(random: () => number): number {
  // Box-Muller; 1 - random() keeps the logarithm's argument in (0, 1].
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * Draws one delay in milliseconds from `spec`, clamped to `[min, max]`.
 * `lognormal` is parameterised by the mean and standard deviation of the
 * delay itself (not of its logarithm).
 *
 * @example
 * ```ts
 * import { sampleJitter } from "./_jitter.ts";
 * const ms = sampleJitter({ dist: "uniform", mean: 10, stddev: 0, min: 5, max: 15 });
 * console.log(ms >= 5 && ms <= 15); // true
 * ```
 */
export function sampleJitter(spec: JitterSpec, random: () => number = Math.random): number {
  let value: number;
  switch (spec.dist) {
    case "uniform":
      value = spec.min + (spec.max - spec.min) * random();
      break;
    case "normal":
      value = spec.mean + spec.stddev * standardNormal(random);
      break;
    case "lognormal": {
      if (spec.mean === 0) {
        value = 0;
        break;
      }
      const sigma2 = Math.log(1 + (spec.stddev * spec.stddev) / (spec.mean * spec.mean));
      const mu = Math.log(spec.mean) - sigma2 / 2;
      value = Math.exp(mu + Math.sqrt(sigma2) * standardNormal(random));
      break;
    }
    case "exponential":
      value = -spec.mean * Math.log(1 - random());
      break;
  }
  return Math.min(spec.max, Math.max(spec.min, value));
}
