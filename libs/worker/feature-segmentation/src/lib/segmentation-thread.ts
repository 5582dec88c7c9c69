/**
 * The computing half of a segmentation run, in worker threads (docs/metrics.md "Segmentation"): the
 * worker's main thread keeps renewing the BullMQ job lock and hands out work; each thread fits
 * whole k's (all restarts of one k) and, at the end, a range of the silhouette sample. The worker
 * bundle has a small second entry (segmentation-thread.js) that only runs this: ml-kmeans and the
 * metrics library, no NestJS.
 */
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { kmeans } from 'ml-kmeans';
import {
  bestOfRestarts,
  screeningSample,
  silhouetteSums,
  type KmeansFn,
  type SampleLabels,
  type ScenarioFit,
  type ScenarioOptions,
} from '@klantmonitor/shared/metrics';

/** What a thread starts with: the standardised data in shared memory (n x d, row by row). */
export interface SegmentationThreadInput {
  task: 'segmentation';
  z: SharedArrayBuffer;
  n: number;
  d: number;
  options: ScenarioOptions;
}

export type ToThread =
  | { type: 'fit'; k: number }
  | {
      type: 'silhouette';
      sample: number[];
      labels: SampleLabels[];
      from: number;
      to: number;
    };

/** `heapMb`: this thread's V8 heap in use when it answered (the benchmark's heap figure). */
export type FromThread =
  | { type: 'restart'; k: number }
  | { type: 'fit'; fit: ScenarioFit; heapMb: number }
  | { type: 'silhouette'; sums: number[]; heapMb: number };

export function isSegmentationThread(data: unknown): data is SegmentationThreadInput {
  return typeof data === 'object' && data !== null && (data as { task?: unknown }).task === 'segmentation';
}

/** Runs in the thread: answers `fit` and `silhouette` messages until the main thread ends it. */
export function runSegmentationThread(): void {
  const input = workerData as SegmentationThreadInput;
  const port = parentPort;
  if (!isSegmentationThread(input) || !port) throw new Error('not started as a segmentation thread');
  const flat = new Float64Array(input.z);
  // Plain arrays per row: ml-kmeans's distance loop runs faster on them than on typed-array views.
  const z = Array.from({ length: input.n }, (_, i) => Array.from(flat.subarray(i * input.d, (i + 1) * input.d)));
  const sample = screeningSample(z, input.options.seed);
  const post = (m: FromThread) => port.postMessage(m);
  const heapMb = () => getHeapStatistics().used_heap_size / 1048576;
  port.on('message', (m: ToThread) => {
    if (m.type === 'fit') {
      const fit = bestOfRestarts(
        z,
        m.k,
        input.options,
        kmeans as unknown as KmeansFn,
        () => post({ type: 'restart', k: m.k }),
        sample,
      );
      post({ type: 'fit', fit, heapMb: heapMb() });
    } else {
      post({
        type: 'silhouette',
        sums: silhouetteSums(z, m.sample, m.labels, m.from, m.to),
        heapMb: heapMb(),
      });
    }
  });
}
