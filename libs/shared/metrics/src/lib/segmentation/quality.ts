/** Scenario figures (docs/metrics.md "Segmentation"): within-SS, silhouette, Calinski-Harabasz. */

/** Rows of z: plain arrays, or views of one shared buffer in the worker threads. */
export type Point = ArrayLike<number>;

export function squaredDistance(a: Point, b: Point): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) {
    const d = a[j] - b[j];
    s += d * d;
  }
  return s;
}

/** Centroids as the mean of each segment's points (a segment without points keeps zeros). */
export function centroidsOf(z: readonly Point[], clusters: readonly number[], k: number): number[][] {
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
export function withinSS(z: readonly Point[], clusters: ArrayLike<number>, centroids: readonly Point[]): number {
  let s = 0;
  for (let i = 0; i < z.length; i++) s += squaredDistance(z[i], centroids[clusters[i]]);
  return s;
}

/** between-SS/(k-1) divided by within-SS/(n-k); null when undefined (k < 2, n <= k, within 0). */
export function calinskiHarabasz(
  z: readonly Point[],
  clusters: ArrayLike<number>,
  centroids: readonly Point[],
): number | null {
  const n = z.length;
  const k = centroids.length;
  if (k < 2 || n <= k) return null;
  const d = z[0].length;
  const overall = new Array<number>(d).fill(0);
  for (const p of z) for (let j = 0; j < d; j++) overall[j] += p[j] / n;
  const counts = new Array<number>(k).fill(0);
  for (let i = 0; i < clusters.length; i++) counts[clusters[i]]++;
  let between = 0;
  centroids.forEach((c, i) => (between += counts[i] * squaredDistance(c, overall)));
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

/** The clients a silhouette is computed on: all up to `sampleSize`, else a seeded sample (sorted). */
export function silhouetteSample(n: number, seed: number, sampleSize = SILHOUETTE_SAMPLE): number[] {
  const idx = Array.from({ length: n }, (_, i) => i);
  if (n <= sampleSize) return idx;
  // Partial Fisher-Yates with a seeded PRNG: the same seed, the same sample.
  const rnd = seededRandom(seed);
  for (let i = 0; i < sampleSize; i++) {
    const j = i + Math.floor(rnd() * (n - i));
    [idx[i], idx[j]] = [idx[j], idx[i]];
  }
  return idx.slice(0, sampleSize).sort((a, b) => a - b);
}

/** One scenario's segments of the sampled clients (`clusters[p]` for `sample[p]`). */
export interface SampleLabels {
  k: number;
  clusters: ArrayLike<number>;
}

/**
 * Sum of the silhouette widths of sample positions `from..to-1`, for several scenarios in one pass
 * over the pairs (each distance computed once, whatever the number of scenarios). For a point,
 * a = mean distance to the other points of its segment, b = the lowest mean distance to another
 * segment's points, s = (b - a) / max(a, b); a point alone in its segment has s = 0.
 */
export function silhouetteSums(
  z: readonly Point[],
  sample: readonly number[],
  labels: readonly SampleLabels[],
  from = 0,
  to = sample.length,
): number[] {
  const m = sample.length;
  const sizes = labels.map((l) => {
    const s = new Array<number>(l.k).fill(0);
    for (let p = 0; p < m; p++) s[l.clusters[p]]++;
    return s;
  });
  const sums = labels.map((l) => new Float64Array(l.k));
  const totals = labels.map(() => 0);
  for (let p = from; p < to; p++) {
    for (const s of sums) s.fill(0);
    const zi = z[sample[p]];
    for (let q = 0; q < m; q++) {
      if (q === p) continue;
      const dist = Math.sqrt(squaredDistance(zi, z[sample[q]]));
      for (let l = 0; l < labels.length; l++) sums[l][labels[l].clusters[q]] += dist;
    }
    labels.forEach((l, li) => {
      const own = l.clusters[p];
      const size = sizes[li];
      if (size[own] <= 1) return; // s = 0
      const a = sums[li][own] / (size[own] - 1);
      let b = Infinity;
      for (let c = 0; c < l.k; c++) if (c !== own && size[c] > 0) b = Math.min(b, sums[li][c] / size[c]);
      if (b === Infinity) return;
      const max = Math.max(a, b);
      totals[li] += max > 0 ? (b - a) / max : 0;
    });
  }
  return totals;
}

/**
 * Mean silhouette width with Euclidean distance (see `silhouetteSums`), exact up to `sampleSize`
 * clients, else over a seeded sample of that size. Null when k < 2.
 */
export function silhouette(
  z: readonly Point[],
  clusters: ArrayLike<number>,
  k: number,
  seed = 1,
  sampleSize = SILHOUETTE_SAMPLE,
): number | null {
  if (k < 2 || z.length < 2) return null;
  const sample = silhouetteSample(z.length, seed, sampleSize);
  const labels = { k, clusters: sample.map((i) => clusters[i]) };
  return silhouetteSums(z, sample, [labels])[0] / sample.length;
}
