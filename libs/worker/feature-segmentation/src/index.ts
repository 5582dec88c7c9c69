export * from './lib/segmentation.module';
export {
  isSegmentationThread,
  runSegmentationThread,
} from './lib/segmentation-thread';
