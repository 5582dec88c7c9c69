/**
 * Spreads a run's scenarios over worker threads (docs/quality.md: k-means in threads, 2 cores): the
 * largest k first, each idle thread takes the next k; then every thread sums the silhouettes of one
 * range of the sample for all scenarios at once. Which thread fits which k does not change the
 * answer: a k's result depends on the data, k and the seed only.
 */
import { Worker } from 'node:worker_threads';
import {
  sampleLabels,
  silhouetteSample,
  withSilhouettes,
  type Scenario,
  type ScenarioFit,
  type ScenarioOptions,
} from '@klantmonitor/shared/metrics';
import type { FromThread, SegmentationThreadInput, ToThread } from './segmentation-thread';

export interface PoolOptions {
  /** The thread entry (the worker bundle's segmentation-thread.js). */
  script: string;
  threads: number;
  /** After each restart: restarts done, restarts in all. */
  onProgress?: (done: number, total: number) => void;
}

export interface PoolRun {
  result: Promise<Scenario[]>;
  /** Stops every thread; `result` then rejects with PoolCancelled. */
  cancel(): Promise<void>;
  /** The sum over threads of each one's highest reported heap, in MiB. */
  threadHeapPeakMb(): number;
}

export class PoolCancelled extends Error {
  constructor() {
    super('segmentation run cancelled');
  }
}

export function computeScenarios(
  z: readonly (readonly number[])[],
  options: ScenarioOptions,
  pool: PoolOptions,
): PoolRun {
  const n = z.length;
  const d = z[0]?.length ?? 0;
  const shared = new SharedArrayBuffer(n * d * 8);
  const flat = new Float64Array(shared);
  z.forEach((row, i) => flat.set(row, i * d));
  const ks: number[] = [];
  for (let k = options.kMax; k >= options.kMin; k--) ks.push(k);
  const count = Math.max(1, Math.min(pool.threads, ks.length));
  const input: SegmentationThreadInput = {
    task: 'segmentation',
    z: shared,
    n,
    d,
    options,
  };
  const threads = Array.from({ length: count }, () => new Worker(pool.script, { workerData: input }));
  const heapPeaks = threads.map(() => 0);
  let stopped: Promise<void> | null = null;
  let fail: (e: Error) => void = () => undefined;
  const stopAll = () => (stopped ??= Promise.all(threads.map((t) => t.terminate())).then(() => undefined));

  const result = new Promise<Scenario[]>((resolve, reject) => {
    fail = (e) => {
      if (stopped) return;
      void stopAll();
      reject(e);
    };
    const total = ks.length * options.restarts;
    let done = 0;
    const fits: ScenarioFit[] = [];
    const queue = [...ks];
    let silhouettePending = 0;
    const sums: number[] = [];
    let sample: number[] = [];

    const startSilhouettes = () => {
      fits.sort((a, b) => a.k - b.k);
      sample = silhouetteSample(n, options.seed);
      const labels = sampleLabels(fits, sample);
      fits.forEach(() => sums.push(0));
      const per = Math.ceil(sample.length / threads.length);
      threads.forEach((t, i) => {
        const from = i * per;
        const to = Math.min(sample.length, from + per);
        if (from >= to) return;
        silhouettePending++;
        t.postMessage({
          type: 'silhouette',
          sample,
          labels,
          from,
          to,
        } satisfies ToThread);
      });
    };

    threads.forEach((t, ti) => {
      const next = () => {
        const k = queue.shift();
        if (k !== undefined) t.postMessage({ type: 'fit', k } satisfies ToThread);
      };
      t.on('message', (m: FromThread) => {
        if (stopped) return;
        if (m.type !== 'restart') heapPeaks[ti] = Math.max(heapPeaks[ti], m.heapMb);
        if (m.type === 'restart') pool.onProgress?.(++done, total);
        else if (m.type === 'fit') {
          fits.push(m.fit);
          if (fits.length === ks.length) startSilhouettes();
          else next();
        } else {
          m.sums.forEach((s, i) => (sums[i] += s));
          if (--silhouettePending === 0) {
            const scenarios = withSilhouettes(fits, sums, sample.length);
            void stopAll().then(() => resolve(scenarios));
          }
        }
      });
      t.on('error', (e) => fail(e));
      t.on('exit', (code) => fail(new Error(`a segmentation thread stopped with ${code}`)));
      next();
    });
  });

  return {
    result,
    threadHeapPeakMb: () => heapPeaks.reduce((a, b) => a + b, 0),
    cancel: async () => {
      fail(new PoolCancelled());
      await stopAll();
    },
  };
}
