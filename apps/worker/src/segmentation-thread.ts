/**
 * The entry of a segmentation worker thread (webpack builds it as segmentation-thread.js beside
 * main.js): fits k-means scenarios and silhouettes for the worker's main thread, nothing else.
 */
import { runSegmentationThread } from '@klantmonitor/worker/feature-segmentation/thread';

runSegmentationThread();
