import { kmeans } from 'ml-kmeans';
import { runScenarios, type KmeansFn } from './scenarios';
import { seededRandom } from './quality';

const km = kmeans as unknown as KmeansFn;

/** Points around given centres, seeded: the optimum is visible by eye. */
function blobs(centres: number[][], perCentre: number[], spread: number, seed: number): number[][] {
  const rnd = seededRandom(seed);
  const out: number[][] = [];
  centres.forEach((c, i) => {
    for (let n = 0; n < perCentre[i]; n++) out.push(c.map((v) => v + (rnd() - 0.5) * spread));
  });
  return out;
}

describe('scenarios with ml-kmeans', () => {
  it('finds three clear groups at k = 3, numbered by size, and prefers k = 3 by silhouette', () => {
    // 40 around (0, 0), 25 around (10, 0), 35 around (0, 10), each within +-0.5.
    const z = blobs(
      [
        [0, 0],
        [10, 0],
        [0, 10],
      ],
      [40, 25, 35],
      1,
      3,
    );
    const scenarios = runScenarios(z, { kMin: 2, kMax: 5, restarts: 5, seed: 42 }, km);
    const three = scenarios.find((s) => s.k === 3)!;
    expect(three.sizes).toEqual([40, 35, 25]);
    // Segment 0 is the group of 40 around (0, 0), 1 around (0, 10), 2 around (10, 0).
    expect(three.clusters.slice(0, 40).every((c) => c === 0)).toBe(true);
    expect(three.clusters.slice(40, 65).every((c) => c === 2)).toBe(true);
    expect(three.clusters.slice(65).every((c) => c === 1)).toBe(true);
    three.centroids[1].forEach((v, j) => expect(v).toBeCloseTo([0, 10][j], 0));
    // Within-SS at k = 3 is the spread only: 100 points, 2 dimensions, uniform +-0.5 -> about 100 * 2 / 12.
    expect(three.withinSS).toBeLessThan(25);
    const bestSilhouette = scenarios.reduce((a, b) => ((b.silhouette ?? -1) > (a.silhouette ?? -1) ? b : a));
    expect(bestSilhouette.k).toBe(3);
    // Within-SS never grows with k when each k keeps its best restart.
    for (let i = 1; i < scenarios.length; i++)
      expect(scenarios[i].withinSS).toBeLessThanOrEqual(scenarios[i - 1].withinSS + 1e-9);
  });

  it('gives the same answer for the same input and seed, and keeps the best restart', () => {
    const z = blobs(
      [
        [0, 0, 0],
        [3, 3, 3],
        [6, 0, 3],
        [0, 6, 6],
      ],
      [30, 30, 30, 30],
      4,
      9,
    );
    const a = runScenarios(z, { kMin: 4, kMax: 4, restarts: 6, seed: 7 }, km)[0];
    const b = runScenarios(z, { kMin: 4, kMax: 4, restarts: 6, seed: 7 }, km)[0];
    expect(b).toEqual(a);
    // One restart can only be as good as the best of six (the six include it: restart 0's seed).
    const one = runScenarios(z, { kMin: 4, kMax: 4, restarts: 1, seed: 7 }, km)[0];
    expect(a.withinSS).toBeLessThanOrEqual(one.withinSS + 1e-9);
  });
});
