export * from './lib/segmentation.module';
