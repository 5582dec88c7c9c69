export * from './lib/dates';
export * from './lib/effective-steps';
export * from './lib/analytics';
export * from './lib/segmentation';
