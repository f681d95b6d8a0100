/**
 * Ordinary least-squares line through points: the slope is the heap growth
 * rate that the leak verdicts judge.
 *
 * @module
 */

/** A fitted line `y = intercept + slope * x`. */
export interface LinearFit {
  /** Points used. */
  n: number;
  /** Change of y per unit of x. */
  slope: number;
  /** y at x = 0. */
  intercept: number;
  /** Standard error of the slope (0 with fewer than 3 points). */
  slopeStdError: number;
  /** Coefficient of determination, 0..1 (1 when y is constant). */
  r2: number;
}

/**
 * Fits `y = a + b·x` by least squares. Needs at least two points with
 * different x; throws a RangeError otherwise.
 *
 * @example
 * ```ts
 * import { linearFit } from "./linear_fit.ts";
 * const fit = linearFit([0, 1, 2, 3], [10, 12, 14, 16]);
 * fit.slope; // 2
 * fit.intercept; // 10
 * ```
 */
export function linearFit(xs: readonly number[], ys: readonly number[]): LinearFit {
  const n = xs.length;
  if (n !== ys.length) throw new RangeError(`Cannot fit a line: ${n} x values but ${ys.length} y values`);
  if (n < 2) throw new RangeError(`Cannot fit a line: need at least 2 points, got ${n}`);
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += xs[i];
    my += ys[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i] - mx;
    const dy = ys[i] - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) throw new RangeError("Cannot fit a line: all x values are equal");
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  const residual = Math.max(0, syy - slope * sxy); // sum of squared residuals
  const slopeStdError = n > 2 ? Math.sqrt(residual / (n - 2) / sxx) : 0;
  const r2 = syy === 0 ? 1 : Math.max(0, Math.min(1, 1 - residual / syy));
  return { n, slope, intercept, slopeStdError, r2 };
}
