export * from './lib/effective-steps';
export * from './lib/analytics';
export * from './lib/segmentation';
