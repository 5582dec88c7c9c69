// The thread entry's own barrel: nothing here may import NestJS (the thread loads only this).
export { runSegmentationThread } from './lib/segmentation-thread';
