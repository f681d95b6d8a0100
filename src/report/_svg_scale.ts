/**
 * Internal: axis scales and tick choice for the inline SVG charts.
 *
 * @module
 */

/** Maps a data value to a pixel coordinate and lists the ticks to draw. */
export interface Scale {
  /** Pixel position of `value`. */
  at(value: number): number;
  /** Values where a tick and grid line go. */
  ticks: number[];
}

/**
 * A linear scale from [min, max] to [from, to] pixels, rounded out to "nice"
 * ticks (1, 2 or 5 times a power of ten).
 *
 * @example
 * ```ts
 * import { linearScale } from "./_svg_scale.ts";
 * const y = linearScale(0, 997, 200, 0);
 * console.log(y.ticks); // [0, 200, 400, 600, 800, 1000]
 * ```
 */
export function linearScale(min: number, max: number, from: number, to: number, count = 5): Scale {
  let lo = Math.min(min, max);
  let hi = Math.max(min, max);
  if (hi === lo) hi = lo === 0 ? 1 : lo * 1.1 + 1;
  const step = niceStep((hi - lo) / count);
  lo = Math.floor(lo / step) * step;
  hi = Math.ceil(hi / step) * step;
  const ticks: number[] = [];
  for (let v = lo; v <= hi + step / 2; v += step) ticks.push(roundTo(v, step));
  return { at: (value) => from + ((value - lo) / (hi - lo)) * (to - from), ticks };
}

/**
 * A base-10 logarithmic scale from [min, max] (both > 0) to [from, to]
 * pixels, with ticks at 1, 2 and 5 times powers of ten (thinned when there
 * are many decades).
 *
 * @example
 * ```ts
 * import { logScale } from "./_svg_scale.ts";
 * const x = logScale(0.3, 1003, 0, 600);
 * console.log(x.ticks.includes(1) && x.ticks.includes(1000)); // true
 * ```
 */
export function logScale(min: number, max: number, from: number, to: number): Scale {
  const lo = Math.pow(10, Math.floor(Math.log10(Math.max(min, 1e-9))));
  let hi = Math.pow(10, Math.ceil(Math.log10(Math.max(max, min, 1e-9))));
  if (hi <= lo) hi = lo * 10;
  const decades = Math.round(Math.log10(hi / lo));
  const multiples = decades <= 2 ? [1, 2, 5] : decades <= 4 ? [1, 3] : [1];
  const ticks: number[] = [];
  for (let d = 0; d <= decades; d++) {
    for (const m of multiples) {
      const v = roundSignificant(lo * Math.pow(10, d) * m);
      if (v <= hi * 1.0001) ticks.push(v);
    }
  }
  const span = Math.log10(hi / lo);
  return {
    at: (value) => from + (Math.log10(Math.max(value, lo) / lo) / span) * (to - from),
    ticks,
  };
}

function niceStep(raw: number): number {
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const fraction = raw / power;
  const nice = fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * power;
}

function roundTo(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)));
  return Number(value.toFixed(Math.min(decimals, 12)));
}

function roundSignificant(value: number): number {
  return Number(value.toPrecision(6));
}
