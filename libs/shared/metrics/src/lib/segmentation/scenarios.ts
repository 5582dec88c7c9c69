/**
 * Scenarios k = kMin..kMax (metrics.md "Segmentation"): per k, `restarts` k-means++ runs from seeds
 * derived from `seed`, the one with the lowest within-SS kept, segments numbered by size, then
 * silhouette and Calinski-Harabasz. The k-means step itself is ml-kmeans (ESM-only, so it is
 * passed in: the worker thread imports it, tests too); everything around it is ours.
 */
import { calinskiHarabasz, centroidsOf, silhouette, withinSS } from './quality';
import { numberBySize } from './segments';

/** The shape of ml-kmeans 7's `kmeans(data, k, options)`. */
export type KmeansFn = (
  data: number[][],
  k: number,
  options: {
    initialization: 'kmeans++';
    seed: number;
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

export interface Scenario {
  k: number;
  sizes: number[];
  withinSS: number;
  silhouette: number | null;
  calinskiHarabasz: number | null;
  /** Segment of every client (numbered by size), and the centroids in z units. */
  clusters: number[];
  centroids: number[][];
}

/** The seed of restart `r` for `k`: fixed by the run's seed, different for every (k, r). */
export function restartSeed(seed: number, k: number, r: number): number {
  return (
    (Math.imul(seed >>> 0, 1_000_003) + Math.imul(k, 10_007) + r + 1) >>> 0
  );
}

/** The best of `restarts` runs for one k. */
export function bestOfRestarts(
  z: number[][],
  k: number,
  o: ScenarioOptions,
  kmeans: KmeansFn,
): Scenario {
  let best: {
    clusters: number[];
    centroids: number[][];
    withinSS: number;
  } | null = null;
  for (let r = 0; r < o.restarts; r++) {
    const run = kmeans(z, k, {
      initialization: 'kmeans++',
      seed: restartSeed(o.seed, k, r),
      maxIterations: o.maxIterations ?? 100,
      tolerance: 1e-6,
    });
    // Centroids as the means of the final clusters: ml-kmeans returns the ones it last moved to.
    const centroids = centroidsOf(z, run.clusters, k);
    const ss = withinSS(z, run.clusters, centroids);
    if (best === null || ss < best.withinSS)
      best = { clusters: run.clusters, centroids, withinSS: ss };
  }
  if (!best) throw new Error('restarts must be at least 1');
  const numbered = numberBySize(best.clusters, best.centroids);
  return {
    k,
    sizes: numbered.sizes,
    withinSS: best.withinSS,
    silhouette: silhouette(z, numbered.clusters, k, o.seed),
    calinskiHarabasz: calinskiHarabasz(
      z,
      numbered.clusters,
      numbered.centroids,
    ),
    clusters: numbered.clusters,
    centroids: numbered.centroids,
  };
}

/** Every scenario kMin..kMax; `onScenario` after each (for progress and cancellation). */
export function runScenarios(
  z: number[][],
  o: ScenarioOptions,
  kmeans: KmeansFn,
  onScenario?: (s: Scenario, done: number, total: number) => void,
): Scenario[] {
  const out: Scenario[] = [];
  const total = o.kMax - o.kMin + 1;
  for (let k = o.kMin; k <= o.kMax; k++) {
    const s = bestOfRestarts(z, k, o, kmeans);
    out.push(s);
    onScenario?.(s, out.length, total);
  }
  return out;
}
