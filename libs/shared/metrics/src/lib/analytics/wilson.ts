/** The z of a two-sided 95% interval, as docs/metrics.md fixes it. */
export const Z95 = 1.959964;

export interface Interval {
  low: number;
  high: number;
}

/**
 * Wilson score interval for k successes out of n (docs/metrics.md): better than the normal
 * approximation for small n and for shares near 0 or 1. Null when n is 0.
 */
export function wilson(k: number, n: number, z = Z95): Interval | null {
  if (n <= 0) return null;
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  // At the ends the interval is exactly 0 or 1; floating point would give 5e-17.
  return {
    low: k === 0 ? 0 : Math.max(0, centre - half),
    high: k === n ? 1 : Math.min(1, centre + half),
  };
}

/** share, ciLow and ciHigh of k out of n; nulls when n is 0. */
export function shareWithInterval(
  k: number,
  n: number,
): { share: number | null; ciLow: number | null; ciHigh: number | null } {
  const ci = wilson(k, n);
  return {
    share: n > 0 ? k / n : null,
    ciLow: ci?.low ?? null,
    ciHigh: ci?.high ?? null,
  };
}
