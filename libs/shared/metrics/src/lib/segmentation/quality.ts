/** Scenario figures (metrics.md "Segmentation"): within-SS, silhouette, Calinski-Harabasz. */

export function squaredDistance(
  a: readonly number[],
  b: readonly number[],
): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) {
    const d = a[j] - b[j];
    s += d * d;
  }
  return s;
}

/** Centroids as the mean of each segment's points (a segment without points keeps zeros). */
export function centroidsOf(
  z: readonly number[][],
  clusters: readonly number[],
  k: number,
): number[][] {
  const d = z[0]?.length ?? 0;
  const sums = Array.from({ length: k }, () => new Array<number>(d).fill(0));
  const counts = new Array<number>(k).fill(0);
  z.forEach((p, i) => {
    const c = clusters[i];
    counts[c]++;
    for (let j = 0; j < d; j++) sums[c][j] += p[j];
  });
  return sums.map((s, c) => s.map((v) => (counts[c] ? v / counts[c] : 0)));
}

/** sum_i |z_i - centroid(segment(i))|^2 */
export function withinSS(
  z: readonly number[][],
  clusters: readonly number[],
  centroids: readonly number[][],
): number {
  let s = 0;
  z.forEach((p, i) => (s += squaredDistance(p, centroids[clusters[i]])));
  return s;
}

/** between-SS/(k-1) divided by within-SS/(n-k); null when undefined (k < 2, n <= k, within 0). */
export function calinskiHarabasz(
  z: readonly number[][],
  clusters: readonly number[],
  centroids: readonly number[][],
): number | null {
  const n = z.length;
  const k = centroids.length;
  if (k < 2 || n <= k) return null;
  const d = z[0].length;
  const overall = new Array<number>(d).fill(0);
  for (const p of z) for (let j = 0; j < d; j++) overall[j] += p[j] / n;
  const counts = new Array<number>(k).fill(0);
  for (const c of clusters) counts[c]++;
  let between = 0;
  centroids.forEach(
    (c, i) => (between += counts[i] * squaredDistance(c, overall)),
  );
  const within = withinSS(z, clusters, centroids);
  if (within === 0) return null;
  return between / (k - 1) / (within / (n - k));
}

/** Deterministic PRNG (mulberry32) for seeded samples. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The silhouette is exact up to this many clients, else computed on a seeded sample of this size. */
export const SILHOUETTE_SAMPLE = 5000;

/**
 * Mean silhouette width with Euclidean distance. For a point, a = mean distance to the other points
 * of its segment, b = the lowest mean distance to another segment's points, s = (b - a) / max(a, b);
 * a point alone in its segment has s = 0. Null when k < 2.
 */
export function silhouette(
  z: readonly number[][],
  clusters: readonly number[],
  k: number,
  seed = 1,
  sampleSize = SILHOUETTE_SAMPLE,
): number | null {
  if (k < 2 || z.length < 2) return null;
  let idx = z.map((_, i) => i);
  if (idx.length > sampleSize) {
    // Partial Fisher-Yates with a seeded PRNG: the same seed, the same sample.
    const rnd = seededRandom(seed);
    for (let i = 0; i < sampleSize; i++) {
      const j = i + Math.floor(rnd() * (idx.length - i));
      [idx[i], idx[j]] = [idx[j], idx[i]];
    }
    idx = idx.slice(0, sampleSize).sort((a, b) => a - b);
  }
  const sizes = new Array<number>(k).fill(0);
  for (const i of idx) sizes[clusters[i]]++;
  let total = 0;
  const sums = new Array<number>(k);
  for (const i of idx) {
    sums.fill(0);
    for (const j of idx)
      if (j !== i) sums[clusters[j]] += Math.sqrt(squaredDistance(z[i], z[j]));
    const own = clusters[i];
    if (sizes[own] <= 1) continue; // s = 0
    const a = sums[own] / (sizes[own] - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++)
      if (c !== own && sizes[c] > 0) b = Math.min(b, sums[c] / sizes[c]);
    if (b === Infinity) continue;
    const m = Math.max(a, b);
    total += m > 0 ? (b - a) / m : 0;
  }
  return total / idx.length;
}
