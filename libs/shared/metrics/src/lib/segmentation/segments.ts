/** Segments numbered by size, their profiles, and the assignment of new clients (docs/metrics.md). */
import { squaredDistance } from './quality';

/**
 * Renumbers segments by size, largest first; ties by the lowest centroid value on the first item.
 * Returns the new cluster of every point, the centroids in the new order and the sizes.
 */
export function numberBySize(
  clusters: readonly number[],
  centroids: readonly number[][],
): { clusters: number[]; centroids: number[][]; sizes: number[] } {
  const k = centroids.length;
  const sizes = new Array<number>(k).fill(0);
  for (const c of clusters) sizes[c]++;
  const order = Array.from({ length: k }, (_, c) => c).sort(
    (a, b) => sizes[b] - sizes[a] || (centroids[a][0] ?? 0) - (centroids[b][0] ?? 0) || a - b,
  );
  const newIndex = new Array<number>(k);
  order.forEach((old, i) => (newIndex[old] = i));
  return {
    clusters: clusters.map((c) => newIndex[c]),
    centroids: order.map((old) => [...centroids[old]]),
    sizes: order.map((old) => sizes[old]),
  };
}

export interface ProfileRow {
  segment: number;
  item: string;
  /** Mean of the answers given in the segment (imputed values left out); null when none. */
  mean: number | null;
  /** Share of the answers given that are 4 or 5; null when none. */
  agreeShare: number | null;
  /** Segment's mean z minus the mean z of all clients outside it. */
  z: number | null;
  flag: 'high' | 'low' | null;
}

/** Above this difference in SD units a profile cell is flagged (the study's 0.1). */
export const PROFILE_FLAG = 0.1;

export function profile(
  raw: readonly (number | null)[][],
  z: readonly number[][],
  clusters: readonly number[],
  k: number,
  items: readonly string[],
): ProfileRow[] {
  const rows: ProfileRow[] = [];
  for (let s = 0; s < k; s++) {
    for (let j = 0; j < items.length; j++) {
      let given = 0;
      let sum = 0;
      let agree = 0;
      let zIn = 0;
      let nIn = 0;
      let zOut = 0;
      let nOut = 0;
      clusters.forEach((c, i) => {
        if (c === s) {
          nIn++;
          zIn += z[i][j];
          const v = raw[i][j];
          if (v !== null) {
            given++;
            sum += v;
            if (v >= 4) agree++;
          }
        } else {
          nOut++;
          zOut += z[i][j];
        }
      });
      const diff = nIn && nOut ? zIn / nIn - zOut / nOut : null;
      rows.push({
        segment: s,
        item: items[j],
        mean: given ? sum / given : null,
        agreeShare: given ? agree / given : null,
        z: diff,
        flag: diff === null ? null : diff > PROFILE_FLAG ? 'high' : diff < -PROFILE_FLAG ? 'low' : null,
      });
    }
  }
  return rows;
}

/** The nearest centroid (squared Euclidean distance; ties: the lowest segment number). */
export function nearestSegment(point: readonly number[], centroids: readonly number[][]): number {
  let best = 0;
  let bestD = Infinity;
  centroids.forEach((c, i) => {
    const d = squaredDistance(point, c);
    if (d < bestD) {
      bestD = d;
      best = i;
    }
  });
  return best;
}
