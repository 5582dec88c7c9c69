/**
 * Scenarios k = kMin..kMax (docs/metrics.md "Segmentation"): per k, `restarts` k-means++ runs from seeds
 * derived from `seed`, the one with the lowest within-SS kept, segments numbered by size, then
 * silhouette and Calinski-Harabasz. The k-means iterations are ml-kmeans's (ESM-only, so the
 * function is passed in: the worker thread imports it, tests too); the seeding and the driving
 * around it are ours.
 *
 * Driving (the sweep target: 100,000 clients, k = 2..12, 10 restarts in 60 s on 2 cores): up to
 * SCREEN_SAMPLE clients every restart runs on all of them to convergence (tolerance 1e-6), as
 * plainly as the definition reads. Above that, every restart is *screened* on one seeded sample of
 * SCREEN_SAMPLE clients (looser tolerance, 1e-4), and the FINISHED_PER_K restarts with the lowest
 * within-SS on the sample are *finished* on all clients from their sample centroids (tolerance
 * 1e-6, at most `maxIterations`); the lowest within-SS on all clients is kept. Starting from
 * centroids that already fit, the full-data iterations are few. Measured on 100,000 study-shaped
 * clients: within-SS per k equal to or below a plain full run's, at about 0.4 of the anchor's
 * time (docs/segmentation.md).
 */
import {
  calinskiHarabasz,
  centroidsOf,
  type Point,
  type SampleLabels,
  silhouetteSample,
  silhouetteSums,
  withinSS,
} from './quality';
import { numberBySize } from './segments';
import { kmeansPlusPlus } from './seeding';

/** The shape of ml-kmeans 7's `kmeans(data, k, options)`, started from given centres. */
export type KmeansFn = (
  data: Point[],
  k: number,
  options: {
    initialization: number[][];
    maxIterations: number;
    tolerance: number;
  },
) => {
  clusters: number[];
  centroids: number[][];
  iterations: number;
  converged: boolean;
};

export interface ScenarioOptions {
  kMin: number;
  kMax: number;
  restarts: number;
  seed: number;
  maxIterations?: number;
}

/** Restarts are screened on a sample of this many clients when there are more. */
export const SCREEN_SAMPLE = 10_000;
/** The best this many screened restarts per k are finished on all clients. */
export const FINISHED_PER_K = 3;
/** ml-kmeans's stop: every centroid moved less than this (squared, in z units). */
export const FINAL_TOLERANCE = 1e-6;
export const SCREEN_TOLERANCE = 1e-4;

/** One k's kept run, before the silhouette (computed for all scenarios at once). */
export interface ScenarioFit {
  k: number;
  sizes: number[];
  withinSS: number;
  calinskiHarabasz: number | null;
  /** Segment of every client (numbered by size), and the centroids in z units. */
  clusters: number[];
  centroids: number[][];
}

export interface Scenario extends ScenarioFit {
  silhouette: number | null;
}

/** The seed of restart `r` for `k`: fixed by the run's seed, different for every (k, r). */
export function restartSeed(seed: number, k: number, r: number): number {
  return (Math.imul(seed >>> 0, 1_000_003) + Math.imul(k, 10_007) + r + 1) >>> 0;
}

/** The clients restarts are screened on (null: all of them, there are few enough). */
export function screeningSample(z: readonly Point[], seed: number, size = SCREEN_SAMPLE): Point[] | null {
  if (z.length <= size) return null;
  return silhouetteSample(z.length, (seed ^ 0x5eed) >>> 0, size).map((i) => z[i]);
}

interface Fit {
  clusters: number[];
  centroids: number[][];
  withinSS: number;
}

function fit(
  data: Point[],
  k: number,
  start: number[][],
  kmeans: KmeansFn,
  maxIterations: number,
  tolerance: number,
): Fit {
  const run = kmeans(data, k, {
    initialization: start,
    maxIterations,
    tolerance,
  });
  // Centroids as the means of the final clusters: ml-kmeans returns the ones it last moved to.
  const centroids = centroidsOf(data, run.clusters, k);
  return {
    clusters: run.clusters,
    centroids,
    withinSS: withinSS(data, run.clusters, centroids),
  };
}

