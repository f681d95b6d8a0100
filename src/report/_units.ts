/**
 * Human units for reports: milliseconds, bytes, counts and durations, written
 * the way oha and k6 print them (short, with a fixed number of significant
 * digits, never in scientific notation).
 *
 * @module
 */

/**
 * Formats a latency in milliseconds with a unit that keeps 3-4 significant
 * digits: `µs` below 1 ms, `ms` below 1 s, `s` above.
 *
 * @example
 * ```ts
 * import { formatMs } from "./_units.ts";
 * formatMs(0.0421); // "42.10µs"
 * formatMs(12.3456); // "12.35ms"
 * formatMs(12_500); // "12.50s"
 * ```
 */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return "-";
  const abs = Math.abs(ms);
  if (abs === 0) return "0ms";
  if (abs < 1) return `${significant(ms * 1000)}µs`;
  if (abs < 1000) return `${significant(ms)}ms`;
  return `${significant(ms / 1000)}s`;
}

const BYTE_UNITS = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"];

/**
 * Formats a byte count with binary units (1 KiB = 1024 B).
 *
 * @example
 * ```ts
 * import { formatBytes } from "./_units.ts";
 * formatBytes(512); // "512 B"
 * formatBytes(1536); // "1.50 KiB"
 * formatBytes(3 * 1024 ** 3); // "3.00 GiB"
 * ```
 */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return "-";
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(2)} ${BYTE_UNITS[unit]}`;
}

/**
 * Formats a count or a rate with thousands separators; fractional values keep
 * up to `decimals` digits (default 0: rounded to an integer).
 *
 * @example
 * ```ts
 * import { formatCount } from "./_units.ts";
 * formatCount(1234567); // "1,234,567"
 * formatCount(9987.44, 1); // "9,987.4"
 * ```
 */
export function formatCount(value: number, decimals = 0): string {
  if (!Number.isFinite(value)) return "-";
  const fixed = Math.abs(value).toFixed(decimals);
  const [whole, fraction] = fixed.split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const sign = value < 0 && Number(fixed) !== 0 ? "-" : "";
  return fraction === undefined ? `${sign}${grouped}` : `${sign}${grouped}.${fraction}`;
}

/**
 * Formats a wall-clock duration given in milliseconds: `850ms`, `12.3s`,
 * `5m02s`, `1h05m00s`.
 *
 * @example
 * ```ts
 * import { formatDuration } from "./_units.ts";
 * formatDuration(850); // "850ms"
 * formatDuration(12_345); // "12.3s"
 * formatDuration(302_000); // "5m02s"
 * formatDuration(3_900_000); // "1h05m00s"
 * ```
 */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms)) return "-";
  if (ms < 0) return `-${formatDuration(-ms)}`;
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(Math.floor(ms / 100) / 10).toFixed(1)}s`;
  const totalSeconds = Math.floor(ms / 1000);
  const seconds = totalSeconds % 60;
  const minutes = Math.floor(totalSeconds / 60) % 60;
  const hours = Math.floor(totalSeconds / 3600);
  const ss = String(seconds).padStart(2, "0");
  if (hours === 0) return `${minutes}m${ss}s`;
  return `${hours}h${String(minutes).padStart(2, "0")}m${ss}s`;
}

/**
 * Formats a ratio (0..1) as a percentage with two decimals.
 *
 * @example
 * ```ts
 * import { formatPercent } from "./_units.ts";
 * formatPercent(0.99971); // "99.97%"
 * ```
 */
export function formatPercent(ratio: number): string {
  if (!Number.isFinite(ratio)) return "-";
  return `${(ratio * 100).toFixed(2)}%`;
}

/** Four significant digits at most, three decimals at most, no trailing noise. */
function significant(value: number): string {
  const abs = Math.abs(value);
  const decimals = abs >= 1000 ? 0 : abs >= 100 ? 1 : abs >= 10 ? 2 : 3;
  return value.toFixed(decimals);
}
