export * from './lib/klantbeleving';
export * from './lib/schedule';
export * from './lib/new-template';
