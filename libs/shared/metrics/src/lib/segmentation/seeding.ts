/**
 * k-means++ seeding (Arthur & Vassilvitskii 2007), greedy like scikit-learn and ml-kmeans: each new
 * centre is the best of `2 + floor(ln k)` candidates drawn with probability proportional to the
 * squared distance to the nearest centre so far. Ours rather than ml-kmeans's own: that one copies
 * every row for every distance (ml-matrix `getRow`), which at 100,000 clients made seeding cost more
 * than the k-means iterations themselves (0.75 s of a 0.8 s run at k = 2). The iterations stay
 * ml-kmeans's: the centres below are passed to it as `initialization`.
 */
import { seededRandom } from './quality';

function sqDist(a: ArrayLike<number>, b: ArrayLike<number>, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const x = a[j] - b[j];
    s += x * x;
  }
  return s;
}

/** `k` starting centres for the points `z` (copies), the same for the same `seed`. */
export function kmeansPlusPlus(z: readonly ArrayLike<number>[], k: number, seed: number): number[][] {
  const n = z.length;
  if (k < 1 || k > n) throw new Error(`k must be 1..${n}`);
  const d = z[0].length;
  const rnd = seededRandom(seed);
  const copy = (i: number) => Array.from(z[i]);
  const centres = [copy(Math.floor(rnd() * n))];
  const closest = new Float64Array(n);
  let potential = 0;
  for (let i = 0; i < n; i++) {
    closest[i] = sqDist(z[i], centres[0], d);
    potential += closest[i];
  }
  const trials = 2 + Math.floor(Math.log(k));
  const candidate = new Float64Array(n);
  const best = new Float64Array(n);
  for (let c = 1; c < k; c++) {
    let bestPotential = Infinity;
    let bestIndex = -1;
    for (let t = 0; t < trials; t++) {
      // Draw i with probability closest[i] / potential (all points equal when every one is a centre).
      let r = rnd() * potential;
      let i = 0;
      if (potential > 0)
        for (; i < n - 1; i++) {
          r -= closest[i];
          if (r < 0) break;
        }
      else i = Math.floor(rnd() * n);
      let p = 0;
      for (let m = 0; m < n; m++) {
        const v = Math.min(closest[m], sqDist(z[m], z[i], d));
        candidate[m] = v;
        p += v;
      }
      if (p < bestPotential) {
        bestPotential = p;
        bestIndex = i;
        best.set(candidate);
      }
    }
    centres.push(copy(bestIndex));
    closest.set(best);
    potential = bestPotential;
  }
  return centres;
}