/**
 * The screened restarts finished on all clients: the `n` with the lowest sample within-SS (ties:
 * the earlier restart). Restarts that ended in the same partition are not merged: measured at
 * 100,000 clients, finishing one per distinct optimum saved no time against the anchor and once
 * kept a k 0.1% above a plain run, where finishing the three best as they are did not.
 */
export function pickFinalists(sampleWithinSS: readonly number[], n = FINISHED_PER_K): number[] {
  return sampleWithinSS
    .map((ss, r) => ({ ss, r }))
    .sort((a, b) => a.ss - b.ss || a.r - b.r)
    .slice(0, n)
    .map((c) => c.r);
}

/** The best of `restarts` runs for one k; `onRestart` after each restart (progress, cancelling). */
export function bestOfRestarts(
  z: Point[],
  k: number,
  o: ScenarioOptions,
  kmeans: KmeansFn,
  onRestart?: () => void,
  sample: Point[] | null = screeningSample(z, o.seed),
): ScenarioFit {
  if (o.restarts < 1) throw new Error('restarts must be at least 1');
  const maxIterations = o.maxIterations ?? 100;
  let best: Fit | null = null;
  if (!sample) {
    for (let r = 0; r < o.restarts; r++) {
      const start = kmeansPlusPlus(z, k, restartSeed(o.seed, k, r));
      const f = fit(z, k, start, kmeans, maxIterations, FINAL_TOLERANCE);
      if (best === null || f.withinSS < best.withinSS) best = f;
      onRestart?.();
    }
  } else {
    const screened: Fit[] = [];
    for (let r = 0; r < o.restarts; r++) {
      const start = kmeansPlusPlus(sample, k, restartSeed(o.seed, k, r));
      screened.push(fit(sample, k, start, kmeans, maxIterations, SCREEN_TOLERANCE));
      if (r < o.restarts - 1) onRestart?.();
    }
    const finalists = pickFinalists(screened.map((f) => f.withinSS)).map((r) => ({ f: screened[r] }));
    for (const { f: s } of finalists) {
      const f = fit(z, k, s.centroids, kmeans, maxIterations, FINAL_TOLERANCE);
      if (best === null || f.withinSS < best.withinSS) best = f;
    }
    onRestart?.();
  }
  const kept = best as Fit;
  const numbered = numberBySize(kept.clusters, kept.centroids);
  return {
    k,
    sizes: numbered.sizes,
    withinSS: kept.withinSS,
    calinskiHarabasz: calinskiHarabasz(z, numbered.clusters, numbered.centroids),
    clusters: numbered.clusters,
    centroids: numbered.centroids,
  };
}

/** Every scenario's segments of the silhouette sample. */
export function sampleLabels(fits: readonly ScenarioFit[], sample: readonly number[]): SampleLabels[] {
  return fits.map((f) => ({
    k: f.k,
    clusters: Int32Array.from(sample, (i) => f.clusters[i]),
  }));
}

/** Mean silhouette per fit from summed widths (null where k < 2 or fewer than 2 clients). */
export function withSilhouettes(fits: readonly ScenarioFit[], sums: readonly number[], sampleSize: number): Scenario[] {
  return fits.map((f, i) => ({
    ...f,
    silhouette: f.k < 2 || sampleSize < 2 ? null : sums[i] / sampleSize,
  }));
}

/**
 * Every scenario kMin..kMax in this thread; `onProgress` after each restart (done, total). The
 * worker spreads the same steps over threads (bestOfRestarts per k, silhouetteSums per range).
 */
export function runScenarios(
  z: Point[],
  o: ScenarioOptions,
  kmeans: KmeansFn,
  onProgress?: (done: number, total: number) => void,
): Scenario[] {
  const fits: ScenarioFit[] = [];
  const total = (o.kMax - o.kMin + 1) * o.restarts;
  let done = 0;
  const sample = screeningSample(z, o.seed);
  for (let k = o.kMin; k <= o.kMax; k++)
    fits.push(bestOfRestarts(z, k, o, kmeans, () => onProgress?.(++done, total), sample));
  const silSample = silhouetteSample(z.length, o.seed);
  const sums = silhouetteSums(z, silSample, sampleLabels(fits, silSample));
  return withSilhouettes(fits, sums, silSample.length);
}
