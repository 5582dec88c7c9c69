export * from './lib/segmentation.routes';
