import { calinskiHarabasz, centroidsOf, silhouette, withinSS } from './quality';
import { prepareSegmentationData, standardise } from './prepare';
import { nearestSegment, numberBySize, profile } from './segments';

describe('segmentation input (hand-worked)', () => {
  /*
   * Items a..e. C4 misses 2 of 5 (40% > 20%): left out. C2 misses 1 of 5 (20%, not more): kept,
   * its c at the item mean. b is 2 for everyone: no variance, dropped.
   * a: 1, 3, 5 -> mean 3, population SD sqrt((4 + 0 + 4) / 3) = sqrt(8/3).
   * c: 5, (3), 1 -> mean 3 over the answers given, SD sqrt((4 + 0 + 4) / 3) = sqrt(8/3).
   */
  const rows = [
    { clientId: 'C1', answers: { a: 1, b: 2, c: 5, d: 1, e: 1 } },
    { clientId: 'C2', answers: { a: 3, b: 2, c: null, d: 3, e: 3 } },
    { clientId: 'C3', answers: { a: 5, b: 2, c: 1, d: 5, e: 5 } },
    { clientId: 'C4', answers: { c: 3, d: 3, e: 3 } },
  ];
  const p = prepareSegmentationData(rows, ['a', 'b', 'c', 'd', 'e']);
  const sd = Math.sqrt(8 / 3);

  it('leaves out clients missing more than 20%, drops items without variance, imputes the mean', () => {
    expect(p.clientIds).toEqual(['C1', 'C2', 'C3']);
    expect(p.excluded).toBe(1);
    expect(p.items).toEqual(['a', 'c', 'd', 'e']);
    expect(p.droppedItems).toEqual(['b']);
    expect(p.raw[1]).toEqual([3, null, 3, 3]);
    expect(p.means).toEqual([3, 3, 3, 3]);
    p.sds.forEach((s) => expect(s).toBeCloseTo(sd, 12));
  });

  it('drops the items nobody answered before counting what a client misses (hand-worked, #24)', () => {
    // Items a..e plus x and y that nobody was asked (a shorter instrument). Over 7 items, C1 and C3
    // miss 2 of 7 = 29% > 20% and would be left out with C4; over the 5 answered items they miss 0,
    // C2 misses b (1 of 5 = 20%: kept), C4 misses a and b (40%: left out): exactly as without x and y.
    const q = prepareSegmentationData(rows, ['a', 'x', 'b', 'c', 'd', 'y', 'e']);
    expect(q.clientIds).toEqual(['C1', 'C2', 'C3']);
    expect(q.excluded).toBe(1);
    expect(q.items).toEqual(['a', 'c', 'd', 'e']);
    // Dropped in the order asked: x and y (unanswered), b (no variance).
    expect(q.droppedItems).toEqual(['x', 'b', 'y']);
    expect(q.z).toEqual(p.z);
  });

  it('standardises with the population SD; a gap is z = 0', () => {
    expect(p.z[0][0]).toBeCloseTo(-2 / sd, 12);
    expect(p.z[1][1]).toBe(0);
    expect(p.z[2][1]).toBeCloseTo(-2 / sd, 12);
    // A new client with the run's means and SDs: a = 5 -> 2 / sd; c not given -> 0.
    const z = standardise({ a: 5, d: 3 }, p);
    expect(z[0]).toBeCloseTo(2 / sd, 12);
    expect(z.slice(1)).toEqual([0, 0, 0]);
  });
});

describe('scenario figures (hand-worked)', () => {
  /*
   * 1-D points 0, 2 | 10, 12: centroids 1 and 11.
   * withinSS = 1 + 1 + 1 + 1 = 4. Overall mean 6: between-SS = 2 * 25 + 2 * 25 = 100.
   * Calinski-Harabasz = (100 / (2 - 1)) / (4 / (4 - 2)) = 50.
   * Silhouette: point 0: a = 2, b = (10 + 12) / 2 = 11 -> 9/11; point 2: a = 2, b = (8 + 10) / 2 = 9
   * -> 7/9; 10 and 12 mirror them. Mean = (9/11 + 7/9) / 2 = 158/198.
   */
  const z = [[0], [2], [10], [12]];
  const clusters = [0, 0, 1, 1];
  const centroids = centroidsOf(z, clusters, 2);

  it('computes centroids, within-SS and Calinski-Harabasz', () => {
    expect(centroids).toEqual([[1], [11]]);
    expect(withinSS(z, clusters, centroids)).toBe(4);
    expect(calinskiHarabasz(z, clusters, centroids)).toBe(50);
  });

  it('computes the mean silhouette width, exactly and on a seeded sample', () => {
    expect(silhouette(z, clusters, 2)).toBeCloseTo(158 / 198, 12);
    // A sample of 2 of the 4: the same seed gives the same figure.
    const a = silhouette(z, clusters, 2, 7, 2);
    expect(silhouette(z, clusters, 2, 7, 2)).toBe(a);
    expect(silhouette(z, clusters, 1)).toBeNull();
  });
});

describe('segments', () => {
  it('are numbered by size, largest first; ties by the lowest centroid on the first item', () => {
    expect(numberBySize([1, 1, 1, 0, 0, 2], [[5], [1], [3]])).toEqual({
      clusters: [0, 0, 0, 1, 1, 2],
      centroids: [[1], [5], [3]],
      sizes: [3, 2, 1],
    });
    expect(numberBySize([0, 1], [[4], [2]]).clusters).toEqual([1, 0]);
  });

  it('profile: means and agree shares over the answers given, z against everyone outside, flags at 0.1', () => {
    /*
     * Segment 0: answers 5, 4, (none); z 1, 0.5, 0 -> mean 4.5, agree 2/2 = 1, mean z 0.5.
     * Segment 1: answers 1, 2; z -1, -0.5 -> mean 1.5, agree 0, mean z -0.75.
     * z of segment 0 = 0.5 - (-0.75) = 1.25 (high); of segment 1 = -0.75 - 0.5 = -1.25 (low).
     */
    const rows = profile([[5], [4], [null], [1], [2]], [[1], [0.5], [0], [-1], [-0.5]], [0, 0, 0, 1, 1], 2, ['x']);
    expect(rows).toEqual([
      {
        segment: 0,
        item: 'x',
        mean: 4.5,
        agreeShare: 1,
        z: 1.25,
        flag: 'high',
      },
      {
        segment: 1,
        item: 'x',
        mean: 1.5,
        agreeShare: 0,
        z: -1.25,
        flag: 'low',
      },
    ]);
    // Within 0.1 either way: no flag.
    expect(profile([[3], [3]], [[0.05], [0]], [0, 1], 2, ['x'])[0].flag).toBeNull();
  });

  it('assigns a new client to the nearest centroid', () => {
    expect(nearestSegment([9], [[1], [11]])).toBe(1);
    expect(nearestSegment([6], [[1], [11]])).toBe(0); // equally near: the lower number
  });
});
