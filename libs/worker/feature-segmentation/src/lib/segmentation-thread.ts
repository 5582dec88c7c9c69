/**
 * The computing half of a segmentation run, in a worker thread (metrics.md "Segmentation"): the
 * main thread keeps renewing the BullMQ job lock while this one runs k-means. The worker's own
 * bundle (main.js) starts it with `workerData.task === 'segmentation'`; it posts one message per
 * scenario (progress) and a last one with the result.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { kmeans } from 'ml-kmeans';
import {
  prepareSegmentationData,
  profile,
  runScenarios,
  type IntakeRow,
  type KmeansFn,
  type ProfileRow,
  type Scenario,
  type ScenarioOptions,
} from '@klantmonitor/shared/metrics';

export interface SegmentationThreadInput {
  task: 'segmentation';
  rows: IntakeRow[];
  items: string[];
  options: ScenarioOptions;
}

/** A finished run: the clients and standardisation it used, every scenario with its profile. */
export interface SegmentationResult {
  clientIds: string[];
  excluded: number;
  items: string[];
  droppedItems: string[];
  means: number[];
  sds: number[];
  scenarios: (Scenario & { profile: ProfileRow[] })[];
}

export type SegmentationThreadMessage =
  | { type: 'progress'; done: number; total: number }
  | ({ type: 'done' } & SegmentationResult)
  | { type: 'too-few'; n: number; excluded: number };

export function isSegmentationThread(
  data: unknown,
): data is SegmentationThreadInput {
  return (
    typeof data === 'object' &&
    data !== null &&
    (data as { task?: unknown }).task === 'segmentation'
  );
}

/** Runs in the thread: prepare, every scenario, the profiles. */
export function runSegmentationThread(): void {
  const input = workerData as SegmentationThreadInput;
  const post = (m: SegmentationThreadMessage) => parentPort?.postMessage(m);
  const data = prepareSegmentationData(input.rows, input.items);
  if (data.clientIds.length < Math.max(input.options.kMax, 2)) {
    post({
      type: 'too-few',
      n: data.clientIds.length,
      excluded: data.excluded,
    });
    return;
  }
  const scenarios = runScenarios(
    data.z,
    input.options,
    kmeans as unknown as KmeansFn,
    (_s, done, total) => post({ type: 'progress', done, total }),
  );
  post({
    type: 'done',
    clientIds: data.clientIds,
    excluded: data.excluded,
    items: data.items,
    droppedItems: data.droppedItems,
    means: data.means,
    sds: data.sds,
    scenarios: scenarios.map((s) => ({
      ...s,
      profile: profile(data.raw, data.z, s.clusters, s.k, data.items),
    })),
  });
}
