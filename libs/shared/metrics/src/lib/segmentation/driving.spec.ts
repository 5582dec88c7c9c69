import { kmeans } from 'ml-kmeans';
import { seededRandom, silhouette, silhouetteSample, silhouetteSums } from './quality';
import {
  bestOfRestarts,
  FINISHED_PER_K,
  pickFinalists,
  runScenarios,
  sampleLabels,
  screeningSample,
  type KmeansFn,
} from './scenarios';
import { kmeansPlusPlus } from './seeding';

const km = kmeans as unknown as KmeansFn;

function blobs(centres: number[][], each: number, spread: number, seed: number): number[][] {
  const rnd = seededRandom(seed);
  return centres.flatMap((c) => Array.from({ length: each }, () => c.map((v) => v + (rnd() - 0.5) * spread)));
}

describe('k-means++ seeding', () => {
  it('starts in every one of k far-apart groups, from data points, the same for the same seed', () => {
    // Three groups 100 apart, each within +-0.5: a second centre in an already covered group has a
    // squared distance below 2 against about 10,000 for the others, so D^2 sampling (with its
    // 2 + floor(ln 3) = 3 greedy trials) lands in a new group.
    const z = blobs(
      [
        [0, 0],
        [100, 0],
        [0, 100],
      ],
      20,
      1,
      5,
    );
    const a = kmeansPlusPlus(z, 3, 11);
    expect(kmeansPlusPlus(z, 3, 11)).toEqual(a);
    const group = (p: number[]) => (p[0] > 50 ? 1 : p[1] > 50 ? 2 : 0);
    expect(new Set(a.map(group)).size).toBe(3);
    for (const c of a) expect(z.some((p) => p[0] === c[0] && p[1] === c[1])).toBe(true);
    expect(kmeansPlusPlus(z, 3, 12)).not.toEqual(a);
  });

  it('copes with identical points and refuses k above n', () => {
    const z = [
      [1, 1],
      [1, 1],
      [1, 1],
    ];
    expect(kmeansPlusPlus(z, 3, 1)).toEqual([
      [1, 1],
      [1, 1],
      [1, 1],
    ]);
    expect(() => kmeansPlusPlus(z, 4, 1)).toThrow('k must be 1..3');
  });
});

describe('restarts screened on a sample', () => {
  // 4 groups of 60 in 3 dimensions, spread 2 (well apart): the optimum is the 4 groups; a screened
  // run (sample of 40) must find the same partition and within-SS as plain restarts on all 240.
  const z = blobs(
    [
      [0, 0, 0],
      [8, 0, 0],
      [0, 8, 0],
      [0, 0, 8],
    ],
    60,
    2,
    21,
  );
  const o = { kMin: 4, kMax: 4, restarts: 5, seed: 3 };

  it('keeps the same optimum as plain restarts', () => {
    const plain = bestOfRestarts(z, 4, o, km, undefined, null);
    const sample = screeningSample(z, o.seed, 40);
    expect(sample).toHaveLength(40);
    const screened = bestOfRestarts(z, 4, o, km, undefined, sample);
    expect(screened.sizes).toEqual([60, 60, 60, 60]);
    expect(screened.withinSS).toBeCloseTo(plain.withinSS, 9);
    expect(screened.clusters).toEqual(plain.clusters);
  });

  it('reports every restart once, screened or not', () => {
    let plainCalls = 0;
    let screenedCalls = 0;
    bestOfRestarts(z, 4, o, km, () => plainCalls++, null);
    bestOfRestarts(z, 4, o, km, () => screenedCalls++, screeningSample(z, 3, 40));
    expect([plainCalls, screenedCalls]).toEqual([5, 5]);
  });

  it('finishes the best screened restarts', () => {
    // Sample within-SS of five restarts: 5, 3, 3, 4, 9. The three finalists are restarts 1 and 2
    // (3, the tie in restart order) and 3 (4).
    expect(pickFinalists([5, 3, 3, 4, 9], 3)).toEqual([1, 2, 3]);
    expect(pickFinalists([7, 6], 3)).toEqual([1, 0]);
    // In a run: 5 screens on the sample of 40, then one fit on all 240 per finalist.
    const sizes: number[] = [];
    const spy: KmeansFn = (data, k, options) => {
      sizes.push(data.length);
      return km(data, k, options);
    };
    bestOfRestarts(z, 4, o, spy, undefined, screeningSample(z, 3, 40));
    expect(sizes.filter((s) => s === 40)).toHaveLength(5);
    expect(sizes.filter((s) => s === 240)).toHaveLength(FINISHED_PER_K);
  });

  it('does not screen when there are few clients', () => {
    expect(screeningSample(z, 3)).toBeNull();
  });
});

describe('silhouettes of several scenarios in one pass', () => {
  const z = blobs(
    [
      [0, 0],
      [6, 0],
      [0, 6],
    ],
    15,
    3,
    8,
  );
  const scenarios = runScenarios(z, { kMin: 2, kMax: 4, restarts: 2, seed: 9 }, km);

  it('equals the silhouette of each scenario alone, and splits into ranges', () => {
    for (const s of scenarios) expect(s.silhouette).toBeCloseTo(silhouette(z, s.clusters, s.k, 9) as number, 12);
    const sample = silhouetteSample(z.length, 9);
    const labels = sampleLabels(scenarios, sample);
    const whole = silhouetteSums(z, sample, labels);
    const halves = [silhouetteSums(z, sample, labels, 0, 20), silhouetteSums(z, sample, labels, 20, sample.length)];
    whole.forEach((w, i) => expect(halves[0][i] + halves[1][i]).toBeCloseTo(w, 12));
  });

  it('samples without repeats and reproducibly', () => {
    const s = silhouetteSample(1000, 4, 50);
    expect(new Set(s).size).toBe(50);
    expect(silhouetteSample(1000, 4, 50)).toEqual(s);
    expect(silhouetteSample(30, 4, 50)).toEqual(Array.from({ length: 30 }, (_, i) => i));
  });
});
